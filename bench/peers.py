"""coopgraph beside its peers, on the same graph, over HTTP: the official Oxigraph server and
rdflib-endpoint; and what SPARQL clients make of each.

    python bench/peers.py [--rounds 11] [--sizes real,1000000] [--skip-clients]

Peers run from their own virtual environment (build/peers-venv: pip's `oxigraph` server and
`rdflib-endpoint`), created on first use, so that their pins never touch coopgraph's. Each server
gets the same N-Triples (Oxigraph loads it as its default graph).

Latency: the workload (every named query, an IRI lookup, a count per class, a text filter, a
CONSTRUCT of one document, a 3-hop path) in interleaved rounds, the servers in a new random order
for each query; each query text made unique with a comment ("never seen": no kept answer can
serve it) or sent unchanged ("repeated"). Reported: p50 per query per server, and coopgraph's
ratio to each peer, with the geometric mean. Throughput: 8 concurrent clients (each its own
loopback address) for a fixed time. The floor: `ASK {}` on both, beside a bare ASGI app that
answers it with a fixed body on the same uvicorn (bench/empty_route.py). rdflib-endpoint is left out at 1M triples (it reads a
million triples in minutes).

Clients: SPARQLWrapper's whole matrix (query form x return format x GET, POST form, POST direct)
against all three, then rdflib's SPARQLStore, pyld and Comunica (npm @comunica/query-sparql,
installed into build/comunica when npm is there; version 4, as version 5 needs Node 22). Tables: docs/benchmarks.md (its peers section)
and docs/clients.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # tests.support: the client matrix the tests run too
from report import commit, publish, publish_section  # noqa: E402  (bench/report.py)

from coopgraph.sparql.named import named_queries  # noqa: E402
from coopgraph.store.base import values_inside_where, with_prefixes  # noqa: E402
from tests.support.ports import free_port  # noqa: E402
from tests.support.sparqlwrapper_matrix import ask, matrix  # noqa: E402

BASE = "https://w3id.org/coopgraph/"
PEERS = ROOT / "build" / "peers-venv"
WORK = ROOT / "build" / "peers"
CG = f"{BASE}ontology#"


# -- servers ---------------------------------------------------------------------------------------

def ensure_peers() -> None:
    if (PEERS / "bin" / "oxigraph").exists() and (PEERS / "bin" / "rdflib-endpoint").exists():
        return
    subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
    subprocess.run([str(PEERS / "bin" / "pip"), "install", "--quiet", "oxigraph==0.5.13", "rdflib-endpoint[cli]",
                    "click", "uvicorn"], check=True)


class Server:
    def __init__(self, name: str, command: list[str], url: str, probe: str, env: dict[str, str] | None = None):
        self.name, self.url = name, url
        self.process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + probe, timeout=5).status_code < 500:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit(f"{name} did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_coopgraph(out: Path) -> Server:
    port = free_port()
    return Server("coopgraph", [sys.executable, "-m", "coopgraph.cli", "--out", str(out), "serve", "--port", str(port),
                                "--log-level", "warning"], f"http://127.0.0.1:{port}/sparql", "?query=ASK%7B%7D")


def start_oxigraph(nt: Path, folder: Path) -> Server:
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([str(PEERS / "bin" / "oxigraph"), "load", "--location", str(folder), "--file", str(nt)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    return Server("Oxigraph server", [str(PEERS / "bin" / "oxigraph"), "serve-read-only", "--location", str(folder),
                                      "--bind", f"127.0.0.1:{port}"], f"http://127.0.0.1:{port}/query", "?query=ASK%7B%7D")


def start_empty_route() -> Server:
    port = free_port()
    return Server("empty route", [sys.executable, "-m", "uvicorn", "--app-dir", str(ROOT / "bench"), "empty_route:app",
                                  "--host", "127.0.0.1", "--port", str(port), "--http", "httptools", "--loop", "uvloop",
                                  "--log-level", "warning"], f"http://127.0.0.1:{port}/sparql", "?query=ASK%7B%7D")


def start_rdflib_endpoint(nt: Path) -> Server:
    port = free_port()
    return Server("rdflib-endpoint", [str(PEERS / "bin" / "rdflib-endpoint"), "serve", str(nt), "--host", "127.0.0.1",
                                      "--port", str(port)], f"http://127.0.0.1:{port}/", "?query=ASK%7B%7D")


# -- the workload ----------------------------------------------------------------------------------

def workload(probe_url: str) -> list[tuple[str, str, str]]:
    """(name, query text, Accept): the same text goes to every server (prefixes declared)."""
    unit = _first(probe_url, f"SELECT ?u WHERE {{ ?u <{CG}text> ?t }} ORDER BY ?u LIMIT 1")
    document = _first(probe_url, f"SELECT ?d WHERE {{ ?d a <{CG}CorpusDocument> }} ORDER BY ?d LIMIT 1")
    from rdflib import URIRef

    items = []
    for query in named_queries(ROOT / "queries").values():
        bindings = {name: URIRef(value) for name, value in query.examples.items()}
        items.append((query.name, with_prefixes(values_inside_where(query.text, bindings)), "application/sparql-results+json"))
    items += [
        ("iri-lookup", f"SELECT ?p ?o WHERE {{ <{unit}> ?p ?o }}", "application/sparql-results+json"),
        ("count-per-class", "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)",
         "application/sparql-results+json"),
        ("text-filter", f"SELECT ?u WHERE {{ ?u <{CG}text> ?t FILTER(CONTAINS(LCASE(?t), \"witness\")) }} LIMIT 100",
         "application/sparql-results+json"),
        ("construct-doc", f"CONSTRUCT {{ ?u ?p ?o }} WHERE {{ ?u <http://data.europa.eu/eli/ontology#is_part_of>* <{document}> . "
                          "?u ?p ?o }", "text/turtle"),
        ("3-hop-path", "SELECT ?a ?d WHERE { ?a <http://data.europa.eu/eli/ontology#is_part_of> ?b . "
                       "?b <http://data.europa.eu/eli/ontology#is_part_of> ?c . ?c <http://data.europa.eu/eli/ontology#is_part_of> ?d } LIMIT 1000",
         "application/sparql-results+json"),
    ]
    return items


def _first(url: str, text: str) -> str:
    rows = httpx.get(url, params={"query": text}, headers={"Accept": "application/sparql-results+json"},
                     timeout=120).json()["results"]["bindings"]
    return next(iter(rows[0].values()))["value"]


def latency(servers: list[Server], items: list[tuple[str, str, str]], rounds: int, never_seen: bool,
            keep: dict | None = None) -> dict:
    """p50 seconds per query per server, interleaved; `keep` receives every time, by query and server."""
    rng = random.Random(11)
    run_id = random.random()  # never-seen texts no earlier call sent either (a warm-up's)
    times: dict[str, dict[str, list[float]]] = {name: {s.name: [] for s in servers} for name, _, _ in items}
    with httpx.Client(timeout=120) as http:
        for round_ in range(rounds):
            for name, text, accept in items:
                order = list(servers)
                rng.shuffle(order)
                for server in order:
                    query = f"{text}\n# {run_id} {round_}-{rng.random()}" if never_seen else text
                    started = time.perf_counter()
                    response = http.get(server.url, params={"query": query}, headers={"Accept": accept})
                    elapsed = time.perf_counter() - started
                    if response.status_code != 200:
                        raise SystemExit(f"{server.name} answered {response.status_code} to {name}: {response.text[:300]}")
                    times[name][server.name].append(elapsed)
    if keep is not None:
        keep.update(times)
    return {name: {server: statistics.median(values) for server, values in by.items()} for name, by in times.items()}


def half_means(times: dict, peer: str) -> tuple[float, float]:
    """coopgraph's never-seen geometric mean ratio to `peer` from the first and from the second half
    of the rounds alone: how far the machine's speed moved within one run."""
    def ratio(half: int) -> float:
        ratios = []
        for by in times.values():
            ours, theirs = by["coopgraph"], by[peer]
            cut = len(ours) // 2
            part = (slice(None, cut), slice(cut, None))[half]
            ratios.append(statistics.median(ours[part]) / statistics.median(theirs[part]))
        return geometric_mean(ratios)

    return ratio(0), ratio(1)


def throughput(server: Server, items: list[tuple[str, str, str]], clients: int = 8, seconds: float = 8.0) -> float:
    """Answers per second with `clients` clients, each on its own loopback address, never-seen texts."""
    done = [0] * clients
    until = time.monotonic() + seconds
    run_id = random.random()  # texts no earlier run sent: none may be answered from a kept answer

    def run(index: int) -> None:
        rng = random.Random(index)
        transport = httpx.HTTPTransport(local_address=f"127.0.9.{index + 1}")
        with httpx.Client(timeout=120, transport=transport) as http:
            while time.monotonic() < until:
                name, text, accept = rng.choice(items)
                response = http.get(server.url, params={"query": f"{text}\n# {run_id} {rng.random()}"}, headers={"Accept": accept})
                if response.status_code == 200:
                    done[index] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def geometric_mean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


# -- clients -----------------------------------------------------------------------------------------

SELECT = f"SELECT ?u ?t WHERE {{ ?u <{CG}text> ?t }} ORDER BY ?u LIMIT 3"
ASK = f"ASK {{ ?u <{CG}text> ?t }}"
CONSTRUCT = f"CONSTRUCT {{ ?u <{CG}text> ?t }} WHERE {{ ?u <{CG}text> ?t }} ORDER BY ?u LIMIT 5"
DESCRIBE = "DESCRIBE ?u WHERE { ?u <https://w3id.org/coopgraph/ontology#text> ?t } LIMIT 1"


def sparqlwrapper_matrix(url: str) -> list[tuple[str, str, str, bool, str]]:
    """Every case of the matrix (tests/support/sparqlwrapper_matrix.py): passed, or why not."""
    results = []
    for form, fmt, method in matrix():
        try:
            _, converted = ask(url, {"SELECT": SELECT, "ASK": ASK, "CONSTRUCT": CONSTRUCT, "DESCRIBE": DESCRIBE}[form], fmt, method)
            ok = converted is not None and (not isinstance(converted, (bytes, str)) or len(converted) > 0)
            results.append((form, fmt, method, ok, ""))
        except Exception as exc:  # each failure is a row of the table
            results.append((form, fmt, method, False, f"{type(exc).__name__}: {str(exc)[:80]}".replace("\n", " ")))
    return results


def other_clients(url: str) -> dict[str, str]:
    out = {}
    try:
        from rdflib import Graph
        from rdflib.plugins.stores.sparqlstore import SPARQLStore

        rows = list(Graph(store=SPARQLStore(url, returnFormat="json")).query(SELECT))
        built = Graph(store=SPARQLStore(url)).query(CONSTRUCT).graph  # graphs as RDF/XML, its default
        out["rdflib SPARQLStore"] = f"ok: SELECT {len(rows)} rows, CONSTRUCT {len(built)} triples"
    except Exception as exc:
        out["rdflib SPARQLStore"] = f"failed: {type(exc).__name__}: {str(exc)[:100]}"
    pyld = subprocess.run([str(PEERS / "bin" / "python"), "-c",
                           "import json, sys, urllib.request, urllib.parse\nfrom pyld import jsonld\n"
                           "req = urllib.request.Request(sys.argv[1] + '?' + urllib.parse.urlencode({'query': sys.argv[2]}),"
                           " headers={'Accept': 'application/ld+json'})\n"
                           "doc = json.load(urllib.request.urlopen(req))\nprint(len(jsonld.expand(doc)))", url, CONSTRUCT],
                          capture_output=True, text=True, timeout=120)
    out["pyld (expand a CONSTRUCT as JSON-LD)"] = (f"ok: {pyld.stdout.strip()} nodes" if pyld.returncode == 0
                                                   else f"failed: {pyld.stderr.strip().splitlines()[-1][:120] if pyld.stderr else '?'}")
    comunica = ROOT / "build" / "comunica" / "node_modules" / ".bin" / "comunica-sparql"
    if comunica.exists():
        done = subprocess.run([str(comunica), f"sparql@{url}", "-q", SELECT], capture_output=True, text=True, timeout=180)
        out["Comunica (SELECT)"] = "ok" if done.returncode == 0 and "http" in done.stdout else f"failed: {done.stderr[-120:]}"
        done = subprocess.run([str(comunica), f"sparql@{url}", "-q", CONSTRUCT], capture_output=True, text=True, timeout=180)
        out["Comunica (CONSTRUCT)"] = "ok" if done.returncode == 0 and "http" in done.stdout else f"failed: {done.stderr[-120:]}"
    else:
        out["Comunica"] = "not run: npm could not install @comunica/query-sparql into build/comunica"
    return out


def ensure_comunica() -> None:
    target = ROOT / "build" / "comunica"
    if (target / "node_modules" / ".bin" / "comunica-sparql").exists() or shutil.which("npm") is None:
        return
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "install", "--silent", "--prefix", str(target), "@comunica/query-sparql@4"], timeout=900,  # 5 needs Node 22
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([str(PEERS / "bin" / "pip"), "install", "--quiet", "pyld"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# -- runs ------------------------------------------------------------------------------------------

def prepare(size: str) -> tuple[Path, Path, str]:
    """The output folder coopgraph serves, the N-Triples file peers load, and a label."""
    if size == "real":
        out = WORK / "real"
        done = subprocess.run([sys.executable, "-m", "coopgraph.cli", "--out", str(out), "build"], cwd=ROOT,
                              capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(done.stderr)
        nt = out / "coopgraph.nt"
        return out, nt, f"real corpus ({sum(1 for _ in nt.open(encoding='utf-8')):,} triples)"
    from coopgraph.synthetic import write

    out = WORK / f"synthetic-{size}"
    out.mkdir(parents=True, exist_ok=True)
    nt = out / "coopgraph.nt"
    if not nt.exists():
        write(nt, BASE, int(size))
    subprocess.run([sys.executable, "-m", "coopgraph.cli", "--out", str(out), "load", str(nt)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return out, nt, f"synthetic ({sum(1 for _ in nt.open(encoding='utf-8')):,} triples)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--sizes", default="real,1000000")
    parser.add_argument("--skip-clients", action="store_true")
    args = parser.parse_args()
    ensure_peers()
    lines = ["## coopgraph beside its peers (HTTP, p50 per query; ratio = coopgraph / peer)", "",
             f"Run {datetime.date.today()} at commit {commit()} on {platform.machine()}, {os.cpu_count()} cores, Python "
             f"{platform.python_version()}, {args.rounds} interleaved rounds. Reproduce: `python bench/peers.py`. "
             "Targets: never-seen texts within 1.5x of the Oxigraph server (geometric mean), none above 3x; "
             "8 clients at 0.7x its throughput or better.", ""]
    matrices: dict[str, list] = {}
    clients: dict[str, str] = {}
    for size in args.sizes.split(","):
        out, nt, label = prepare(size)
        servers = [start_coopgraph(out), start_oxigraph(nt, WORK / f"oxigraph-{size}")]
        if size == "real":
            servers.append(start_rdflib_endpoint(nt))
        try:
            items = workload(servers[0].url)
            for server in servers:  # warm-up: each server reads its store once
                latency([server], items, 1, never_seen=True)
            raw: dict = {}
            results = {mode: latency(servers, items, args.rounds, never_seen=mode == "never seen",
                                     keep=raw if mode == "never seen" else None)
                       for mode in ("never seen", "repeated")}
            rates = {server.name: throughput(server, items) for server in servers[:2]}
            empty = start_empty_route()
            try:
                floor = latency([*servers[:2], empty], [("ASK {}", "ASK {}", "application/sparql-results+json")], 200,
                                never_seen=True)["ASK {}"]
            finally:
                empty.stop()
            if not args.skip_clients and size == "real":
                ensure_comunica()
                matrices = {server.name: sparqlwrapper_matrix(server.url) for server in servers}
                clients = other_clients(servers[0].url)
        finally:
            for server in servers:
                server.stop()
        lines += [f"### {label}", ""]
        peers = [s.name for s in servers[1:]]
        for mode, by_query in results.items():
            header = "| query | coopgraph ms | " + " | ".join(f"{p} ms | ratio to {p}" for p in peers) + " |"
            lines += [f"{mode} query texts:", "", header, "|---|---:|" + "---:|---:|" * len(peers)]
            for name, p50 in by_query.items():
                cells = [f"{p50[p] * 1000:.1f} | {p50['coopgraph'] / p50[p]:.2f}x" for p in peers]
                lines.append(f"| {name} | {p50['coopgraph'] * 1000:.1f} | " + " | ".join(cells) + " |")
            means = [f"{geometric_mean([q['coopgraph'] / q[p] for q in by_query.values()]):.2f}x" for p in peers]
            lines += ["| **geometric mean** | | " + " | ".join(f"| **{m}**" for m in means) + " |", ""]
            if mode == "never seen":
                first, second = half_means(raw, "Oxigraph server")
                lines += [f"The same mean from the first and from the second half of the rounds alone: {first:.2f}x and "
                          f"{second:.2f}x (how far this machine's speed moved within the run).", ""]
        lines += [f"The floor, `ASK {{}}` never seen (200 interleaved rounds): coopgraph {floor['coopgraph'] * 1000:.2f} ms, "
                  f"Oxigraph server {floor['Oxigraph server'] * 1000:.2f} ms: what every answer costs before the query does. "
                  f"A fixed answer from a bare ASGI app on the same uvicorn, httptools and uvloop (bench/empty_route.py) takes "
                  f"{floor['empty route'] * 1000:.2f} ms: the least a Python server can answer in, before any sandbox or check.", ""]
        lines += [f"8 concurrent clients, never-seen texts, 8 s: coopgraph {rates['coopgraph']:.0f} answers/s, "
                  f"Oxigraph server {rates['Oxigraph server']:.0f} answers/s "
                  f"({rates['coopgraph'] / rates['Oxigraph server']:.2f}x).", ""]
    publish_section(lines, ROOT / "docs" / "benchmarks.md", "peers")
    if matrices:
        write_clients(matrices, clients)


def write_clients(matrices: dict[str, list], clients: dict[str, str]) -> None:
    names = list(matrices)
    lines = ["# SPARQL clients against coopgraph and its peers", "",
             f"Run {datetime.date.today()} at commit {commit()}. Reproduce: `python bench/peers.py` (the same run as the "
             "latency table in docs/benchmarks.md). SPARQLWrapper 2.0: every query form x every return format it offers "
             "for that form x GET, POST form and POST direct; a cell passes when `query().convert()` returns a parsed answer.",
             "", "| server | passing |", "|---|---:|"]
    for name in names:
        lines.append(f"| {name} | {sum(r[3] for r in matrices[name])} / {len(matrices[name])} |")
    lines += ["", "| form | format | method | " + " | ".join(names) + " |", "|---|---|---|" + "---|" * len(names)]
    for index, (form, fmt, method, _, _) in enumerate(matrices[names[0]]):
        cells = [("pass" if matrices[n][index][3] else f"fail ({matrices[n][index][4]})") for n in names]
        lines.append(f"| {form} | {fmt} | {method} | " + " | ".join(cells) + " |")
    lines += ["", "Other clients against coopgraph:", ""] + [f"- {name}: {result}" for name, result in clients.items()]
    publish(lines, ROOT / "docs" / "clients.md")
    print(json.dumps({n: sum(r[3] for r in m) for n, m in matrices.items()}))


if __name__ == "__main__":
    main()
