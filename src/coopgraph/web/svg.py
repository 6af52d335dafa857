"""A lineage trace drawn as SVG: one column per session (or year, for texts outside the Assembly),
earliest on the left, a shaded band where the corpus lacks sessions, and an edge per derivation.

Edges are routed so that each runs between its own two boxes and crosses no other: between
neighbouring columns a straight line through the corridor between them; within a column, out to
the corridor on its right and back; across columns, up to a lane above every box, along it, and
down the corridor before the later box. Labels sit in corridors or lanes, never under a box.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from html import escape

from coopgraph.lineage.engine import Node, Step, Trace, gap_sentence

BOX_W, GAP_X, GAP_Y, MARGIN, BAND_W = 230, 70, 18, 12, 80
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


Column = tuple[str, int]  # ("session", 6), ("year", 2013) or ("undated", 0)


def _column_of(node: Node) -> Column:
    if node.session is not None:
        return ("session", node.session)
    return ("year", node.year) if node.year else ("undated", 0)


def _columns(nodes: dict[str, Node]) -> list[Column]:
    """The columns in time order: a session where its texts are dated by their year, a year, and
    undated texts first."""
    years: dict[Column, int] = {}
    for node in nodes.values():
        column = _column_of(node)
        if node.year:
            years[column] = min(years.get(column, node.year), node.year)

    def when(column: Column) -> tuple[int, int, int]:
        kind, number = column
        if kind == "undated":
            return (0, 0, 0)
        return (1, years.get(column, 0), number if kind == "session" else 0)

    return sorted({_column_of(n) for n in nodes.values()}, key=when)


def _column_title(column: Column, nodes: list[Node]) -> str:
    kind, number = column
    if kind == "session":
        years = sorted({n.year for n in nodes if n.year})
        return f"ASP {number}" + (f" · {years[0]}" if years else "")
    return str(number) if kind == "year" else "undated"


def lineage_svg(trace: Trace, link: Callable[[str], str] = lambda iri: iri,
                missing_between: Callable[[int, int], list[int]] = lambda a, b: []) -> str:
    """`missing_between(a, b)`: the sessions between two whose texts the corpus lacks (drawn as a band)."""
    nodes: dict[str, Node] = {trace.root.iri: trace.root}
    for step in trace.steps:
        nodes.setdefault(step.node.iri, step.node)
    lines = {iri: box_lines(node) for iri, node in nodes.items()}
    box_h = max(46, LINE * max(len(each) for each in lines.values()) + 14)  # every box as tall as the tallest
    columns = _columns(nodes)
    members: dict[Column, list[Node]] = {column: [] for column in columns}
    for node in nodes.values():
        members[_column_of(node)].append(node)
    edges = [step for step in trace.steps if step.edge.later in nodes and step.edge.earlier in nodes]
    skipping = [s for s in edges if abs(columns.index(_column_of(nodes[s.edge.later]))
                                        - columns.index(_column_of(nodes[s.edge.earlier]))) > 1]
    lanes_h = max(box_h, 16 + 9 * len(skipping))  # a lane for each edge that passes over columns
    top = MARGIN + 22  # under the column titles
    first_row = top + lanes_h + GAP_Y
    x_of: dict[Column, int] = {}
    bands: list[tuple[int, list[int]]] = []
    x = MARGIN
    for i, column in enumerate(columns):
        if i:
            before = columns[i - 1]
            missing = (missing_between(before[1], column[1])
                       if before[0] == "session" and column[0] == "session" else [])
            if missing:
                bands.append((x - GAP_X + 10, missing))
                x += BAND_W
        x_of[column] = x
        x += BOX_W + GAP_X
    width = x + MARGIN  # the corridor right of the last column holds the edges within it
    position: dict[str, tuple[int, int]] = {}
    for column in columns:
        for row, node in enumerate(sorted(members[column], key=lambda n: n.label)):
            position[node.iri] = (x_of[column], first_row + row * (box_h + GAP_Y))
    height = first_row + max(len(m) for m in members.values()) * (box_h + GAP_Y) + MARGIN
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="lineage" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="lineage graph">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>']
    for band_x, missing in bands:
        sentence = gap_sentence(missing)
        parts.append(f'<g class="gap-band"><title>{escape(sentence)}</title>'
                     f'<rect x="{band_x}" y="{top - 16}" width="{BAND_W + GAP_X - 20}" height="{height - top + 16 - MARGIN}" '
                     f'fill="#eee" stroke="#bbb" stroke-dasharray="4,3"/>'
                     f'<text x="{band_x + 6}" y="{top - 4}" class="gap-label">{escape(_sessions_words(missing))}</text>'
                     f'<text x="{band_x + 6}" y="{top + 10}" class="gap-label">not in the corpus</text></g>')
    for column in columns:
        parts.append(f'<text x="{x_of[column]}" y="{MARGIN + 8}" class="year">'
                     f'{escape(_column_title(column, members[column]))}</text>')
    lane_of = {id(step): top + 10 + 9 * lane for lane, step in enumerate(skipping)}
    corridor_use: dict[int, int] = {}
    for step in edges:
        parts.append(_edge(step, position, box_h, lane_of.get(id(step)), corridor_use))
    for iri, (bx, by) in position.items():
        node = nodes[iri]
        root = " root" if iri == trace.root.iri else ""
        external = "" if node.in_corpus else " external"
        first_line = by + (box_h - LINE * len(lines[iri])) / 2 + 12
        texts = "".join(f'<text x="{bx + 8}" y="{first_line + LINE * i:g}"' + (f' class="{kind}"' if kind else "")
                        + f">{escape(text)}</text>" for i, (text, kind) in enumerate(lines[iri]))
        parts.append(f'<a href="{escape(link(iri))}"><g class="node{root}{external}" data-iri="{escape(iri)}">'
                     f'<title>{escape(node.label)}</title>'
                     f'<rect x="{bx}" y="{by}" width="{BOX_W}" height="{box_h}" rx="6"/>' + texts + '</g></a>')
    parts.append("</svg>")
    return "".join(parts)


def _sessions_words(missing: list[int]) -> str:
    runs: list[list[int]] = []
    for number in missing:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return "ASP " + ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _edge(step: Step, position: dict[str, tuple[int, int]], box_h: int, lane: int | None,
          corridor_use: dict[int, int]) -> str:
    """One edge as a path of straight segments from the earlier box to the later one, with its label."""
    edge = step.edge
    (x1, y1), (x2, y2) = position[edge.earlier], position[edge.later]
    m1, m2 = y1 + box_h / 2, y2 + box_h / 2
    if x1 == x2:  # one column: out to the corridor on the right and back
        corridor = x1 + BOX_W
        used = corridor_use[corridor] = corridor_use.get(corridor, 0) + 1
        out = corridor + 10 + 8 * ((used - 1) % 6)
        points = [(x1 + BOX_W, m1), (out, m1), (out, m2), (x2 + BOX_W, m2)]
        label_at, anchor = (out + 3, (m1 + m2) / 2), "start"
    elif lane is None:  # neighbouring columns: straight through the corridor between them
        left, right = ((x1 + BOX_W, m1), (x2, m2)) if x1 < x2 else ((x1, m1), (x2 + BOX_W, m2))
        points = [left, right]
        label_at, anchor = ((left[0] + right[0]) / 2, (left[1] + right[1]) / 2 - 4), "middle"
    else:  # across columns: up to its lane above every box, along it, down before the later box
        if x1 < x2:
            start, rise, fall, end = x1 + BOX_W, x1 + BOX_W + 14, x2 - 14, x2
        else:
            start, rise, fall, end = x1, x1 - 14, x2 + BOX_W + 14, x2 + BOX_W
        points = [(start, m1), (rise, m1), (rise, lane), (fall, lane), (fall, m2), (end, m2)]
        label_at, anchor = ((rise + fall) / 2, lane - 2), "middle"
    path = "M " + " L ".join(f"{px:g} {py:g}" for px, py in points)
    colour = COLOURS.get(edge.type, "#555")
    dash = ' stroke-dasharray="5,4"' if edge.inferred else ""
    gap_class, gap_title = (" gap", f" ({step.gap})") if step.gap else ("", "")
    return (f'<g class="edge edge-{edge.type}{gap_class}" data-from="{escape(edge.earlier)}" data-to="{escape(edge.later)}">'
            f'<title>{escape(edge.type)} {edge.confidence:.2f}: {escape(edge.method)}{escape(gap_title)}</title>'
            f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash} marker-end="url(#arrow)"/>'
            f'<text x="{label_at[0]:g}" y="{label_at[1]:g}" text-anchor="{anchor}" class="edge-label" '
            f'fill="{colour}">{escape(edge.type)}</text></g>')
