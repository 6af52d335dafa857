"""The lineage edge as derivation finds it, before it is written into the graph."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from coopgraph.lineage.texts import Change

# The evidence kinds (Derivation.kind, cg:evidenceKind) by what they carry from the earlier unit:
# its words (two versions of one text), or its subject across sessions; content is either.
TEXT_KINDS = frozenset({"verbatim", "amended", "shortened", "expanded", "clause", "restated"})
SUBJECT_KINDS = frozenset({"shared subject", "shared pinpoint", "merged subject", "split subject"})
CONTENT_KINDS = TEXT_KINDS | SUBJECT_KINDS


@dataclass
class Derivation:
    """One lineage edge, later unit -> earlier node, with the evidence for it."""

    later: URIRef
    earlier: URIRef
    type: URIRef
    confidence: float
    method: str
    evidence: list[str]
    inferred: bool = False
    similarity: float | None = None
    coverage: float | None = None
    changes: list[Change] = field(default_factory=list)
    diff: str | None = None
    kind: str = ""  # the evidence kind confidence is calibrated for (coopgraph/lineage/calibration.toml)
    citing_words: str | None = None  # for a stated edge: the words of the text that state it
    footnote_diffs: list[str] = field(default_factory=list)  # footnote texts compared, marker by marker
    shapes: set[URIRef] = field(default_factory=set)  # cg:SplitDerivation / cg:MergeDerivation
    confidence_basis: str | None = None  # why it has its confidence, in one sentence
