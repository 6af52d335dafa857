"""Progress on a terminal: drawn after a second of work, and never into a pipe."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT

COOPGRAPH = [sys.executable, "-m", "coopgraph.cli", "--root", str(ROOT)]


def run_on_a_terminal(args: list[str], timeout: float = 120) -> str:
    """The command run with its stdout and stderr on a pseudo-terminal; all it drew."""
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    drawn = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command has ended
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    assert process.wait(timeout=10) == 0, drawn.decode(errors="replace")[-2000:]
    return drawn.decode(errors="replace")


def test_a_long_synthetic_run_shows_a_bar_on_a_terminal_and_nothing_in_a_pipe(tmp_path: Path):
    out = tmp_path / "big.nt"
    drawn = run_on_a_terminal([*COOPGRAPH, "synthetic", str(out), "--triples", "3000000"])
    assert "writing big.nt" in drawn and "%" in drawn, drawn[-2000:]
    assert "wrote " in drawn  # the command's own line stays
    piped = subprocess.run([*COOPGRAPH, "synthetic", str(out), "--triples", "3000000"], capture_output=True,
                           text=True, timeout=120, check=True)
    assert piped.stderr == "" and "writing big.nt" not in piped.stdout
    assert piped.stdout.startswith("wrote ")


def test_loading_and_validating_show_the_time_spent_on_a_terminal(tmp_path: Path):
    archive = tmp_path / "archive.nt"
    subprocess.run([*COOPGRAPH, "synthetic", str(archive), "--triples", "400000"], capture_output=True, check=True,
                   timeout=120)
    out = tmp_path / "out"
    drawn = run_on_a_terminal([*COOPGRAPH, "--out", str(out), "load", str(archive)])
    assert "loading archive.nt" in drawn and "0:00:0" in drawn, drawn[-2000:]
    assert "loaded " in drawn
    drawn = run_on_a_terminal([*COOPGRAPH, "--out", str(out), "validate", "--only", str(archive), "--max-size", "200"])
    assert "validating archive.nt" in drawn, drawn[-2000:]
