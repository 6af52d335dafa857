"""How sure one link is, from its own evidence, and why, in one sentence.

A link by shared text or a stated reference is as sure as its kind: the share of its kind found
right when checked by hand (coopgraph.lineage.calibration). A link by subject (shared distinctive
words, a shared pinpoint, the other part of a split or merge) varies far more from one link to the
next, so its confidence comes from its own evidence, scored by a logistic model whose coefficients
live in calibration.toml ([subject_model]), fitted on the hand-checked tuning pair only
(`python bench/alignment.py --calibrate`) and evaluated on the held-out pairs
(docs/lineage-alignment.md). The features, each a reason a lawyer would give:

- score: how much of the two paragraphs' distinctive wording they share (weighted overlap, 0-1);
- margin: how far that is above the later paragraph's next-best candidate in the earlier text;
- shared_citation: both cite the same pinpoint (an annex, a paragraph) of a third text;
- actors_agree: the first actor each names is the same (0.5 where either names none);
- mutual_best: each paragraph is the other's best candidate in the other text.
Whether the two texts are consecutive would be a reason too, but the tuning pair (2009 -> 2015)
is never consecutive, so no weight for it can be learnt there; it is left out, not guessed.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rdflib import Graph, URIRef

from coopgraph.lineage.calibration import PRIOR, UNKNOWN, calibrated, table
from coopgraph.lineage.units import TextUnit
from coopgraph.terms import CG, ELI, RDF

FEATURES = ("score", "margin", "shared_citation", "actors_agree", "mutual_best")
# The kind the model scores: a mutual best match by subject. The other parts of a split or merge and
# shared pinpoints are chosen by rules of their own, and keep their kind's hand-checked rate.
MODEL_KINDS = frozenset({"shared subject"})


@dataclass(frozen=True)
class Evidence:
    """The features of one candidate link by subject."""

    score: float
    margin: float
    shared_citation: bool
    actors_agree: float
    mutual_best: bool

    def vector(self) -> list[float]:
        return [self.score, self.margin, float(self.shared_citation), self.actors_agree, float(self.mutual_best)]


@cache
def subject_model() -> dict[str, object] | None:
    """The fitted model of calibration.toml, or None before one is fitted."""
    text = resources.files("coopgraph.lineage").joinpath("calibration.toml").read_text(encoding="utf-8")
    model = tomllib.loads(text).get("subject_model")
    return dict(model) if model else None


def subject_confidence(evidence: Evidence) -> float | None:
    """The model's probability that this link by subject is right, rounded to two places."""
    model = subject_model()
    if model is None:
        return None
    weights = dict(zip(FEATURES, model["coefficients"], strict=True))  # type: ignore[call-overload]
    z = float(model["intercept"]) + sum(weights[name] * value for name, value in zip(FEATURES, evidence.vector(), strict=True))  # type: ignore[arg-type]
    return round(1 / (1 + math.exp(-z)), 2)


def subject_sentence(evidence: Evidence, confidence: float) -> str:
    """Why a link by subject has its confidence, in one sentence."""
    model = subject_model() or {}
    return (f"confidence {confidence:.2f} from this link's own evidence: weighted overlap {evidence.score:.2f}, "
            f"{evidence.margin:+.2f} against the next candidate, "
            f"{'a shared citation' if evidence.shared_citation else 'no shared citation'}, "
            f"{'the same first actor' if evidence.actors_agree == 1 else 'other actors' if evidence.actors_agree == 0 else 'no actor to compare'}, "
            f"{'each the best candidate of the other' if evidence.mutual_best else 'not each the best of the other'} "
            f"(a model fitted on the {model.get('fitted_on', 'tuning')} pair's {model.get('candidates', '?')} hand-labelled candidates)")


def kind_sentence(kind: str, confidence: float) -> str:
    """Why a link of a kind calibrated as a whole has its confidence, in one sentence."""
    counts = table().get(kind)
    prior = PRIOR.get(kind, UNKNOWN)
    if counts and counts["checked"]:
        return (f"confidence {confidence:.2f}: links of the kind '{kind}' were right in {counts['correct']} of "
                f"{counts['checked']} hand checks (smoothed towards a prior of {prior:.2f})")
    return f"confidence {confidence:.2f}: the prior of the kind '{kind}' ({prior:.2f}); no hand check of it yet"


class EvidenceReader:
    """Reads the features of candidate links between the units of a graph."""

    def __init__(self, graph: Graph, units: list[TextUnit]):
        from coopgraph.lineage.continuity import Rarity

        self.graph = graph
        self.units = {u.iri: u for u in units}
        self.rarity = Rarity(units)
        self.patterns = [(str(actor), re.compile(str(p))) for actor in graph.subjects(RDF.type, CG.Actor)
                         for p in graph.objects(actor, CG.namePattern)]
        self.cited: dict[URIRef, set[URIRef]] = {}
        for citation in graph.subjects(RDF.type, CG.Citation):
            citing, target = graph.value(citation, CG.citingUnit), graph.value(citation, CG.citedNode)
            unit = citing if citing in self.units else graph.value(citing, CG.footnoteOf)
            if unit in self.units and target is not None and graph.value(target, ELI.is_part_of) is not None:
                self.cited.setdefault(unit, set()).add(target)  # type: ignore[arg-type]
        self._scores: dict[tuple[URIRef, URIRef], float] = {}
        self.by_document: dict[URIRef, list[TextUnit]] = {}
        for unit in units:
            self.by_document.setdefault(unit.document, []).append(unit)

    def score(self, earlier: URIRef, later: URIRef) -> float:
        if (earlier, later) not in self._scores:
            self._scores[(earlier, later)] = float(self.rarity.subject_similarity(self.units[earlier].text,
                                                                                    self.units[later].text)[0])
        return self._scores[(earlier, later)]

    def evidence(self, earlier: URIRef, later: URIRef) -> Evidence:
        e, lu = self.units[earlier], self.units[later]
        score = self.score(earlier, later)
        rivals = [self.score(o.iri, later) for o in self.by_document.get(e.document, []) if o.iri != earlier and o.text]
        margin = score - max(rivals, default=0.0)
        back = [self.score(earlier, o.iri) for o in self.by_document.get(lu.document, []) if o.iri != later and o.text]
        mutual = margin >= 0 and score >= max(back, default=0.0)
        first_e, first_l = first_actor(e.text, self.patterns), first_actor(lu.text, self.patterns)
        agree = 0.5 if first_e is None or first_l is None else float(first_e == first_l)
        shared = bool(self.cited.get(earlier, set()) & self.cited.get(later, set()))
        return Evidence(round(score, 4), round(margin, 4), shared, agree, mutual)


def first_actor(text: str, patterns: Iterable[tuple[str, object]]) -> str | None:
    """The actor a text names first (patterns: (actor, compiled pattern))."""
    found = [(match.start(), actor) for actor, pattern in patterns for match in [pattern.search(text)] if match]  # type: ignore[attr-defined]
    return min(found)[1] if found else None


__all__ = ["FEATURES", "MODEL_KINDS", "Evidence", "EvidenceReader", "calibrated", "first_actor", "kind_sentence", "subject_confidence",
           "subject_model", "subject_sentence"]
