"""Lineage measured against links checked by hand: precision and recall per pair of documents.

A hand-checked file (tests/data/) names an earlier and a later document and lists, by reading
the texts, the links between their units: `[[pair]]` or `[[link]]` entries (aligned units, with
a strength), and `[[stated]]` entries or links with basis = "stated" (links a text states). The
tool's edges between the two documents are sorted the same way: content edges (shared text or
subject) against the aligned links, stated edges (citations) against the stated ones.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from coopgraph.lineage.record import CONTENT_KINDS
from coopgraph.terms import CG, PROV


@dataclass(frozen=True)
class PairSpec:
    name: str
    earlier: str  # path under doc/
    later: str
    file: str  # under tests/data/
    role: str  # "tuning" or "held out"


PAIRS = (
    PairSpec("2007 -> 2009", "ICC-ASP/6", "ICC-ASP/8/Res.2", "links-2007-to-2009.toml", "held out"),
    PairSpec("2009 -> 2015", "ICC-ASP/8/Res.2", "ICC-ASP/14/Res.3", "alignment-8-res2-to-14-res3.toml", "tuning"),
    PairSpec("2015 -> draft", "ICC-ASP/14/Res.3", "asp15-bureau-report-cooperation/annex/I",
             "alignment-14-res3-to-asp15-draft.toml", "held out"),
    PairSpec("draft -> Annex II", "asp15-bureau-report-cooperation/annex/I", "asp15-bureau-report-cooperation/annex/II",
             "alignment-asp15-draft-to-annex-ii.toml", "held out"),
)


@dataclass
class Edge:
    later: str
    earlier: str
    kind: str
    stated: bool
    confidence: float


@dataclass
class PairScore:
    spec: PairSpec
    expected: dict[tuple[str, str], str]  # aligned (earlier, later) -> strength
    expected_stated: set[tuple[str, str]]
    found: dict[tuple[str, str], Edge] = field(default_factory=dict)
    found_stated: dict[tuple[str, str], Edge] = field(default_factory=dict)

    @property
    def correct(self) -> set[tuple[str, str]]:
        return set(self.found) & set(self.expected)

    @property
    def wrong(self) -> set[tuple[str, str]]:
        return set(self.found) - set(self.expected)

    @property
    def missed_strong(self) -> set[tuple[str, str]]:
        return {p for p, s in self.expected.items() if s == "strong"} - set(self.found)

    def precision(self) -> float | None:
        return len(self.correct) / len(self.found) if self.found else None

    def recall(self, strength: str | None = None) -> float | None:
        wanted = {p for p, s in self.expected.items() if strength is None or s == strength}
        return len(wanted & set(self.found)) / len(wanted) if wanted else None

    def stated_precision(self) -> float | None:
        if not self.found_stated:
            return None
        return len(set(self.found_stated) & self.expected_stated) / len(self.found_stated)

    def stated_recall(self) -> float | None:
        if not self.expected_stated:
            return None
        return len(set(self.found_stated) & self.expected_stated) / len(self.expected_stated)


def _path(doc: str, relative: str) -> str:
    return doc if not relative else f"{doc}/{relative}"


def expected_links(spec: PairSpec, data: Path) -> tuple[dict[tuple[str, str], str], set[tuple[str, str]]]:
    """The hand-checked links of one pair, as (earlier path, later path) under doc/."""
    checked = tomllib.loads((data / spec.file).read_text(encoding="utf-8"))
    aligned: dict[tuple[str, str], str] = {}
    stated: set[tuple[str, str]] = set()
    # In the 2007 file earlier paths are under doc/ already; elsewhere relative to the earlier document.
    earlier_base = "" if spec.earlier == "ICC-ASP/6" else spec.earlier
    for entry in checked.get("pair", []) + checked.get("link", []):
        key = (_path(earlier_base, entry["earlier"]).lstrip("/"), _path(spec.later, entry["later"]))
        if entry.get("basis") == "stated":
            stated.add(key)
        else:
            aligned[key] = entry.get("strength", "strong")
    for entry in checked.get("stated", []):
        stated.add((_path(earlier_base, entry["earlier"]).lstrip("/"), _path(spec.later, entry["later"])))
    return aligned, stated


def graph_edges(graph: Graph, base: str) -> list[Edge]:
    """Every derivation edge of the graph, with paths under doc/."""
    doc = f"{base}doc/"
    edges = []
    for later, node in graph.subject_objects(CG.qualifiedDerivation):
        earlier = graph.value(node, PROV.entity)
        kind = str(graph.value(node, CG.evidenceKind) or "")
        edges.append(Edge(
            later=str(later).removeprefix(doc), earlier=str(earlier).removeprefix(doc), kind=kind,
            stated=graph.value(node, CG.isInferred) == Literal(False),
            confidence=float(graph.value(node, CG.confidence)),  # type: ignore[arg-type]
        ))
    return edges


def _within(path: str, document: str) -> bool:
    return path == document or path.startswith(document + "/")


def score_pair(spec: PairSpec, edges: list[Edge], data: Path) -> PairScore:
    aligned, stated = expected_links(spec, data)
    score = PairScore(spec, aligned, stated)
    for edge in edges:
        if not (_within(edge.later, spec.later) and edge.later != spec.later and _within(edge.earlier, spec.earlier)):
            continue
        key = (edge.earlier, edge.later)
        if edge.kind in CONTENT_KINDS or edge.kind == "recommendation taken up":
            score.found[key] = edge
        elif edge.stated:
            score.found_stated[key] = edge
    return score


def score_all(graph: Graph, base: str, data: Path) -> list[PairScore]:
    edges = graph_edges(graph, base)
    return [score_pair(spec, edges, data) for spec in PAIRS]


def calibration_counts(scores: list[PairScore]) -> dict[str, dict[str, int]]:
    """Per evidence kind: how many of the tool's edges between hand-checked pairs were checked,
    and how many of them were right."""
    counts: dict[str, dict[str, int]] = {}
    for score in scores:
        for key, edge in score.found.items():
            entry = counts.setdefault(edge.kind, {"checked": 0, "correct": 0})
            entry["checked"] += 1
            entry["correct"] += key in score.expected
        for key, edge in score.found_stated.items():
            entry = counts.setdefault(edge.kind, {"checked": 0, "correct": 0})
            entry["checked"] += 1
            entry["correct"] += key in score.expected_stated
    return dict(sorted(counts.items()))


# -- mandate lifecycles ----------------------------------------------------------------------------

@dataclass
class LifecycleCheck:
    unit: str
    addressee: str
    expected: str
    found: str | None  # None: the graph has no such mandate
    mandate: str | None = None
    missing_next: list[str] = field(default_factory=list)  # later units the timeline should show carrying it
    missing_back: list[str] = field(default_factory=list)
    missing_reported: list[str] = field(default_factory=list)
    status_words: list[tuple[str, str]] = field(default_factory=list)  # (event word, unit) the timeline states

    @property
    def ok(self) -> bool:
        return self.found == self.expected and not (self.missing_next or self.missing_back or self.missing_reported)


def score_lifecycles(graph: Graph, lineage: object, base: str, data: Path) -> list[LifecycleCheck]:
    """Each hand-checked mandate against the graph's mandate of the same unit and addressee (and
    verb, where one paragraph asks the same actor twice) and its timeline."""
    from coopgraph.lineage.timeline import FORWARD_WORDS, mandate_timeline

    checked = tomllib.loads((data / "mandate-lifecycles.toml").read_text(encoding="utf-8"))["mandate"]
    doc = f"{base}doc/"
    results = []
    for entry in checked:
        unit = URIRef(doc + entry["unit"])
        candidates = [m for m in graph.objects(unit, CG.mandate)
                      if URIRef(f"{base}actor/{entry['addressee']}") in set(graph.objects(m, CG.mandatedActor))
                      and ("verb" not in entry or str(graph.value(m, CG.verb)).endswith("/" + entry["verb"]))]
        check = LifecycleCheck(entry["unit"], entry["addressee"], entry["status"], None)
        if len(candidates) == 1:
            timeline = mandate_timeline(lineage, str(candidates[0]))  # type: ignore[arg-type]
            check.found, check.mandate = timeline.status, str(candidates[0])
            shown = {e.unit.removeprefix(doc): e.what for e in timeline.events}
            check.missing_next = [n for n in entry.get("next", []) if shown.get(n) not in FORWARD_WORDS]
            check.missing_back = [n for n in entry.get("back", []) if shown.get(n) not in {"issued earlier", "proposed earlier"}]
            check.missing_reported = [n for n in entry.get("reported", []) if shown.get(n) != "reported on"]
            check.status_words = [(e.what, e.unit.removeprefix(doc)) for e in timeline.events if e.steps]
        results.append(check)
    return results


@dataclass
class MandatePairScore:
    """Mandate-to-mandate links between two documents: what the tool draws against the hand reading."""

    pair: tuple[str, str]
    drawn: int = 0
    true_positives: int = 0
    gold: int = 0
    found: int = 0
    false_positives: list[tuple[str, str]] = field(default_factory=list)
    missed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.drawn if self.drawn else None

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None


def _document_key(path: str) -> str:
    """The document (or annexed document) a unit path belongs to: 'ICC-ASP/14/Res.3', '<report>/annex/I'."""
    parts = path.split("/")
    for marker in ("para", "clause", "item", "preamble", "rec"):
        if marker in parts:
            return "/".join(parts[:parts.index(marker)])
    return path


def mandate_link_scores(graph: Graph, base: str, hand: list[dict]) -> dict[tuple[str, str], MandatePairScore]:
    """Per document pair: the clauses of the same addressee that the tool's mandate chains join,
    against those the hand reading joins (its `next` and `back` units that hold a clause of that
    addressee; a recital that holds no clause is not a mandate)."""
    from coopgraph.lineage.mandates import mandate_chain

    doc = f"{base}doc/"
    scores: dict[tuple[str, str], MandatePairScore] = {}

    def score(a: str, b: str) -> MandatePairScore:
        pair = tuple(sorted((_document_key(a), _document_key(b))))
        return scores.setdefault(pair, MandatePairScore(pair))  # type: ignore[arg-type]

    for entry in hand:
        unit = URIRef(doc + entry["unit"])
        actor = URIRef(f"{base}actor/{entry['addressee']}")
        candidates = [m for m in graph.objects(unit, CG.mandate) if actor in set(graph.objects(m, CG.mandatedActor))
                      and ("verb" not in entry or str(graph.value(m, CG.verb)).endswith("/" + entry["verb"]))]
        if len(candidates) != 1:
            continue
        asked = set(graph.objects(candidates[0], CG.mandatedActor))  # "States Parties and other States" asks both
        gold = {u for u in entry.get("next", []) + entry.get("back", [])
                if any(asked & set(graph.objects(m, CG.mandatedActor)) for m in graph.objects(URIRef(doc + u), CG.mandate))}
        drawn = {str(graph.value(step.mandate, CG.issuedBy)).removeprefix(doc)
                 for direction in ("up", "down") for step in mandate_chain(graph, candidates[0], direction)}  # type: ignore[arg-type]
        for other in drawn:
            s = score(entry["unit"], other)
            s.drawn += 1
            if other in gold:
                s.true_positives += 1
            else:
                s.false_positives.append((entry["unit"], other))
        for other in gold:
            s = score(entry["unit"], other)
            s.gold += 1
            if other in drawn:
                s.found += 1
            else:
                s.missed.append((entry["unit"], other))
    return scores


# -- calibration of confidence on held-out pairs -----------------------------------------------------

BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)


@dataclass(frozen=True)
class Judged:
    """One of the tool's edges on a hand-checked pair: its confidence and whether it was right."""

    kind: str
    confidence: float
    right: bool
    pair: str


def judged_edges(scores: list[PairScore], role: str | None = "held out",
                 confidence: Callable[[Edge], float] | None = None) -> list[Judged]:
    """The tool's edges on the pairs of `role` (None: all), judged against the hand data; with
    `confidence`, scored by it instead of the graph's."""
    found = []
    for score in scores:
        if role is not None and score.spec.role != role:
            continue
        for key, edge in score.found.items():
            found.append(Judged(edge.kind, confidence(edge) if confidence else edge.confidence, key in score.expected,
                                score.spec.name))
        for key, edge in score.found_stated.items():
            found.append(Judged(edge.kind, confidence(edge) if confidence else edge.confidence,
                                key in score.expected_stated, score.spec.name))
    return found


def brier(judged: list[Judged]) -> float:
    return sum((j.confidence - j.right) ** 2 for j in judged) / len(judged) if judged else 0.0


def reliability(judged: list[Judged]) -> list[tuple[str, int, float, float]]:
    """(bin, edges, mean confidence, share right) per confidence bin that holds edges."""
    rows = []
    for low, high in zip(BINS, BINS[1:], strict=False):
        inside = [j for j in judged if low <= j.confidence < high]
        if inside:
            rows.append((f"{low:.2f}-{min(high, 1.0):.2f}", len(inside), sum(j.confidence for j in inside) / len(inside),
                         sum(j.right for j in inside) / len(inside)))
    return rows


def expected_calibration_error(judged: list[Judged]) -> float:
    """Sum over bins of (share of edges) x |share right - mean confidence|."""
    return sum(n / len(judged) * abs(right - conf) for _, n, conf, right in reliability(judged)) if judged else 0.0


def wilson_upper(right: int, checked: int, z: float = 1.96) -> float:
    """The upper end of the 95% Wilson interval of a share right of `checked`: the sampling error
    allowed above a measured precision."""
    if checked == 0:
        return 1.0
    p = right / checked
    centre = p + z * z / (2 * checked)
    spread = z * math.sqrt(p * (1 - p) / checked + z * z / (4 * checked * checked))
    return (centre + spread) / (1 + z * z / checked)


def per_kind(judged: list[Judged]) -> dict[str, tuple[int, int, float, float]]:
    """Per kind: (checked, right, mean confidence claimed, Wilson upper bound of the precision)."""
    kinds: dict[str, list[Judged]] = {}
    for j in judged:
        kinds.setdefault(j.kind, []).append(j)
    return {kind: (len(js), sum(j.right for j in js), sum(j.confidence for j in js) / len(js),
                   wilson_upper(sum(j.right for j in js), len(js))) for kind, js in sorted(kinds.items())}


def subject_candidates(graph: Graph, base: str, spec: PairSpec, data: Path, floor: float = 0.1) -> list[tuple[list[float], bool]]:
    """The model's training rows for one pair: every (earlier, later) pair of its paragraphs whose
    weighted overlap reaches `floor`, with its features and whether the hand data links them."""
    from coopgraph.lineage.confidence import EvidenceReader
    from coopgraph.lineage.units import text_units

    units = text_units(graph)
    reader = EvidenceReader(graph, units)
    doc = f"{base}doc/"
    aligned, _ = expected_links(spec, data)
    earlier = [u for u in units if _within(str(u.iri).removeprefix(doc), spec.earlier) and u.text]
    later = [u for u in units if _within(str(u.iri).removeprefix(doc), spec.later) and u.text]
    rows = []
    for lu in later:
        for e in earlier:
            if reader.score(e.iri, lu.iri) < floor:
                continue
            key = (str(e.iri).removeprefix(doc), str(lu.iri).removeprefix(doc))
            rows.append((reader.evidence(e.iri, lu.iri).vector(), key in aligned))
    return rows
