"""The differential fuzz of the query check against the engine, at length.

    python bench/lexer_fuzz.py [--cases 20000] [--before <commit>]

Queries are drawn from tests/support/fuzz_queries.py (free pieces, and shaped cases around '<').
Oxigraph itself answers each (against a loopback listener that counts connections, and on a
store whose only triple is in a named graph, to see whether it takes a FROM); the check must
refuse every query on which the engine calls out or takes a FROM. The table goes into
docs/reliability.md as a marked section; `make test` runs a bounded number of the same cases."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from report import commit, publish_section  # noqa: E402  (bench/report.py)

from tests.support.checking import verdict as check_verdict  # noqa: E402
from tests.support.fuzz_queries import queries, shaped  # noqa: E402
from tests.test_sparql_lexer import OWN, Refuser, _engine_calls_out, _engine_reads_from  # noqa: E402


def run(cases: int, strategy: str, refuser: Refuser) -> dict[str, object]:
    stats: dict[str, object] = {"cases": 0, "engine calls out": 0, "engine takes FROM": 0, "refused by the check": 0,
                                "passed by the check": 0, "examples": []}

    @settings(max_examples=cases, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def one(data: st.DataObject) -> None:
        text = data.draw(shaped(refuser.url, "http://e/g") if strategy == "shaped" else queries(refuser.url, "http://e/g"))
        stats["cases"] += 1  # type: ignore[operator]
        calls, takes = _engine_calls_out(text, refuser), _engine_reads_from(text)
        stats["engine calls out"] += calls  # type: ignore[operator]
        stats["engine takes FROM"] += takes  # type: ignore[operator]
        if calls or takes:
            verdict = check_verdict(text, OWN, lexical=True)
            if isinstance(verdict, tuple) and verdict[0] in {400, 403}:
                stats["refused by the check"] += 1  # type: ignore[operator]
            else:
                stats["passed by the check"] += 1  # type: ignore[operator]
                stats["examples"].append(text)  # type: ignore[union-attr]

    one()
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=20_000, help="cases per strategy")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "reliability.md")
    args = parser.parse_args()
    refuser = Refuser()
    rows = []
    started = time.perf_counter()
    for strategy in ("free pieces", "shaped"):
        stats = run(args.cases, strategy, refuser)
        rows.append((strategy, stats))
        print(strategy, {k: v for k, v in stats.items() if k != "examples"}, file=sys.stderr)
    seconds = time.perf_counter() - started
    refuser.close()
    lines = [f"## The check against the engine: differential fuzz (`python bench/lexer_fuzz.py --cases {args.cases}`, "
             f"commit {commit()})", "",
             "Queries built from the pieces a lexer and the engine may read apart ('<' and '>', '#', the four quotings, "
             "escapes, line ends, brackets, SERVICE and FROM), free or shaped around a '<' after an operand "
             "(`tests/support/fuzz_queries.py`). Oxigraph itself answers each: does it call a loopback listener, does it "
             "take a FROM. A query on which it does either and the check passes is a failure. `make test` runs 800 cases, drawn from both kinds "
             "(`tests/test_sparql_lexer.py::test_the_check_refuses_whatever_the_engine_calls_out_on_or_takes_from`).",
             "", "| cases | kind | engine calls out | engine takes FROM | refused by the check | passed by the check (failures) |",
             "|---:|---|---:|---:|---:|---:|"]
    for strategy, stats in rows:
        lines.append(f"| {stats['cases']:,} | {strategy} | {stats['engine calls out']} | {stats['engine takes FROM']} | "
                     f"{stats['refused by the check']} | **{stats['passed by the check']}** |")
    lines += ["", f"{seconds:.0f} s in all."]
    failures = [t for _, s in rows for t in s["examples"]]  # type: ignore[union-attr]
    if failures:
        lines += ["", "Failures (the first five):", "", *(f"- `{t!r}`" for t in failures[:5])]
    publish_section(lines, args.out, "lexer-fuzz")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
