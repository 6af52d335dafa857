"""Namespaces of the vocabularies the graph uses, in one place."""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

CG = Namespace("https://w3id.org/coopgraph/ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ELI_DL = Namespace("http://data.europa.eu/eli/eli-draft-legislation-ontology#")
SCHEMA = Namespace("https://schema.org/")

PREFIXES = {
    "cg": CG,
    "eli": ELI,
    "eli-dl": ELI_DL,
    "dct": DCTERMS,
    "prov": PROV,
    "skos": SKOS,
    "org": ORG,
    "foaf": FOAF,
    "schema": SCHEMA,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
}


def decimal(value: float, places: int) -> Literal:
    """An xsd:decimal rounded to `places`, in the one lexical form every store keeps: no trailing
    zeros, no trailing point ("0.5", "1"), as Oxigraph writes any decimal back. A form a store
    rewrites would make its answers, the dumps and the memory store disagree on the same value."""
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Literal("0" if text in {"-0", ""} else text, datatype=XSD.decimal)


def bind_prefixes(graph: Graph) -> Graph:
    """The graph, with the usual prefixes bound: what it serializes reads `cg:text`, not full IRIs."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


__all__ = ["CG", "DCTERMS", "ELI", "ELI_DL", "FOAF", "ORG", "OWL", "PREFIXES", "PROV", "RDF", "RDFS", "SCHEMA", "SKOS", "XSD", "bind_prefixes", "decimal"]
