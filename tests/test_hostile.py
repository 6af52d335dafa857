"""Hostile and pathological queries (tests/data/hostile-queries.toml) against a real server whose
every process runs under a socket guard: each is refused or stopped within 1.5x the time limit,
nothing is written, no file is read and no connection leaves the machine."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, RunningServer
from tests.reliability import record

TIME_LIMIT = 2.0
MAX_ROWS = 50
HOSTILE = tomllib.loads((ROOT / "tests" / "data" / "hostile-queries.toml").read_text(encoding="utf-8"))["query"]
SECRET = "root:x:0:0"  # a line of /etc/passwd: no answer may contain it


def text_of(entry: dict) -> str:
    repeat = entry.get("repeat", 1)
    return entry.get("head", "") + entry["text"] * repeat + entry.get("close", "") * repeat + entry.get("tail", "")


def tree_fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith("serve-")
            and p.suffix != ".log" and "LOCK" not in p.name}


@pytest.fixture(scope="module")
def guarded(built_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile")
    shutil.copytree(built_dir, out, dirs_exist_ok=True, ignore=shutil.ignore_patterns("serve-*.log"))
    guard_log = out / "socket-guard.txt"
    env = {"COOPGRAPH_QUERY_TIMEOUT": str(TIME_LIMIT), "COOPGRAPH_MAX_ROWS": str(MAX_ROWS), "COOPGRAPH_CLIENT_BUDGET": "0",
           "COOPGRAPH_SOCKET_GUARD_LOG": str(guard_log),
           "PYTHONPATH": os.pathsep.join([str(ROOT / "tests" / "support"), os.environ.get("PYTHONPATH", "")])}
    before = tree_fingerprint(out / "store") | {"coopgraph.nt": hashlib.sha256((out / "coopgraph.nt").read_bytes()).hexdigest()}
    server = RunningServer(out, env=env)
    yield server, out, guard_log, env
    server.stop()
    after = tree_fingerprint(out / "store") | {"coopgraph.nt": hashlib.sha256((out / "coopgraph.nt").read_bytes()).hexdigest()}
    assert after == before, "a hostile query changed the store or the built files"


def test_the_socket_guard_catches_outbound_connections(guarded, tmp_path):
    """The guard itself works in a process started like the server's: otherwise proving nothing."""
    _, _, _, env = guarded
    log = tmp_path / "probe.txt"
    probe = subprocess.run([sys.executable, "-c", "import socket\ntry:\n socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
                            "except PermissionError as e: print('refused', e)"],
                           env={**os.environ, **env, "COOPGRAPH_SOCKET_GUARD_LOG": str(log)}, capture_output=True, text=True)
    assert "refused" in probe.stdout and "192.0.2.1" in log.read_text()


def send(http: httpx.Client, entry: dict) -> httpx.Response:
    text, how = text_of(entry), entry.get("send", "get")
    if how == "get":
        return http.get("/sparql", params={"query": text},
                        headers={"Accept": "application/sparql-results+json, text/turtle;q=0.9"})
    if how == "query":
        return http.post("/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-query"})
    if how == "form":
        return http.post("/sparql", data={"query": text})
    if how == "form-update":
        return http.post("/sparql", data={"update": text})
    if how == "update":
        return http.post("/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-update"})
    body = text.encode(entry.get("encoding", "utf-8")) + bytes.fromhex(entry.get("raw_tail", ""))
    return http.post("/sparql", content=body, headers={"Content-Type": entry.get("content_type", "application/sparql-query")})


def test_every_hostile_query_is_refused_or_stopped_in_time(guarded):
    server, out, guard_log, _ = guarded
    assert len(HOSTILE) >= 30
    outcomes = []
    with httpx.Client(base_url=server.url, timeout=60) as http:
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        triples = http.get("/sparql", params={"query": count, "format": "json"}).json()["results"]["bindings"][0]["n"]["value"]
        for entry in HOSTILE:
            started = time.monotonic()
            answer = send(http, entry)
            took = time.monotonic() - started
            where = f"{entry['name']}: {answer.status_code} {answer.text[:200]!r}"
            assert took <= 1.5 * TIME_LIMIT, f"{where} took {took:.2f} s"
            assert answer.status_code != 500 and SECRET not in answer.text, where
            if entry["expect"] == "refused":
                assert 400 <= answer.status_code < 500 and answer.status_code != 429, where
                assert answer.text.strip(), f"{where}: a refusal must say why"
            else:
                assert answer.status_code in {200, 503}, where
                if answer.status_code == 200 and "json" in answer.headers.get("content-type", ""):
                    assert len(answer.json().get("results", {}).get("bindings", [])) <= MAX_ROWS, where
            outcomes.append({"name": entry["name"], "status": answer.status_code, "seconds": round(took, 3)})
        after = http.get("/sparql", params={"query": count + " # again", "format": "json"}).json()
        assert after["results"]["bindings"][0]["n"]["value"] == triples, "the graph changed"
        assert http.get("/doc/ICC-ASP/14/Res.3/para/24").status_code == 200, "the server did not go on serving"
    assert not guard_log.exists() or not guard_log.read_text().strip(), f"outbound connections: {guard_log.read_text()}"
    statuses = sorted({o["status"] for o in outcomes})
    record("hostile queries", {"tried": len(outcomes), "refused": sum(400 <= o["status"] < 500 for o in outcomes),
                               "stopped at the time limit": sum(o["status"] == 503 for o in outcomes),
                               "answered within limits": sum(o["status"] == 200 for o in outcomes),
                               "slowest_s": max(o["seconds"] for o in outcomes), "time limit_s": TIME_LIMIT,
                               "statuses": statuses, "outbound connections": 0, "queries": outcomes})
