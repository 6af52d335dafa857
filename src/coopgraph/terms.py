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
    """An xsd:decimal rounded to `places`, in the form the stores answer (`stored_form`: "0.5",
    "0.87"), except that a whole number keeps one decimal place ("1.0"): Virtuoso stores a decimal
    written "1" as an integer."""
    stored = str(stored_form(Literal(f"{value:.{places}f}", datatype=XSD.decimal)))
    return Literal(stored if "." in stored else f"{stored}.0", datatype=XSD.decimal)


def stored_form(literal: Literal) -> Literal:
    """A decimal as the stores answer it (Oxigraph and Virtuoso alike): no trailing zeros and no
    trailing point ("1.0" is answered "1", "0.50" is "0.5"); any other literal as it is. The memory
    store reads its file through this, so every store answers a value in the one form."""
    if literal.datatype != XSD.decimal or "." not in str(literal) or "e" in str(literal).lower():
        return literal
    text = str(literal).rstrip("0").rstrip(".")
    return Literal(text if text not in {"", "-", "-0"} else "0", datatype=XSD.decimal)


def bind_prefixes(graph: Graph) -> Graph:
    """The graph, with the usual prefixes bound: what it serializes reads `cg:text`, not full IRIs."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


__all__ = ["CG", "DCTERMS", "ELI", "ELI_DL", "FOAF", "ORG", "OWL", "PREFIXES", "PROV", "RDF", "RDFS", "SCHEMA", "SKOS", "XSD", "bind_prefixes", "decimal", "stored_form"]
