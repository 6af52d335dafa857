"""Read a graph file someone hands us (Turtle, N-Triples, JSON-LD) or refuse it with a clear error.

Every refusal is a GraphFileError naming the file and, for syntax errors, the line and
column. Nothing is fetched: a JSON-LD @context must be inline or our own published one.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.plugins.parsers.ntriples import NTGraphSink, ParseError, W3CNTriplesParser

from coopgraph.errors import GraphFileError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
FORMATS_BY_SUFFIX = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
}
FORMAT_NAMES = {"turtle": "Turtle", "nt": "N-Triples", "json-ld": "JSON-LD"}
_NTRIPLES_LINE = re.compile(r"^\s*(#.*)?$|^\s*(<[^>]*>|_:\S+)\s+<[^>]*>\s+")


def detect_format(path: Path, text: str) -> str:
    """The format by the file's extension, else by its first characters."""
    by_suffix = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if by_suffix:
        return by_suffix
    stripped = text.lstrip()
    if stripped[:1] in "{[":
        return "json-ld"
    lines = [line for line in stripped.splitlines()[:20] if line.strip()]
    if lines and all(_NTRIPLES_LINE.match(line) for line in lines):
        return "nt"
    return "turtle"


def _location(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The file's text, refusing what cannot be an RDF text file."""
    if not path.exists():
        raise GraphFileError(f"{path}: no such file")
    if not path.is_file():
        raise GraphFileError(f"{path}: not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise GraphFileError(
            f"{path}: {size / 1_048_576:.1f} MB is more than the limit of {max_bytes / 1_048_576:.1f} MB "
            "for a graph file; split it, or load it into a store (see the README)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GraphFileError(f"{path}: cannot read ({exc.strerror})") from None
    if b"\x00" in data:
        raise GraphFileError(f"{path}: a binary file (it holds NUL bytes), not Turtle, N-Triples or JSON-LD")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _location(data[: exc.start].decode("utf-8", "replace"), exc.start)
        raise GraphFileError(f"{path}, line {line}, column {column}: not UTF-8 text (byte 0x{data[exc.start]:02x})") from None
    if not text.strip():
        raise GraphFileError(f"{path}: the file is empty")
    return text.removeprefix("\ufeff")


class _CountingNTriplesParser(W3CNTriplesParser):
    """The N-Triples parser, remembering which line it is on so errors can say where."""

    line_number = 0
    line_text = ""

    def readline(self) -> str | None:
        line = super().readline()
        if line is not None:
            self.line_number += 1
            self.line_text = line
        return line


def _parse_ntriples(path: Path, text: str, graph: Graph) -> None:
    parser = _CountingNTriplesParser(NTGraphSink(graph))
    try:
        parser.parsestring(text)
    except ParseError:
        remaining = parser.line or ""
        column = max(1, len(parser.line_text) - len(remaining) + 1)
        raise GraphFileError(
            f"{path}, line {parser.line_number}, column {column}: not valid N-Triples near {remaining.strip()[:60]!r}"
        ) from None


def _parse_turtle(path: Path, text: str, graph: Graph, base: str) -> None:
    try:
        graph.parse(data=text, format="turtle", publicID=base)
    except BadSyntax as exc:
        offset = getattr(exc, "_i", 0)
        line = getattr(exc, "lines", text.count("\n", 0, offset)) + 1
        _, column = _location(text, offset)
        why = getattr(exc, "_why", "bad syntax")
        raise GraphFileError(f"{path}, line {line}, column {column}: not valid Turtle: {why}") from None
    except Exception as exc:  # rdflib raises assorted exception types for invalid terms
        raise GraphFileError(f"{path}: not valid Turtle: {exc}") from None


def _inline_contexts(node: Any, published: dict[str, str | dict[str, Any]], path: Path) -> Any:
    """Replace references to our published @context by its content; refuse any other remote one."""
    if isinstance(node, list):
        return [_inline_contexts(item, published, path) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key == "@context":
            result[key] = _resolve_context(value, published, path)
        elif key == "@import":
            raise GraphFileError(f"{path}: the JSON-LD @import of {value!r} is refused: contexts are never fetched")
        else:
            result[key] = _inline_contexts(value, published, path)
    return result


def _resolve_context(value: Any, published: dict[str, str | dict[str, Any]], path: Path) -> Any:
    if isinstance(value, list):
        return [_resolve_context(item, published, path) for item in value]
    if isinstance(value, str):
        if value in published:
            return published[value]
        raise GraphFileError(
            f"{path}: the JSON-LD @context {value!r} is not fetched (coopgraph never loads contexts from the "
            f"network or disk); inline it, or use {' or '.join(sorted(published)) or 'an inline context'}"
        )
    if isinstance(value, dict):
        if "@import" in value:
            raise GraphFileError(f"{path}: the JSON-LD @import of {value['@import']!r} is refused: contexts are never fetched")
        return value
    return value


def _parse_jsonld(path: Path, text: str, graph: Graph, base: str, contexts: dict[str, Any]) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GraphFileError(f"{path}, line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}") from None
    if not isinstance(data, (dict, list)):
        raise GraphFileError(f"{path}: JSON-LD must be an object or an array, not {type(data).__name__}")
    safe = _inline_contexts(data, contexts, path)
    try:
        with warnings.catch_warnings():
            # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph internally.
            warnings.filterwarnings("ignore", message="ConjunctiveGraph is deprecated", category=DeprecationWarning)
            graph.parse(data=json.dumps(safe), format="json-ld", base=base)
    except GraphFileError:
        raise
    except Exception as exc:  # the JSON-LD processor raises assorted types on invalid documents
        raise GraphFileError(f"{path}: not valid JSON-LD: {exc}") from None


def read_graph_file(path: Path, base: str, *, contexts: dict[str, Any] | None = None,
                    max_bytes: int = DEFAULT_MAX_BYTES, identifier: URIRef | None = None) -> Graph:
    """Parse one graph file into a new graph (named `identifier` when given).

    `contexts` maps context URLs we publish to their content, so files that name our
    @context are read without fetching it.
    """
    text = read_text(path, max_bytes)
    graph = Graph(identifier=identifier)
    fmt = detect_format(path, text)
    if fmt == "nt":
        _parse_ntriples(path, text, graph)
    elif fmt == "json-ld":
        _parse_jsonld(path, text, graph, base, contexts or {})
    else:
        _parse_turtle(path, text, graph, base)
    return graph


__all__ = ["DEFAULT_MAX_BYTES", "detect_format", "read_graph_file", "read_text"]
