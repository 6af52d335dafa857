"""The SHACL engines one can install from PyPI, side by side on the same archives and shapes, in one run.

    pip install pyrudof pyshifty shacl-rust     # the engines compared; any not installed is left out
    python bench/shacl_engines.py [--sizes real,100000,1000000] [--out docs/shacl-engines.md]

Why: validating a million triples stays above the issue's 10 s target with pyshacl-turbo, the
engine coopgraph uses; this measures whether another engine would reach it. Each engine runs in
its own process (so its memory peak is its own), from the N-Triples file to its verdict, with the
shapes of shapes/ as coopgraph reads them (relative IRIs resolved against the base).
pyshacl-turbo runs as `coopgraph validate --only FILE` does. Next to each time stands the number
of results the engine reports, which must match pyshacl-turbo's for the time to count.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import importlib.util
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import commit as current_commit  # bench/report.py
from report import publish, sections

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/coopgraph/"
ENGINES = {  # name shown: the module that must be installed
    "pyshacl-turbo (coopgraph)": "pyshacl_turbo",
    "shacl-rust": "shacl_rust",
    "pyshifty": "shifty",
    "pyrudof": "pyrudof",
}


def results_of(engine: str, data: Path, shapes: Path) -> int:
    """Validate `data` against `shapes` with one engine; the number of results it reports."""
    if engine == "pyshacl-turbo (coopgraph)":
        from coopgraph.validate import load_shapes, validate_file

        return len(validate_file(data, load_shapes(ROOT / "shapes", BASE), BASE, max_bytes=1 << 40).findings)
    if engine == "shacl-rust":
        import shacl_rust

        return len(shacl_rust.validate_file(str(data), str(shapes), experimental_index=True)["results"])
    if engine == "pyshifty":
        import shifty
        from rdflib.namespace import SH

        _, report, _ = shifty.validate(data, shapes, infer=False, graph_mode="data")
        return len(set(report.objects(None, SH.result)))
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(str(data), pyrudof.RDFFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
    rudof.read_shacl(str(shapes))
    return len(rudof.validate_shacl())


def one(engine: str, data: Path, shapes: Path) -> dict[str, float]:
    importlib.import_module(ENGINES[engine])  # libraries load before the clock starts, for every engine
    if engine == "pyshacl-turbo (coopgraph)":
        importlib.import_module("coopgraph.validate")
    started = time.perf_counter()
    results = results_of(engine, data, shapes)
    return {"seconds": time.perf_counter() - started, "results": results,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="real,100000,1000000")
    parser.add_argument("--limit", type=int, default=900, help="seconds one engine may take at one size")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "shacl-engines.md")
    parser.add_argument("--one", nargs=3, metavar=("ENGINE", "FILE", "SHAPES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.one:
        print(json.dumps(one(args.one[0], Path(args.one[1]), Path(args.one[2]))))
        return

    from coopgraph.synthetic import write
    from coopgraph.validate import load_shapes

    installed = [name for name, module in ENGINES.items() if importlib.util.find_spec(module) is not None]
    rows: list[tuple[str, int, dict[str, dict[str, float] | str]]] = []
    with tempfile.TemporaryDirectory(prefix="coopgraph-shacl-") as tmp:
        shapes = Path(tmp) / "shapes.ttl"
        load_shapes(ROOT / "shapes", BASE).serialize(shapes, format="turtle")
        for size in args.sizes.split(","):
            if size == "real":
                data = ROOT / "build" / "coopgraph.nt"
                if not data.is_file():
                    subprocess.run([sys.executable, "-m", "coopgraph.cli", "build"], check=True, capture_output=True, cwd=ROOT)
            else:
                data = Path(tmp) / f"synthetic-{size}.nt"
                write(data, BASE, int(size))
            triples = sum(1 for _ in data.open(encoding="utf-8"))
            found: dict[str, dict[str, float] | str] = {}
            for engine in installed:
                try:
                    done = subprocess.run([sys.executable, __file__, "--one", engine, str(data), str(shapes)],
                                          capture_output=True, text=True, timeout=args.limit, cwd=ROOT, check=False)
                except subprocess.TimeoutExpired:
                    found[engine] = f"over {args.limit} s"
                    continue
                found[engine] = (json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0
                                 else "failed: " + (done.stderr.strip().splitlines() or ["no message"])[-1][:120])
                print(size, engine, found[engine], file=sys.stderr)
            rows.append((size, triples, found))
    publish(report(rows, installed, args) + ["", *sections(args.out).values()], args.out)  # keeps the marked sections


def report(rows: list[tuple[str, int, dict[str, dict[str, float] | str]]], engines: list[str], args: argparse.Namespace) -> list[str]:
    lines = [
        "# SHACL engines side by side",
        "",
        (f"Measured {datetime.date.today().isoformat()} at commit {current_commit()} on {platform.machine()}, "
         f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
         f"`python bench/shacl_engines.py --sizes {args.sizes}` reproduces it (after "
         "`pip install pyrudof pyshifty shacl-rust`)."),
        "",
        ("Each cell: seconds from the N-Triples file to the verdict (one run, in a process of its own), the "
         "number of results the engine reports, and its memory peak; the ratio is to pyshacl-turbo in the same "
         "run. Every synthetic archive is built to conform, so any result there is an engine's own finding."),
        "",
        "| triples | " + " | ".join(engines) + " |",
        "|---:|" + "---|" * len(engines),
    ]
    for _, triples, found in rows:
        base = found.get(engines[0]) if engines else None
        cells = []
        for engine in engines:
            cell = found.get(engine, "not run")
            if isinstance(cell, str):
                cells.append(cell)
                continue
            ratio = f", {cell['seconds'] / base['seconds']:.1f}x" if isinstance(base, dict) and engine != engines[0] else ""
            cells.append(f"{cell['seconds']:.2f} s{ratio}; {int(cell['results'])} results; {cell['peak_mb']:,.0f} MB")
        lines.append(f"| {triples:,} | " + " | ".join(cells) + " |")
    return lines + [""]


if __name__ == "__main__":
    main()
