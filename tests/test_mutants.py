"""The two SHACL engines on a mutation corpus: the real graph broken one constraint at a time
(tests/support/mutants.py). For every mutant both engines report the same findings in full, the
constraint it was built to break is among them, and nothing unrelated is."""

from __future__ import annotations

import pytest
from rdflib import Graph

from coopgraph.validate import load_shapes, validate_graph
from tests.conftest import BASE, ROOT
from tests.support.mutants import Mutant, corpus

# Shapes that break together by design: one fact serves both (a citation and the edge it
# supports; a number and the numbering of its siblings; a stated count and the completeness it
# proves; ...). A mutant may trigger its own shape and these, nothing else.
TOGETHER = [
    {"citation", "citation span", "cites edge", "cited node"},
    {"derivation evidence", "derivation edge", "cited node", "stated derivation", "text derivation", "inferred derivation"},
    {"numbering", "number", "position", "numbered paragraph", "lettered item", "operative paragraph", "unnumbered paragraph",
     "unit of a corpus document", "recommendation", "completeness", "topic tag"},
    {"session", "session number", "due session"},
    {"stated count", "completeness"},
    {"topic tag", "tagged unit", "topic"},
    {"verb of the scheme", "operative verb", "mandating verb"},
    {"corpus document", "mandate status"},
    {"deadline", "due session"},
    {"marked placeholder", "placeholder", "paragraph", "operative paragraph without verb"},
    # a mandate link follows a paragraph link and joins two clauses by an actor both ask
    {"derivation edge", "derivation evidence", "mandate link"},
    {"actor reference", "mandate link"},
]


def related(shape: str) -> set[str]:
    return {shape}.union(*(group for group in TOGETHER if shape in group))


@pytest.fixture(scope="module")
def shapes(settings) -> Graph:
    return load_shapes(settings.shapes_dir, settings.base)


@pytest.fixture(scope="module")
def mutants(graph, shapes) -> list[Mutant]:
    return corpus(shapes, graph)


@pytest.fixture(scope="module")
def baseline(graph, shapes) -> dict[str, set]:
    return {engine: {_key(f) for f in validate_graph(graph, shapes, engine).findings} for engine in ("turbo", "pyshacl")}


def _key(finding) -> tuple:
    return (finding.severity, finding.focus, finding.path, finding.shape, finding.message)


def test_the_corpus_covers_every_shape_and_is_large_enough(mutants, shapes):
    from rdflib.namespace import RDF, SH
    assert len(mutants) >= 60
    named = {str(shapes.value(s, SH.name)) for s in shapes.subjects(RDF.type, SH.NodeShape)}
    covered = {m.shape for m in mutants}
    assert covered == named  # every shape of shapes/ has a mutant that breaks it
    assert {"numbering", "completeness", "derivation edge", "stated derivation", "text derivation", "mandate status",
            "citation span"} <= covered  # the SPARQL constraints


def test_both_engines_report_the_same_for_every_mutant(graph, shapes, mutants, baseline):
    problems = []
    for mutant in mutants:
        broken = mutant.apply(graph)
        found = {}
        for engine in ("turbo", "pyshacl"):
            report = validate_graph(broken, shapes, engine)
            found[engine] = {_key(f): f.shape_name for f in report.findings if _key(f) not in baseline[engine]}
        if set(found["turbo"]) != set(found["pyshacl"]):
            problems.append(f"{mutant.name}: engines differ: turbo only {set(found['turbo']) - set(found['pyshacl'])}, "
                            f"pyshacl only {set(found['pyshacl']) - set(found['turbo'])}")
            continue
        names = set(found["turbo"].values())
        if mutant.shape not in names:
            problems.append(f"{mutant.name}: does not trigger {mutant.shape!r} (found {sorted(names)})")
        elif not names <= related(mutant.shape):
            problems.append(f"{mutant.name}: also triggers {sorted(names - related(mutant.shape))}")
    assert not problems, "\n".join(problems)


def test_one_missing_recommendation_is_one_numbering_violation_naming_it(tmp_path, built_dir):
    from tests.conftest import cli
    broken = tmp_path / "broken.nt"
    rec = f"<{BASE}doc/ICC-ASP/6/21/rec/17>"
    lines = (built_dir / "coopgraph.nt").read_text(encoding="utf-8").splitlines()
    broken.write_text("\n".join(line for line in lines if rec not in line) + "\n", encoding="utf-8")
    for engine in ("turbo", "pyshacl"):
        done = cli("validate", "--only", str(broken), "--engine", engine, root=ROOT)
        assert done.returncode == 1
        numbering = [line for line in done.stdout.splitlines() + done.stderr.splitlines() if "numbering:" in line]
        assert numbering == ["  Violation numbering: the Recommendation unit numbered 17 is missing: the numbers run past it to 66"], engine
        assert "66" in done.stdout + done.stderr and "completeness" in done.stdout + done.stderr
