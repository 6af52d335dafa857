"""What the server's protective limits cost: the same load on the code before them and now.

    python bench/limits.py [--before REV] [--seconds 10] [--rounds 2] [--out FILE.json]

REV (default 9496d10, the last commit without the limits: fair turns per client address, the
connection cap and header timeout, bodies counted while read, the security headers, workers
without network and under a memory limit) is checked out into a temporary worktree; bench/load.py
then runs against a server of that code and against one of the current code, alternately, for
`--rounds` rounds on the same machine and the same built graph. Each client has its own loopback
address, so both versions count the clients alike. bench/reliability.py puts the ratios into
docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from report import publish_json  # bench/report.py

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "9496d10"


def run_load(code: Path | None, seconds: float, clients: str) -> dict:
    """One bench/load.py run; `code` is the source tree of the server to run (None: this one)."""
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(code / "src"), env.get("PYTHONPATH", "")])
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "load.json"
        subprocess.run([sys.executable, str(ROOT / "bench" / "load.py"), "--clients", clients, "--seconds", str(seconds),
                        "--out", str(out)], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return json.loads(out.read_text())


def compare(before: str = BEFORE, seconds: float = 10, rounds: int = 2, clients: str = "1,10,50") -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "before"
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), before], cwd=ROOT, check=True, capture_output=True)
        try:
            runs: dict[str, list[dict]] = {"before": [], "after": []}
            for _ in range(rounds):
                runs["before"].append(run_load(tree, seconds, clients))
                runs["after"].append(run_load(None, seconds, clients))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
    rows = []
    for index, phase in enumerate(runs["after"][0]["phases"]):
        def median(which: str, key: str, i: int = index) -> float:
            return statistics.median(run["phases"][i][key] for run in runs[which])

        rows.append({"clients": phase["clients"],
                     "before_per_second": median("before", "per_second"), "after_per_second": median("after", "per_second"),
                     "before_p95_ms": median("before", "p95_ms"), "after_p95_ms": median("after", "p95_ms"),
                     "before_errors": median("before", "errors"), "after_errors": median("after", "errors")})
    for row in rows:
        row["throughput_ratio"] = round(row["after_per_second"] / row["before_per_second"], 2)
        row["p95_ratio"] = round(row["after_p95_ms"] / row["before_p95_ms"], 2)
    return {"before": before, "rounds": rounds, "seconds": seconds, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", default=BEFORE)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "limits.json")
    args = parser.parse_args()
    publish_json(compare(args.before, args.seconds, args.rounds), args.out)


if __name__ == "__main__":
    main()
