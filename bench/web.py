"""Requests per second and latency (p50/p95) of the web service under load, beside baselines.

    python bench/web.py [--requests 200] [--concurrency 4] [--out docs/web-benchmark.md]

Starts `coopgraph serve` on 127.0.0.1 (a free port), then drives it with an asyncio load
generator (httpx): the named queries over /sparql, JSON-LD dereferencing of paragraphs,
/lineage, and the smallest route (/context.jsonld) as the HTTP baseline. The same lineage and
description work is also timed in-process, so the table shows what HTTP and the workers add.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from rdflib import URIRef
from report import commit as current_commit  # bench/report.py
from report import publish, sample

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: helpers shared with the tests
from tests.support.ports import free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


async def drive(client: httpx.AsyncClient, requests: list[tuple[str, dict, dict]], concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)

    async def worker() -> None:
        nonlocal errors
        while not queue.empty():
            path, params, headers = queue.get_nowait()
            started = time.perf_counter()
            response = await client.get(path, params=params, headers=headers)
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"rps": len(requests) / elapsed, "p50": statistics.median(latencies) * 1000,
            "p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000, "errors": errors, "n": len(requests)}


def in_process(action, runs: int) -> dict[str, float]:
    times = sample(action, runs)
    return {"rps": runs / sum(times), "p50": statistics.median(times) * 1000, "p95": times[int(0.95 * (runs - 1))] * 1000,
            "errors": 0, "n": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "web-benchmark.md")
    args = parser.parse_args()

    from coopgraph.config import Settings
    from coopgraph.graphfile import read_graph_file
    from coopgraph.lineage.engine import Lineage
    from coopgraph.sparql.named import named_queries
    from coopgraph.web.descriptions import describe

    settings = Settings(root=ROOT)
    graph_file = settings.output_dir / "coopgraph.nt"
    if not graph_file.is_file():
        subprocess.run([sys.executable, "-m", "coopgraph.cli", "build"], check=True)
    port = free_port()
    log = open(ROOT / "build" / "bench-serve.log", "w")  # noqa: SIM115
    server = subprocess.Popen([sys.executable, "-m", "coopgraph.cli", "serve", "--port", str(port), "--log-level", "warning"],
                              stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/queries", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        graph = read_graph_file(graph_file, settings.base, max_bytes=1 << 40)
        lineage = Lineage(graph)
        units = sorted(str(s) for s in graph.subjects(URIRef("https://w3id.org/coopgraph/ontology#text"), None)
                       if "/para/" in str(s) and "/footnote/" not in str(s))
        rng = random.Random(7)
        picks = [rng.choice(units) for _ in range(args.requests)]
        queries = list(named_queries(settings.queries_dir).values())
        rows: list[tuple[str, dict[str, float]]] = []

        async def run_all() -> None:
            limits = httpx.Limits(max_connections=args.concurrency * 2)
            async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
                rows.append(("HTTP baseline: GET /context.jsonld", await drive(
                    client, [("/context.jsonld", {}, {})] * args.requests, args.concurrency)))
                rows.append(("/sparql, named queries in turn", await drive(
                    client, [("/sparql", {"query": queries[i % len(queries)].text, "format": "json"}, {})
                             for i in range(args.requests)], args.concurrency)))
                rows.append(("JSON-LD dereference of a paragraph", await drive(
                    client, [(p[len(settings.base) - 1:], {}, {"Accept": "application/ld+json"}) for p in picks],
                    args.concurrency)))
                rows.append(("/lineage (both directions)", await drive(
                    client, [("/lineage", {"ref": p, "direction": "both"}, {}) for p in picks], args.concurrency)))

        asyncio.run(run_all())
        rows.append(("in-process: lineage trace (both)", in_process(
            lambda: lineage.trace(rng.choice(units), "both"), args.requests)))
        rows.append(("in-process: describe a paragraph", in_process(
            lambda: describe(graph, URIRef(rng.choice(units))), args.requests)))
    finally:
        server.terminate()
        server.wait(20)
        log.close()

    baseline = rows[0][1]["p50"]
    commit = current_commit()
    lines = [
        "# Web service benchmark",
        "",
        f"Run {datetime.date.today()} at commit {commit} on {platform.machine()} ({os.cpu_count()} cores), "
        f"Python {platform.python_version()}; {args.requests} requests per row, {args.concurrency} concurrent clients, "
        "server and load generator on the same machine over 127.0.0.1, 2 query worker processes. "
        "Reproduce: `python bench/web.py`.",
        "",
        "| operation | requests/s | p50 (ms) | p95 (ms) | p50 / HTTP baseline | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p50'] / baseline:.1f} | {r['errors']} |"
              for name, r in rows]
    lines += ["", "Every query runs in a worker process (so its time limit can stop it); its answer crosses a pipe "
              "and is serialized there. The in-process rows are the same work without HTTP, for comparison.", ""]
    publish(lines, args.out)


if __name__ == "__main__":
    main()
