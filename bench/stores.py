"""Stores side by side, at several sizes, in one run: load, queries, lineage, dereferencing, memory.

    python bench/stores.py [--sizes real,100000,1000000] [--stores memory,oxigraph,virtuoso] [--runs 7]

For each size a synthetic archive (coopgraph.synthetic; the real corpus for "real") is loaded
into each store, then timed: an aggregate (GROUP BY), a text scan (CONTAINS), a lookup, a
30-step lineage trace with its evidence, and a JSON-LD dereference, in-process and, on the
default store, over HTTP against `coopgraph serve`. Each store and size runs in its own process
so its memory peak is its own. Every figure is also given as a ratio to rdflib's in-memory store
measured in the same run. Writes docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import commit as current_commit  # bench/report.py
from report import publish, sample, sections

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: helpers shared with the tests
from tests.support.ports import free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/coopgraph/"
CG = "https://w3id.org/coopgraph/ontology#"
OTHER_ENGINES = (" The other SHACL engines on PyPI (shacl-rust, pyshifty, pyrudof) are compared with pyshacl-turbo "
                 "on the same archives by `bench/shacl_engines.py`, in `docs/shacl-engines.md`.")
QUERIES = {
    "aggregate (GROUP BY)": "SELECT ?doc (COUNT(?p) AS ?n) WHERE { ?p <http://data.europa.eu/eli/ontology#is_part_of> ?doc } "
                            "GROUP BY ?doc ORDER BY DESC(?n) LIMIT 10",
    "text scan (CONTAINS)": f'SELECT (COUNT(?p) AS ?n) WHERE {{ ?p <{CG}text> ?t FILTER(CONTAINS(STR(?t), "relocation")) }}',
    "lookup (mandates due)": f"SELECT ?m ?u WHERE {{ ?m <{CG}dueAt> <{BASE}session/ASP/15> ; <{CG}issuedBy> ?u }} LIMIT 100",
    "join (every unit's verbs and parent)": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?u <{CG}operativeVerb> ?v ; "
                                            f"<http://data.europa.eu/eli/ontology#is_part_of> ?p }}",
}


def named_examples() -> dict[str, tuple[str, dict[str, str]]]:
    """Every named query of queries/, with the example values its header gives."""
    sys.path.insert(0, str(ROOT / "src"))
    from coopgraph.sparql.named import named_queries

    return {name: (named.text, named.examples) for name, named in named_queries(ROOT / "queries").items()}


def timed(action, runs: int) -> tuple[float, float]:
    times = sample(action, runs)
    return statistics.median(times) * 1000, times[min(len(times) - 1, int(0.95 * len(times)))] * 1000


def one(kind: str, data: Path, runs: int, workdir: Path) -> dict[str, object]:
    """Measure one store on one file (in this process); print JSON."""
    sys.path.insert(0, str(ROOT / "src"))
    from rdflib import URIRef

    from coopgraph.lineage.engine import Lineage
    from coopgraph.store import open_store
    from coopgraph.web.descriptions import jsonld_node

    virtuoso = None
    started = time.perf_counter()
    if kind == "virtuoso":
        from coopgraph.store.sparql import SparqlStore
        from tests.support.virtuoso import LocalVirtuoso

        virtuoso = LocalVirtuoso(workdir / "virtuoso", buffers=1_360_000, query_seconds=600).start()
        started = time.perf_counter()
        virtuoso.bulk_load(data, f"{BASE}graph/corpus")
        store = SparqlStore(BASE, virtuoso.sparql_url)
    else:
        store = open_store("memory" if kind == "memory" else f"oxigraph:{workdir / 'store'}", BASE, data, workdir / "store")
        store.load(data)
        if kind == "memory":
            store.graph()
    load = time.perf_counter() - started
    out: dict[str, object] = {"store": kind, "load_s": load}
    for name, query in QUERIES.items():
        out[name] = timed(lambda q=query: store.run(q, {}, 100_000), runs)
    from coopgraph.sparql.named import bind, named_queries

    for name, named in named_queries(ROOT / "queries").items():
        bindings = bind(named, named_examples()[name][1])
        out[f"named query: {name}"] = timed(lambda t=named.text, b=bindings: store.run(t, b, 100_000), runs)
    graph = store.graph()
    started = time.perf_counter()
    lineage = Lineage(graph, store.select_strings)
    out["lineage index_s"] = time.perf_counter() - started
    root = os.environ["BENCH_LINEAGE_ROOT"]
    steps = len(lineage.trace(root, "up").steps)
    out["trace steps"] = steps

    def trace() -> None:
        fresh = Lineage(graph, store.select_strings)  # every run reads its edges and nodes from the store afresh
        for step in fresh.trace(root, "up").steps:
            _ = step.edge.evidence, step.node.label

    out["30-step lineage trace"] = timed(trace, runs)
    for depth in (1, 5, 10):
        def shorter(d: int = depth) -> None:
            fresh = Lineage(graph, store.select_strings)
            for step in fresh.trace(root, "up", depth=d).steps:
                _ = step.edge.evidence, step.node.label

        out[f"lineage trace, {depth} step{'s' if depth > 1 else ''}"] = timed(shorter, runs)
    warm = Lineage(graph, store.select_strings)
    warm.trace(root, "up")
    out["30-step lineage trace, edges already read"] = timed(lambda: warm.trace(root, "up"), runs)
    out["JSON-LD dereference"] = timed(lambda: jsonld_node(graph, URIRef(root), BASE), runs)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if virtuoso is not None:
        virtuoso.stop()
    return out


def validation(data: Path, engines: str) -> dict[str, object]:
    """SHACL validation of one archive (in this process): pyshacl-turbo from the file as `coopgraph
    validate --only` runs it (through Oxigraph, no rdflib graph), then, on the rdflib graph read from
    the file, pyshacl-turbo and pySHACL as the baseline where it finishes in reasonable time.
    `engines`: "file" (the file only), "turbo" (and the rdflib graph), "pyshacl" (and pySHACL)."""
    sys.path.insert(0, str(ROOT / "src"))
    from coopgraph.graphfile import read_graph_file
    from coopgraph.validate import load_shapes, validate_file, validate_graph

    shapes = load_shapes(ROOT / "shapes", BASE)
    started = time.perf_counter()
    report = validate_file(data, shapes, BASE, max_bytes=1 << 40)
    out: dict[str, object] = {"file_s": time.perf_counter() - started, "turbo violations": report.counts["Violation"],
                              "file_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if engines == "file":
        return out
    started = time.perf_counter()
    graph = read_graph_file(data, BASE, max_bytes=1 << 40)
    out["read_s"] = time.perf_counter() - started
    for engine in ("turbo", "pyshacl") if engines == "pyshacl" else ("turbo",):
        report = validate_graph(graph, shapes, engine)
        out[f"{engine}_s"] = report.seconds
        out[f"{engine} violations"] = report.counts["Violation"]
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def http_rows(data: Path, runs: int, workdir: Path) -> dict[str, object]:
    """The default store served over HTTP: the same operations through `coopgraph serve`."""
    import httpx

    spec = f"oxigraph:{workdir / 'store'}"
    subprocess.run([sys.executable, "-m", "coopgraph.cli", "--store", spec, "load", str(data)], check=True,
                   capture_output=True)
    port = free_port()
    env = {**os.environ, "COOPGRAPH_STORE": spec, "COOPGRAPH_OUT": str(workdir), "COOPGRAPH_CLIENT_BUDGET": "0",
           "COOPGRAPH_QUERY_TIMEOUT": "600"}  # the benchmark is one client timing slow scans on purpose
    (workdir / "coopgraph.nt").write_text("")  # serve needs the built-files folder; the graph is in the store
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "coopgraph.cli", "serve", "--port", str(port), "--log-level", "warning"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    out: dict[str, object] = {}
    try:
        while True:
            try:
                if httpx.get(url + "/queries", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
        out["serve start_s"] = time.perf_counter() - started
        with httpx.Client(base_url=url, timeout=600) as client:
            for name, query in QUERIES.items():
                fresh = iter(range(10 ** 6))  # a new comment each run: a new query text, so never a kept answer
                out[name] = timed(lambda q=query: client.get("/sparql", params={"query": f"# run {next(fresh)}\n{q}", "format": "json"}).raise_for_status(), runs)
                for _ in range(2):  # an answer is kept the second time it is asked for
                    client.get("/sparql", params={"query": query, "format": "json"}).raise_for_status()
                out[f"{name}, kept answer"] = timed(lambda q=query: client.get("/sparql", params={"query": q, "format": "json"}).raise_for_status(), runs)
            for name, (_, values) in named_examples().items():
                started_first = time.perf_counter()
                client.get(f"/queries/{name}", params={**values, "format": "json"}).raise_for_status()
                out[f"named query: {name}, first"] = [(time.perf_counter() - started_first) * 1000] * 2
                client.get(f"/queries/{name}", params={**values, "format": "json"}).raise_for_status()  # now kept
                out[f"named query: {name}"] = timed(
                    lambda n=name, v=values: client.get(f"/queries/{n}", params={**v, "format": "json"}).raise_for_status(), runs)
            root = os.environ["BENCH_LINEAGE_ROOT"]
            out["30-step lineage trace"] = timed(lambda: client.get("/lineage", params={"ref": root}).raise_for_status(), runs)
            path = "/" + root[len(BASE):]
            out["JSON-LD dereference"] = timed(
                lambda: client.get(path, headers={"Accept": "application/ld+json"}).raise_for_status(), runs)
    finally:
        server.terminate()
        server.wait(30)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="real,100000,1000000")
    parser.add_argument("--stores", default="memory,oxigraph,virtuoso")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--virtuoso-max", type=int, default=1_000_000, help="largest size to run on Virtuoso")
    parser.add_argument("--limit", type=int, default=1800, help="seconds one store may take at one size")
    parser.add_argument("--pyshacl-max", type=int, default=200_000, help="largest size to validate with pySHACL too")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--one", nargs=3, metavar=("STORE", "FILE", "WORKDIR"), help=argparse.SUPPRESS)
    parser.add_argument("--http", nargs=2, metavar=("FILE", "WORKDIR"), help=argparse.SUPPRESS)
    parser.add_argument("--validate", nargs=2, metavar=("FILE", "ENGINES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.validate:
        print(json.dumps(validation(Path(args.validate[0]), args.validate[1])))
        return
    if args.one:
        print(json.dumps(one(args.one[0], Path(args.one[1]), args.runs, Path(args.one[2]))))
        return
    if args.http:
        print(json.dumps(http_rows(Path(args.http[0]), args.runs, Path(args.http[1]))))
        return

    sys.path.insert(0, str(ROOT / "src"))
    from coopgraph.synthetic import plan, write

    results: list[tuple[str, int, dict[str, dict[str, object]]]] = []
    cold = cold_build_and_serve()
    with tempfile.TemporaryDirectory(prefix="coopgraph-bench-") as tmp:
        for size in args.sizes.split(","):
            if size == "real":
                data = ROOT / "build" / "coopgraph.nt"
                if not data.is_file():
                    subprocess.run([sys.executable, "-m", "coopgraph.cli", "build"], check=True, capture_output=True)
                root = f"{BASE}doc/asp15-bureau-report-cooperation/annex/II/item/g"
            else:
                data = Path(tmp) / f"synthetic-{size}.nt"
                write(data, BASE, int(size))
                sessions, resolutions, _ = plan(int(size))
                root = f"{BASE}doc/SYN/{sessions}/Res.1/para/1"
            triples = sum(1 for _ in data.open(encoding="utf-8"))
            row: dict[str, dict[str, object]] = {}
            env = {**os.environ, "BENCH_LINEAGE_ROOT": root}
            for kind in args.stores.split(","):
                if kind == "memory" and triples > 2_000_000:
                    continue  # rdflib's memory store at 10M needs tens of GB and many minutes: not a baseline
                if kind == "virtuoso" and triples > args.virtuoso_max * 1.1:
                    continue
                work = Path(tmp) / f"{kind}-{size}"
                work.mkdir()
                try:
                    done = subprocess.run([sys.executable, __file__, "--runs", str(args.runs), "--one", kind, str(data), str(work)],
                                          env=env, capture_output=True, text=True, timeout=args.limit)
                except subprocess.TimeoutExpired:
                    row[kind] = {"note": f"did not finish in {args.limit} s"}
                    print(size, kind, "timed out", file=sys.stderr)
                    continue
                if done.returncode != 0:
                    print(done.stderr[-2000:], file=sys.stderr)
                    continue
                row[kind] = json.loads(done.stdout.strip().splitlines()[-1])
                print(size, kind, row[kind], file=sys.stderr)
            work = Path(tmp) / f"http-{size}"
            work.mkdir()
            done = subprocess.run([sys.executable, __file__, "--runs", str(args.runs), "--http", str(data), str(work)],
                                  env=env, capture_output=True, text=True, cwd=ROOT)
            if done.returncode == 0:
                row["oxigraph over HTTP"] = json.loads(done.stdout.strip().splitlines()[-1])
            else:
                print(done.stderr[-2000:], file=sys.stderr)
            row["validation"] = validation_row(data, triples, args)
            print(size, "validation", row["validation"], file=sys.stderr)
            results.append((size, triples, row))
    write_report(args, results, cold)


def cold_build_and_serve(runs: int = 3) -> dict[str, list[float]]:
    """The real corpus from a cold process, `runs` times: build + validate, then the time from starting
    `serve` on the built store to its first answer for a document page and for the query list."""
    import httpx

    out: dict[str, list[float]] = {"build": [], "/doc/ICC-ASP/14/Res.3": [], "/queries": []}
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "coopgraph.cli", "build"], check=True, capture_output=True, cwd=ROOT)
        out["build"].append(time.perf_counter() - started)
        for path in ("/doc/ICC-ASP/14/Res.3", "/queries"):
            port = free_port()
            started = time.perf_counter()
            server = subprocess.Popen([sys.executable, "-m", "coopgraph.cli", "serve", "--port", str(port), "--log-level", "warning"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
            try:
                while True:
                    try:
                        if httpx.get(f"http://127.0.0.1:{port}{path}", timeout=1).status_code == 200:
                            break
                    except httpx.HTTPError:
                        time.sleep(0.01)
                out[path].append(time.perf_counter() - started)
            finally:
                server.terminate()
                server.wait(30)
    return out


def validation_row(data: Path, triples: int, args: argparse.Namespace) -> dict[str, object]:
    """Validate the archive in a process of its own (its memory peak is its own)."""
    # above 2M only from the file: an rdflib graph of 10M triples needs most of the machine's memory
    engines = "file" if triples > 2_000_000 else "pyshacl" if triples <= args.pyshacl_max * 1.1 else "turbo"
    try:
        done = subprocess.run([sys.executable, __file__, "--validate", str(data), engines],
                              capture_output=True, text=True, timeout=args.limit)
    except subprocess.TimeoutExpired:
        return {"note": f"did not finish in {args.limit} s"}
    if done.returncode != 0:
        return {"note": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _seconds(value: object) -> str:
    return "—" if value is None else f"{value:.2f}"


def write_report(args: argparse.Namespace, results: list, cold: dict[str, list[float]]) -> None:
    commit = current_commit()
    named = sorted(named_examples())
    operations = [o for q in QUERIES for o in (q, f"{q}, kept answer")] + \
        [o for n in named for o in (f"named query: {n}, first", f"named query: {n}")] + [
        "lineage trace, 1 step", "lineage trace, 5 steps", "lineage trace, 10 steps",
        "30-step lineage trace", "30-step lineage trace, edges already read", "JSON-LD dereference"]
    lines = [
        "# Benchmarks: stores and sizes",
        "",
        f"Run {datetime.date.today()} at commit {commit} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {args.runs} runs per figure, p50 / p95 in milliseconds. "
        f"Reproduce: `python bench/stores.py --sizes {args.sizes} --stores {args.stores}`.",
        "",
        "Real corpus from a cold process (median of "
        f"{len(cold['build'])} runs; each run: {', '.join(f'{t:.2f}' for t in cold['build'])} s): `coopgraph build` "
        f"(parse, lineage, SHACL, write, load) {statistics.median(cold['build']):.2f} s; `coopgraph serve`, started on "
        f"the built store, answers its first request for a document page {statistics.median(cold['/doc/ICC-ASP/14/Res.3']):.2f} s "
        f"after starting, and for the list of named queries {statistics.median(cold['/queries']):.2f} s.",
        "",
        "Ratios are to rdflib's in-memory store in the same run (below 1 is faster). Sizes are triples; synthetic "
        "archives come from `coopgraph.synthetic` (30 sessions, lineage chains up to 30 steps).",
        "",
    ]
    for size, triples, row in results:
        lines += [f"## {'real corpus' if size == 'real' else f'synthetic, {triples:,} triples'} ({triples:,} triples)", ""]
        stores = [s for s in row if s != "validation"]
        lines.append("| operation | " + " | ".join(stores) + " |")
        lines.append("|---|" + "---:|" * len(stores))
        base = row.get("memory", {})

        def cell(store: str, key: str) -> str:
            value = row[store].get(key)
            if value is None:
                return str(row[store]["note"]) if key == "load_s" and "note" in row[store] else "—"
            if isinstance(value, list):
                text = f"{value[0]:.1f} / {value[1]:.1f}"
                ref = base.get(key)
                if isinstance(ref, list) and store != "memory" and ref[0] > 0:
                    text += f" ({value[0] / ref[0]:.2f}x)"
                return text
            if key.endswith("_s"):
                ref = base.get(key)
                ratio = f" ({value / ref:.2f}x)" if isinstance(ref, (int, float)) and ref and store != "memory" else ""
                return f"{value:.2f} s{ratio}"
            if key.endswith("_mb"):
                return f"{value:.0f} MB"
            return str(value)

        for key, name in [("load_s", "load"), ("serve start_s", "serve: first answer"), ("lineage index_s", "lineage: open (start-up)")] + \
                [(op, op) for op in operations] + [("trace steps", "steps in the trace"), ("peak_rss_mb", "memory peak")]:
            if any(key in row[s] for s in stores) or key == "load_s":
                lines.append(f"| {name} | " + " | ".join(cell(s, key) for s in stores) + " |")
        lines.append("")
    checked = [(triples, row["validation"]) for _, triples, row in results if "validation" in row]
    if checked:
        lines += ["## SHACL validation (all shapes, one run per size; seconds)", "",
                  "| triples | `validate --only FILE` (turbo, through Oxigraph) | read the file into rdflib | "
                  "pyshacl-turbo on the rdflib graph | pySHACL on the rdflib graph (reference) | file / (read + turbo) | "
                  "turbo / pySHACL | violations | memory peak: file / rdflib |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for triples, found in checked:
            if "note" in found:
                lines.append(f"| {triples:,} | {found['note']} | | | | | | | |")
                continue
            file_s, read, turbo, reference = found["file_s"], found.get("read_s"), found.get("turbo_s"), found.get("pyshacl_s")
            peak = found.get("peak_rss_mb")
            lines.append(f"| {triples:,} | {file_s:.2f} | {_seconds(read)} | {_seconds(turbo)} | {_seconds(reference)} | "
                         f"{'—' if read is None or turbo is None else f'{file_s / (read + turbo):.2f}x'} | "
                         f"{'—' if reference is None or turbo is None else f'{turbo / reference:.2f}x'} | "
                         f"{found['turbo violations']} | {found['file_peak_rss_mb']:.0f} / "
                         f"{'—' if peak is None else f'{peak:.0f}'} MB |")
        lines += ["", "`validate --only FILE` times the whole command's work from the file to the report: loading the file "
                  "into Oxigraph's in-memory store, which pyshacl-turbo validates directly. The rdflib columns are how "
                  "`build` validates (it holds the graph in rdflib already) and the pySHACL baseline. pySHACL runs up to "
                  "the size set by `--pyshacl-max`; above it, it takes minutes per run; above 2M triples only the file "
                  "is validated. Every synthetic archive is built to conform, so any violation here is a finding."
                  + OTHER_ENGINES, ""]
    growth = [(size, triples, row) for size, triples, row in results if "oxigraph" in row]
    if growth:
        lines += ["## How cost grows with size (the default store, Oxigraph; p50 ms in-process, or s)", "",
                  "| operation | " + " | ".join(f"{t:,} triples" for _, t, _ in growth) + " |",
                  "|---|" + "---:|" * len(growth)]
        for key, name in [("load_s", "load (s)")] + [(op, op) for op in operations] + [("peak_rss_mb", "memory peak (MB)")]:
            cells = []
            for _, _, row in growth:
                value = row["oxigraph"].get(key)
                cells.append("—" if value is None else f"{value[0]:.1f}" if isinstance(value, list)
                             else f"{value:.2f}" if key.endswith("_s") else f"{value:.0f}")
            if any(c != "—" for c in cells):
                lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += [
        "Notes: the Virtuoso column loads with its bulk loader (isql `ld_dir` / `rdf_loader_run`) and is queried over "
        "HTTP on 127.0.0.1; `sparql:URL` stores load through SPARQL Update instead (slower, any server). Lineage reads "
        "nothing at start-up: a trace reads the edges it can reach (one property-path query for the edges and their "
        "evidence) and then its nodes (two queries), so what it reads follows the trace's length, not the graph's "
        "size; a server keeps what it has read, which is the 'edges already read' row, the same at every size. Each "
        "read itself costs more on a larger store: compare the join row, whose work grows 10x from 1M to 10M "
        "triples, with its time on Oxigraph; that is the growth of the cold trace rows. For whole-graph aggregates "
        "over 10M triples "
        "(the operative-verbs query) Oxigraph on disk needs more than the server's default 10 s query limit: that is "
        "the size to move to Virtuoso. Over HTTP, each query runs once with a new text per run (no kept "
        "answer), then again as the same text: the 'kept answer' rows are answers kept per graph version (ETag), "
        "which a rebuild replaces (an answer is kept from the second time it is asked for). Named queries run with "
        "the example values their headers give; over HTTP the first request is answered by a query worker, the "
        "following ones from the kept answer.",
        "",
    ]
    lines += ["", *sections(args.out).values()]  # what other scripts write into the report (bench/peers.py)
    publish(lines, args.out)


if __name__ == "__main__":
    main()
