"""Load on a real `coopgraph serve` (127.0.0.1), bounded in time and requests.

    python bench/load.py [--clients 1,10,50] [--seconds 20] [--soak 600] [--out FILE.json]

Each client is its own loopback address (127.0.x.y, as a server counts clients) and runs a realistic mix: named queries, dereferencing (HTML
and JSON-LD), lineage, search and ad-hoc SPARQL (each ad-hoc text new, so no kept answer).
Per phase: throughput, p50/p95/p99, errors (any status other than 200), and the memory of the
server and its query workers at start and end. Then the slow-query phase: 10 clients measured
alone, then again while 5 more clients send queries that run into the time limit. --soak runs
10 clients for that many seconds and samples memory every 30 s. Results go to --out as JSON
(bench/reliability.py puts them into docs/reliability.md).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
from report import publish_json  # noqa: E402  (bench/report.py)

from tests.support.ports import free_port  # noqa: E402
from tests.support.processes import tree_rss_mb  # noqa: E402

BASE = "https://w3id.org/coopgraph/"
WORDS = ["arrest", "cooperation", "witness", "assets", "focal point", "relocation", "Bureau", "freezing", "victims"]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } # slow {n}"


class Server:
    def __init__(self, out: Path, timeout: float):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coopgraph.cli", "--out", str(out), "serve", "--port", str(self.port),
             "--query-timeout", str(timeout), "--log-level", "warning"], cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/queries", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise SystemExit("the server did not start")

    def memory(self) -> float:
        return tree_rss_mb(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def workload(url: str) -> list[tuple[str, dict]]:
    """The requests a client draws from, with the mix's weights built in by repetition."""
    rows = httpx.get(url + "/sparql", params={"query": f"SELECT ?u WHERE {{ ?u <{BASE}ontology#text> ?t }}",
                                              "format": "json"}, timeout=60).json()["results"]["bindings"]
    units = [r["u"]["value"] for r in rows]
    named = [q["href"] for q in httpx.get(url + "/queries", timeout=10).json() if not q["parameters"]]
    mix: list[tuple[str, dict]] = []
    for unit in random.Random(7).sample(units, min(40, len(units))):
        path = "/" + unit[len(BASE):]
        mix += [("dereference", {"url": path}), ("dereference", {"url": path, "headers": {"Accept": "application/ld+json"}}),
                ("lineage", {"url": "/lineage", "params": {"ref": unit}})]
    mix += [("named query", {"url": href}) for href in named] * 10
    mix += [("named query", {"url": "/queries/mandates-by-actor", "params": {"actor": f"{BASE}actor/bureau"}})] * 5
    mix += [("search", {"url": "/search", "params": {"q": w}}) for w in WORDS]
    mix += [("ad-hoc SPARQL", {"url": "/sparql", "sparql": q}) for q in (
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) LIMIT {n}",
        f"SELECT ?u ?t WHERE {{ ?u <{BASE}ontology#text> ?t FILTER(CONTAINS(?t, \"Court\")) }} LIMIT {{n}}",
        "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT {n}",
    )] * 4
    return mix


def address(group: int, index: int) -> str:
    """A loopback address of its own for each client (all of 127.0.0.0/8 reaches the server)."""
    return f"127.{group}.{index // 250}.{index % 250 + 1}"


async def client(url: str, name: str, mix: list, until: float, budget: list[int], out: list, slow: bool = False,
                 source: str = "127.0.0.1") -> None:
    rng = random.Random(name)
    transport = httpx.AsyncHTTPTransport(local_address=source)
    async with httpx.AsyncClient(base_url=url, timeout=60, headers={"User-Agent": name}, transport=transport) as http:
        while time.monotonic() < until and budget[0] > 0:
            budget[0] -= 1
            n = rng.randrange(1, 10_000_000)
            if slow:
                kind, spec = "slow", {"url": "/sparql", "sparql": SLOW}
            else:
                kind, spec = rng.choice(mix)
            params = dict(spec.get("params", {}))
            if "sparql" in spec:
                params.update({"query": spec["sparql"].replace("{n}", str(n % 50 + 1)) + f" # {n}", "format": "json"})
            started = time.perf_counter()
            try:
                response = await http.get(spec["url"], params=params, headers=spec.get("headers"))
                status = response.status_code
            except httpx.HTTPError as exc:
                status = f"{type(exc).__name__}"
            out.append((kind, status, time.perf_counter() - started))


def summary(samples: list, seconds: float) -> dict:
    times = sorted(t for _, _, t in samples)
    if not times:
        return {"requests": 0}

    def pct(p: float) -> float:
        return round(times[min(len(times) - 1, int(p * len(times)))] * 1000, 1)

    errors = [s for _, s, _ in samples if s != 200]
    return {"requests": len(times), "per_second": round(len(times) / seconds, 1), "p50_ms": pct(0.5),
            "p95_ms": pct(0.95), "p99_ms": pct(0.99), "errors": len(errors),
            "error_kinds": sorted({str(e) for e in errors})}


async def phase(server: Server, mix: list, clients: int, seconds: float, max_requests: int, slow: int = 0) -> dict:
    until = time.monotonic() + seconds
    normal: list = []
    stopped: list = []
    budget = [max_requests]
    slow_budget = [max_requests]
    memory_start = server.memory()
    started = time.monotonic()
    tasks = [client(server.url, f"load-client-{i}", mix, until, budget, normal, source=address(1, i)) for i in range(clients)]
    tasks += [client(server.url, f"slow-client-{i}", mix, until, slow_budget, stopped, slow=True, source=address(2, i))
              for i in range(slow)]
    await asyncio.gather(*tasks)
    elapsed = time.monotonic() - started
    result = {"clients": clients, "seconds": round(elapsed, 1), **summary(normal, elapsed),
              "memory_start_mb": round(memory_start), "memory_end_mb": round(server.memory())}
    if slow:
        result["slow clients"] = slow
        result["slow statuses"] = {str(k): sum(1 for _, s, _ in stopped if s == k) for k in sorted({s for _, s, _ in stopped}, key=str)}
    return result


async def soak(server: Server, mix: list, seconds: float) -> dict:
    samples = [(0, round(server.memory()))]
    results: list = []
    until = time.monotonic() + seconds
    budget = [10 ** 9]
    clients = asyncio.gather(*[client(server.url, f"soak-client-{i}", mix, until, budget, results, source=address(3, i))
                               for i in range(10)])
    while time.monotonic() < until:
        await asyncio.sleep(min(30, max(0.1, until - time.monotonic())))
        samples.append((round(seconds - (until - time.monotonic())), round(server.memory())))
    await clients
    return {"seconds": seconds, "clients": 10, **summary(results, seconds), "memory_samples_mb": samples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--max-requests", type=int, default=20_000, help="most requests per phase")
    parser.add_argument("--time-limit", type=float, default=2.0, help="the server's query time limit, seconds")
    parser.add_argument("--soak", type=float, default=0, help="seconds of soak at 10 clients (0: none)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "load.json")
    args = parser.parse_args()
    out_dir = ROOT / "build"
    if not (out_dir / "store" / "CURRENT").is_file():
        subprocess.run([sys.executable, "-m", "coopgraph.cli", "build"], cwd=ROOT, check=True, capture_output=True)
    server = Server(out_dir, args.time_limit)
    try:
        mix = workload(server.url)
        results: dict = {"time limit_s": args.time_limit, "phases": []}
        for clients in [int(c) for c in args.clients.split(",")]:
            results["phases"].append(asyncio.run(phase(server, mix, clients, args.seconds, args.max_requests)))
            print(results["phases"][-1], file=sys.stderr)
        alone = asyncio.run(phase(server, mix, 10, args.seconds, args.max_requests))
        beside = asyncio.run(phase(server, mix, 10, args.seconds, args.max_requests, slow=5))
        results["slow queries"] = {"alone": alone, "beside 5 slow clients": beside,
                                   "p95 ratio": round(beside["p95_ms"] / alone["p95_ms"], 2)}
        print(results["slow queries"], file=sys.stderr)
        if args.soak:
            results["soak"] = asyncio.run(soak(server, mix, args.soak))
            print(results["soak"], file=sys.stderr)
    finally:
        server.stop()
    publish_json(results, args.out)


if __name__ == "__main__":
    main()
