"""Oxigraph's answers written straight from its own terms: no rdflib terms on the query path.

Graphs (CONSTRUCT, DESCRIBE) go through Oxigraph's own serializers (Turtle with the project's
prefixes, N-Triples, N-Quads, RDF/XML). Solutions (SELECT) are written here from Oxigraph's terms
in the four standard formats, because Oxigraph's result serializers take the whole answer and
the row limit must cut it, visibly: the first `max_rows` rows, and a note that there were more.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from typing import Any

from coopgraph.web.formats import require_xml_chars, tsv_literal

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


def _json_term(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml(text: str) -> str:
    require_xml_chars((text,))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _xml_term(term: Any) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml(term.value)}</bnode>"
    if term.language:
        return f'<literal xml:lang="{_xml(term.language)}">{_xml(term.value)}</literal>'
    if term.datatype.value != XSD_STRING:
        return f'<literal datatype="{_xml(term.datatype.value)}">{_xml(term.value)}</literal>'
    return f"<literal>{_xml(term.value)}</literal>"


def _tsv_term(term: Any) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return tsv_literal(term.value, term.language, term.datatype.value if term.datatype else None)


def solutions_bytes(variables: list[str], solutions: list[Any], fmt: str, truncated: str | None) -> bytes:
    """SELECT results in SPARQL JSON, XML, CSV or TSV; a truncation note where the format has room."""
    if fmt == "json":
        head: dict[str, Any] = {"vars": variables}
        body: dict[str, Any] = {"head": head, "results": {"bindings": [
            {name: _json_term(term) for name in variables if (term := solution[name]) is not None} for solution in solutions]}}
        if truncated:
            head["link"] = ["urn:coopgraph:truncated"]
            body["truncated"] = truncated
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f'<variable name="{_xml(v)}"/>' for v in variables]
        if truncated:
            out.append('<link href="urn:coopgraph:truncated"/>')
        out += ["</head>", "<results>"]
        for solution in solutions:
            out.append("<result>" + "".join(f'<binding name="{_xml(name)}">{_xml_term(term)}</binding>'
                                           for name in variables if (term := solution[name]) is not None) + "</result>")
        out += ["</results>", "</sparql>"]
        if truncated:
            out.insert(1, f"<!-- {_xml(truncated)} -->")
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows(["" if (term := solution[name]) is None else term.value for name in variables] for solution in solutions)
        return buffer.getvalue().encode("utf-8")
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_term(solution[name]) for name in variables) for solution in solutions]
    return ("\n".join(lines) + "\n").encode("utf-8")
