"""Whether a change of code changed what coopgraph says: the graph, its dumps, every page and
every named query's answer, byte for byte, at an earlier commit and now.

    python bench/identical.py REV [--limit N]

Builds the corpus with the code of REV (a clean export of that commit) and with the working tree,
each into a folder of its own, compares the dumps, then serves both builds and asks each server
for the same paths: each node of the graph (HTML and JSON-LD), the documents' and actors' pages,
the ontology, and each named query with the example values its header gives. The build's version
stamp (a time and a process number) and each server's own address differ by nature, and are
written as VERSION and SERVER before comparing;
both sides run with one hash seed, so that what rdflib writes from a set comes in one order.
Prints each difference and exits 1 if there is one; a refactoring that changes nothing exits 0.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.parse
import urllib.request
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DUMPS = ["coopgraph.ttl", "coopgraph.nt", "coopgraph.jsonld", "context.jsonld"]
VERSION = re.compile(rb"\d{8}T\d{6}-\d+-\d+")  # a store version's name: when, and which process


def export(rev: str, into: Path) -> Path:
    """The tree of `rev`, as committed (no work tree of the repository is touched)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev], capture_output=True, check=True)
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into


def cli(tree: Path, out: Path, *args: str, **popen: object) -> subprocess.Popen[bytes]:
    """`coopgraph` run from `tree`'s own source, on `tree`'s corpus."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "PYTHONHASHSEED": "0"}  # sets iterate alike on both sides
    return subprocess.Popen([sys.executable, "-m", "coopgraph.cli", "--root", str(tree), "--out", str(out), *args],
                            env=env, **popen)  # type: ignore[call-overload,no-any-return]


def build(tree: Path, out: Path) -> None:
    done = cli(tree, out, "build", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, err = done.communicate()
    if done.returncode != 0:
        raise SystemExit(f"the build of {tree} failed:\n{err.decode(errors='replace')}")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(tree: Path, out: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = cli(tree, out, "serve", "--port", str(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/queries", timeout=2):
                return server, url
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"the server of {tree} did not start")


def fetch(url: str, accept: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return f"{response.status}\n".encode() + response.read()
    except urllib.error.HTTPError as error:
        return f"{error.code}\n".encode() + error.read()


def paths(out: Path, base: str, limit: int | None, queries: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(path, Accept) for every node of the graph under the base, every page kind, every named query."""
    from rdflib import Graph

    graph = Graph()
    graph.parse(out / "coopgraph.nt", format="nt")
    nodes = sorted({str(s) for s in graph.subjects() if str(s).startswith(base)})[:limit]
    wanted = [("/" + node[len(base):], accept) for node in nodes for accept in ("text/html", "application/ld+json")]
    wanted += [(p, "text/html") for p in ("/", "/ontology", "/queries", "/sparql", "/void")]
    for query in queries:
        examples = {p["name"]: example for p in query["parameters"]
                    if (example := re.search(r"e\.g\.\s+(\S+)", p["description"]))}
        values = {name: match.group(1).rstrip(".,;") for name, match in examples.items()}
        wanted.append((f"{query['href']}?{urllib.parse.urlencode({**values, 'format': 'json'})}", "application/json"))
    return wanted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rev", help="the commit to compare with (the working tree is the other side)")
    parser.add_argument("--limit", type=int, default=None, help="compare the first N nodes only (a quick look)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coopgraph-identical-") as tmp:
        before_tree = export(args.rev, Path(tmp) / "before")
        sides = {"before": (before_tree, Path(tmp) / "out-before"), "now": (ROOT, Path(tmp) / "out-now")}
        for name, (tree, out) in sides.items():
            print(f"building {name} ({tree})", file=sys.stderr)
            build(tree, out)
        differences: list[str] = []
        wanted: list[tuple[str, str]] = []
        for dump in DUMPS:
            a, b = (VERSION.sub(b"VERSION", (out / dump).read_bytes()) for _, out in sides.values())
            if a != b:
                differences.append(f"{dump} differs")
        servers = {name: serve(tree, out) for name, (tree, out) in sides.items()}
        try:
            from coopgraph.config import DEFAULT_BASE

            queries = json.loads(fetch(servers["now"][1] + "/queries", "application/json").split(b"\n", 1)[1])
            wanted = paths(sides["now"][1], DEFAULT_BASE, args.limit, queries)
            print(f"comparing {len(wanted)} answers", file=sys.stderr)
            for path, accept in wanted:
                a, b = (VERSION.sub(b"VERSION", fetch(url + path, accept)).replace(url.encode(), b"SERVER")
                        for _, url in servers.values())
                if a != b:
                    diff = difflib.unified_diff(a.decode(errors="replace").splitlines(), b.decode(errors="replace").splitlines(),
                                                "before", "now", lineterm="", n=1)
                    differences.append(f"{path} ({accept}):\n" + "\n".join(list(diff)[:20]))
        finally:
            for server, _ in servers.values():
                server.terminate()
                server.wait(15)
        for difference in differences:
            print(difference)
        print(f"{len(differences)} differences in {len(DUMPS)} dumps and {len(wanted)} answers")
        raise SystemExit(1 if differences else 0)


if __name__ == "__main__":
    main()
