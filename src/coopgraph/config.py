"""Settings: one object, read from arguments or COOPGRAPH_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_BASE = "https://w3id.org/coopgraph/"


def project_root() -> Path:
    """Where the data folders live: COOPGRAPH_HOME, else the checkout this package sits in."""
    env = os.environ.get("COOPGRAPH_HOME")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to know about where things are."""

    base: str = DEFAULT_BASE
    root: Path = field(default_factory=project_root)
    out_dir: Path | None = None
    store: str | None = None  # memory | oxigraph:PATH | sparql:URL; default oxigraph:OUT/store

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        values: dict[str, object] = {}
        if base := os.environ.get("COOPGRAPH_BASE"):
            values["base"] = base
        if out := os.environ.get("COOPGRAPH_OUT"):
            values["out_dir"] = Path(out)
        if store := os.environ.get("COOPGRAPH_STORE"):
            values["store"] = store
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)  # type: ignore[arg-type]
        if not settings.base.endswith("/"):
            raise ValueError(f"the base IRI must end with '/': {settings.base!r}")
        return settings

    @property
    def corpus_dir(self) -> Path:
        return self.root / "corpus"

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def output_dir(self) -> Path:
        return self.out_dir or self.root / "build"

    @property
    def store_spec(self) -> str:
        return self.store or "oxigraph"

    @property
    def store_dir(self) -> Path:
        """Where the default Oxigraph store lives: beside the built files."""
        return self.output_dir / "store"

    @property
    def graph_file(self) -> Path:
        return self.output_dir / "coopgraph.nt"

    def open_store(self):  # type: ignore[no-untyped-def]
        """The store this configuration names (see coopgraph.store)."""
        from coopgraph.store import open_store

        return open_store(self.store_spec, self.base, self.graph_file, self.store_dir)
