"""Oxigraph's answers written straight from its own terms: no rdflib terms on the query path.

Graphs (CONSTRUCT, DESCRIBE) go through Oxigraph's own serializers (Turtle with the project's
prefixes, N-Triples, N-Quads, RDF/XML). Solutions (SELECT) in SPARQL JSON, the common answer, go
through Oxigraph's JSON writer too (`json_natively`), which costs a third of ours per row; the row
limit still cuts them visibly: the first `max_rows` rows, and a note that there were more. Other
result formats are written from Oxigraph's terms by the same writers as every other answer
(coopgraph.sparql.formats).
"""

from __future__ import annotations

import io
import itertools
from typing import Any

from coopgraph.sparql.formats import bytes_note, json_results, require_xml_chars, serialize_rows, truncation_note

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
NATIVE_GRAPH_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "xml": "RDF_XML"}


NATIVE_JSON_CAP = 32 << 20  # bytes of SPARQL JSON written before the rows are counted the slow way


class _CappedBuffer(io.RawIOBase):
    """What Oxigraph's writer writes, kept, up to `cap` bytes: past it the write raises, which
    stops the writer (and the lazy evaluation behind it)."""

    def __init__(self, cap: int):
        self.parts: list[bytes] = []
        self.size, self.cap = 0, cap

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.size += len(data)
        if self.size > self.cap:
            raise _OverCap
        self.parts.append(bytes(data))
        return len(data)


class _OverCap(Exception):
    pass


def json_natively(solutions: Any, max_rows: int, cap: int = NATIVE_JSON_CAP) -> tuple[bytes, str | None] | None:
    """SELECT results in SPARQL JSON by Oxigraph's own writer, with the truncation note when there
    were more than `max_rows` rows; None when the answer passed `cap` bytes (the solutions are then
    spent: the caller reads the query again, row by row). Every row is a JSON object, so an answer
    with at most `max_rows` '{' has at most that many rows and is sent as written; one with more is
    read back, and cut when it has more rows."""
    import orjson
    import pyoxigraph as ox

    written = _CappedBuffer(cap)  # an answer past the cap is read again row by row, within the byte limit
    try:
        solutions.serialize(written, format=ox.QueryResultsFormat.JSON)
    except _OverCap:
        return None
    body = b"".join(written.parts)
    if body.count(b"{") <= max_rows:
        return body, None
    document = orjson.loads(body)
    rows = document["results"]["bindings"]
    if len(rows) <= max_rows:
        return body, None
    note = truncation_note(max_rows, "rows")
    return json_results(document["head"]["vars"], rows[:max_rows], note), note


def limited(items: Any, max_rows: int) -> tuple[list[Any], bool]:
    """The first `max_rows` items and whether there were more; reads one item past the limit."""
    taken = list(itertools.islice(items, max_rows + 1))
    return taken[:max_rows], len(taken) > max_rows


def _size(item: Any) -> int:
    """About how many bytes an item (a solution or a triple) takes in an answer."""
    terms = (item.subject, item.predicate, item.object) if hasattr(item, "predicate") else tuple(item)
    return sum(len(getattr(t, "value", "")) + 24 for t in terms if t is not None) + 8


def limited_in_bytes(items: Any, max_rows: int, max_bytes: int) -> tuple[list[Any], str | None]:
    """The first items that fit both the row limit and about `max_bytes` of answer, read one at a
    time (an answer is never held whole past the limit), and the note when the answer is cut."""
    taken: list[Any] = []
    size = 0
    for item in items:
        if len(taken) == max_rows:
            return taken, truncation_note(max_rows, "rows" if not hasattr(item, "predicate") else "triples")
        size += _size(item)
        if size > max_bytes:
            return taken, bytes_note(max_bytes, len(taken))
        taken.append(item)
    return taken, None


def graph_bytes(triples: list[Any], fmt: str, prefixes: dict[str, str]) -> bytes:
    import pyoxigraph as ox

    if fmt == "xml":
        require_xml_chars(t.value for triple in triples for t in (triple.subject, triple.predicate, triple.object))
    used = {name: str(iri) for name, iri in prefixes.items()} if fmt == "turtle" else None
    written = ox.serialize(triples, format=getattr(ox.RdfFormat, NATIVE_GRAPH_FORMATS[fmt]), prefixes=used)
    assert written is not None  # without an output, serialize returns the bytes
    return bytes(written)


def oxigraph_view(term: Any) -> tuple[str, str, str | None, str | None]:
    """An Oxigraph term as the result writers read one (coopgraph.sparql.formats.TermView)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, None, None)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, None, None)
    datatype = term.datatype.value if not term.language and term.datatype.value != XSD_STRING else None
    return ("literal", term.value, term.language, datatype)


def solutions_bytes(variables: list[str], solutions: list[Any], fmt: str, truncated: str | None) -> bytes:
    """SELECT results in SPARQL JSON, XML, CSV or TSV, written from Oxigraph's terms. A solution
    iterates over its values in the order of the query's variables (None where one is unbound),
    which is six times quicker than looking each up by name."""
    if fmt == "json":
        return solutions_json(variables, solutions, truncated)
    return serialize_rows(variables, (tuple(solution) for solution in solutions), fmt, truncated, view=oxigraph_view)


def solutions_json(variables: list[str], solutions: list[Any], truncated: str | None) -> bytes:
    """SPARQL JSON results, each term's object made straight from Oxigraph's term: the common
    answer, so the one written without the general term view."""
    import pyoxigraph as ox

    def term_json(term: Any) -> dict[str, str]:
        kind = type(term)
        if kind is ox.NamedNode:
            return {"type": "uri", "value": term.value}
        if kind is ox.BlankNode:
            return {"type": "bnode", "value": term.value}
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return {"type": "literal", "value": term.value}
        return {"type": "literal", "value": term.value, "datatype": datatype}

    bindings = [{name: term_json(term) for name, term in zip(variables, solution, strict=True) if term is not None}
                for solution in solutions]
    return json_results(variables, bindings, truncated)
