"""coopgraph: the Assembly of States Parties' texts on cooperation as a paragraph-level RDF graph."""

from __future__ import annotations

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
from coopgraph.pipeline import build
from coopgraph.resolve import resolve

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
