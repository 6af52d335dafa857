"""What every benchmark script shares: the commit it ran at, and how its table is published."""

from __future__ import annotations

import subprocess
from pathlib import Path

from coopgraph.graph.serialize import write_atomically

ROOT = Path(__file__).resolve().parents[1]


def commit() -> str:
    """The short commit the run measured, or 'unknown' outside a checkout."""
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def sample(action, runs: int) -> list[float]:
    """Seconds each of `runs` calls of `action` took, sorted: what every timing here is read from."""
    import time

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return sorted(times)


def publish(lines: list[str], out: Path) -> None:
    """Write the report atomically (never a half-written table) and print it."""
    text = "\n".join(lines)
    write_atomically(out, text.encode("utf-8"))
    print(text)


def publish_json(data: object, out: Path) -> None:
    """Write a JSON result atomically and print it: what the result-producing scripts hand on."""
    import json

    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=1)
    write_atomically(out, text.encode("utf-8"))
    print(text)
