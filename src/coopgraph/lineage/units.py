"""The text units of the graph as plain records: what lineage compares and walks.

Read from the RDF graph (the contract between pipeline stages), not from the parser.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef

from coopgraph.terms import CG, DCTERMS, ELI, RDF, RDFS

# Units whose text can be carried from one document to the next.
ALIGNED_CLASSES = {
    CG.PreambularParagraph: "preambular paragraph",
    CG.OperativeParagraph: "operative paragraph",
    CG.SubItem: "sub-item",
    CG.MandateItem: "mandate item",
    CG.Recommendation: "recommendation",
    CG.ReportParagraph: "report paragraph",
    CG.KeyArea: "key area",
    CG.FlyerSection: "flyer section",
}
RESOLUTION_LIKE = {CG.Resolution, CG.DraftResolution, CG.MandateList}


@dataclass(frozen=True)
class TextUnit:
    """One unit with text, and the document and session it belongs to."""

    iri: URIRef
    label: str
    kind: str
    text: str
    document: URIRef
    document_label: str
    document_types: frozenset[URIRef]
    session: int | None
    year: int | None
    position: int  # reading order within the document

    @property
    def resolution_like(self) -> bool:
        return bool(self.document_types & RESOLUTION_LIKE)

    @property
    def is_report(self) -> bool:
        return CG.Report in self.document_types and not self.resolution_like


def document_of(graph: Graph, node: URIRef) -> URIRef | None:
    """The nearest corpus document (or annexed document) a unit is part of."""
    seen = set()
    current: URIRef | None = node
    while current is not None and current not in seen:
        seen.add(current)
        if (current, RDF.type, CG.CorpusDocument) in graph:
            return current
        current = graph.value(current, ELI.is_part_of)  # type: ignore[assignment]
    return None


def session_number(graph: Graph, document: URIRef) -> int | None:
    session = graph.value(document, CG.session)
    number = graph.value(session, CG.sessionNumber) if session is not None else None
    return int(number) if number is not None else None


def year_of(graph: Graph, document: URIRef) -> int | None:
    date = graph.value(document, DCTERMS.date)
    return int(str(date)[:4]) if date is not None else None


def text_units(graph: Graph) -> list[TextUnit]:
    """Every aligned unit with text, in document order (by source line)."""
    units = []
    for cls, kind in ALIGNED_CLASSES.items():
        for iri in graph.subjects(RDF.type, cls):
            text = graph.value(iri, CG.text)
            document = document_of(graph, iri)  # type: ignore[arg-type]
            if text is None or document is None or graph.value(iri, CG.isPlaceholder) is not None:
                continue
            line = graph.value(iri, CG.firstLine)
            units.append(TextUnit(
                iri=iri,  # type: ignore[arg-type]
                label=str(graph.value(iri, RDFS.label) or iri),
                kind=kind,
                text=str(text),
                document=document,
                document_label=str(graph.value(document, RDFS.label) or graph.value(document, DCTERMS.title) or document),
                document_types=frozenset(graph.objects(document, RDF.type)),  # type: ignore[arg-type]
                session=session_number(graph, document),
                year=year_of(graph, document),
                position=int(line) if line is not None else 0,
            ))
    units.sort(key=lambda u: (str(u.document), u.position, str(u.iri)))
    return units
