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


IRI_SPELLED = re.compile(r"""\{[\w.]*base\}(?:doc|session|actor|verb|topic|source|graph)/|base \+ ["'](?:doc|session|actor|graph)/"""
                         r"""|\{\w+\}/(?:citation|mandate|derivation|topic|count|recall)/\{""")


def test_the_iri_scheme_is_spelled_in_one_place():
    """Every IRI the graph mints comes from coopgraph.graph.iris: a base and a space, or a unit and
    a node it owns, are never joined by hand elsewhere (a second spelling drifts, as `--base` did)."""
    spelled = []
    for path in SRC.rglob("*.py"):
        rel = str(path.relative_to(SRC))
        if rel in {"graph/iris.py", "synthetic.py"}:  # synthetic archives write N-Triples text of their own base
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr | ast.BinOp) and IRI_SPELLED.search(code := ast.unparse(node)):
                spelled.append(f"{rel}:{node.lineno}: {code}")
    assert not spelled, spelled


def _imported(tree: ast.Module) -> set[str]:
    """The coopgraph modules a module imports, at any depth of its code, or names as a string (a
    fork server's preload list)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("coopgraph"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("coopgraph"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"coopgraph(\.\w+)+", node.value):
            found.add(node.value)
    return found


def test_every_module_of_the_package_is_used_by_the_program():
    """What ships is what runs: each module is reached from the command line (which serves, builds
    and queries). Helpers only tests and benchmarks use live in tests/support/."""
    trees = {("coopgraph." + str(p.relative_to(SRC).with_suffix("")).replace("/", ".")).removesuffix(".__init__"): tree
             for p, tree in ((p, ast.parse(p.read_text(encoding="utf-8"))) for p in SRC.rglob("*.py"))}
    reached, todo = set(), ["coopgraph.cli"]
    while todo:
        name = todo.pop()
        if name in reached or name not in trees:
            continue
        reached.add(name)
        parent = name.rsplit(".", 1)[0]
        todo += [m for m in _imported(trees[name]) | {parent} if m in trees]
    unused = sorted(set(trees) - reached)
    assert not unused, f"modules the program never imports (move them to tests/support/): {unused}"
