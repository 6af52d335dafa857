"""coopgraph: the Assembly of States Parties' texts on cooperation as a paragraph-level RDF graph."""

from __future__ import annotations

from typing import Any

from coopgraph.config import Settings
from coopgraph.errors import (
    CoopgraphError,
    CorpusError,
    GraphFileError,
    ManifestError,
    QueryError,
    ReferenceNotFound,
    ValidationFailed,
)


def __getattr__(name: str) -> Any:
    """`build` and `resolve` on first use: a command that needs neither (serve, query) does not
    pay for importing the parsers and the lineage derivation."""
    if name == "build":
        from coopgraph.pipeline import build

        return build
    if name == "resolve":
        from coopgraph.resolve import resolve

        return resolve
    raise AttributeError(f"module 'coopgraph' has no attribute {name!r}")


__all__ = [
    "CoopgraphError",
    "CorpusError",
    "GraphFileError",
    "ManifestError",
    "QueryError",
    "ReferenceNotFound",
    "Settings",
    "ValidationFailed",
    "build",
    "resolve",
]
