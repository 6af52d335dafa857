"""Media types, content negotiation, and SPARQL result serializers (JSON, XML, CSV, TSV)."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

# Media type -> serializer name, for SELECT / ASK results and for graphs (CONSTRUCT / DESCRIBE).
# The first of each is the standard default: what `*/*` or no Accept gets.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-quads": "nquads",
    "text/n3": "turtle",  # Turtle is N3: answered as Turtle, labelled as asked
    "text/plain": "nt",
    "application/xml": "xml",
    "application/turtle": "turtle",
    "application/x-turtle": "turtle",
}
# ?format= values, as other endpoints and SPARQL clients send them (SPARQLWrapper sends "xml" for
# RDF/XML when the query is a CONSTRUCT, and both "rdf+xml" and the media type, repeated).
RESULT_FORMATS = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                  "csv": "text/csv", "tsv": "text/tab-separated-values", "srj": "application/sparql-results+json",
                  "srx": "application/sparql-results+xml"}
GRAPH_FORMATS = {"turtle": "text/turtle", "ttl": "text/turtle", "n3": "text/n3", "nt": "application/n-triples",
                 "ntriples": "application/n-triples", "n-triples": "application/n-triples",
                 "nquads": "application/n-quads", "n-quads": "application/n-quads", "nq": "application/n-quads",
                 "jsonld": "application/ld+json", "json-ld": "application/ld+json", "json": "application/ld+json",
                 "rdfxml": "application/rdf+xml", "rdf+xml": "application/rdf+xml", "xml": "application/rdf+xml",
                 "rdf": "application/rdf+xml"}
FORMAT_PARAM = {**GRAPH_FORMATS, **RESULT_FORMATS}  # the shortcuts pages and documents take (json: results)
MEDIA_OF = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
            "tsv": "text/tab-separated-values"}
GRAPH_MEDIA_OF = {"turtle": "text/turtle", "nt": "application/n-triples", "json-ld": "application/ld+json",
                  "xml": "application/rdf+xml"}
GRAPH_FORMS = {"ConstructQuery", "DescribeQuery"}
FORM_WORDS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


@dataclass(frozen=True)
class Wanted:
    """What the client asked the answer to be in: `format=` values (in order) and its Accept header."""

    formats: tuple[str, ...] = ()
    accept: str | None = None

    def key(self) -> str:
        return "\x1f".join(self.formats) + "\x1e" + (self.accept or "")


class Refusal(ValueError):
    """The client asked for a format this answer cannot be given in: a status and what to ask for."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@functools.lru_cache(maxsize=1024)  # clients send the same few Accept headers, query after query
def negotiate(form: str, wanted: Wanted) -> str:
    """The media type to answer a query of this form in: the first `format=` value that names one
    (a client may send several, such as "rdf+xml" and "application/rdf+xml"), else the best of
    the Accept header by its q-values, else the standard default for `*/*` or no Accept. Raises
    a Refusal: 400 for a format= that no answer of this form has, 406 when nothing acceptable is offered."""
    formats, accept = wanted.formats, wanted.accept
    graph = form in GRAPH_FORMS
    table, types = (GRAPH_FORMATS, GRAPH_TYPES) if graph else (RESULT_FORMATS, RESULT_TYPES)
    if formats:
        for value in formats:
            asked = value.strip().lower()
            media = table.get(asked) or (asked if asked in types else None)
            if media is not None:
                return media
        other = RESULT_FORMATS if graph else GRAPH_FORMATS
        mismatched = [v for v in formats if v.strip().lower() in other or v.strip().lower() in (RESULT_TYPES if graph else GRAPH_TYPES)]
        what = FORM_WORDS.get(form, form)
        allowed = ", ".join(sorted(table)) + " or one of the media types " + ", ".join(types)
        if mismatched:
            raise Refusal(400, f"format={mismatched[0]!r} is a format for {'SELECT and ASK results' if graph else 'graphs'}; "
                               f"a {what} query is answered as: {allowed}")
        raise Refusal(400, f"unknown format {formats[0]!r}; a {what} query is answered as: {allowed}")
    media = choose(accept, list(types))
    if media is None:
        raise Refusal(406, f"nothing acceptable: a {FORM_WORDS.get(form, form)} query is answered as "
                           f"{', '.join(types)}; the request accepts {accept!r}")
    return media


def accepted(accept: str | None) -> list[tuple[str, float]]:
    """The Accept header as (media type, q) pairs, best first, in the client's order on ties."""
    ranked = sorted(enumerate(_all_q(accept or "*/*")), key=lambda item: (-item[1][1], item[0]))
    return [(media, q) for _, (media, q) in ranked if q > 0]


def choose(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type the client prefers (by q-value, then its own order; a wildcard
    gives the first offered, the standard default), or None (406). A type the client gives
    q=0 is never chosen, even through a wildcard."""
    refused = {media for media, q in _all_q(accept) if q == 0}
    for media, _ in accepted(accept):
        if media in offered and media not in refused:
            return media
        if media in {"*/*", "application/*", "text/*"}:
            prefix = media.split("/")[0]
            for candidate in offered:
                if candidate not in refused and (media == "*/*" or candidate.startswith(prefix + "/")):
                    return candidate
    return None


def _all_q(accept: str | None) -> list[tuple[str, float]]:
    found = []
    for part in (accept or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for param in fields[1:]:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if fields[0]:
            found.append((fields[0].lower(), q))
    return found


# One view of a term, whichever library made it: (kind, value, language, datatype), where kind is
# "uri", "bnode" or "literal", and a simple literal has neither language nor datatype.
TermView = tuple[str, str, str | None, str | None]
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdflib_view(term: object) -> TermView:
    if isinstance(term, URIRef):
        return ("uri", str(term), None, None)
    if isinstance(term, BNode):
        return ("bnode", str(term), None, None)
    assert isinstance(term, Literal)
    datatype = str(term.datatype) if term.datatype and not term.language and str(term.datatype) != XSD_STRING else None
    return ("literal", str(term), term.language, datatype)


def _term_json(view: TermView) -> dict[str, str]:
    kind, value, language, datatype = view
    out = {"type": kind, "value": value}
    if language:
        out["xml:lang"] = language
    elif datatype:
        out["datatype"] = datatype
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


def _term_xml(view: TermView) -> str:
    kind, value, language, datatype = view
    if kind != "literal":
        return f"<{kind}>{_xml_escape(value)}</{kind}>"
    if language:
        return f'<literal xml:lang="{_xml_escape(language)}">{_xml_escape(value)}</literal>'
    if datatype:
        return f'<literal datatype="{_xml_escape(datatype)}">{_xml_escape(value)}</literal>'
    return f"<literal>{_xml_escape(value)}</literal>"


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def tsv_literal(value: str, language: str | None, datatype: str | None) -> str:
    """A literal as SPARQL 1.1 TSV writes it: Turtle syntax on one line, with \\t \\n \\r escaped."""
    text = '"' + value.translate(_TSV_ESCAPES) + '"'
    if language:
        return f"{text}@{language}"
    if datatype and datatype != XSD_STRING:
        return f"{text}^^<{datatype}>"
    return text


def _term_tsv(view: TermView | None) -> str:
    if view is None:
        return ""
    kind, value, language, datatype = view
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    return tsv_literal(value, language, datatype)


def serialize_rows(variables: list[str], rows: Any, fmt: str, truncated: str | None, view: Any = rdflib_view) -> bytes:
    """SELECT results in one of the four standard formats; a truncation note where the format has
    room. `rows` hold one term (or None) per variable; `view` reads a term (rdflib's by default)."""
    viewed = [[None if term is None else view(term) for term in row] for row in rows]
    if fmt == "json":
        return json_results(variables, [{v: _term_json(t) for v, t in zip(variables, row, strict=True) if t is not None}
                                        for row in viewed], truncated)
    if fmt == "xml":
        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f'<variable name="{_xml_escape(v)}"/>' for v in variables]
        if truncated:
            out.append('<link href="urn:coopgraph:truncated"/>')
        out += ["</head>", "<results>"]
        for row in viewed:
            out.append("<result>" + "".join(f'<binding name="{_xml_escape(v)}">{_term_xml(t)}</binding>'
                                           for v, t in zip(variables, row, strict=True) if t is not None) + "</result>")
        out += ["</results>", "</sparql>"]
        if truncated:
            out.insert(1, f"<!-- {_xml_escape(truncated)} -->")
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows(["" if t is None else t[1] for t in row] for row in viewed)
        return buffer.getvalue().encode("utf-8")
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_term_tsv(t) for t in row) for row in viewed]
    return ("\n".join(lines) + "\n").encode("utf-8")


def truncation_note(max_rows: int, what: str) -> str:
    """What an answer cut at the row limit says of itself ("rows" of a SELECT, "triples" of a graph)."""
    return f"truncated: more than {max_rows} {what}; only the first {max_rows} are returned"


def bytes_note(max_bytes: int, kept: int) -> str:
    """What an answer cut at the byte limit says of itself."""
    return (f"truncated: the answer would be larger than {max_bytes / (1 << 20):g} MB; only the first {kept} "
            "rows or triples that fit are returned (ask for fewer, or shorter values)")


def json_results(variables: list[str], bindings: list[dict[str, dict[str, str]]], truncated: str | None) -> bytes:
    """The SPARQL JSON results document; a truncation note as a link and a member of its own."""
    import orjson

    head: dict[str, object] = {"vars": variables}
    body: dict[str, object] = {"head": head, "results": {"bindings": bindings}}
    if truncated:
        head["link"] = ["urn:coopgraph:truncated"]
        body["truncated"] = truncated
    return orjson.dumps(body)  # type: ignore[no-any-return]


def serialize_ask(answer: bool, fmt: str) -> bytes:
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{str(answer).lower()}</boolean></sparql>").encode()
    if fmt in {"csv", "tsv"}:
        return f"{str(answer).lower()}\n".encode()
    return json.dumps({"head": {}, "boolean": answer}).encode()


__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "Refusal", "Wanted", "Result", "accepted", "choose", "negotiate", "serialize_ask",
           "serialize_rows"]
