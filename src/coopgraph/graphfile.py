"""Read a graph file someone hands us (Turtle, N-Triples, JSON-LD) or refuse it with a clear error.

Every refusal is a GraphFileError naming the file and, for syntax errors, the line and
column. Nothing is fetched: a JSON-LD @context must be inline or our own published one.
"""

from __future__ import annotations

import json
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
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


_LOADER_LOCK = threading.Lock()


@contextmanager
def _contexts_never_fetched(path: Path, published: dict[str, Any]) -> Iterator[None]:
    """rdflib's JSON-LD processor, with a document loader that serves our published contexts from
    memory and refuses every other one: remote, file:, @import, or scoped inside a term or type
    definition at any depth. rdflib fetches every context through this one function."""
    import rdflib.plugins.shared.jsonld.context as jsonld_context

    def load(source: Any, *args: Any, **kwargs: Any) -> tuple[Any, None]:
        url = str(source)
        if url in published:
            return {"@context": published[url]}, None
        raise GraphFileError(
            f"{path}: the JSON-LD context {url!r} is not fetched (coopgraph never loads contexts from the network "
            f"or disk, at any depth); inline it, or use {' or '.join(sorted(published)) or 'an inline context'}")

    with _LOADER_LOCK:
        original = jsonld_context.source_to_json
        jsonld_context.source_to_json = load  # type: ignore[assignment]
        try:
            yield
        finally:
            jsonld_context.source_to_json = original


def _parse_jsonld(path: Path, text: str, graph: Graph, base: str, contexts: dict[str, Any]) -> None:
    too_deep = GraphFileError(f"{path}: the JSON is nested too deeply to be read; no graph file needs that depth")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GraphFileError(f"{path}, line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise too_deep from None
    if not isinstance(data, (dict, list)):
        raise GraphFileError(f"{path}: JSON-LD must be an object or an array, not {type(data).__name__}")
    try:
        with warnings.catch_warnings(), _contexts_never_fetched(path, contexts):
            # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph internally.
            warnings.filterwarnings("ignore", message="ConjunctiveGraph is deprecated", category=DeprecationWarning)
            graph.parse(data=json.dumps(data), format="json-ld", base=base)
    except GraphFileError:
        raise
    except RecursionError:
        raise too_deep from None
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
