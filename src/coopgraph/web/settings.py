"""The server's settings: one object, from command-line flags or COOPGRAPH_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from coopgraph.config import Settings


def _env(name: str, default: str) -> str:
    return os.environ.get(f"COOPGRAPH_{name}", default)


@dataclass(frozen=True)
class ServeSettings:
    """Where to listen, what to serve, and the limits every query runs under."""

    project: Settings = field(default_factory=Settings)
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = 10.0
    max_rows: int = 10_000
    query_workers: int = 2
    max_query_bytes: int = 256_000

    @classmethod
    def from_env(cls, project: Settings, **overrides: object) -> ServeSettings:
        values: dict[str, object] = {
            "host": _env("HOST", "127.0.0.1"),
            "port": int(_env("PORT", "8000")),
            "query_timeout": float(_env("QUERY_TIMEOUT", "10")),
            "max_rows": int(_env("MAX_ROWS", "10000")),
            "query_workers": int(_env("QUERY_WORKERS", "2")),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(project=project, **values)  # type: ignore[arg-type]
        if settings.query_timeout <= 0 or settings.max_rows <= 0 or settings.query_workers <= 0:
            raise ValueError("query timeout, max rows and query workers must be positive")
        return settings

    @property
    def graph_file(self) -> Path:
        return self.project.graph_file
