"""Mandate timelines and the fate of recommendations, as far as the corpus shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import PROV

from coopgraph.lineage.calibration import chain
from coopgraph.lineage.engine import Lineage, gap_sentence
from coopgraph.lineage.mandates import mandate_chain
from coopgraph.lineage.record import SUBJECT_KINDS
from coopgraph.lineage.texts import compare, marked_diff
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
    confidence: float | None = None  # of the whole chain from the mandate's own unit to this one
    evidence: str | None = None
    basis: str | None = None  # "stated" (a text says it) or "inferred" (read from wording)
    steps: int = 0  # how many links from the mandate's own unit
    mandate: str | None = None  # the mandate of that unit the event is about (a mandate's own chain)
    date: str | None = None  # the date of the text that shows it (ISO); None where the text has none
    gap: str | None = None  # the sessions between this hop's two texts that the corpus lacks, in words
    missing: tuple[int, ...] = ()  # the same sessions, as numbers


@dataclass
class Timeline:
    subject: str
    label: str
    status: str
    explanation: str
    events: list[Event] = field(default_factory=list)


def _carried_word(relation: str, origin_issued: bool, later_issued: bool, verb_changed: bool,
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
        return "restated" if relation == "restates" else "renewed"
    if not origin_issued:
        return "proposed again"
    return "restated in a proposal" if relation == "restates" else "proposed for renewal"


ORDER = ["on the same subject earlier", "proposed earlier", "issued earlier", "issued", "proposed", "continued (recalled)", "restated",
         "restated in a proposal", "reported on", "renewed", "modified", "proposed for renewal", "proposed again",
         "takes up the subject", "takes up the subject in a proposal", "due before", "due"]
RENEWING = {"issued", "renewed", "modified", "restated"}
PROPOSING = {"proposed for renewal", "restated in a proposal", "proposed again"}
# The words that claim something happened to the mandate (not the inferred "takes up the subject").
FORWARD_WORDS = RENEWING | PROPOSING | {"continued (recalled)"}
STATUS_WORDS = FORWARD_WORDS | {"issued earlier", "proposed earlier", "reported on"}
# Where a text has no date, its events sort within their session by what the text is.
KIND_RANK = {CG.Report: 0, CG.MandateList: 1, CG.DraftResolution: 1, CG.ProposedLanguage: 1, CG.Resolution: 2}


def _trace_mandate(lineage: Lineage, mandate: URIRef, origin_issued: bool, direction: str) -> list[Event]:
    """The mandate's own chain, read from the graph's mandate links (coopgraph.lineage.mandates):
    only clauses that ask the same addressee, never through another actor's mandate."""
    graph = lineage.graph
    verb = graph.value(mandate, CG.verb)
    events = []
    for step in mandate_chain(graph, mandate, direction):
        unit = str(graph.value(step.mandate, CG.issuedBy))
        node = lineage.node(unit)
        other_issued = _issued(graph, step.mandate)
        verb_changed = graph.value(step.mandate, CG.verb) != verb
        what = _carried_word(step.link.relation, origin_issued, other_issued, verb_changed, looking_back=direction == "up")
        evidence = "; ".join([*step.link.evidence, *([step.link.words] if step.link.words else [])])
        parent = step.link.later if direction == "up" else step.link.earlier
        hop = _hop(lineage, _mandate_session(graph, parent), node.session)
        events.append(Event(what, node.session, node.year, node.iri, node.label, step.link.relation, step.confidence,
                            evidence, basis=step.link.basis, steps=step.depth, mandate=str(step.mandate), date=node.date, **hop))
    return events


def _hop(lineage: Lineage, first: int | None, last: int | None) -> dict[str, Any]:
    """The gap one hop crosses: the sessions between its two texts that the corpus lacks."""
    missing = tuple(lineage.missing_between(first, last))
    return {"missing": missing, "gap": gap_sentence(list(missing)) if missing else None}


def _mandate_session(graph: Any, mandate: Any) -> int | None:
    number = graph.value(graph.value(mandate, CG.issuedAt), CG.sessionNumber)
    return int(number) if number is not None else None


def _subject_notes(lineage: Lineage, mandate: URIRef, origin_issued: bool, direction: str) -> list[Event]:
    """Paragraphs linked to the mandate's own by a shared subject, that ask one of its addressees
    but not the same thing (no mandate link joins them): shown once, as inferred, never as a renewal."""
    graph = lineage.graph
    unit = str(graph.value(mandate, CG.issuedBy))
    actors = set(graph.objects(mandate, CG.mandatedActor))
    linked = {str(graph.value(s.mandate, CG.issuedBy)) for s in mandate_chain(graph, mandate, direction)}
    events = []
    for edge in lineage.edges(unit, direction):
        if edge.kind not in SUBJECT_KINDS:
            continue
        other = edge.earlier if direction == "up" else edge.later
        asking = [m for m in graph.objects(URIRef(other), CG.mandate) if actors & set(graph.objects(m, CG.mandatedActor))]
        if other in linked or not asking:
            continue
        node = lineage.node(other)
        other_issued = any(_issued(graph, m) for m in asking)
        what = "on the same subject earlier" if direction == "up" else (
            "takes up the subject" if other_issued else "takes up the subject in a proposal")
        events.append(Event(what, node.session, node.year, node.iri, node.label, edge.type, edge.confidence, edge.words,
                            basis="inferred", steps=1, date=node.date,
                            **_hop(lineage, _mandate_session(graph, mandate), node.session)))
    return events


def _reports(lineage: Lineage, mandate: URIRef) -> list[Event]:
    """The texts that report on the mandate, as the build found them: stated ("submitted pursuant
    to paragraph 28 of ...") or inferred from a report's section on its subject."""
    graph = lineage.graph
    events = []
    for node_iri in sorted(graph.objects(mandate, CG.qualifiedReport)):
        unit = graph.value(node_iri, PROV.entity)
        node = lineage.node(str(unit))
        inferred = graph.value(node_iri, CG.isInferred) != Literal(False)
        events.append(Event("reported on", node.session, node.year, node.iri, node.label, "reportedBy", None,
                            str(graph.value(node_iri, CG.evidenceText) or ""), basis="inferred" if inferred else "stated",
                            steps=1, date=node.date, **_hop(lineage, _mandate_session(graph, mandate), node.session)))
    return events


def _issued(graph: Any, mandate: Any) -> bool:
    return graph.value(mandate, CG.mandateStatus) == CG.IssuedMandate


def _kind_rank(lineage: Lineage, event: Event) -> int:
    document = lineage.node(event.unit).document
    if document is None:
        return 3
    kinds = set(lineage.graph.objects(URIRef(document), RDF.type))
    return min((rank for kind, rank in KIND_RANK.items() if kind in kinds), default=3)


def mandate_timeline(lineage: Lineage, mandate: str) -> Timeline:
    """Earlier versions, issued or proposed, then renewed, modified, proposed for renewal, reported
    on and due, and the status that follows. Computed per mandate clause, along the graph's
    mandate links: another clause carries the mandate only when it asks the same addressee; it
    renews it only when an adopted resolution states it."""
    graph = lineage.graph
    ref = URIRef(mandate)
    unit = str(graph.value(ref, CG.issuedBy))
    origin_issued = _issued(graph, ref)
    issuing = lineage.node(unit)
    events = [Event("issued" if origin_issued else "proposed", issuing.session, issuing.year, unit, issuing.label,
                    basis="stated", mandate=mandate, date=issuing.date)]
    for deadline in sorted(graph.objects(ref, CG.deadline), key=str):
        due = graph.value(deadline, CG.dueAt)
        number = graph.value(due, CG.sessionNumber)
        relations = set(graph.objects(deadline, CG.dueRelation))
        words = str(graph.value(deadline, CG.dueText) or "")
        if recipient := graph.value(deadline, CG.recipientText):
            words = f"{recipient} … {words}" if str(recipient).startswith("to ") else f"{words} {recipient}"
        inferred = graph.value(deadline, CG.isInferred) == Literal(True)
        if inferred:
            words += " (the session is counted from the issuing one, not printed)"
        if CG.DueRecurring in relations:
            words += f" ({graph.value(ref, CG.recurrence) or 'recurring'})"
        events.append(Event("due before" if CG.DueBefore in relations else "due", int(number) if number is not None else None,
                            None, str(due), str(graph.value(due, RDFS.label) or due), evidence=words,
                            basis="inferred" if inferred else "stated"))
    for direction in ("up", "down"):
        events += _trace_mandate(lineage, ref, origin_issued, direction)
        events += _subject_notes(lineage, ref, origin_issued, direction)
    events += _recalled(lineage, ref, set(graph.objects(ref, CG.mandatedActor)))
    events += _reports(lineage, ref)
    reported = any(e.what == "reported on" for e in events)
    carried_by_adopted = any(e.what in RENEWING or e.what == "continued (recalled)" for e in events if e.steps)
    carried_by_proposal = any(e.what in PROPOSING for e in events if e.steps)
    status, why = _status(lineage, issuing, origin_issued, carried_by_adopted, carried_by_proposal, reported)
    if not origin_issued and (adopted := graph.value(ref, CG.takenUpBy)) is not None:
        status = "taken up by an adopted resolution"
        adopted_unit = lineage.node(str(graph.value(adopted, CG.issuedBy)))
        before, after = str(graph.value(ref, CG.action) or ""), str(graph.value(adopted, CG.action) or "")
        change = "in the same words" if compare(before, after).verbatim else f"reworded: {marked_diff(before, after, context=1_000_000)}"
        why = f"{adopted_unit.label} states it, {change}; the proposal itself issues nothing"

    def order(event: Event) -> tuple[int, str, int, int, int, int]:
        """By session; within one, by the date of the text that shows the event (a report of 10
        November before a resolution of 24 November), a text without a date by its kind; then
        earlier versions, the mandate's own clause, later ones."""
        rank = -1 if event.what.endswith("earlier") else (0 if event.steps == 0 and event.unit == unit else 1)
        kind = _kind_rank(lineage, event) if event.what not in {"due", "due before"} else 9
        return (event.session if event.session is not None else 99, event.date or "9999", kind, rank, event.steps,
                ORDER.index(event.what) if event.what in ORDER else 99)

    events.sort(key=order)
    label = str(graph.value(ref, RDFS.label) or mandate)
    return Timeline(mandate, label, status, why, events)


def _recalled(lineage: Lineage, mandate: URIRef, actors: set[Any]) -> list[Event]:
    """The later preambles that recall a session asking the same actor the same thing, as the build
    found them (cg:recallsMandate, coopgraph.lineage.mandates.add_recalls)."""
    graph = lineage.graph
    origin = lineage.node(str(graph.value(mandate, CG.issuedBy)))
    events = []
    for node_iri in sorted(graph.subjects(PROV.entity, mandate)):
        if (node_iri, RDF.type, CG.MandateRecall) not in graph:
            continue
        unit = graph.value(predicate=CG.qualifiedRecall, object=node_iri)
        recalled = graph.value(graph.value(node_iri, CG.recalledSession), CG.sessionNumber)
        node = lineage.node(str(unit))
        events.append(Event("continued (recalled)", int(recalled) if recalled is not None else node.session, None, node.iri,
                            node.label, None, None, f"{node.label} {graph.value(node_iri, CG.evidenceText)}",
                            basis="inferred", steps=1, date=node.date, **_hop(lineage, origin.session, node.session)))
    return events


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


def timelines_for(lineage: Lineage, iri: str) -> list[Timeline] | None:
    """What a timeline of this node is: a recommendation's fate, a mandate's timeline, or the
    timelines of the mandates a paragraph issues; None for a node that is none of these."""
    graph, ref = lineage.graph, URIRef(iri)
    if (ref, RDF.type, CG.Recommendation) in graph:
        return [recommendation_fate(lineage, iri)]
    if (ref, RDF.type, CG.Mandate) in graph:
        return [mandate_timeline(lineage, iri)]
    mandates = sorted(str(m) for m in graph.objects(ref, CG.mandate))
    return [mandate_timeline(lineage, m) for m in mandates] or None
