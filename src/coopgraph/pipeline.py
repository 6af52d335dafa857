"""The pipeline up to the graph: corpus text -> parse -> RDF graph -> lineage (validation and serving follow)."""

from __future__ import annotations

from rdflib import Graph

from coopgraph.config import Settings
from coopgraph.corpus.parse import parse_corpus
from coopgraph.graph.build import build_graph
from coopgraph.graph.entailment import materialise, super_properties
from coopgraph.graph.lexicon import load_lexicon
from coopgraph.lineage.derive import add_derivations, derive
from coopgraph.lineage.mandates import add_mandate_links


def build(settings: Settings, lineage: bool = True) -> Graph:
    """The graph of the whole corpus, in memory, with its derivation edges."""
    manifest, documents = parse_corpus(settings.corpus_dir)
    lexicon = load_lexicon(settings.ontology_dir, settings.base)
    graph = build_graph(manifest, documents, lexicon, settings.base)
    if lineage:
        add_derivations(graph, derive(graph))
        add_mandate_links(graph)  # clause by clause, along the paragraph links just written
    materialise(graph, super_properties(settings.ontology_dir))  # last: the derivations' edges have theirs too
    return graph


__all__ = ["build"]
