"""The server's settings: one object, from command-line flags or COOPGRAPH_* environment variables."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from coopgraph.config import Settings
from coopgraph.errors import SettingsError


def _env(name: str, default: str) -> str:
    return os.environ.get(f"COOPGRAPH_{name}", default)


def default_query_workers() -> int:
    """One query worker per core and one more, at least 2 and at most 8: a worker waits for its
    next query while the server reads the last answer, and with one per core the cores idled
    meanwhile (8 clients: 0.66x the Oxigraph server's answers per second with 2 workers on 2 cores,
    0.71x with 3). Each Oxigraph worker holds only a read handle; a memory-store worker holds a
    copy of the graph, so set fewer for a large graph in memory."""
    return max(2, min(8, (os.cpu_count() or 1) + 1))


@dataclass(frozen=True)
class ServeSettings:
    """Where to listen, what to serve, and the limits every query runs under."""

    project: Settings = field(default_factory=Settings)
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = 10.0
    max_rows: int = 10_000
    query_workers: int = field(default_factory=default_query_workers)
    max_query_bytes: int = 256_000
    workers: int = 1  # server processes, each with its own query workers, all over one store
    client_budget: float = 30.0  # seconds of query time per client per minute; 0: no budget
    query_memory: int = 4096  # MB of address space per query worker; 0: no limit
    max_connections: int = 512  # open connections at once; more are closed on arrival
    header_timeout: float = 10.0  # seconds a connection has to send a request's headers
    forwarded_allow_ips: str = ""  # proxies whose X-Forwarded-For is believed (comma-separated); none by default
    public_url: str = ""  # the address the server is reached at (links, VoID); default http://HOST:PORT/

    @classmethod
    def from_env(cls, project: Settings, **overrides: object) -> ServeSettings:
        values: dict[str, object] = {
            "host": _env("HOST", "127.0.0.1"),
            "port": int(_env("PORT", "8000")),
            "query_timeout": float(_env("QUERY_TIMEOUT", "10")),
            "max_rows": int(_env("MAX_ROWS", "10000")),
            "query_workers": int(_env("QUERY_WORKERS", str(default_query_workers()))),
            "workers": int(_env("WORKERS", "1")),
            "client_budget": float(_env("CLIENT_BUDGET", "30")),
            "query_memory": int(_env("QUERY_MEMORY", "4096")),
            "max_connections": int(_env("MAX_CONNECTIONS", "512")),
            "header_timeout": float(_env("HEADER_TIMEOUT", "10")),
            "forwarded_allow_ips": _env("FORWARDED_ALLOW_IPS", ""),
            "public_url": _env("PUBLIC_URL", ""),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(project=project, **values)  # type: ignore[arg-type]
        if min(settings.query_timeout, settings.max_rows, settings.query_workers, settings.workers) <= 0:
            raise SettingsError("query timeout, max rows, query workers and workers must be positive")
        if settings.client_budget < 0:
            raise SettingsError("the client budget must be 0 (none) or a positive number of seconds")
        if settings.query_memory < 0 or settings.max_connections <= 0 or settings.header_timeout <= 0:
            raise SettingsError("query memory must be 0 (no limit) or positive; max connections and the header "
                             "timeout must be positive")
        if not settings.public_url:
            settings = dataclasses.replace(settings, public_url=f"http://{settings.host}:{settings.port}/")
        elif not settings.public_url.endswith("/"):
            settings = dataclasses.replace(settings, public_url=settings.public_url + "/")
        return settings

    def environment(self) -> dict[str, str]:
        """These settings as COOPGRAPH_* variables: how server processes started by uvicorn get them."""
        project = self.project
        values = {"HOME": str(project.root), "CORPUS": str(project.corpus_dir), "OUT": str(project.output_dir), "BASE": project.base,
                  "STORE": project.store_spec, "HOST": self.host, "PORT": str(self.port),
                  "QUERY_TIMEOUT": repr(self.query_timeout), "MAX_ROWS": str(self.max_rows),
                  "QUERY_WORKERS": str(self.query_workers), "WORKERS": str(self.workers),
                  "CLIENT_BUDGET": repr(self.client_budget), "QUERY_MEMORY": str(self.query_memory),
                  "MAX_CONNECTIONS": str(self.max_connections), "HEADER_TIMEOUT": repr(self.header_timeout),
                  "FORWARDED_ALLOW_IPS": self.forwarded_allow_ips, "PUBLIC_URL": self.public_url}
        return {f"COOPGRAPH_{k}": v for k, v in values.items()}

    @property
    def graph_file(self) -> Path:
        return self.project.graph_file
