"""coopgraph as a normal package: the built wheel, installed (not editable) into a fresh virtual
environment, builds and serves the bundled corpus from an empty folder."""

from __future__ import annotations

import subprocess
import sys
import time
import venv
from pathlib import Path

import httpx

from tests.conftest import ROOT
from tests.support.ports import free_port


def test_the_wheel_installs_anywhere_and_builds_and_serves_from_an_empty_folder(tmp_path: Path):
    wheels = tmp_path / "wheels"
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(ROOT)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    wheel = next(wheels.glob("coopgraph-*.whl"))
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], capture_output=True, text=True,
                          timeout=1200)
    assert done.returncode == 0, done.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    command = [str(environment / "bin" / "coopgraph")]
    built = subprocess.run([*command, "build"], cwd=empty, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    assert (empty / "build" / "coopgraph.nt").stat().st_size > 1_000_000  # ./build when installed
    assert str(ROOT) not in built.stdout  # nothing read from the checkout
    port = free_port()
    server = subprocess.Popen([*command, "serve", "--port", str(port)], cwd=empty, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        page = None
        while time.monotonic() < deadline:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/doc/ICC-ASP/14/Res.3/para/28", headers={"Accept": "text/html"},
                                 timeout=5)
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        assert page is not None and page.status_code == 200 and "annually thereafter" in page.text
        answer = httpx.get(f"http://127.0.0.1:{port}/queries/recommendations-by-cluster", timeout=30)
        assert answer.status_code == 200 and len(answer.json()["results"]["bindings"]) == 66
    finally:
        server.terminate()
        server.wait(30)
