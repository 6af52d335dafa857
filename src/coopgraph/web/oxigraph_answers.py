"""Oxigraph's answers written straight from its own terms: no rdflib terms on the query path.

Graphs (CONSTRUCT, DESCRIBE) go through Oxigraph's own serializers (Turtle with the project's
prefixes, N-Triples, N-Quads, RDF/XML). Solutions (SELECT) are written from Oxigraph's terms by the
same writers as every other answer (coopgraph.web.formats), because Oxigraph's result serializers take the
whole answer and the row limit must cut it, visibly: the first `max_rows` rows, and a note that there were more.
"""

from __future__ import annotations

import itertools
from typing import Any

from coopgraph.web.formats import require_xml_chars, serialize_rows

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
NATIVE_GRAPH_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "xml": "RDF_XML"}


def limited(items: Any, max_rows: int) -> tuple[list[Any], bool]:
    """The first `max_rows` items and whether there were more; reads one item past the limit."""
    taken = list(itertools.islice(items, max_rows + 1))
    return taken[:max_rows], len(taken) > max_rows


def graph_bytes(triples: list[Any], fmt: str, prefixes: dict[str, str]) -> bytes:
    import pyoxigraph as ox

    if fmt == "xml":
        require_xml_chars(t.value for triple in triples for t in (triple.subject, triple.predicate, triple.object))
    used = {name: str(iri) for name, iri in prefixes.items()} if fmt == "turtle" else None
    return ox.serialize(triples, format=getattr(ox.RdfFormat, NATIVE_GRAPH_FORMATS[fmt]), prefixes=used)  # type: ignore[no-any-return]


def oxigraph_view(term: Any) -> tuple[str, str, str | None, str | None]:
    """An Oxigraph term as the result writers read one (coopgraph.web.formats.TermView)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, None, None)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, None, None)
    datatype = term.datatype.value if not term.language and term.datatype.value != XSD_STRING else None
    return ("literal", term.value, term.language, datatype)


def solutions_bytes(variables: list[str], solutions: list[Any], fmt: str, truncated: str | None) -> bytes:
    """SELECT results in SPARQL JSON, XML, CSV or TSV, written from Oxigraph's terms."""
    rows = ([solution[name] for name in variables] for solution in solutions)
    return serialize_rows(variables, rows, fmt, truncated, view=oxigraph_view)
