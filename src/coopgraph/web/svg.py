"""A lineage trace drawn as SVG: one column per year, earlier on the left, an arrow per edge."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from html import escape

from coopgraph.lineage.engine import Node, Trace

BOX_W, GAP_X, GAP_Y, MARGIN = 230, 70, 18, 12
LINE, NAME_CHARS, PIN_CHARS = 16, 34, 36  # a line's height, and the characters that fit a box's width
COLOURS = {"repeats": "#2e7d32", "amends": "#1565c0", "restates": "#6a1b9a", "reportsOn": "#ef6c00",
           "citesUnit": "#757575", "buildsOn": "#9e9d24"}


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def box_lines(node: Node) -> list[tuple[str, str]]:
    """(text, class) for each line of a node's box: the document's name over up to two lines
    (cut only past them: "…, annex II" is part of the name), then the pinpoint."""
    first = node.document_label or node.label
    pinpoint = node.label.split(", ", 1)[1] if ", " in node.label else ""
    second = "" if not pinpoint or pinpoint == first else pinpoint  # a document's box says its name once
    name = textwrap.wrap(first, NAME_CHARS) or [first]
    if len(name) > 2:
        name = [name[0], _short(" ".join(name[1:]), NAME_CHARS)]
    return [(line, "") for line in name] + ([(_short(second, PIN_CHARS), "pin")] if second else [])


def lineage_svg(trace: Trace, link: Callable[[str], str] = lambda iri: iri) -> str:
    nodes: dict[str, Node] = {trace.root.iri: trace.root}
    for step in trace.steps:
        nodes.setdefault(step.node.iri, step.node)
    lines = {iri: box_lines(node) for iri, node in nodes.items()}
    box_h = max(46, LINE * max(len(each) for each in lines.values()) + 14)  # every box as tall as the tallest
    years = sorted({n.year or 0 for n in nodes.values()})
    columns: dict[int, list[Node]] = {year: [] for year in years}
    for node in nodes.values():
        columns[node.year or 0].append(node)
    position: dict[str, tuple[int, int]] = {}
    for x, year in enumerate(years):
        for y, node in enumerate(sorted(columns[year], key=lambda n: n.label)):
            position[node.iri] = (MARGIN + x * (BOX_W + GAP_X), MARGIN + 18 + box_h + GAP_Y + y * (box_h + GAP_Y))
    width = MARGIN * 2 + len(years) * (BOX_W + GAP_X) - GAP_X
    # one row of room above the boxes for edges that arc over a column
    height = MARGIN * 2 + 18 + (1 + max(len(c) for c in columns.values())) * (box_h + GAP_Y)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="lineage" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="lineage graph">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>']
    for x, year in enumerate(years):
        parts.append(f'<text x="{MARGIN + x * (BOX_W + GAP_X)}" y="{MARGIN + 8}" class="year">{year or "undated"}</text>')
    for step in trace.steps:
        edge = step.edge
        if edge.later not in position or edge.earlier not in position:
            continue
        (x1, y1), (x2, y2) = position[edge.earlier], position[edge.later]
        start = (x1 + BOX_W, y1 + box_h / 2) if x1 < x2 else (x1, y1 + box_h / 2)
        end = (x2, y2 + box_h / 2) if x1 < x2 else (x2 + BOX_W, y2 + box_h / 2)
        if x1 == x2:
            start, end = (x1 + BOX_W / 2, y1 + box_h), (x2 + BOX_W / 2, y2)
        colour = COLOURS.get(edge.type, "#555")
        dash = ' stroke-dasharray="5,4"' if edge.inferred else ""
        # An edge that skips a column arcs above the boxes between, so it never seems to touch them.
        lift = (box_h + GAP_Y) * 0.9 if abs(x2 - x1) > BOX_W + GAP_X else 0
        top = min(start[1], end[1]) - lift
        path = (f"M {start[0]} {start[1]} C {start[0] + 40} {top}, {end[0] - 40} {top}, {end[0]} {end[1]}" if lift
                else f"M {start[0]} {start[1]} L {end[0]} {end[1]}")
        label_y = (top if lift else (start[1] + end[1]) / 2) - 4
        # an edge across sessions whose texts the corpus lacks says so, on the drawing and in its title
        gap_class, gap_title = (" gap", f" ({step.gap})") if step.gap else ("", "")
        gap_label = f" · gap: {step.gap.split(' lie')[0]}" if step.gap else ""
        parts.append(f'<g class="edge edge-{edge.type}{gap_class}"><title>{escape(edge.type)} {edge.confidence:.2f}: '
                     f'{escape(edge.method)}{escape(gap_title)}</title><path d="{path}" fill="none" '
                     f'stroke="{colour}" stroke-width="2"{dash} marker-end="url(#arrow)"/>'
                     f'<text x="{(start[0] + end[0]) / 2}" y="{label_y}" class="edge-label" '
                     f'fill="{colour}">{escape(edge.type)}{escape(gap_label)}</text></g>')
    for iri, (x, y) in position.items():
        node = nodes[iri]
        root = " root" if iri == trace.root.iri else ""
        external = "" if node.in_corpus else " external"
        top = y + (box_h - LINE * len(lines[iri])) / 2 + 12
        texts = "".join(f'<text x="{x + 8}" y="{top + LINE * i:g}"' + (f' class="{kind}"' if kind else "") + f">{escape(text)}</text>"
                        for i, (text, kind) in enumerate(lines[iri]))
        parts.append(f'<a href="{escape(link(iri))}"><g class="node{root}{external}"><title>{escape(node.label)}</title>'
                     f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{box_h}" rx="6"/>' + texts
                     + '</g></a>')
    parts.append("</svg>")
    return "".join(parts)
