"""The layers hold: the core (corpus, graph, lineage, store, ...) never imports SPARQL's package or
a view; `coopgraph.sparql` never imports a view (the web, the command line); and no code outside
store/ asks which kind of store it has."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "coopgraph"
VIEWS = ("coopgraph.web", "coopgraph.cli")


def modules() -> dict[str, ast.Module]:
    return {str(path.relative_to(SRC)): ast.parse(path.read_text(encoding="utf-8")) for path in SRC.rglob("*.py")}


def test_no_import_runs_from_the_core_up_to_a_view():
    upward = []
    for name, tree in modules().items():
        if name.startswith("web/") or name == "cli.py":
            continue
        for node in ast.walk(tree):
            imported = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            upward += [(name, m) for m in imported if m.startswith(VIEWS)]
    assert not upward, upward


def test_the_core_never_imports_the_sparql_package():
    """core <- sparql <- web and CLI: the package of SPARQL sits between them."""
    upward = []
    for name, tree in modules().items():
        if name.startswith(("web/", "sparql/")) or name == "cli.py":
            continue
        for node in ast.walk(tree):
            imported = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            if isinstance(node, ast.ImportFrom) and node.module == "coopgraph":
                imported = [f"coopgraph.{a.name}" for a in node.names]
            upward += [(name, m) for m in imported if m == "coopgraph.sparql" or m.startswith("coopgraph.sparql.")]
    assert not upward, upward


def test_no_code_outside_store_switches_on_the_kind_of_store():
    switching = []
    for path in SRC.rglob("*.py"):
        rel = str(path.relative_to(SRC))
        if rel.startswith("store/"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"store\.kind\b|store_spec\.startswith\(|isinstance\([^)]*(MemoryStore|OxigraphStore|SparqlStore)", line):
                switching.append(f"{rel}:{number}: {line.strip()}")
    assert not switching, switching
