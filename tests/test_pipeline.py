"""The library owns the build: one function runs every step and reports it, and the command line
is a view of it (the same files, byte for byte)."""

from __future__ import annotations

from pathlib import Path

from coopgraph.config import Settings
from coopgraph.pipeline import build_all
from tests.conftest import BASE, ROOT, cli


def test_one_function_builds_what_the_command_builds(tmp_path: Path):
    said: list[str] = []
    report = build_all(Settings(base=BASE, root=ROOT, out_dir=tmp_path / "lib"), say=said.append)
    assert report.validation is not None and report.validation.conforms
    assert report.loaded == len(report.graph) and report.index is not None and report.index.exists()
    assert said[0].startswith("built ") and said[1].startswith("validated: ") and said[-1].startswith("  search ")
    done = cli("--out", str(tmp_path / "cli"), "build")
    assert done.returncode == 0, done.stderr
    for name in ("coopgraph.ttl", "coopgraph.nt", "coopgraph.jsonld", "context.jsonld"):
        assert (tmp_path / "lib" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name
