"""docs/reliability.md from one run: the reliability tests, then the load and soak runs.

    python bench/reliability.py [--soak 600] [--seconds 20]

Runs tests/test_hostile.py, test_hostile_input.py, test_faults.py and test_fairness.py with
COOPGRAPH_RELIABILITY_LOG set (each test records what it tried), then bench/load.py, and writes
every figure with the date, the commit and the command that reproduces it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import commit as current_commit  # bench/report.py
from report import publish

ROOT = Path(__file__).resolve().parents[1]
TESTS = ["tests/test_hostile.py", "tests/test_hostile_input.py", "tests/test_faults.py", "tests/test_fairness.py"]


def run_tests() -> tuple[list[dict], str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "reliability.jsonl"
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", *TESTS], cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "COOPGRAPH_RELIABILITY_LOG": str(log)})
        seconds = time.monotonic() - started
        if done.returncode != 0:
            print(done.stdout[-4000:], file=sys.stderr)
            raise SystemExit("the reliability tests failed: no figures are published from a failing run")
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        return [json.loads(line) for line in lines], done.stdout.strip().splitlines()[-1], seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--soak", type=float, default=600)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "reliability.md")
    args = parser.parse_args()
    commit = current_commit()
    records, outcome, test_seconds = run_tests()
    load_file = ROOT / "build" / "load.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "load.py"), "--seconds", str(args.seconds), "--soak", str(args.soak),
                    "--out", str(load_file)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    load = json.loads(load_file.read_text())
    by = {}
    for r in records:
        by.setdefault(r["what"], []).append(r)

    hostile = by["hostile queries"][0]
    lines = [
        "# Reliability: what coopgraph promises, and the figures",
        "",
        f"Measured {datetime.date.today()} at commit {commit} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. Reproduce everything: `python bench/reliability.py --soak {args.soak:g}` "
        f"(tests: `python -m pytest {' '.join(TESTS)}`, {outcome}, {test_seconds:.0f} s).",
        "",
        "## Promises",
        "",
        "- The endpoint is read-only: SPARQL Update, LOAD, SERVICE and FROM naming anything but the corpus graph are "
        "refused (403) in every spelling; nothing a query says reads a file or opens a connection.",
        "- Every query runs in a worker process under a time limit (`--query-timeout`, default 10 s) and a result limit "
        "(`--max-rows`); past the time limit the worker is killed (503, Retry-After) and replaced from a fork server "
        "in milliseconds. Query workers run at a lower CPU priority than the server, so pages stay fast.",
        "- Each client (address and User-Agent) has a query-time budget (`--client-budget`, default 30 s per minute); "
        "past it, 429 with Retry-After. A client that has spent a quarter of it may not take the last free query worker.",
        "- Answers are kept per graph version with ETags; a rebuild is followed within a second.",
        "- A build writes every file to a temporary name and renames it; the store loads into a new version and "
        "switches a pointer: a build killed at any point, or stopped by a full disk, leaves the previous outputs and "
        "store whole.",
        "- A missing or damaged store, a malformed source document and a damaged graph file each give a message "
        "naming what and where and a non-zero exit, never a traceback.",
        "- When a SPARQL server behind coopgraph goes away, requests get 503 with a message; when it returns, "
        "coopgraph answers again without a restart.",
        "",
        "## Figures",
        "",
        "| what | tried | held | command |",
        "|---|---|---|---|",
        f"| hostile queries (`tests/data/hostile-queries.toml`) | {hostile['tried']} | {hostile['refused']} refused, "
        f"{hostile['stopped at the time limit']} stopped at the {hostile['time limit_s']:g} s limit, "
        f"{hostile['answered within limits']} answered within the limits; slowest {hostile['slowest_s']:.2f} s "
        f"(1.5x limit = {1.5 * hostile['time limit_s']:g} s); outbound connections under the socket guard: 0; "
        "graph unchanged | `pytest tests/test_hostile.py` |",
    ]
    malformed = by.get("malformed document", [])
    lines.append(f"| malformed documents (`tests/data/malformed/`) | {len(malformed)} | {len(malformed)} stopped with exit 2 "
                 "naming the file, previous outputs unchanged | `pytest tests/test_hostile_input.py -k malformed` |")
    lines.append("| random and mutated inputs (hypothesis: parsers, resolver, graph-file reader) | 60 examples per "
                 "property, 9 properties | no crash, no hang, only the project's own errors | "
                 "`pytest tests/test_hostile_input.py` |")
    kills = by["build killed"][0]
    lines.append(f"| `build` killed with SIGKILL | {kills['kills']} points (0.4 to 3.4 s) | {kills['whole afterwards']} "
                 "left every file and the store whole (old or new, never mixed within a file) | "
                 "`pytest tests/test_faults.py -k killed` |")
    disk = by["full disk"][0]
    lines.append(f"| full disk during build (file-size limit {disk['file size limit']:,} bytes) | 1 | exit "
                 f"{disk['exit']}, previous outputs and store unchanged, no temporary files left | "
                 "`pytest tests/test_faults.py -k full_disk` |")
    stores = [k for k in by if k.startswith("serve on a")]
    lines.append(f"| `serve` on a missing or damaged store | {len(stores)} ({', '.join(s.removeprefix('serve on a ') for s in stores)}) "
                 f"| exit 2 with a message each | `pytest tests/test_faults.py -k damaged` |")
    lost = by["SPARQL server lost"][0]
    lines.append(f"| Virtuoso killed mid-run, then restarted | 1 | {lost['while down']} while down, "
                 f"{lost['after restart']} after restart | `pytest tests/test_faults.py -k losing` |")
    fair = by["per-client budget"][0]
    lines.append(f"| a client over its budget ({fair['budget_s_per_min']} s/min, limit {fair['time limit_s']} s) | "
                 f"{len(fair['heavy client statuses'])} slow queries | statuses {fair['heavy client statuses']}; the other "
                 f"client's p95 {fair['light p95_ms']} ms over {fair['light requests']} requests | "
                 "`pytest tests/test_fairness.py` |")
    lines.append("| data lost | every fault above | 0 | — |")
    lines += ["", f"## Load (`python bench/load.py --seconds {args.seconds:g}`; query time limit {load['time limit_s']:g} s)", "",
              "A mix of named queries, dereferencing (HTML and JSON-LD), lineage, search and ad-hoc SPARQL; each client "
              "has its own User-Agent. The load generator runs on the same 2-core machine as the server.", "",
              "| clients | requests | per second | p50 ms | p95 ms | p99 ms | errors | memory start → end |",
              "|---:|---:|---:|---:|---:|---:|---:|---|"]
    for p in load["phases"]:
        lines.append(f"| {p['clients']} | {p['requests']:,} | {p['per_second']} | {p['p50_ms']} | {p['p95_ms']} | "
                     f"{p['p99_ms']} | {p['errors']} | {p['memory_start_mb']} → {p['memory_end_mb']} MB |")
    slow = load["slow queries"]
    lines += ["", "Slow queries beside the others: 10 clients alone, then the same 10 while 5 more send queries that run "
              "into the time limit.", "",
              "| | requests | p50 ms | p95 ms | errors | slow clients' answers |", "|---|---:|---:|---:|---:|---|",
              f"| alone | {slow['alone']['requests']:,} | {slow['alone']['p50_ms']} | {slow['alone']['p95_ms']} | "
              f"{slow['alone']['errors']} | — |",
              f"| beside 5 slow clients | {slow['beside 5 slow clients']['requests']:,} | "
              f"{slow['beside 5 slow clients']['p50_ms']} | {slow['beside 5 slow clients']['p95_ms']} | "
              f"{slow['beside 5 slow clients']['errors']} | {slow['beside 5 slow clients']['slow statuses']} |",
              "", f"p95 beside the slow clients / p95 alone: **{slow['p95 ratio']}x** (goal: at most 2x).", ""]
    if "soak" in load:
        soak = load["soak"]
        samples = soak["memory_samples_mb"]
        lines += [f"## Soak (`python bench/load.py --soak {soak['seconds']:g}`)", "",
                  f"{soak['clients']} clients for {soak['seconds']:g} s: {soak['requests']:,} requests, "
                  f"{soak['per_second']} per second, p50 {soak['p50_ms']} ms, p95 {soak['p95_ms']} ms, p99 {soak['p99_ms']} ms, "
                  f"errors {soak['errors']}.", "",
                  "Memory of the server and its query workers (seconds: MB): " + ", ".join(f"{s}: {m}" for s, m in samples) + ".",
                  "", f"Growth from the first sample after warm-up ({samples[1][1]} MB) to the last ({samples[-1][1]} MB): "
                  f"{samples[-1][1] - samples[1][1]:+d} MB.", ""]
    publish(lines, args.out)


if __name__ == "__main__":
    main()
