"""What every benchmark script shares: the commit it ran at, and how its table is published."""

from __future__ import annotations

import subprocess
from pathlib import Path

from coopgraph.files import write_atomically

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


def sections(out: Path) -> dict[str, str]:
    """The marked sections of a report (<!-- NAME:start --> ... <!-- NAME:end -->), which another
    script writes: a script that rewrites the report keeps them."""
    import re

    text = out.read_text(encoding="utf-8") if out.exists() else ""
    return {m.group(1): m.group(0) for m in re.finditer(r"<!-- (\w+):start -->.*?<!-- \1:end -->", text, flags=re.DOTALL)}


def publish_section(lines: list[str], out: Path, name: str) -> None:
    """Write one marked section of a report, in place (or at its end), atomically."""
    block = f"<!-- {name}:start -->\n" + "\n".join(lines) + f"\n<!-- {name}:end -->"
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    kept = sections(out)
    text = text.replace(kept[name], block) if name in kept else text.rstrip("\n") + "\n\n" + block + "\n"
    write_atomically(out, text.encode("utf-8"))
    print(block)


def publish_json(data: object, out: Path) -> None:
    """Write a JSON result atomically and print it: what the result-producing scripts hand on."""
    import json

    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=1)
    write_atomically(out, text.encode("utf-8"))
    print(text)
