"""The server's settings: one object, from command-line flags or COOPGRAPH_* environment variables."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def setting(default: object = dataclasses.MISSING, *, what: str, shown: str | None = None, low: float | None = None,
            high: float | None = None, default_factory: object = dataclasses.MISSING) -> Any:
    """A serve setting, declared once: its default, what it does (the flag's help and the README
    table's words), how the default is shown, and its least value. The flag (--name-with-dashes),
    the COOPGRAPH_NAME variable and the README row are made from this (see `SETTINGS`)."""
    meta = {"what": what, "shown": shown, "low": low, "high": high}
    if default_factory is not dataclasses.MISSING:
        return field(default_factory=default_factory, metadata=meta)  # type: ignore[call-overload]
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class ServeSettings:
    """Where to listen, what to serve, and the limits every query runs under."""

    project: Settings = field(default_factory=Settings)
    host: str = setting("127.0.0.1", what="address to listen on")
    port: int = setting(8000, what="port to listen on", low=1, high=65535)
    public_url: str = setting("", shown="`http://HOST:PORT/`", what="the address users reach, for links and the "
                              "service description and VoID; the `Host` header is never used")
    query_timeout: float = setting(10.0, shown="10 s", what="seconds a SPARQL query may run before it is stopped", low=0.1)
    max_rows: int = setting(10_000, what="most rows or triples a query returns; more is truncated and says so", low=1)
    query_workers: int = setting(default_factory=default_query_workers, shown="cores + 1 (2 to 8)",
                                 what="processes that run SPARQL queries", low=1)
    query_memory: int = setting(4096, shown="4096 MB", what="MB of memory each query process may use; past it the query "
                                "gets 503 and the process is replaced; 0: no limit", low=0)
    workers: int = setting(1, what="server processes sharing the port, all reading the one store", low=1)
    client_budget: float = setting(30.0, shown="30 s", what="seconds of query time each client (its network) may use per "
                                   "minute; past it, 429 with `Retry-After`; 0: off", low=0)
    max_connections: int = setting(512, what="open connections at once, a quarter of them per network (a /24, a /64); "
                                   "more are closed on arrival", low=1)
    header_timeout: float = setting(10.0, shown="10 s", what="seconds a connection has to send a request's headers", low=0.1)
    forwarded_allow_ips: str = setting("", shown="none", what="reverse proxies whose `X-Forwarded-For` names the client "
                                       "(comma-separated)")
    max_query_bytes: int = 256_000

    @classmethod
    def from_env(cls, project: Settings, **overrides: object) -> ServeSettings:
        values: dict[str, object] = {}
        for item in SETTINGS:  # each from its COOPGRAPH_ variable, read as its default's type
            raw = os.environ.get(env_name(item))
            if raw is not None:
                kind = type(item.default) if item.default is not dataclasses.MISSING else int
                values[item.name] = kind(raw)
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
        values = {"COOPGRAPH_HOME": str(project.root), "COOPGRAPH_CORPUS": str(project.corpus_dir),
                  "COOPGRAPH_OUT": str(project.output_dir), "COOPGRAPH_BASE": project.base, "COOPGRAPH_STORE": project.store_spec}
        for item in SETTINGS:
            value = getattr(self, item.name)
            values[env_name(item)] = repr(value) if isinstance(value, float) else str(value)
        return values

    @property
    def graph_file(self) -> Path:
        return self.project.graph_file


# The settings a user sets (every field declared with `setting`), in the order the README lists them.
SETTINGS = tuple(f for f in dataclasses.fields(ServeSettings) if "what" in f.metadata)


def env_name(item: dataclasses.Field[Any]) -> str:
    return "COOPGRAPH_" + item.name.upper()


def flag_name(item: dataclasses.Field[Any]) -> str:
    return "--" + item.name.replace("_", "-")


def shown_default(item: dataclasses.Field[Any]) -> str:
    return str(item.metadata["shown"] or (item.default if item.default is not dataclasses.MISSING else ""))


def settings_table() -> str:
    """The README's table of settings, made from the declarations above."""
    rows = ["| flag | variable | default | what |", "|---|---|---|---|"]
    rows += [f"| `{flag_name(i)}` | `{env_name(i)}` | {shown_default(i)} | {i.metadata['what']} |" for i in SETTINGS]
    return "\n".join(rows)
