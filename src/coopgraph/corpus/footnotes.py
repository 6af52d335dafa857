"""Footnote markers checked against where their footnote texts stand, for every document kind.

A printed footnote stands at the foot of the page its marker is on. Extraction keeps the page's
footnotes as a block after the page's text, so a marker belongs to the footnote of its number
in the first block of footnotes after it. A marker whose number is not in that block (the page's
footnote text was lost) is a defect of the source: it is not linked to a footnote of the same
number further on, which would be a guess, and the unit keeps a note that says so. Two markers
sharing one footnote are noted the same way.
"""

from __future__ import annotations

from coopgraph.corpus.records import ParsedDocument, Unit


def _blocks(document: ParsedDocument, scope: tuple[str, ...]) -> list[list[Unit]]:
    """The footnotes of one scope in blocks: footnotes with no other unit's text between them."""
    notes = sorted((u for u in document.units if u.kind == "footnote" and u.path[:-2] == scope), key=lambda u: u.lines)
    text_lines = sorted(u.lines for u in document.units if u.kind != "footnote" and u.text)
    blocks: list[list[Unit]] = []
    for note in notes:
        if blocks:
            last = blocks[-1][-1]
            between = any(last.lines[1] < first <= note.lines[0] or last.lines[1] < end < note.lines[0]
                          for first, end in text_lines)
            if not between:
                blocks[-1].append(note)
                continue
        blocks.append([note])
    return blocks


def _pages_of(unit: Unit, blocks: list[list[Unit]]) -> list[list[Unit]]:
    """The footnote blocks of the pages a unit is printed on: the blocks its text runs across
    (a paragraph broken by a page end), and the first block after its last line."""
    first, last = unit.lines
    inside = [block for block in blocks if first < block[0].lines[0] <= last]
    after = next((block for block in blocks if block[0].lines[0] > last), None)
    return inside + ([after] if after is not None else [])


def check_footnote_markers(document: ParsedDocument) -> None:
    """Keep each marker's link only to the footnote on its own page; note every defect on the unit."""
    blocks_by_scope: dict[tuple[str, ...], list[list[Unit]]] = {}
    users: dict[tuple[str, ...], list[Unit]] = {}
    for unit in document.units:
        kept = []
        for path, offset in unit.footnote_refs:
            scope, number = tuple(path[:-2]), path[-1]
            blocks = blocks_by_scope.setdefault(scope, _blocks(document, scope))
            if any(note.path == tuple(path) for block in _pages_of(unit, blocks) for note in block):
                kept.append((path, offset))
                users.setdefault(tuple(path), []).append(unit)
            elif any(note.path == tuple(path) for block in blocks for note in block):
                _note(unit, f"footnote marker {number} has no footnote text on its page; the footnote {number} "
                            "printed elsewhere is not linked to it")
            else:
                _note(unit, f"footnote marker {number} has no footnote text in the source")
        unit.footnote_refs = kept
    for path, units in users.items():
        if len(units) > 1:
            for unit in units:
                _note(unit, f"footnote {path[-1]} is marked in {len(units)} units; the source shows one footnote text")


def _note(unit: Unit, defect: str) -> None:
    if unit.defects:  # one statement of the defects of a unit's markers
        unit.defects[0] += f"; {defect}"
    else:
        unit.defects.append(defect)
