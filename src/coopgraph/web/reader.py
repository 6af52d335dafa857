"""The read model of the pages: what a page shows of the graph, read once here and returned as
plain records (a text's facts, how it is cited, where its words stand, its date and order), so
the routes keep only HTTP and the templates only layout."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from rdflib import Graph, URIRef

from coopgraph.akn.export import akn_offered
from coopgraph.graph.iris import Iris
from coopgraph.lineage.calibration import chain
from coopgraph.lineage.mandates import clause_chains
from coopgraph.lineage.timeline import Timeline, mandate_timeline, recommendation_fate
from coopgraph.terms import CG, DCTERMS, ELI, RDF, RDFS, SKOS
from coopgraph.web.mandate_chart import Mark, Row, legend_items, mandate_chart_svg

if TYPE_CHECKING:
    from coopgraph.web.service import Service


def citation_form(graph: Graph, iri: URIRef, label: str, base: str) -> str | None:
    """A unit or document as it is usually cited: its pinpoint label, then the text's title, the
    session and the date the text gives ("ICC-ASP/14/Res.3, para. 27 (Resolution on cooperation,
    Assembly of States Parties, fourteenth session, 26 November 2015)"). None outside the corpus."""
    if not Iris(base).in_space(iri, "doc"):  # the graph's own base, whatever it is (--base)
        return None
    document = iri
    for parent in graph.transitive_objects(iri, ELI.is_part_of):
        if (parent, RDF.type, CG.CorpusDocument) in graph:
            document = parent
    if (document, RDF.type, CG.CorpusDocument) not in graph:
        return None
    details = [str(t) for t in (graph.value(document, DCTERMS.title),) if t is not None and str(t) not in label]
    session = graph.value(document, CG.session)
    if session is not None and graph.value(session, RDFS.label) is not None:
        details.append(str(graph.value(session, RDFS.label)))
    date = graph.value(document, DCTERMS.date)
    if date is not None:
        details.append(datetime.date.fromisoformat(str(date)).strftime("%-d %B %Y"))
    return f"{label} ({', '.join(details)})" if details else label


def document_facts(graph: Graph, iri: URIRef, label: Any) -> list[tuple[str, str]]:
    """A text's own facts, as its first lines state them: what it is, when and how it was adopted."""
    if (iri, RDF.type, CG.CorpusDocument) not in graph:
        return []
    facts = []
    for name, predicate in (("title", DCTERMS.title), ("symbol", DCTERMS.identifier), ("session", CG.session),
                            ("date", DCTERMS.date), ("adopted", CG.adoptedAtMeeting), ("adoption", CG.adoptionMethod),
                            ("legal status", CG.legalStatus)):
        value = graph.value(iri, predicate)
        if value is None:
            continue
        if isinstance(value, URIRef):
            text = str(graph.value(value, SKOS.prefLabel) or label(value))
        elif predicate == DCTERMS.date:
            text = datetime.date.fromisoformat(str(value)).strftime("%-d %B %Y")
        else:
            text = str(value)
        facts.append((name, text))
    return facts


def source_link(graph: Graph, iri: URIRef, base: str) -> dict[str, str] | None:
    """Where a unit's words stand in its source file: the file's page with those lines marked."""
    source, first, last = graph.value(iri, CG.sourceFile), graph.value(iri, CG.firstLine), graph.value(iri, CG.lastLine)
    if source is None or first is None:
        return None
    span = f"{first}-{last}" if last is not None and str(last) != str(first) else str(first)
    text = str(source)
    path = "/" + Iris(base).relative(text) if text.startswith(base) else text  # this server's path for the graph's own IRI
    return {"href": f"{path}?lines={span}#L{first}", "lines": span.replace("-", "–")}


def document_date(graph: Graph, document: URIRef) -> str | None:
    """The date a text gives for itself, or that its parent text gives (an annex); None when none does."""
    for node in (document, *graph.transitive_objects(document, ELI.is_part_of)):
        date = graph.value(node, DCTERMS.date) or graph.value(node, ELI.date_document)
        if date is not None:
            return str(date)
    return None


def document_order(graph: Graph, document: URIRef) -> tuple[object, ...]:
    """Texts in the order they were written: by session, then date, then name read naturally
    (ICC-ASP/6 before ICC-ASP/14); a text of no session (the flyer) last."""
    session = graph.value(document, CG.session)
    number = graph.value(session, CG.sessionNumber) if session is not None else None
    return (int(number) if number is not None else 999, document_date(graph, document) or "", natural_key(str(document)))


def natural_key(text: str) -> tuple[object, ...]:
    """Text with its numbers read as numbers: ICC-ASP/6 before ICC-ASP/14, para. 2 before para. 10."""
    return tuple(int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text))


def search_construct(q: str) -> str:
    """The search as a CONSTRUCT (each word as a substring, case aside), so a results page links
    to its JSON-LD. SPARQL has no stemming: it finds what holds the words as typed."""
    words = re.findall(r"\w+", q.lower())
    filters = " ".join(f'FILTER(CONTAINS(LCASE(STR(?text)), {json.dumps(w)}))' for w in words)
    return (f"PREFIX cg: <{CG}> PREFIX rdfs: <{RDFS}> CONSTRUCT {{ ?unit rdfs:label ?label ; cg:text ?text }} "
            f"WHERE {{ ?unit cg:text ?text ; rdfs:label ?label . {filters} }}")


class PageReader:
    """What one page of a node shows, read from the graph and the lineage the server serves now:
    plain records (dicts of text, links and numbers) that the templates lay out."""

    def __init__(self, service: Service):
        self.graph, self.lineage, self.base, self.iris = service.graph, service.lineage, service.base, service.iris
        self.href, self.label, self.local = service.href, service.label, service.local

    def documents(self) -> list[dict[str, Any]]:
        """The corpus's texts in the order they were written, each with its label, link, year,
        title and session."""
        graph, documents = self.graph, []
        for d in sorted(graph.subjects(RDF.type, CG.CorpusDocument), key=lambda d: document_order(graph, d)):
            date = document_date(graph, d)
            session = graph.value(d, CG.session)
            documents.append({"iri": str(d), "label": self.label(d), "href": self.local(d), "year": str(date)[:4] if date else None,
                              "title": str(graph.value(d, DCTERMS.title) or ""),
                              "session": self.label(session) if session is not None else None})
        return documents

    def nodes_like(self, example: str) -> list[tuple[str, str]] | None:
        """Every node of the kind an example IRI names (label, IRI), for a select box: the actors,
        sessions or topics, or the corpus's texts; None for any other kind (a reference is typed)."""
        if not example.startswith(self.base):
            return None
        space = self.iris.relative(example).split("/", 1)[0]
        if space in {"actor", "session", "topic"}:
            nodes = {s for s in self.graph.subjects() if isinstance(s, URIRef) and self.iris.in_space(s, space)}
        elif (URIRef(example), RDF.type, CG.CorpusDocument) in self.graph:
            nodes = set(self.graph.subjects(RDF.type, CG.CorpusDocument))
        else:
            return None
        return sorted(((self.label(n), str(n)) for n in nodes), key=lambda c: natural_key(c[0]))

    def mandate(self, iri: URIRef) -> dict[str, Any]:
        """A mandate's page: its timeline, what it asks and of whom."""
        graph = self.graph
        timeline = mandate_timeline(self.lineage, str(iri))
        return {"iri": iri, "label": self.label(iri), "timeline": timeline, **self.chart(self.timeline_rows(timeline)),
                "action": graph.value(iri, CG.action), "issued_by": graph.value(iri, CG.issuedBy),
                "issued": (iri, CG.mandateStatus, CG.IssuedMandate) in graph}

    def timeline_rows(self, timeline: Timeline) -> list[Row]:
        """A mandate's chain for the chart: a row per clause (the mandate of each event's unit), each
        event a mark in its session; reports and deadlines on the row of the mandate asked about."""
        rows: dict[str, Row] = {}
        for event in timeline.events:
            if event.session is None:
                continue
            key = event.mandate or timeline.subject
            if key not in rows:
                issuing = self.graph.value(URIRef(key), CG.issuedBy)
                rows[key] = Row(self.label(issuing) if issuing is not None else self.label(URIRef(key)), self.href(URIRef(key)))
            rows[key].marks.append(Mark(event.session, event.what, event.label, self.href(URIRef(event.unit)),
                                        inferred=event.basis == "inferred"))
        return sorted(rows.values(), key=lambda row: (min(m.session for m in row.marks), row.label))

    def actor_rows(self, actor: URIRef) -> list[Row]:
        """The mandates given to an actor, each on its own row: issued (by an adopted text) or proposed
        (by a draft or report) in its session, and due where its text says when. Only what each
        mandate's own text states: how one carries another is on the mandate's page."""
        graph, rows = self.graph, []
        for mandate in sorted(set(graph.subjects(CG.mandatedActor, actor)), key=str):
            issued_at, issuing = graph.value(mandate, CG.issuedAt), graph.value(mandate, CG.issuedBy)
            session = graph.value(issued_at, CG.sessionNumber) if issued_at is not None else None
            if session is None:
                continue
            issued = (mandate, CG.mandateStatus, CG.IssuedMandate) in graph
            unit = self.label(issuing) if issuing is not None else self.label(mandate)
            row = Row(unit, self.href(mandate), [Mark(int(session), "issued" if issued else "proposed", unit, self.href(mandate))],
                      title=f"{unit}: {graph.value(mandate, CG.action) or ''}".strip(": "))
            due_at = graph.value(mandate, CG.dueAt)
            due = graph.value(due_at, CG.sessionNumber) if due_at is not None else None
            if due is not None:
                row.marks.append(Mark(int(due), "due", f"{graph.value(mandate, CG.dueText) or 'the session'} ({unit})", None))
            rows.append(row)
        return sorted(rows, key=lambda row: (row.marks[0].session, row.label))

    def chart(self, rows: list[Row]) -> dict[str, Any]:
        """The chart's SVG and legend, as the templates show them (none without a dated event)."""
        svg = mandate_chart_svg(rows, self.lineage.missing_between)
        return {"chart": Markup(svg) if svg else None, "chart_legend": legend_items(rows)}

    def node(self, iri: URIRef) -> dict[str, Any]:
        """A unit's or document's page: its text and parts, footnotes, citations both ways, the
        mandate clauses and their own chains, the versions it repeats or amends, its lineage trace
        (`trace`, for the picture) and every statement about it."""
        graph, href, label, lineage = self.graph, self.href, self.label, self.lineage
        types = {label(t) if (t, RDFS.label, None) in graph else str(t).rsplit("#", 1)[-1] for t in graph.objects(iri, RDF.type)}
        parts = sorted(((graph.value(c, CG.firstLine) or 0, c) for c in graph.subjects(ELI.is_part_of, iri)),
                       key=lambda x: (int(x[0]), str(x[1])))
        children = [{"href": href(c), "label": label(c), "number": graph.value(c, CG.number),
                     "text": str(graph.value(c, CG.text) or graph.value(c, CG.heading) or "")} for _, c in parts]
        footnotes = [{"href": href(f), "number": graph.value(f, CG.number), "text": str(graph.value(f, CG.text) or "")}
                     for f in sorted(graph.objects(iri, CG.footnote), key=str)]
        cites = [{"href": href(graph.value(c, CG.citedNode)), "label": label(graph.value(c, CG.citedNode)),
                  "words": str(graph.value(c, CG.citedText))} for c in sorted(graph.objects(iri, CG.citation), key=str)]
        cited_by = [{"href": href(s), "label": label(s)} for s in sorted(set(graph.subjects(CG.cites, iri)), key=str)]
        mandates = [{"href": href(c.mandate), "label": label(c.mandate), "action": c.action, "addressee": c.addressee,
                     "verb": c.verb, "force": c.force, "status": c.status,
                     "steps": [{"direction": d, "depth": st.depth, "href": href(st.mandate),
                                "label": label(graph.value(st.mandate, CG.issuedBy)), "relation": st.link.relation,
                                "basis": st.link.basis, "confidence": st.confidence, "evidence": "; ".join(st.link.evidence),
                                "gap": lineage.gap_note(
                                    lineage.node(str(graph.value(st.link.later if d == "up" else st.link.earlier, CG.issuedBy))).session,
                                    lineage.node(str(graph.value(st.mandate, CG.issuedBy))).session)}
                               for d, steps in (("up", c.up), ("down", c.down)) for st in steps]}
                    for c in clause_chains(graph, iri)]
        trace = lineage.trace(str(iri), "both")
        predecessors = list(lineage.edges(str(iri), "up", frozenset({"repeats", "amends", "restates"})))
        diffs = [{"href": href(e.earlier), "label": label(URIRef(e.earlier)), "type": e.type,
                  "confidence": e.confidence, "similarity": e.similarity, "diff": e.diff, "footnotes": e.footnotes,
                  "verbatim": e.type == "repeats" and not e.diff} for e in predecessors]
        chained: dict[str, float] = {str(iri): 1.0}
        steps = []
        for s in trace.steps:
            parent = s.edge.later if s.direction == "up" else s.edge.earlier
            chained[s.node.iri] = chain([chained.get(parent, 1.0), s.edge.confidence])
            steps.append({"href": href(s.node.iri), "label": s.node.label, "type": s.edge.type, "direction": s.direction,
                          "depth": s.depth, "confidence": s.edge.confidence, "chain": chained[s.node.iri],
                          "similarity": s.edge.similarity, "inferred": s.edge.inferred, "shape": s.edge.shape_words,
                          "evidence": s.edge.words or "", "gap": s.gap})
        properties = [(str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1], o)
                      for p, o in sorted(graph.predicate_objects(iri), key=lambda x: (str(x[0]), str(x[1])))
                      if p not in {CG.text, RDFS.label}]
        props = [{"name": name, "value": str(o), "href": href(o) if isinstance(o, URIRef) else None,
                  "label": label(o) if isinstance(o, URIRef) else str(o)} for name, o in properties]
        return {"iri": iri, "label": label(iri), "types": sorted(types), "citation": citation_form(graph, iri, label(iri), self.base),
                "fate": recommendation_fate(lineage, str(iri)) if (iri, RDF.type, CG.Recommendation) in graph else None,
                "source": source_link(graph, iri, self.base), "facts": document_facts(graph, iri, label),
                "text": graph.value(iri, CG.text), "heading": graph.value(iri, CG.heading), "children": children,
                "footnotes": footnotes, "cites": cites, "cited_by": cited_by, "mandates": mandates, "diffs": diffs,
                "steps": steps, "trace": trace, "props": props, "is_document": (iri, RDF.type, CG.CorpusDocument) in graph,
                "akn": akn_offered(graph, iri),
                **(self.chart(self.actor_rows(iri)) if (iri, RDF.type, CG.Actor) in graph else {"chart": None})}

    def source(self, iri: URIRef, corpus_dir: Path) -> dict[str, Any]:
        """A source file's lines as the corpus holds them, and the units that start on each line."""
        name = str(iri).rsplit("/", 1)[-1]
        path = corpus_dir / name
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() and "/" not in name else []
        units = sorted(((int(graph_line), s) for s in self.graph.subjects(CG.sourceFile, iri)
                        for graph_line in [self.graph.value(s, CG.firstLine) or 0]), key=lambda x: x[0])
        starts = {line: [{"href": self.href(s), "label": self.label(s)} for n, s in units if n == line] for line, _ in units}
        return {"iri": iri, "label": self.label(iri), "lines": lines, "starts": starts}
