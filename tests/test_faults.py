"""Faults: a build killed part-way, a full disk, a missing or damaged store, a SPARQL server that
goes away and comes back. The previous outputs and store stay whole; errors are messages."""

from __future__ import annotations

import hashlib
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from coopgraph.store import open_store
from tests.conftest import BASE, RunningServer, cli
from tests.reliability import record
from tests.support.virtuoso import LocalVirtuoso

OUTPUTS = ("coopgraph.ttl", "coopgraph.nt", "coopgraph.jsonld", "context.jsonld")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def fingerprints(out: Path) -> dict[str, str]:
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in OUTPUTS}


def store_count(out: Path) -> int:
    store = open_store("oxigraph", BASE, out / "coopgraph.nt", out / "store")
    rows = store.run(COUNT, {}, 10).rows
    store.close()
    return int(rows[0][0])


def changed_corpus(root: Path) -> None:
    """A new session of the same texts: one word changed, so a rebuild writes different files."""
    path = root / "corpus" / "icc-asp-14-res-3_resolution-on-cooperation_2015.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Recalling", "Recalling also", 1), encoding="utf-8")


@pytest.fixture()
def two_builds(corpus_copy: Path, tmp_path: Path):
    """An output folder holding build A, and the fingerprints of A and of build B (the changed corpus)."""
    out_a, out_b = tmp_path / "out", tmp_path / "b"
    assert cli("--out", str(out_a), "build", root=corpus_copy).returncode == 0
    changed_corpus(corpus_copy)
    assert cli("--out", str(out_b), "build", root=corpus_copy).returncode == 0
    a, b = fingerprints(out_a), fingerprints(out_b)
    assert a["coopgraph.nt"] != b["coopgraph.nt"]
    return corpus_copy, out_a, (a, store_count(out_a)), (b, store_count(out_b))


def test_a_build_killed_at_any_point_leaves_whole_outputs_and_store(two_builds):
    root, out, (old, old_count), (new, new_count) = two_builds
    kills = []
    for delay in (0.4, 0.9, 1.4, 1.9, 2.4, 2.9, 3.4):
        process = subprocess.Popen([sys.executable, "-m", "coopgraph.cli", "--root", str(root), "--out", str(out), "build"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        finished = process.poll() is not None
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        found = fingerprints(out)
        for name in OUTPUTS:
            assert found[name] in {old[name], new[name]}, f"{name} is neither the old nor the new file after a kill at {delay} s"
        assert store_count(out) in {old_count, new_count}
        kills.append({"after_s": delay, "finished_first": finished,
                      "files_new": sum(found[n] == new[n] != old[n] for n in OUTPUTS)})
    after = cli("--out", str(out), "build", root=root)  # and the next build completes
    assert after.returncode == 0, after.stderr
    assert fingerprints(out) == new and store_count(out) == new_count
    assert any(not k["finished_first"] for k in kills)
    record("build killed", {"kills": len(kills), "whole afterwards": len(kills), "points": kills})


def test_a_full_disk_during_build_leaves_the_previous_outputs(two_builds):
    root, out, (old, old_count), _ = two_builds
    limit = 400_000  # bytes: the N-Triples file (about 2 MB) cannot be written whole

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run([sys.executable, "-m", "coopgraph.cli", "--root", str(root), "--out", str(out), "build"],
                            capture_output=True, text=True, timeout=300, preexec_fn=small_files)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "File too large" in result.stderr, result.stderr
    assert "previous outputs" in result.stderr
    assert fingerprints(out) == old and store_count(out) == old_count
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")], "temporary files were left behind"
    record("full disk", {"file size limit": limit, "exit": result.returncode, "message": result.stderr.strip()[:200]})


@pytest.mark.parametrize("damage", ["missing", "pointer", "files"])
def test_serve_on_a_missing_or_damaged_store_says_so(damage, built_dir, tmp_path):
    store = tmp_path / "store"
    if damage != "missing":
        open_store(f"oxigraph:{store}", BASE, built_dir / "coopgraph.nt", store).load(built_dir / "coopgraph.nt")
        version = store / "versions" / (store / "CURRENT").read_text().strip()
        if damage == "pointer":
            (store / "CURRENT").write_text("no-such-version\n")
        else:
            for file in version.iterdir():
                if file.is_file():
                    file.write_bytes(b"\x00garbage" * 64)
    started = time.monotonic()
    result = cli("--out", str(built_dir), "--store", f"oxigraph:{store}", "serve", "--port", "1")
    assert result.returncode == 2 and time.monotonic() - started < 60
    assert "Traceback" not in result.stderr
    assert str(store) in result.stderr and ("build" in result.stderr or "load" in result.stderr), result.stderr
    record(f"serve on a {damage} store", {"exit": result.returncode, "message": result.stderr.strip()[:200]})


def test_losing_the_sparql_server_gives_503_and_the_service_recovers(built_dir, tmp_path):
    assert LocalVirtuoso.available(), "virtuoso-t is missing: install Debian's virtuoso-opensource (.ci/ensure-virtuoso does)"
    virtuoso = LocalVirtuoso(tmp_path / "virtuoso").start()
    server = None
    try:
        spec = f"sparql:{virtuoso.sparql_url}"
        open_store(spec, BASE, built_dir / "coopgraph.nt", tmp_path).load(built_dir / "coopgraph.nt")
        server = RunningServer(built_dir, env={"COOPGRAPH_STORE": spec, "COOPGRAPH_CLIENT_BUDGET": "0"})
        # Virtuoso's default SPARQL user may write: serve says so, loudly, at start-up
        assert "WARNING: the store's SPARQL user may write" in server.log.read_text()
        with httpx.Client(base_url=server.url, timeout=30) as http:
            def count() -> httpx.Response:
                return http.get("/sparql", params={"query": COUNT + f" # {time.monotonic()}", "format": "json"})

            assert count().status_code == 200
            virtuoso.process.kill()  # the backend dies mid-run
            virtuoso.process.wait(30)
            down = [count(), http.get("/doc/ICC-ASP/14/Res.3/para/24", headers={"Accept": "application/ld+json"}),
                    http.get("/lineage", params={"ref": "ICC-ASP/14/Res.3 para 24"})]
            for answer in down:
                assert answer.status_code == 503, (answer.request.url, answer.status_code, answer.text[:300])
                assert "not answering" in answer.text and answer.headers.get("retry-after")
                # the server's address and its own error text stay in the operator's log
                assert "127.0.0.1" not in answer.text and "sparql" not in answer.text.lower(), answer.text
            virtuoso.stop()
            virtuoso.start()  # the backend returns, its data replayed from its own log
            recovered = count()
            assert recovered.status_code == 200, recovered.text
            assert http.get("/doc/ICC-ASP/14/Res.3/para/24").status_code == 200
        record("SPARQL server lost", {"while down": sorted({a.status_code for a in down}), "after restart": recovered.status_code})
    finally:
        if server is not None:
            server.stop()
        virtuoso.stop()


def test_build_outputs_are_readable_by_others(tmp_path):
    """The outputs were written with mkstemp's mode 0600: a web server or a colleague on the machine
    could not read them. They now get the mode a new file gets (0644 under the usual umask)."""
    import os
    import stat

    out = tmp_path / "out"
    done = cli("--out", str(out), "build")
    assert done.returncode == 0, done.stderr
    umask = os.umask(0o022)
    os.umask(umask)
    for name in ("coopgraph.ttl", "coopgraph.nt", "coopgraph.jsonld", "context.jsonld"):
        mode = stat.S_IMODE((out / name).stat().st_mode)
        assert mode == 0o666 & ~umask, (name, oct(mode))
    index = next((out / "search").glob("*.sqlite"))
    assert stat.S_IMODE(index.stat().st_mode) == 0o666 & ~umask
