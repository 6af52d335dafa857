"""Counts per class and per document: what `coopgraph stats` prints."""

from __future__ import annotations

from collections import Counter

from rdflib import Graph, URIRef

from coopgraph.terms import CG, ELI, RDF

COUNTED = [CG.PreambularParagraph, CG.OperativeParagraph, CG.SubItem, CG.ReportParagraph, CG.Recommendation,
           CG.MandateItem, CG.ListItem, CG.KeyArea, CG.FlyerSection, CG.Footnote, CG.Annex, CG.Part, CG.Section,
           CG.Mandate, CG.Citation, CG.TopicTag, CG.ExternalDocument, CG.Pinpoint, CG.Session, CG.Actor]


def class_counts(graph: Graph) -> dict[str, int]:
    return {cls.fragment: len(set(graph.subjects(RDF.type, cls))) for cls in COUNTED} | {"triples": len(graph)}


def _document_of(graph: Graph, node: URIRef) -> URIRef:
    seen = set()
    while (parent := graph.value(node, ELI.is_part_of)) is not None and node not in seen:
        seen.add(node)
        if (node, RDF.type, CG.CorpusDocument) in graph and (parent, RDF.type, CG.CorpusDocument) not in graph:
            break
        node = parent  # type: ignore[assignment]
    return node


def document_counts(graph: Graph) -> dict[str, Counter[str]]:
    """Per corpus document (top level), how many units of each class it holds."""
    table: dict[str, Counter[str]] = {}
    for cls in COUNTED[:13]:
        for unit in graph.subjects(RDF.type, cls):
            if not isinstance(unit, URIRef):
                continue
            doc = _document_of(graph, unit)
            label = str(graph.value(doc, URIRef("http://purl.org/dc/terms/identifier")) or doc)
            table.setdefault(label, Counter())[cls.fragment] += 1
    return dict(sorted(table.items()))
