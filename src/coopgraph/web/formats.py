"""Media types, content negotiation, and SPARQL result serializers (JSON, XML, CSV, TSV)."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "text/plain": "nt",
}
FORMAT_PARAM = {  # ?format= shortcuts, as other public endpoints accept them
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
    "nt": "application/n-triples", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
    "json-ld": "application/ld+json", "rdfxml": "application/rdf+xml",
}
MEDIA_OF = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
            "tsv": "text/tab-separated-values"}
GRAPH_MEDIA_OF = {"turtle": "text/turtle", "nt": "application/n-triples", "json-ld": "application/ld+json",
                  "xml": "application/rdf+xml"}


def accepted(accept: str | None) -> list[tuple[str, float]]:
    """The Accept header as (media type, q) pairs, best first, in the client's order on ties."""
    items = []
    for index, part in enumerate((accept or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        items.append((media, q, index))
    items.sort(key=lambda item: (-item[1], item[2]))
    return [(media, q) for media, q, _ in items if q > 0]


def choose(accept: str | None, offered: list[str]) -> str | None:
    """The first offered media type the client accepts, or None (406)."""
    for media, _ in accepted(accept):
        if media in offered:
            return media
        if media in {"*/*", "application/*", "text/*"}:
            prefix = media.split("/")[0]
            for candidate in offered:
                if media == "*/*" or candidate.startswith(prefix + "/"):
                    return candidate
    return None


def _term_json(term: object) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


# the characters XML 1.0 cannot carry at all, not even as a character reference
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class NotRepresentable(ValueError):
    """An answer holds a character the asked-for format cannot carry."""


def require_xml_chars(texts: Any) -> None:
    """Refuse (NotRepresentable) when any text holds a character XML 1.0 cannot carry."""
    for text in texts:
        if bad := _NOT_XML.search(text):
            raise NotRepresentable(f"the answer holds the character U+{ord(bad.group(0)):04X}, which XML 1.0 cannot "
                                   "carry; ask for JSON, CSV or TSV results (or Turtle for a graph) instead")


def _xml_escape(text: str) -> str:
    require_xml_chars((text,))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _term_xml(term: object) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{_xml_escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{_xml_escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    attrs = ""
    if term.language:
        attrs = f' xml:lang="{_xml_escape(term.language)}"'
    elif term.datatype:
        attrs = f' datatype="{_xml_escape(str(term.datatype))}"'
    return f"<literal{attrs}>{_xml_escape(str(term))}</literal>"


def _term_tsv(term: object) -> str:
    if term is None:
        return ""
    return term.n3()  # type: ignore[attr-defined,no-any-return]


def serialize_rows(variables: list[str], rows: list[tuple[object, ...]], fmt: str, truncated: str | None) -> bytes:
    """SELECT results in one of the four standard formats; a truncation note where the format has room."""
    if fmt == "json":
        head: dict[str, object] = {"vars": variables}
        body: dict[str, object] = {"head": head, "results": {"bindings": [
            {v: _term_json(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]}}
        if truncated:
            head["link"] = ["urn:coopgraph:truncated"]
            body["truncated"] = truncated
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f'<variable name="{_xml_escape(v)}"/>' for v in variables]
        if truncated:
            out.append('<link href="urn:coopgraph:truncated"/>')
        out += ["</head>", "<results>"]
        for row in rows:
            out.append("<result>")
            out += [f'<binding name="{_xml_escape(v)}">{_term_xml(t)}</binding>'
                    for v, t in zip(variables, row, strict=True) if t is not None]
            out.append("</result>")
        out += ["</results>", "</sparql>"]
        if truncated:
            out.insert(1, f"<!-- {_xml_escape(truncated)} -->")
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows(["" if t is None else str(t) for t in row] for row in rows)
        return buffer.getvalue().encode("utf-8")
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_term_tsv(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialize_ask(answer: bool, fmt: str) -> bytes:
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{str(answer).lower()}</boolean></sparql>").encode()
    if fmt in {"csv", "tsv"}:
        return f"{str(answer).lower()}\n".encode()
    return json.dumps({"head": {}, "boolean": answer}).encode()


__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "Result", "accepted", "choose", "serialize_ask", "serialize_rows"]
