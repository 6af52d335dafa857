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
