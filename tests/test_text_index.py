"""The full-text index: any typed text is a query (never an FTS5 syntax error), one index per
version of the graph, written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgraph import text_index

ROWS = [("urn:a", "A, para. 1", "Takes note of the report on arrest strategies by the Rapporteur"),
        ("urn:b", "B, para. 2", "Calls upon States to enter into witness relocation agreements"),
        ("urn:c", "C, para. 3", "Urges the execution of outstanding arrest warrants")]


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> text_index.TextIndex:
    path = tmp_path_factory.mktemp("index") / "search" / "v1.sqlite"
    assert text_index.build(ROWS, path) == 3
    return text_index.TextIndex(path)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_typed_text_is_a_query(index, typed):
    found = index.search(typed)
    assert found.total >= len(found.hits) >= 0


def test_stems_phrases_and_prefixes(index):
    assert [h.iri for h in index.search("arrest strategy").hits] == ["urn:a"]
    assert {h.iri for h in index.search("arrest").hits} == {"urn:a", "urn:c"}
    assert [h.iri for h in index.search('"arrest warrants"').hits] == ["urn:c"]
    assert index.search("relocat").total == 0 and [h.iri for h in index.search("relocat*").hits] == ["urn:b"]
    assert [h.iri for h in index.search("witness relocat*").hits] == ["urn:b"]
    marked = index.search("arrest strategies").hits[0].snippet_html()
    assert "<mark>arrest</mark> <mark>strategies</mark>" in marked


def test_the_snippet_is_escaped_around_its_marks(tmp_path):
    path = tmp_path / "x.sqlite"
    text_index.build([("urn:x", "X", "<script>alert(1)</script> arrest & <b>warrants</b>")], path)
    html = str(text_index.TextIndex(path).search("arrest").hits[0].snippet_html())
    assert "<script>" not in html and "&lt;script&gt;" in html and "<mark>arrest</mark>" in html


class FakeStore:
    def __init__(self, version: str | None):
        self._version = version
        self.reads = 0

    def version(self) -> str | None:
        return self._version

    def select_strings(self, query: str) -> list[tuple[str | None, ...]]:
        self.reads += 1
        return list(ROWS)


def test_one_index_per_version_and_old_ones_pruned(tmp_path: Path):
    stores = [FakeStore(f"v{n}") for n in range(5)]
    for store in stores:
        assert text_index.for_store(store, tmp_path, keep=3).search("arrest").total == 2
    assert sorted(p.name for p in (tmp_path / "search").glob("*.sqlite")) == ["v2.sqlite", "v3.sqlite", "v4.sqlite"]
    text_index.for_store(stores[-1], tmp_path)
    assert stores[-1].reads == 1, "an index made for a version is made once"
    assert not list((tmp_path / "search").glob(".*")), "no temporary file is left behind"
