"""The README quotes the benchmark figures of docs/benchmarks.md; this keeps the two the same, so
a new benchmark run that changes a figure fails here until the README says it too."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def peer_means() -> dict[str, str]:
    """The geometric mean of coopgraph's time over the Oxigraph server's, per corpus, from the
    section 'coopgraph beside its peers' of docs/benchmarks.md."""
    text = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    section = text.split("## coopgraph beside its peers", 1)[1].split("\n## ", 1)[0]
    means = {}
    for corpus in ("real corpus", "synthetic"):
        part = section.split(f"### {corpus}", 1)[1]
        means[corpus] = re.search(r"\*\*geometric mean\*\*[ |]*\*\*([\d.]+)x\*\*", part).group(1)  # type: ignore[union-attr]
    return means


def test_the_readme_quotes_the_speed_the_benchmarks_measured():
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    at_million = re.search(r"at 1M triples coopgraph answers never-seen queries in ([\d.]+)x", readme)
    at_corpus = re.search(r"at the real corpus, where most answers take [^,]+, in ([\d.]+)x", readme)
    assert at_million and at_corpus, "the README no longer says how fast coopgraph is beside the Oxigraph server"
    means = peer_means()
    assert at_million.group(1) == means["synthetic"], (at_million.group(1), means)
    assert at_corpus.group(1) == means["real corpus"], (at_corpus.group(1), means)
