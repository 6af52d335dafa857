"""Every error coopgraph raises on purpose, so callers catch one family.

    CoopgraphError                 base: a message a user can act on
    ├── CorpusError                a source document or the manifest is malformed
    │   └── ManifestError          the manifest itself is wrong
    ├── ReferenceNotFound          a reference resolves to nothing (carries suggestions)
    ├── QueryError                 a SPARQL query fails as it runs
    │   ├── QuerySyntaxError       it cannot be read
    │   ├── QueryForbidden         it asks for what coopgraph does not do (update, SERVICE, FROM outside)
    │   └── ParameterError         a named query's parameter is not what its header says
    ├── GraphFileError             a graph file cannot be read (syntax, encoding, size)
    └── ValidationFailed           the graph does not conform to the shapes

Each error names what was wrong and where, and says what to do next.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "CoopgraphError",
    "CorpusError",
    "GraphFileError",
    "ManifestError",
    "ParameterError",
    "QueryError",
    "QueryForbidden",
    "QuerySyntaxError",
    "ReferenceNotFound",
    "ValidationFailed",
]


class CoopgraphError(Exception):
    """Base class: the message is meant for the user, never a traceback."""

    exit_code = 2


class CorpusError(CoopgraphError):
    """A source document cannot be parsed; names the file and line."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}"
            if line is not None:
                where += f", line {line}"
            where += ": "
        super().__init__(where + message)
        self.message = message
        self.path = path
        self.line = line


class ManifestError(CorpusError):
    """The corpus manifest is missing, unreadable or inconsistent."""


class ReferenceNotFound(CoopgraphError):
    """A reference names no node of the graph; carries the nearest matches."""

    def __init__(self, reference: str, reason: str, suggestions: list[tuple[str, str]] | None = None):
        self.reference = reference
        self.reason = reason
        self.suggestions = suggestions or []
        message = f"unknown reference {reference!r}: {reason}"
        if self.suggestions:
            lines = "\n".join(f"  {label}  <{iri}>" for label, iri in self.suggestions)
            message += f"\nnearest matches:\n{lines}"
        super().__init__(message)


class SettingsError(CoopgraphError, ValueError):
    """A setting out of its range (a base IRI without its '/', a negative limit): the user's to fix."""


class QueryError(CoopgraphError):
    """A SPARQL query could not be run."""


class QuerySyntaxError(QueryError):
    """A query cannot be read: a syntax error, nesting too deep, an escape that spells another."""


class QueryForbidden(QueryError):
    """A query asks for what coopgraph never does: an update, SERVICE, a FROM of another graph, a
    server's extensions, the network."""


class ParameterError(QueryError):
    """A named query's parameter is unknown, or not of the kind its header declares."""


class GraphFileError(CoopgraphError):
    """A graph file (Turtle, N-Triples, JSON-LD) cannot be read."""


class ValidationFailed(CoopgraphError):
    """The graph does not conform to the SHACL shapes."""

    exit_code = 1


class PortInUse(CoopgraphError):
    """The address the server is to listen on is taken (another server, or another coopgraph)."""

    exit_code = 3
