"""Figures from the reliability tests, for docs/reliability.md.

When COOPGRAPH_RELIABILITY_LOG names a file, each test appends one JSON line with what it tried
and what happened; bench/reliability.py runs the tests with it set and writes the table.
Without the variable nothing is written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def record(what: str, figures: dict[str, object]) -> None:
    target = os.environ.get("COOPGRAPH_RELIABILITY_LOG")
    if not target:
        return
    with Path(target).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"what": what, **figures}, default=str) + "\n")
