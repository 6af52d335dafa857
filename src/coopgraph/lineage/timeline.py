"""Mandate timelines and the fate of recommendations, as far as the corpus shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from coopgraph.lineage.engine import TEXT_TYPES, Lineage
from coopgraph.lineage.units import RESOLUTION_LIKE, document_of, session_number
from coopgraph.terms import CG, RDF, RDFS


@dataclass
class Event:
    """One thing that happened to a mandate or recommendation, with the unit that shows it."""

    what: str  # issued, due, renewed, restated, reported on, taken up, named
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


def mandate_timeline(lineage: Lineage, mandate: str) -> Timeline:
    """Issued, renewed, restated, reported on and due, and the status that follows."""
    graph = lineage.graph
    ref = URIRef(mandate)
    unit = str(graph.value(ref, CG.issuedBy))
    verb = graph.value(ref, CG.verb)
    actors = set(graph.objects(ref, CG.mandatedActor))
    issuing = lineage.node(unit)
    events = [Event("issued", issuing.session, issuing.year, unit, issuing.label)]
    for due in graph.objects(ref, CG.dueAt):
        number = graph.value(due, CG.sessionNumber)
        events.append(Event("due", int(number) if number is not None else None, None, str(due),
                            str(graph.value(due, RDFS.label) or due), evidence=str(graph.value(ref, CG.dueText) or "")))
    renewed = False
    for step in lineage.trace(unit, "down", types=TEXT_TYPES).steps:
        carried = [m for m in graph.objects(URIRef(step.node.iri), CG.mandate)
                   if graph.value(m, CG.verb) == verb or actors & set(graph.objects(m, CG.mandatedActor))]
        if not carried:
            continue
        what = "restated" if step.edge.type == "restates" else "renewed"
        renewed = renewed or what == "renewed"
        events.append(Event(what, step.node.session, step.node.year, step.node.iri, step.node.label,
                            step.edge.type, step.edge.confidence, step.edge.diff or step.edge.evidence[0]))
    reported = False
    for edge in lineage.edges(unit, "down", frozenset({"reportsOn"})):
        node = lineage.node(edge.later)
        reported = True
        events.append(Event("reported on", node.session, node.year, node.iri, node.label, edge.type, edge.confidence,
                            edge.evidence[0]))
    later_resolutions = _later_resolutions(lineage, issuing.session)
    if renewed:
        status, why = "renewed", "a later resolution or draft carries the paragraph that issues it"
    elif later_resolutions:
        status = "dropped"
        next_session, next_label = later_resolutions[0]
        gap = (f"; the resolutions of sessions {issuing.session + 1}-{next_session - 1} are not in the corpus"
               if issuing.session is not None and next_session > issuing.session + 1 else "")
        why = (f"no paragraph of the next resolution in the corpus ({next_label}) carries it{gap}"
               + (", though a report reports on it" if reported else ""))
    elif reported:
        status, why = "reported on", "a report paragraph reports on it; no later resolution is in the corpus"
    else:
        status, why = "open", "no later resolution in the corpus says what became of it"
    events.sort(key=lambda e: (e.session if e.session is not None else 99, ["issued", "restated", "reported on",
                                                                              "renewed", "due"].index(e.what)))
    label = str(graph.value(ref, RDFS.label) or mandate)
    return Timeline(mandate, label, status, why, events)


def _later_resolutions(lineage: Lineage, session: int | None) -> list[tuple[int, str]]:
    """Resolutions and draft resolutions of the corpus after `session`, nearest first."""
    if session is None:
        return []
    found = set()
    for kind in RESOLUTION_LIKE - {CG.MandateList}:
        for document in lineage.graph.subjects(RDF.type, kind):
            if (document, RDF.type, CG.CorpusDocument) not in lineage.graph:
                continue
            number = session_number(lineage.graph, document)  # type: ignore[arg-type]
            if number is not None and number > session:
                found.add((number, str(lineage.graph.value(document, RDFS.label) or document)))
    return sorted(found)


def recommendation_fate(lineage: Lineage, recommendation: str) -> Timeline:
    """The later units and sessions that take a recommendation up, one by one or as a set."""
    graph = lineage.graph
    node = lineage.node(recommendation)
    events = [Event("issued", node.session, node.year, recommendation, node.label)]
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
