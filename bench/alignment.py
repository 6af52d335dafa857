"""Lineage against the links and lifecycles checked by hand: precision and recall per pair of
documents, status accuracy per mandate, and the confidence calibration.

    python bench/alignment.py [--out docs/lineage-alignment.md] [--calibrate]

The hand-checked data is in tests/data/ (each link with the reason it holds). Thresholds were
tuned on one pair (2009 -> 2015, marked "tuning"); the others are held out. --calibrate recounts,
per evidence kind, how many of the tool's edges between hand-checked pairs are right, and writes
src/coopgraph/lineage/calibration.toml, from which confidence is computed (rebuild afterwards).
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import sys
import time
import tomllib
from pathlib import Path

from report import commit as current_commit  # bench/report.py
from report import publish

from coopgraph.config import Settings
from coopgraph.lineage.calibration import PRIOR, UNKNOWN, calibrated
from coopgraph.lineage.confidence import FEATURES, subject_model
from coopgraph.lineage.continuity import PART_RATIO, SUBJECT_SIMILARITY
from coopgraph.lineage.derive import derive
from coopgraph.lineage.engine import Lineage

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: helpers shared with the tests
from coopgraph.lineage.timeline import STATUS_WORDS  # noqa: E402
from coopgraph.pipeline import build  # noqa: E402
from coopgraph.terms import CG  # noqa: E402
from tests.support.evaluation import (  # noqa: E402
    PAIRS,
    brier,
    calibration_counts,
    expected_calibration_error,
    judged_edges,
    mandate_link_scores,
    per_kind,
    reliability,
    score_all,
    score_lifecycles,
    subject_candidates,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
CALIBRATION = ROOT / "src" / "coopgraph" / "lineage" / "calibration.toml"


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def fit_subject_model(graph: object, base: str) -> dict[str, object]:
    """A logistic regression (scikit-learn) on the tuning pair's candidate links by subject, each
    labelled by the hand data; nothing of the held-out pairs is seen."""
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise SystemExit("--calibrate fits the model with scikit-learn: pip install 'coopgraph[bench]'") from None
    tuning = next(spec for spec in PAIRS if spec.role == "tuning")
    rows = subject_candidates(graph, base, tuning, DATA)  # type: ignore[arg-type]
    model = LogisticRegression(C=1.0, max_iter=1000).fit([r[0] for r in rows], [int(r[1]) for r in rows])
    return {"fitted_on": tuning.name, "candidates": len(rows), "positives": sum(r[1] for r in rows),
            "intercept": round(float(model.intercept_[0]), 4),
            "coefficients": [round(float(c), 4) for c in model.coef_[0]], "features": list(FEATURES)}


def write_calibration(counts: dict[str, dict[str, int]], model: dict[str, object]) -> None:
    lines = ["# Hand-checked counts per evidence kind: of the tool's edges between the document pairs checked by",
             "# hand (tests/data/), how many were checked and how many were right. Written by",
             "# `python bench/alignment.py --calibrate`; confidence = (correct + 2 * prior) / (checked + 2),",
             "# the prior in src/coopgraph/lineage/calibration.py.", "", "[kind]"]
    for kind, c in counts.items():
        lines.append(f'"{kind}" = {{ checked = {c["checked"]}, correct = {c["correct"]} }}')
    lines += ["", "# The model that scores a link by subject from its own evidence (coopgraph.lineage.confidence),",
              "# fitted on the tuning pair's candidates only; the held-out pairs evaluate it (docs/lineage-alignment.md).",
              "[subject_model]", f'fitted_on = "{model["fitted_on"]}"', f"candidates = {model['candidates']}",
              f"positives = {model['positives']}", f"intercept = {model['intercept']}",
              f"coefficients = {model['coefficients']}", f"features = {json.dumps(model['features'])}"]
    tmp = CALIBRATION.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(CALIBRATION)


def calibration_section(scores: list) -> list[str]:
    """Before (one confidence per kind) and after (a link by subject scored by its own evidence),
    on the held-out pairs only."""
    before = judged_edges(scores, confidence=lambda e: calibrated(e.kind))
    after = judged_edges(scores)
    lines = ["", "## Calibration on the held-out pairs", "",
             "Before: every link of a kind had its kind's confidence. After: a link by subject is scored by its own "
             "evidence (weighted overlap, margin over the next candidate, a shared citation, the first actor each names, "
             "whether each is the other's best candidate) by a logistic model fitted on the tuning pair's candidates only "
             f"({(subject_model() or {}).get('candidates')} candidates, {(subject_model() or {}).get('positives')} of them links "
             "in the hand data); other kinds keep their hand-checked rate. Measured on the held-out pairs' edges. Whether "
             "the two texts are consecutive is not a feature: the tuning pair never is, so no weight for it could be learnt. "
             "The model scores a candidate among all candidates, so it is cautious with links the tool chose by other rules; "
             "it scores only mutual best matches by subject (`shared subject`), and the parts of splits and merges and shared "
             "pinpoints keep their kind's rate.", "",
             "| | edges | Brier score | expected calibration error |", "|---|---:|---:|---:|",
             f"| before | {len(before)} | {brier(before):.4f} | {expected_calibration_error(before):.4f} |",
             f"| after | {len(after)} | {brier(after):.4f} | {expected_calibration_error(after):.4f} |", "",
             "Reliability (after):", "", "| confidence | edges | mean confidence | share right |", "|---|---:|---:|---:|"]
    lines += [f"| {b} | {n} | {c:.3f} | {r:.3f} |" for b, n, c, r in reliability(after)]
    lines += ["", "Reliability (before):", "", "| confidence | edges | mean confidence | share right |", "|---|---:|---:|---:|"]
    lines += [f"| {b} | {n} | {c:.3f} | {r:.3f} |" for b, n, c, r in reliability(before)]
    lines += ["", "Per kind on the held-out pairs: the confidence a kind claims (mean, after) beside its measured "
              "precision and the sampling error above it (the upper end of the 95% Wilson interval). No kind claims more "
              "than that upper end (`tests/test_alignment.py`).", "",
              "| kind | checked | right | precision | upper end | claimed | enough checks? |", "|---|---:|---:|---:|---:|---:|---|"]
    for kind, (checked, right, claimed, upper) in per_kind(after).items():
        enough = "yes" if checked >= 10 else f"too few ({checked}): the interval is wide"
        lines.append(f"| {kind} | {checked} | {right} | {right / checked:.3f} | {upper:.3f} | {claimed:.3f} | {enough} |")
    return lines


# The pair the mandate links' one threshold (continuity.SUBJECT_SIMILARITY, for a subject link to
# carry a mandate) was tuned on; every other pair is held out.
MANDATE_TUNING_PAIR = ("ICC-ASP/14/Res.3", "ICC-ASP/8/Res.2")


def mandate_link_section(graph: object, base: str, hand: list[dict]) -> list[str]:
    """Mandate-to-mandate links per document pair against the hand reading."""
    scores = mandate_link_scores(graph, base, hand)  # type: ignore[arg-type]
    lines = ["", "## Mandate links, clause by clause", "",
             "A mandate link joins two clauses that ask a common addressee along a paragraph link "
             "(`cg:continuesMandate`); a chain never passes through another addressee's clause. The hand reading is "
             "`tests/data/mandate-lifecycles.toml` (each mandate's earlier and later units that hold a clause of the same "
             "addressee; a recital that holds no clause is not a mandate). Each pair of clauses is counted from both ends, "
             "so a link counts twice; a chain of two links counts its far end as well.", "",
             "| documents | role | drawn | right | precision | in the hand reading | found | recall |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for pair, s in sorted(scores.items()):
        role = "tuning" if tuple(pair) == MANDATE_TUNING_PAIR else "held out"
        lines.append(f"| {pair[0]} / {pair[1]} | {role} | {s.drawn} | {s.true_positives} | {fmt(s.precision)} | "
                     f"{s.gold} | {s.found} | {fmt(s.recall)} |")
    missed = [m for s in scores.values() for m in s.missed]
    wrong = [m for s in scores.values() for m in s.false_positives]
    lines += ["", f"Wrong: {len(wrong)}. Missed: {len(missed)}" + (":" if missed else "."), ""]
    lines += [f"- `{a}` to `{b}`" for a, b in sorted(missed)]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "lineage-alignment.md")
    parser.add_argument("--calibrate", action="store_true", help="rewrite the calibration table, then stop")
    args = parser.parse_args()
    settings = Settings(root=ROOT)
    started = time.perf_counter()
    plain = build(settings, lineage=False)
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    derivations = derive(plain)
    derive_seconds = time.perf_counter() - started
    graph = build(settings)
    scores = score_all(graph, settings.base, DATA)
    counts = calibration_counts(scores)
    if args.calibrate:
        write_calibration(counts, fit_subject_model(graph, settings.base))
        print(f"wrote {CALIBRATION.relative_to(ROOT)}: {len(counts)} evidence kinds and the subject model (rebuild next)")
        return
    lifecycles = score_lifecycles(graph, Lineage(graph), settings.base, DATA)
    hand = tomllib.loads((DATA / "mandate-lifecycles.toml").read_text(encoding="utf-8"))["mandate"]
    claims = right = 0
    for check, entry in zip(lifecycles, hand, strict=True):
        allowed = set(entry.get("next", []) + entry.get("back", []) + entry.get("reported", []))
        for word, unit in check.status_words:
            if word in STATUS_WORDS:
                claims += 1
                right += unit in allowed
    by_type: dict[str, int] = {}
    for d in derivations:
        name = str(d.type).rsplit("#", 1)[-1]
        by_type[name] = by_type.get(name, 0) + 1
    splits = len(set(graph.subjects(None, CG.SplitDerivation)))
    merges = len(set(graph.subjects(None, CG.MergeDerivation)))

    lines = [
        "# Lineage: alignment and status quality",
        "",
        f"Run {datetime.date.today()} at commit {current_commit()} on {platform.machine()}, Python "
        f"{platform.python_version()}. Reproduce: `python bench/alignment.py`.",
        "",
        "Every figure compares the tool with data written by reading the texts (`tests/data/`), each link with the "
        "reason it holds. A link is *strong* when a lawyer would cite the earlier unit as the origin (the same actor "
        "asked the same thing, reworded or not), *weak* when the two share a subject only.",
        "",
        "## Links per pair of documents",
        "",
        "Content links are shared text or a shared subject (inferred); stated links are citations, by symbol, title "
        "or description (a text says them).",
        "",
        "| pair | role | hand links (strong) | found | correct | precision | recall, strong | recall, all | stated: precision | stated: recall |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        strong = sum(1 for v in s.expected.values() if v == "strong")
        lines.append(f"| {s.spec.name} | {s.spec.role} | {len(s.expected)} ({strong}) | {len(s.found)} | {len(s.correct)} | "
                     f"{fmt(s.precision())} | {fmt(s.recall('strong'))} | {fmt(s.recall())} | "
                     f"{fmt(s.stated_precision())} | {fmt(s.stated_recall())} |")
    lines += ["", "Wrong and missed links, as the tool sees them:", ""]
    for s in scores:
        for earlier, later in sorted(s.wrong):
            lines.append(f"- {s.spec.name}: wrong `{later}` <- `{earlier}` ({s.found[(earlier, later)].kind})")
        for earlier, later in sorted(s.missed_strong):
            lines.append(f"- {s.spec.name}: missed (strong) `{later}` <- `{earlier}`")
    ok = sum(c.found == c.expected for c in lifecycles)
    complete = sum(c.ok for c in lifecycles)
    lines += [
        "",
        "## Mandates",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| mandates checked by hand (`tests/data/mandate-lifecycles.toml`) | {len(lifecycles)} |",
        f"| mandates found in the graph | {sum(c.found is not None for c in lifecycles)} |",
        f"| **status agrees** | **{ok} of {len(lifecycles)}** |",
        f"| status and every hand-listed later, earlier and reporting unit shown | {complete} of {len(lifecycles)} |",
        f"| **status words in timelines that the hand data supports** (issued, renewed, proposed for renewal, reported on, ...) | **{right} of {claims}** |",
        f"| drafts or proposals called issued or renewed | {sum(1 for c in lifecycles if c.found in {'issued', 'renewed'} and c.expected in {'proposed', 'taken up by an adopted resolution'})} |",
        "",
        "Mandates whose timeline misses a unit the hand data lists:",
        "",
    ]
    for c in lifecycles:
        if not c.ok:
            missing = c.missing_next + c.missing_back + c.missing_reported
            lines.append(f"- `{c.unit}` ({c.addressee}): status {c.found!r} (expected {c.expected!r}); "
                         f"not shown: {', '.join(f'`{m}`' for m in missing) or 'none'}")
    lines += mandate_link_section(graph, settings.base, hand)
    lines += calibration_section(scores)
    lines += [
        "",
        "## Confidence",
        "",
        "Similarity (how much of the text stayed) and confidence (how likely the link is right) are kept apart. "
        "Confidence is the hand-checked precision of the edge's evidence kind, counted over every hand-checked pair "
        "(`--calibrate`) and smoothed towards a prior: (correct + 2 x prior) / (checked + 2). The prior says how the "
        "kind identifies its target: 0.99 for a citation by symbol, 0.85-0.95 for other stated kinds, 0.5 for every "
        "inferred kind. A chain's confidence is the product of its links'.",
        "",
        "| evidence kind | stated or inferred | prior | checked | correct | confidence |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for kind, c in counts.items():
        basis = "stated" if kind in PRIOR else "inferred"
        lines.append(f"| {kind} | {basis} | {PRIOR.get(kind, UNKNOWN):.2f} | {c['checked']} | {c['correct']} | {calibrated(kind):.2f} |")
    lines += [
        "",
        "## Thresholds and what was tuned where",
        "",
        f"- Shared subject across sessions (`src/coopgraph/lineage/continuity.py`): weighted overlap >= {SUBJECT_SIMILARITY} "
        f"and each paragraph the other's best match; the other part of a split or merge >= {PART_RATIO} of the part "
        "already linked. Tuned on 2009 -> 2015 only: there unrelated mutual best matches score up to 0.22 and the "
        "continued ones 0.23 or more, a thin margin. The same threshold decides whether two mandate clauses ask the "
        "same thing.",
        "- Text alignment (`src/coopgraph/lineage/derive.py`): amendment similarity 0.6, clause 0.65, shortened or "
        "expanded 0.8 coverage. These were set in an earlier revision while reading 2015 -> draft, so that pair is "
        "held out for the new subject links only; 2007 -> 2009 and draft -> Annex II were never used to tune.",
        "",
        f"Derivation edges in the whole graph, by type: {', '.join(f'{n} {c}' for n, c in sorted(by_type.items()))}; "
        f"{splits} edges are parts of a split and {merges} of a merge.",
        "",
        f"Cost, same run: building the graph without lineage {build_seconds:.2f} s; deriving the edges "
        f"{derive_seconds:.2f} s ({derive_seconds / build_seconds:.2f}x the build).",
        "",
    ]
    publish(lines, args.out)


if __name__ == "__main__":
    main()
