"""Settings: one object, read from arguments or COOPGRAPH_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from coopgraph.errors import SettingsError

DEFAULT_BASE = "https://w3id.org/coopgraph/"


DATA_FOLDERS = ("corpus", "ontology", "shapes", "queries")


def checkout_root() -> Path | None:
    """The source checkout this package runs from (an editable install), if it is one."""
    here = Path(__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").is_file() and all((here / d).is_dir() for d in DATA_FOLDERS) else None


def bundled_root() -> Path:
    """The data folders the installed package ships (coopgraph/data in the wheel)."""
    return Path(str(resources.files("coopgraph").joinpath("data")))


def project_root() -> Path:
    """Where the data folders live: COOPGRAPH_HOME, else the checkout this package sits in, else
    the copy the package ships."""
    env = os.environ.get("COOPGRAPH_HOME")
    if env:
        return Path(env)
    return checkout_root() or bundled_root()


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to know about where things are."""

    base: str = DEFAULT_BASE
    root: Path = field(default_factory=project_root)
    out_dir: Path | None = None
    store: str | None = None  # memory | oxigraph:PATH | sparql:URL; default oxigraph:OUT/store
    corpus: Path | None = None  # the corpus folder; default ROOT/corpus (the bundled corpus when installed)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        values: dict[str, object] = {}
        if base := os.environ.get("COOPGRAPH_BASE"):
            values["base"] = base
        if out := os.environ.get("COOPGRAPH_OUT"):
            values["out_dir"] = Path(out)
        if store := os.environ.get("COOPGRAPH_STORE"):
            values["store"] = store
        if corpus := os.environ.get("COOPGRAPH_CORPUS"):
            values["corpus"] = Path(corpus)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)  # type: ignore[arg-type]
        if not settings.base.endswith("/"):
            raise SettingsError(f"the base IRI must end with '/': {settings.base!r}")
        return settings

    @property
    def corpus_dir(self) -> Path:
        return self.corpus or self.root / "corpus"

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
        """--out; else build/ beside the data folders of a checkout or a --root folder; else, for an
        installed package (whose data is read-only), build/ in the current folder."""
        if self.out_dir is not None:
            return self.out_dir
        return Path.cwd() / "build" if self.root == bundled_root() else self.root / "build"

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
