"""The pipeline up to the graph: corpus text -> parse -> RDF graph (validation and serving follow)."""

from __future__ import annotations

from rdflib import Graph

from coopgraph.config import Settings
from coopgraph.corpus.parse import parse_corpus
from coopgraph.graph.build import build_graph
from coopgraph.graph.lexicon import load_lexicon


def build(settings: Settings) -> Graph:
    """The graph of the whole corpus, in memory."""
    manifest, documents = parse_corpus(settings.corpus_dir)
    lexicon = load_lexicon(settings.ontology_dir, settings.base)
    return build_graph(manifest, documents, lexicon, settings.base)


__all__ = ["build"]
