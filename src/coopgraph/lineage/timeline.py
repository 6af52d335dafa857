"""Mandate timelines and the fate of recommendations, as far as the corpus shows."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef

from coopgraph.lineage.calibration import chain
from coopgraph.lineage.continuity import SUBJECT_SIMILARITY, Rarity
from coopgraph.lineage.engine import TEXT_TYPES, Edge, Lineage
from coopgraph.lineage.record import SUBJECT_KINDS
from coopgraph.lineage.units import RESOLUTION_LIKE, document_of, session_number, text_units
from coopgraph.ordinals import number_of
from coopgraph.terms import CG, RDF, RDFS


@dataclass
class Event:
    """One thing that happened to a mandate or recommendation, with the unit that shows it."""

    what: str  # one of ORDER (mandates), or taken up / a derivation type / named (recommendations)
    session: int | None
    year: int | None
    unit: str
    label: str
    edge_type: str | None = None
    confidence: float | None = None  # of the whole chain from the mandate's own unit to this one
    evidence: str | None = None
    basis: str | None = None  # "stated" (a text says it) or "inferred" (read from wording)
    steps: int = 0  # how many links from the mandate's own unit


@dataclass
class Timeline:
    subject: str
    label: str
    status: str
    explanation: str
    events: list[Event] = field(default_factory=list)


def _issued(graph: Any, mandate: Any) -> bool:
    return graph.value(mandate, CG.mandateStatus) == CG.IssuedMandate


# Words with which a later clause says that it carries a mandate on ("maintain a facilitation").
CONTINUES = re.compile(r"\b(maintain|continu|renew|remain|updated)\w*", re.IGNORECASE)
MANDATE_EDGE_TYPES = TEXT_TYPES | {"buildsOn"}


def _carries_mandate(edge: Edge) -> bool:
    """An edge along which a mandate can travel: shared text, or a shared subject across sessions."""
    return edge.type in TEXT_TYPES or edge.kind in SUBJECT_KINDS


def _carried_word(edge: Edge, origin_issued: bool, later_issued: bool, verb_changed: bool,
                  looking_back: bool = False) -> str:
    """What another clause asking the same actor does to the mandate, in words a lawyer can rely
    on: only an adopted text renews, issues or modifies; a draft or a proposal only proposes."""
    if looking_back:
        return "issued earlier" if later_issued else "proposed earlier"
    if later_issued:
        if not origin_issued:
            return "issued"
        if verb_changed:
            return "modified"
        return "restated" if edge.type == "restates" else "renewed"
    if not origin_issued:
        return "proposed again"
    return "restated in a proposal" if edge.type == "restates" else "proposed for renewal"


ORDER = ["on the same subject earlier", "proposed earlier", "issued earlier", "issued", "proposed", "continued (recalled)", "restated",
         "restated in a proposal", "reported on", "renewed", "modified", "proposed for renewal", "proposed again",
         "takes up the subject", "takes up the subject in a proposal", "due before", "due"]
RENEWING = {"issued", "renewed", "modified", "restated"}
PROPOSING = {"proposed for renewal", "restated in a proposal", "proposed again"}
# The words that claim something happened to the mandate (not the inferred "takes up the subject").
FORWARD_WORDS = RENEWING | PROPOSING | {"continued (recalled)"}
STATUS_WORDS = FORWARD_WORDS | {"issued earlier", "proposed earlier", "reported on"}


def _paired(graph: Any, mandate: URIRef, unit: str, actors: set[Any]) -> list[Any]:
    """The mandates of `unit` that are this mandate: one of the same actors, and, where either
    paragraph asks that actor more than once, the pair whose actions match best both ways."""
    def asking(paragraph: Any) -> list[Any]:
        return [m for m in graph.objects(paragraph, CG.mandate) if actors & set(graph.objects(m, CG.mandatedActor))]

    same, mine = asking(URIRef(unit)), asking(graph.value(mandate, CG.issuedBy))
    if not same or (len(same) == 1 and len(mine) <= 1):
        return same
    rarity = _rarity(graph)

    def similarity(a: Any, b: Any) -> float:
        return rarity.subject_similarity(str(graph.value(a, CG.action) or ""), str(graph.value(b, CG.action) or ""))[0]

    best = max(same, key=lambda c: (similarity(mandate, c), str(c)))
    return [best] if max(mine, key=lambda m: (similarity(m, best), str(m))) == mandate else []


def _trace_mandate(lineage: Lineage, mandate: URIRef, unit: str, actors: set[Any], origin_issued: bool,
                   direction: str) -> list[Event]:
    """Breadth-first along edges that can carry a mandate, as far as the same mandate goes: shared
    text, or a shared subject where the later clause says that it continues ("maintain") or asks
    what the earlier one asked (their actions share a subject as continued paragraphs do). A shared
    subject without either is shown once, as inferred, and the walk stops there."""
    graph = lineage.graph
    verb = graph.value(mandate, CG.verb)
    rarity = _rarity(graph)
    events, seen = [], {unit}
    queue = deque([(unit, 0, 1.0, [mandate])])
    while queue:
        current, depth, above, here = queue.popleft()
        for edge in lineage.edges(current, direction, MANDATE_EDGE_TYPES):
            if not _carries_mandate(edge):
                continue
            other = edge.earlier if direction == "up" else edge.later
            if other in seen:
                continue
            seen.add(other)
            same = _paired(graph, mandate, other, actors)
            if not same:
                continue
            node = lineage.node(other)
            later, earlier = (same, here) if direction == "down" else (here, same)
            words = sorted({w.group(0).lower() for m in later for w in CONTINUES.finditer(str(graph.value(m, CG.action) or ""))})
            asks_the_same = max(rarity.subject_similarity(str(graph.value(a, CG.action) or ""), str(graph.value(b, CG.action) or ""))[0]
                                for a in earlier for b in later) >= SUBJECT_SIMILARITY
            other_issued = any(_issued(graph, m) for m in same)
            confidence = chain([above, edge.confidence])
            evidence = edge.words
            if edge.type not in TEXT_TYPES and not words and not asks_the_same:
                what = "on the same subject earlier" if direction == "up" else (
                    "takes up the subject" if other_issued else "takes up the subject in a proposal")
                events.append(Event(what, node.session, node.year, node.iri, node.label, edge.type, confidence, evidence,
                                    basis="inferred", steps=depth + 1))
                continue
            if edge.type not in TEXT_TYPES:
                why = f"the later clause says it continues ({', '.join(words)})" if words else "the two clauses ask the same"
                evidence = f"{why}; {evidence}"
            verb_changed = not any(graph.value(m, CG.verb) == verb for m in same)
            what = _carried_word(edge, origin_issued, other_issued, verb_changed, looking_back=direction == "up")
            events.append(Event(what, node.session, node.year, node.iri, node.label, edge.type, confidence, evidence,
                                basis="inferred", steps=depth + 1))
            queue.append((other, depth + 1, confidence, same))
    return events


def mandate_timeline(lineage: Lineage, mandate: str) -> Timeline:
    """Earlier versions, issued or proposed, then renewed, modified, proposed for renewal, reported
    on and due, and the status that follows. Computed per mandate clause: another clause carries
    the mandate only when it asks one of the same actors; it renews it only when an adopted
    resolution states it, in the same words or saying that it continues ("maintain")."""
    graph = lineage.graph
    ref = URIRef(mandate)
    unit = str(graph.value(ref, CG.issuedBy))
    actors = set(graph.objects(ref, CG.mandatedActor))
    origin_issued = _issued(graph, ref)
    issuing = lineage.node(unit)
    events = [Event("issued" if origin_issued else "proposed", issuing.session, issuing.year, unit, issuing.label,
                    basis="stated")]
    for deadline in sorted(graph.objects(ref, CG.deadline), key=str):
        due = graph.value(deadline, CG.dueAt)
        number = graph.value(due, CG.sessionNumber)
        relations = set(graph.objects(deadline, CG.dueRelation))
        words = str(graph.value(deadline, CG.dueText) or "")
        inferred = graph.value(deadline, CG.isInferred) == Literal(True)
        if inferred:
            words += " (the session is counted from the issuing one, not printed)"
        if CG.DueRecurring in relations:
            words += f" ({graph.value(ref, CG.recurrence) or 'recurring'})"
        events.append(Event("due before" if CG.DueBefore in relations else "due", int(number) if number is not None else None,
                            None, str(due), str(graph.value(due, RDFS.label) or due), evidence=words,
                            basis="inferred" if inferred else "stated"))
    for direction in ("up", "down"):
        events += _trace_mandate(lineage, ref, unit, actors, origin_issued, direction)
    events += _recalled(lineage, ref, actors)
    reported = False
    for edge in lineage.edges(unit, "down", frozenset({"reportsOn"})):
        node = lineage.node(edge.later)
        reported = True
        events.append(Event("reported on", node.session, node.year, node.iri, node.label, edge.type, edge.confidence,
                            edge.evidence[0], basis=edge.basis, steps=1))
    carried_by_adopted = any(e.what in RENEWING or e.what == "continued (recalled)" for e in events if e.steps)
    carried_by_proposal = any(e.what in PROPOSING for e in events if e.steps)
    status, why = _status(lineage, issuing, origin_issued, carried_by_adopted, carried_by_proposal, reported)
    def order(event: Event) -> tuple[int, int, int]:  # by session; within one, earlier texts, the mandate's own, later ones
        rank = -1 if event.what.endswith("earlier") else (0 if event.steps == 0 and event.unit == unit else 1)
        return (event.session if event.session is not None else 99, rank, ORDER.index(event.what) if event.what in ORDER else 99)

    events.sort(key=order)
    label = str(graph.value(ref, RDFS.label) or mandate)
    return Timeline(mandate, label, status, why, events)


def _continuation_words(graph: Any, mandates: list[Any]) -> set[str]:
    return {match.group(0) for m in mandates for match in CONTINUES.finditer(str(graph.value(m, CG.action) or ""))}


# "Recalling that at its seventh session the Assembly encouraged the Bureau to continue ..."
_RECALLED = re.compile(r"\bRecalling that at its (?P<session>\w+) session the Assembly (?P<verb>encouraged|requested|invited|"
                       r"urged|called upon|decided)\b(?P<what>[^;]*)", re.IGNORECASE)


def _recalled(lineage: Lineage, mandate: URIRef, actors: set[Any]) -> list[Event]:
    """A later adopted resolution's preamble that recalls a session asking the same actor the same
    thing: the texts state that the mandate was carried on at that session."""
    graph = lineage.graph
    action = str(graph.value(mandate, CG.action) or "")
    origin = lineage.node(str(graph.value(mandate, CG.issuedBy)))
    labels = {str(a).rsplit("/", 1)[-1].replace("-", " ") for a in actors}  # the actor's name as a slug: "bureau"
    events = []
    for unit in graph.subjects(RDF.type, CG.PreambularParagraph):
        match = _RECALLED.search(str(graph.value(unit, CG.text) or ""))
        document = document_of(graph, unit)  # type: ignore[arg-type]
        if match is None or document is None or (document, CG.legalStatus, CG.AdoptedResolutionStatus) not in graph:
            continue
        session = number_of(match.group("session"))
        what = match.group("what")
        if session is None or origin.session is None or session <= origin.session:
            continue
        if not any(label and label in what.lower() for label in labels):
            continue
        score = _rarity(graph).subject_similarity(action, what)[0]
        if score < SUBJECT_SIMILARITY:
            continue
        node = lineage.node(str(unit))
        events.append(Event("continued (recalled)", session, None, node.iri, node.label, None, None,
                            f"{node.label} recalls: “{match.group(0).strip()}” (shared subject {score:.2f} with the mandate)",
                            basis="stated", steps=1))
    return events


_RARITY: dict[int, Any] = {}


def _rarity(graph: Any) -> Any:
    """Word rarity over the graph's units, computed once per graph."""
    key = id(graph)
    if key not in _RARITY:
        _RARITY.clear()
        _RARITY[key] = Rarity(text_units(graph))
    return _RARITY[key]


def _status(lineage: Lineage, issuing: Any, origin_issued: bool, carried_by_adopted: bool, carried_by_proposal: bool,
            reported: bool) -> tuple[str, str]:
    """The mandate's status and why, claiming no more than the texts of the corpus establish."""
    also = ", and a report reports on it" if reported else ""
    if not origin_issued:
        if carried_by_adopted:
            return "taken up by an adopted resolution", ("an adopted resolution asks the same actor again, or recalls "
                                                         "that a session did; the proposal itself issues nothing" + also)
        return "proposed", ("it is stated in a text that is not an adopted resolution (a draft, proposed language or a "
                            "report), and no adopted resolution of the corpus states it" + also)
    if carried_by_adopted:
        return "renewed", "a later adopted resolution asks the same actor again" + also
    later = _later_resolutions(lineage, issuing.session)
    if later:
        next_session, next_label = later[0]
        if issuing.session is not None and next_session > issuing.session + 1:
            return "unknown across a gap", (
                f"the next adopted resolution in the corpus ({next_label}) does not ask the same actor, but the "
                f"resolutions of sessions {issuing.session + 1}-{next_session - 1} are not in the corpus, so whether it "
                "was continued in between is not known" + also)
        return "not continued", f"the next adopted resolution ({next_label}) does not ask the same actor again" + also
    drafts = _later_resolutions(lineage, issuing.session, adopted=False)
    if carried_by_proposal:
        return "proposed for renewal", ("a later draft or proposal asks the same actor again; no later adopted "
                                        "resolution is in the corpus" + also)
    if drafts:
        return "not proposed for renewal", (f"the draft of a later session ({drafts[0][1]}) does not ask the same actor "
                                            "again; it is a proposal, and no later adopted resolution is in the corpus"
                                            + also)
    if reported:
        return "reported on", "a report paragraph reports on it; no later resolution is in the corpus"
    return "open", "no later text of the corpus says what became of it"


def _later_resolutions(lineage: Lineage, session: int | None, adopted: bool = True) -> list[tuple[int, str]]:
    """Adopted resolutions (or, with adopted=False, drafts and proposals) of the corpus after
    `session`, nearest first."""
    if session is None:
        return []
    found = set()
    for kind in RESOLUTION_LIKE:
        for document in lineage.graph.subjects(RDF.type, kind):
            if (document, RDF.type, CG.CorpusDocument) not in lineage.graph:
                continue
            is_adopted = (document, CG.legalStatus, CG.AdoptedResolutionStatus) in lineage.graph
            if is_adopted != adopted:
                continue
            number = session_number(lineage.graph, document)  # type: ignore[arg-type]
            if number is not None and number > session:
                found.add((number, str(lineage.graph.value(document, RDFS.label) or document)))
    return sorted(found)


def recommendation_fate(lineage: Lineage, recommendation: str) -> Timeline:
    """The later units and sessions that take a recommendation up, one by one or as a set."""
    graph = lineage.graph
    node = lineage.node(recommendation)
    events = [Event("recommended", node.session, node.year, recommendation, node.label)]  # by a report: it issues nothing
    chained = {recommendation: 1.0}
    for step in lineage.trace(recommendation, "down").steps:
        what = "taken up" if step.edge.type == "buildsOn" else step.edge.type
        chained[step.node.iri] = chain([chained.get(step.edge.earlier, 1.0), step.edge.confidence])
        events.append(Event(what, step.node.session, step.node.year, step.node.iri, step.node.label, step.edge.type,
                            chained[step.node.iri], step.edge.evidence[0], basis=step.edge.basis, steps=step.depth))
    document = document_of(graph, URIRef(recommendation))
    named = lineage.edges(str(document), "down", frozenset({"citesUnit"})) if document is not None else []
    for edge in named:
        if "named set" not in edge.method:
            continue
        later = lineage.node(edge.later)
        events.append(Event("named with all the recommendations", later.session, later.year, later.iri, later.label,
                            edge.type, edge.confidence, edge.evidence[0], basis=edge.basis, steps=1))
    own = [e for e in events[1:] if e.what != "named with all the recommendations"]
    if own:
        status, why = "taken up", f"{len(own)} later unit(s) take it up by itself"
    elif len(events) > 1:
        status, why = "reviewed as a set", "later texts name all the recommendations together, not this one by itself"
    else:
        status, why = "no trace", "no later text of the corpus takes it up"
    events.sort(key=lambda e: (e.session if e.session is not None else 99, e.label))
    return Timeline(recommendation, node.label, status, why, events)
