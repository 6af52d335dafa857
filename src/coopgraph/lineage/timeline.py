"""Mandate timelines and the fate of recommendations, as far as the corpus shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef

from coopgraph.lineage.engine import TEXT_TYPES, Lineage
from coopgraph.lineage.units import RESOLUTION_LIKE, document_of, session_number
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
    confidence: float | None = None
    evidence: str | None = None


@dataclass
class Timeline:
    subject: str
    label: str
    status: str
    explanation: str
    events: list[Event] = field(default_factory=list)


def _session_of_node(lineage: Lineage, iri: str) -> int | None:
    return lineage.node(iri).session


def _issued(graph: Any, mandate: Any) -> bool:
    return graph.value(mandate, CG.mandateStatus) == CG.IssuedMandate


def _carried_word(edge_type: str, origin_issued: bool, later_issued: bool, verb_changed: bool) -> str:
    """What a later clause asking the same actor does to the mandate, in words a lawyer can rely
    on: only an adopted text renews, issues or modifies; a draft or a proposal only proposes."""
    if later_issued:
        if not origin_issued:
            return "issued"
        if verb_changed:
            return "modified"
        return "restated" if edge_type == "restates" else "renewed"
    if not origin_issued:
        return "proposed again"
    return "restated in a proposal" if edge_type == "restates" else "proposed for renewal"


ORDER = ["issued", "proposed", "restated", "restated in a proposal", "reported on", "renewed", "modified",
         "proposed for renewal", "proposed again", "due before", "due"]


def mandate_timeline(lineage: Lineage, mandate: str) -> Timeline:
    """Issued or proposed, then renewed, modified, proposed for renewal, reported on and due, and
    the status that follows. Computed per mandate clause: a later clause carries the mandate only
    when it asks one of the same actors; it renews it only when an adopted resolution states it."""
    graph = lineage.graph
    ref = URIRef(mandate)
    unit = str(graph.value(ref, CG.issuedBy))
    verb = graph.value(ref, CG.verb)
    actors = set(graph.objects(ref, CG.mandatedActor))
    origin_issued = _issued(graph, ref)
    issuing = lineage.node(unit)
    events = [Event("issued" if origin_issued else "proposed", issuing.session, issuing.year, unit, issuing.label)]
    for deadline in sorted(graph.objects(ref, CG.deadline), key=str):
        due = graph.value(deadline, CG.dueAt)
        number = graph.value(due, CG.sessionNumber)
        relations = set(graph.objects(deadline, CG.dueRelation))
        words = str(graph.value(deadline, CG.dueText) or "")
        if graph.value(deadline, CG.isInferred) == Literal(True):
            words += " (the session is counted from the issuing one, not printed)"
        if CG.DueRecurring in relations:
            words += f" ({graph.value(ref, CG.recurrence) or 'recurring'})"
        events.append(Event("due before" if CG.DueBefore in relations else "due", int(number) if number is not None else None,
                            None, str(due), str(graph.value(due, RDFS.label) or due), evidence=words))
    carried_by_adopted = carried_by_proposal = False
    for step in lineage.trace(unit, "down", types=TEXT_TYPES).steps:
        same_actor = [m for m in graph.objects(URIRef(step.node.iri), CG.mandate)
                      if actors & set(graph.objects(m, CG.mandatedActor))]
        if not same_actor:
            continue
        later_issued = any(_issued(graph, m) for m in same_actor)
        verb_changed = not any(graph.value(m, CG.verb) == verb for m in same_actor)
        what = _carried_word(step.edge.type, origin_issued, later_issued, verb_changed)
        carried_by_adopted = carried_by_adopted or later_issued
        carried_by_proposal = carried_by_proposal or not later_issued
        events.append(Event(what, step.node.session, step.node.year, step.node.iri, step.node.label,
                            step.edge.type, step.edge.confidence, step.edge.diff or step.edge.evidence[0]))
    reported = False
    for edge in lineage.edges(unit, "down", frozenset({"reportsOn"})):
        node = lineage.node(edge.later)
        reported = True
        events.append(Event("reported on", node.session, node.year, node.iri, node.label, edge.type, edge.confidence,
                            edge.evidence[0]))
    status, why = _status(lineage, issuing, origin_issued, carried_by_adopted, carried_by_proposal, reported)
    events.sort(key=lambda e: (e.session if e.session is not None else 99, ORDER.index(e.what)))
    label = str(graph.value(ref, RDFS.label) or mandate)
    return Timeline(mandate, label, status, why, events)


def _status(lineage: Lineage, issuing: Any, origin_issued: bool, carried_by_adopted: bool, carried_by_proposal: bool,
            reported: bool) -> tuple[str, str]:
    """The mandate's status and why, claiming no more than the texts of the corpus establish."""
    also = ", and a report reports on it" if reported else ""
    if not origin_issued:
        if carried_by_adopted:
            return "issued", "an adopted resolution of the corpus states the proposed mandate" + also
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
    for step in lineage.trace(recommendation, "down").steps:
        what = "taken up" if step.edge.type == "buildsOn" else step.edge.type
        events.append(Event(what, step.node.session, step.node.year, step.node.iri, step.node.label, step.edge.type,
                            step.edge.confidence, step.edge.evidence[0]))
    document = document_of(graph, URIRef(recommendation))
    named = lineage.edges(str(document), "down", frozenset({"citesUnit"})) if document is not None else []
    for edge in named:
        if "named set" not in edge.method:
            continue
        later = lineage.node(edge.later)
        events.append(Event("named with all the recommendations", later.session, later.year, later.iri, later.label,
                            edge.type, edge.confidence, edge.evidence[0]))
    own = [e for e in events[1:] if e.what != "named with all the recommendations"]
    if own:
        status, why = "taken up", f"{len(own)} later unit(s) take it up by itself"
    elif len(events) > 1:
        status, why = "reviewed as a set", "later texts name all the recommendations together, not this one by itself"
    else:
        status, why = "no trace", "no later text of the corpus takes it up"
    events.sort(key=lambda e: (e.session if e.session is not None else 99, e.label))
    return Timeline(recommendation, node.label, status, why, events)
