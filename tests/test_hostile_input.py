"""Hostile input files: random and mutated texts through the corpus parsers, references through
the resolver, and bytes through the graph-file reader never crash or hang: they parse, or they
stop with the project's own error. And a checked-in set of malformed documents, each with its
clear error and the previous outputs left whole."""

from __future__ import annotations

import hashlib
import os
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopgraph.corpus.clean import read_lines, vocabulary
from coopgraph.corpus.manifest import load_manifest
from coopgraph.corpus.parse import PARSERS, read_source
from coopgraph.errors import CoopgraphError, CorpusError
from coopgraph.graphfile import read_graph_file
from coopgraph.resolve import resolve
from tests.conftest import BASE, ROOT, cli
from tests.reliability import record

MANIFEST = load_manifest(ROOT / "corpus" / "manifest.toml")
TEXTS = {e.id: (ROOT / "corpus" / e.file).read_text(encoding="utf-8") for e in MANIFEST.documents}
VOCAB = vocabulary(TEXTS.values())
MALFORMED = ROOT / "tests" / "data" / "malformed"
CASES = tomllib.loads((MALFORMED / "cases.toml").read_text(encoding="utf-8"))["case"]
FUZZ = settings(max_examples=int(os.environ.get("COOPGRAPH_FUZZ_EXAMPLES", "60")), deadline=5000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def mutated(draw, text: str) -> str:
    """The text with a few edits: cut, slices deleted or doubled, lines swapped, noise put in."""
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 2000)))
        how = draw(st.sampled_from(["cut", "delete", "double", "noise", "swap-lines", "renumber"]))
        if how == "cut":
            text = text[:i]
        elif how == "delete":
            text = text[:i] + text[j:]
        elif how == "double":
            text = text[:j] + text[i:j] + text[j:]
        elif how == "noise":
            text = text[:i] + draw(st.text(max_size=40)) + text[i:]
        elif how == "swap-lines":
            lines = text.split("\n")
            a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
        else:
            text = text[:i] + f"\n{draw(st.integers(0, 99))}. " + text[i:]
    return text


def parse_or_refuse(entry, text: str) -> None:
    try:
        PARSERS[entry.shape](entry, read_lines(text), VOCAB)
    except CorpusError as exc:
        assert exc.message, "a refusal must say why"


@pytest.mark.parametrize("entry", MANIFEST.documents, ids=lambda e: e.id)
def test_mutated_documents_parse_or_are_refused(entry):
    @FUZZ
    @given(mutated(TEXTS[entry.id]))
    def check(text: str) -> None:
        parse_or_refuse(entry, text)

    check()


@FUZZ
@given(st.sampled_from(MANIFEST.documents), st.text(max_size=3000))
def test_random_text_parses_or_is_refused(entry, text):
    parse_or_refuse(entry, text)


@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes_as_a_source_file_are_read_or_refused(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("source") / "doc.txt"
    path.write_bytes(data)
    try:
        assert isinstance(read_source(path), str)
    except CorpusError as exc:
        assert exc.path == path


@FUZZ
@given(reference=st.one_of(st.text(max_size=200), st.from_regex(
    r"(ICC-ASP/\d{1,3}/(Res\.\d{1,2}|\d{1,3})|asp\d+[\w-]*)([ ,]+(para\.?|paragraph|rec|annex|item) [\w()]{1,6}){0,3}",
    fullmatch=True)))
def test_any_reference_resolves_or_is_not_found(graph, reference):
    try:
        found = resolve(graph, BASE, reference)
    except CoopgraphError as exc:
        assert str(exc)
    else:
        assert str(found.iri).startswith(BASE)


@pytest.fixture(scope="module")
def graph_files(built_dir) -> dict[str, bytes]:
    return {suffix: (built_dir / f"coopgraph.{suffix}").read_bytes()[:20_000] for suffix in ("nt", "ttl", "jsonld")}


@FUZZ
@given(suffix=st.sampled_from(["nt", "ttl", "jsonld"]), cut=st.integers(0, 20_000), noise=st.binary(max_size=60),
       where=st.integers(0, 20_000))
def test_damaged_graph_files_are_read_or_refused(tmp_path_factory, graph_files, suffix, cut, noise, where):
    data = graph_files[suffix][:cut]
    data = data[:where] + noise + data[where:]
    path = tmp_path_factory.mktemp("graph") / f"damaged.{suffix}"
    path.write_bytes(data)
    try:
        read_graph_file(path, BASE)
    except CoopgraphError as exc:
        assert path.name in str(exc), f"the error must name the file: {exc}"


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory):
    """A corpus copy with its outputs built once; each case damages one source and builds again."""
    import shutil

    root = tmp_path_factory.mktemp("malformed-root")
    for name in ("corpus", "ontology", "queries", "shapes"):
        shutil.copytree(ROOT / name, root / name)
    out = root / "out"
    assert cli("--out", str(out), "build", root=root).returncode == 0
    return root, out


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["file"])
def test_each_malformed_document_gets_its_clear_error(case, built_copy):
    root, out = built_copy
    target = root / "corpus" / "icc-asp-14-res-3_resolution-on-cooperation_2015.txt"
    original = target.read_bytes()
    if "generate" in case:
        target.write_bytes((original * (case["generate"] // len(original) + 1))[:case["generate"]])
    else:
        target.write_bytes((MALFORMED / case["file"]).read_bytes())
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir() if p.is_file()}
    try:
        result = cli("--out", str(out), "build", root=root)
    finally:
        target.write_bytes(original)
    assert result.returncode == 2, result.stderr
    assert target.name in result.stderr and case["message"] in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir() if p.is_file()}
    assert after == before, "a refused build changed the previous outputs"
    record("malformed document", {"file": case["file"], "exit": result.returncode,
                                  "message": result.stderr.strip().splitlines()[-1][:200]})
