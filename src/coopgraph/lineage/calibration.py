"""How sure a lineage edge is, kept apart from how much the text changed.

Similarity says how many words changed; confidence says how likely the link is right. Confidence
is calibrated per evidence kind on the links checked by hand (tests/data/): an edge of a kind
that was right in `correct` of `checked` hand-checked cases gets
(correct + 2 * prior) / (checked + 2), the prior updated by what was counted, as if the prior had
been seen twice. The prior says how the kind identifies its target: a citation by symbol is
near-certain before any check (0.99); an inferred kind starts at even (0.5), so an inferred kind
right 3 times of 3 says 0.80, not 1.00. `python bench/alignment.py --calibrate` recounts the
table in calibration.toml.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

# Before any hand check: a stated link is as sure as the identification of what it names.
PRIOR = {
    "citation by symbol": 0.99,
    "citation by symbol in a report": 0.95,
    "citation by title": 0.9,
    "citation by description": 0.85,
    "reproduces": 0.9,
    "quotation": 0.95,
    "named set": 0.9,
}
UNKNOWN = 0.5  # an inferred kind before any hand check: no better than even


@cache
def table() -> dict[str, dict[str, int]]:
    """The hand-checked counts per evidence kind, from the package's calibration.toml."""
    text = resources.files("coopgraph.lineage").joinpath("calibration.toml").read_text(encoding="utf-8")
    return {kind: {"checked": int(v["checked"]), "correct": int(v["correct"])} for kind, v in tomllib.loads(text)["kind"].items()}


def calibrated(kind: str) -> float:
    """The confidence for an edge of this evidence kind, rounded to two places."""
    prior = PRIOR.get(kind, UNKNOWN)
    counts = table().get(kind, {"checked": 0, "correct": 0})
    return round((counts["correct"] + 2 * prior) / (counts["checked"] + 2), 2)


def chain(confidences: list[float]) -> float:
    """A multi-step link is as sure as all its steps together (independent steps: the product)."""
    result = 1.0
    for value in confidences:
        result *= value
    return round(result, 2)
