"""Mandates on a time axis, drawn as SVG: sessions across (one column per session, in order, so a
gap is as wide as the sessions it spans), mandates down, each event a mark in its session's column,
and the sessions whose texts the corpus lacks shaded and named, so that no empty column reads as
"nothing happened". Used on a mandate's page (its chain, clause by clause) and an actor's page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from coopgraph.lineage.engine import gap_sentence
from coopgraph.lineage.timeline import PROPOSING, RENEWING

LABEL_W, COLUMN_W, ROW_H, AXIS_H, MARGIN = 300, 46, 28, 34, 8
LABEL_CHARS = 46
# The mark of each kind of event: what an adopted text did, what a draft or report proposed, a
# report on it, when it is due, a subject shared without the same request (inferred).
KINDS = {
    "adopted": ("circle", "#1a3a5c", "#1a3a5c", "issued, renewed, restated or recalled by an adopted text"),
    "proposed": ("circle", "#ffffff", "#ef6c00", "proposed in a draft or report (not law)"),
    "reported": ("square", "#6a8f3a", "#6a8f3a", "reported on"),
    "due": ("diamond", "#ffffff", "#b71c1c", "due"),
    "subject": ("circle-small", "#9e9e9e", "#9e9e9e", "takes up the subject only (inferred)"),
}
ADOPTED = RENEWING | {"issued earlier", "continued (recalled)"}  # the timeline's words (lineage.timeline)
PROPOSED = PROPOSING | {"proposed", "proposed earlier"}


def kind_of(what: str) -> str:
    """The mark for an event's words (lineage.timeline.ORDER)."""
    if what in ADOPTED:
        return "adopted"
    if what in PROPOSED:
        return "proposed"
    if what == "reported on":
        return "reported"
    if what.startswith("due"):
        return "due"
    return "subject"


@dataclass
class Mark:
    session: int
    what: str
    title: str  # what a reader sees on hovering: the event and its unit
    href: str | None = None
    inferred: bool = False


@dataclass
class Row:
    label: str
    href: str | None
    marks: list[Mark] = field(default_factory=list)
    title: str | None = None  # the whole of what the row is (what the mandate asks), on hovering


def _short(text: str) -> str:
    """A row's label that fits, the pinpoint kept whole: "ASP15 Bureau rep…, annex I, para. 32"."""
    if len(text) <= LABEL_CHARS:
        return text
    document, _, pinpoint = text.partition(", ")
    room = LABEL_CHARS - len(pinpoint) - 3
    if pinpoint and room >= 8:
        return f"{document[:room]}…, {pinpoint}"
    return text[: LABEL_CHARS - 1] + "…"


def _mark(mark: Mark, x: float, y: float, row: int) -> str:
    shape, fill, stroke, _ = KINDS[kind_of(mark.what)]
    dash = ' stroke-dasharray="3 2"' if mark.inferred else ""
    style = f'fill="{fill}" stroke="{stroke}" stroke-width="2"{dash}'
    if shape == "square":
        body = f'<rect x="{x - 6}" y="{y - 6}" width="12" height="12" {style}/>'
    elif shape == "diamond":
        body = f'<path d="M{x} {y - 8} L{x + 8} {y} L{x} {y + 8} L{x - 8} {y} Z" {style}/>'
    else:
        body = f'<circle cx="{x}" cy="{y}" r="{4 if shape == "circle-small" else 7}" {style}/>'
    words = f'{mark.what}{" (inferred)" if mark.inferred else ""}: {mark.title}'
    body = f'<g class="mark mark-{kind_of(mark.what)}" data-session="{mark.session}" data-row="{row}"><title>{escape(words)}</title>{body}</g>'
    return f'<a href="{escape(mark.href)}">{body}</a>' if mark.href else body


def mandate_chart_svg(rows: list[Row], missing_between: Callable[[int | None, int | None], list[int]]) -> str:
    """The chart, or "" when no row has a mark in a known session."""
    sessions = sorted({m.session for row in rows for m in row.marks})
    if not sessions:
        return ""
    first, last = sessions[0], sessions[-1]
    columns = list(range(first, last + 1))
    missing = set(missing_between(first, last))
    width = LABEL_W + COLUMN_W * len(columns) + MARGIN
    height = AXIS_H + ROW_H * len(rows) + MARGIN

    def x_of(session: int) -> float:
        return LABEL_W + COLUMN_W * (session - first) + COLUMN_W / 2

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="mandate-chart" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="mandates by session">']
    for session in columns:  # the columns: a missing session is shaded and says so
        left = LABEL_W + COLUMN_W * (session - first)
        if session in missing:
            out.append(f'<rect class="gap" data-session="{session}" x="{left}" y="{AXIS_H - 6}" width="{COLUMN_W}" '
                       f'height="{height - AXIS_H}" fill="#eceff1"><title>ASP{session}: '
                       f'{escape(gap_sentence([session]))}</title></rect>')
        out.append(f'<text class="session" x="{left + COLUMN_W / 2}" y="{AXIS_H - 12}" text-anchor="middle" '
                   f'font-size="12" fill="{"#90a4ae" if session in missing else "#263238"}">ASP{session}</text>')
    for index, row in enumerate(rows):
        y = AXIS_H + ROW_H * index + ROW_H / 2
        out.append(f'<line x1="{LABEL_W}" y1="{y}" x2="{width - MARGIN}" y2="{y}" stroke="#cfd8dc"/>')
        label = f'<text class="row-label" data-row="{index}" x="4" y="{y + 4}" font-size="12" fill="#1a3a5c">{escape(_short(row.label))}' \
                f'<title>{escape(row.title or row.label)}</title></text>'
        out.append(f'<a href="{escape(row.href)}">{label}</a>' if row.href else label)
        for session in sorted({m.session for m in row.marks}):
            here = sorted((m for m in row.marks if m.session == session), key=lambda m: list(KINDS).index(kind_of(m.what)))
            for number, mark in enumerate(here):  # events of one session side by side, centred on its column
                out.append(_mark(mark, x_of(session) + 15 * (number - (len(here) - 1) / 2), y, index))
    out.append("</svg>")
    return "".join(out)


def legend_items(rows: list[Row]) -> list[tuple[str, str]]:
    """(kind, words) of the marks the chart uses, for the legend under it."""
    used = {kind_of(m.what) for row in rows for m in row.marks}
    return [(kind, KINDS[kind][3]) for kind in KINDS if kind in used]
