"""Shared fixtures: the real corpus parsed once, and its graph built once, per test session."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from coopgraph.config import Settings
from coopgraph.corpus.parse import parse_corpus
from coopgraph.corpus.records import ParsedDocument
from coopgraph.pipeline import build
from tests.support.ports import free_port
from tests.support.processes import stop_process

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/coopgraph/"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(base=BASE, root=ROOT)


@pytest.fixture(scope="session")
def documents(settings: Settings) -> dict[str, ParsedDocument]:
    _, docs = parse_corpus(settings.corpus_dir)
    return {doc.doc_id: doc for doc in docs}


@pytest.fixture(scope="session")
def graph(settings: Settings) -> Graph:
    return build(settings)


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the project's data folders, for tests that damage the corpus."""
    for name in ("corpus", "ontology", "queries", "shapes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def cli(*args: str, root: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a fresh process, as a user would."""
    return subprocess.run([sys.executable, "-m", "coopgraph.cli", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})})


def iri(path: str) -> URIRef:
    return URIRef(BASE + path)


def source_text(name: str) -> str:
    return (ROOT / "corpus" / name).read_text(encoding="utf-8")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class RunningServer:
    """`coopgraph serve` in its own process on 127.0.0.1, stopped at the end."""

    def __init__(self, out: Path, env: dict[str, str] | None = None):
        import time
        import urllib.request

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = out / f"serve-{self.port}.log"
        self.log_handle = self.log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coopgraph.cli", "--root", str(ROOT), "--out", str(out), "serve",
             "--port", str(self.port)],
            stdout=self.log_handle, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped at start-up:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/queries", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the server did not start in time:\n{self.log.read_text()}")

    def stop(self) -> None:
        stop_process(self.process, 15)
        self.log_handle.close()


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The graph built once by the real command, for servers to serve."""
    from coopgraph.pipeline import build_all

    out = tmp_path_factory.mktemp("served")
    build_all(Settings(base=BASE, root=ROOT, out_dir=out))  # the library's own build, in this process
    return out


def serving(out: Path, **settings: str):
    """A fixture's body: `coopgraph serve` with these COOPGRAPH_* settings, stopped afterwards."""
    running = RunningServer(out, env={f"COOPGRAPH_{name.upper()}": value for name, value in settings.items()})
    yield running
    running.stop()


@pytest.fixture(scope="session")
def server(built_dir: Path):
    """A real server with small limits, so that the tests can reach them."""
    yield from serving(built_dir, query_timeout="2", max_rows="50", query_workers="2")
