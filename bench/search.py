"""Full-text search at the real corpus and at 1M triples: the FTS5 index (coopgraph.text_index)
beside the substring scan it replaced, on the same texts, in one run.

    python bench/search.py [--rounds 30] [--sizes real,1000000]

The real corpus is built into build/bench-search/real; the synthetic graph is written by
coopgraph.synthetic (as bench/peers.py does) and loaded into its own Oxigraph store. For each
size: the time to build the index, its size, and p50 per query of both ways (every query sent
`rounds` times, the two ways interleaved). Target: search p50 under 50 ms at 1M triples.
The table goes into docs/benchmarks.md (its search section).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from report import commit, publish_section  # noqa: E402  (bench/report.py)

from coopgraph import text_index  # noqa: E402
from coopgraph.store import open_store  # noqa: E402

BASE = "https://w3id.org/coopgraph/"
WORK = ROOT / "build" / "bench-search"
QUERIES = ["arrest", "arrest strategy", "witness relocation agreements", '"arrest warrants"', "relocat*",
           "cooperation court states", "zzzunknownword"]


def prepare(size: str) -> tuple[Path, Path, str]:
    """The N-Triples file and the folder to build into, and a label."""
    if size == "real":
        out = WORK / "real"
        done = subprocess.run([sys.executable, "-m", "coopgraph.cli", "--out", str(out), "build", "--no-validate"],
                              cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(done.stderr)
        return out / "coopgraph.nt", out, "real corpus"
    from coopgraph.synthetic import write

    out = WORK / f"synthetic-{size}"
    nt = out / "coopgraph.nt"
    if not nt.exists():
        out.mkdir(parents=True, exist_ok=True)
        write(nt, BASE, int(size))
    return nt, out, f"synthetic, {int(size):,} triples"


def substring_scan(units: list[tuple[str, str]], query: str) -> int:
    """The search as it was: every text scanned in Python for every word."""
    words = [w.strip('"*').lower() for w in query.split() if w.strip('"*')]
    return sum(1 for _, text in units if all(w in text.lower() for w in words))


def measure(size: str, rounds: int) -> list[str]:
    nt, out, label = prepare(size)
    store = open_store("oxigraph", BASE, nt, out / "store")
    if not store.is_loaded():
        store.load(nt)
    triples = sum(1 for _ in nt.open(encoding="utf-8"))
    started = time.perf_counter()
    path = text_index.index_path(out, store.version() or "unversioned")
    path.unlink(missing_ok=True)
    index = text_index.for_store(store, out)
    build_s = time.perf_counter() - started
    units = [(u, t) for u, _, t in store.select_strings(text_index.UNITS) if u and t]
    lines = [f"### {label} ({triples:,} triples, {len(units):,} texts)", "",
             f"Index built in {build_s:.2f} s; {path.stat().st_size / 1e6:.1f} MB.", "",
             "| query | hits | FTS5 p50 ms | substring scan p50 ms | ratio |", "|---|---:|---:|---:|---:|"]
    for query in QUERIES:
        fts, scan = [], []
        for _ in range(rounds):
            t0 = time.perf_counter()
            found = index.search(query, limit=20)
            fts.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            substring_scan(units, query)
            scan.append(time.perf_counter() - t0)
        a, b = statistics.median(fts) * 1000, statistics.median(scan) * 1000
        lines.append(f"| `{query}` | {found.total:,} | {a:.2f} | {b:.1f} | {a / b:.3f}x |")
    store.close()
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--sizes", default="real,1000000")
    args = parser.parse_args()
    lines = ["## Full-text search (the FTS5 index beside the substring scan it replaced)", "",
             f"Run {datetime.date.today()} at commit {commit()} on {platform.machine()}, {os.cpu_count()} cores, Python "
             f"{platform.python_version()}, {args.rounds} rounds per query, top 20 hits with their snippets. Reproduce: "
             "`python bench/search.py`. Target: p50 under 50 ms at 1M triples. The scan counts the same words as "
             "substrings (no stems): its hit counts differ, its cost is what searching cost before.", ""]
    for size in args.sizes.split(","):
        lines += measure(size, args.rounds)
    publish_section(lines, ROOT / "docs" / "benchmarks.md", "search")


if __name__ == "__main__":
    main()
