"""Parser for the Court's flyer on the 66 recommendations.

Extraction read the flyer's columns out of order, so its reading order is data: the manifest
lists each block (heading lines, then text line ranges in reading order). The parser checks
that the blocks cover every non-blank line exactly once, then rejoins what the columns split:
drop capitals ("C" / "ertain"), words hyphenated across columns ("sup-" / "port") and inside
lines ("recommend-ations").
"""

from __future__ import annotations

import re
from typing import Any

from coopgraph.corpus.clean import (
    MARK_CLOSE,
    MARK_OPEN,
    Line,
    clean_text,
    rejoin_drop_capital,
    repair_inline_hyphens,
)
from coopgraph.corpus.manifest import DocumentEntry
from coopgraph.corpus.records import ParsedDocument, Unit
from coopgraph.errors import CorpusError

KINDS = {"title", "section", "key-area", "footnote", "colophon"}


def _range(value: Any, source: str, what: str) -> tuple[int, int]:
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)):
        raise CorpusError(f"{what}: a line range must be [first, last], got {value!r}", source)
    first, last = value
    if first > last:
        raise CorpusError(f"{what}: line range [{first}, {last}] runs backwards", source)
    return first, last


def _rejoin_capitals(lines: list[Line], vocab: frozenset[str]) -> list[Line]:
    """A line holding one capital letter, followed by the rest of its word on the next line."""
    out: list[Line] = []
    pending: Line | None = None
    for line in lines:
        stripped = line.text.strip()
        if not stripped:
            continue
        if pending is not None:
            out.append(Line(pending.no, rejoin_drop_capital(pending.text.strip(), stripped, vocab)))
            pending = None
            continue
        if re.fullmatch(r"[A-Z]", stripped):
            pending = line
            continue
        split = re.match(r"^([A-Z]) ([a-z].*)$", stripped)  # "I ncreased attention"
        if split:
            stripped = rejoin_drop_capital(split.group(1), split.group(2), vocab)
        out.append(Line(line.no, stripped))
    if pending is not None:
        out.append(pending)
    return out


def _mark_footnote(lines: list[Line]) -> list[Line]:
    """The flyer's one footnote marker is a digit glued to a word ("Court1.")."""
    return [Line(line.no, re.sub(r"(?<=[a-z])(\d)(?=[.,;]?\s*$)", lambda m: f"{MARK_OPEN}{m.group(1)}{MARK_CLOSE}", line.text))
            for line in lines]


def parse_flyer(entry: DocumentEntry, lines: list[Line], vocab: frozenset[str]) -> ParsedDocument:
    source = entry.file
    by_no = {line.no: line for line in lines}
    owner: dict[int, int] = {}
    units: list[Unit] = []
    section_position = 0
    for index, block in enumerate(entry.blocks, start=1):
        kind = block.get("kind")
        if kind not in KINDS:
            raise CorpusError(f"flyer block #{index}: kind {kind!r} is not one of {sorted(KINDS)}", source)
        ranges = []
        if "heading" in block:
            ranges.append(_range(block["heading"], source, f"flyer block #{index} heading"))
        ranges += [_range(r, source, f"flyer block #{index} text") for r in block.get("text", [])]
        for first, last in ranges:
            for no in range(first, last + 1):
                if no not in by_no:
                    raise CorpusError(f"flyer block #{index} names line {no}, beyond the end of the file", source, no)
                if by_no[no].text.strip():
                    if no in owner:
                        raise CorpusError(f"line {no} belongs to flyer blocks #{owner[no]} and #{index}", source, no)
                    owner[no] = index

        def take(first: int, last: int) -> list[Line]:
            return [by_no[no] for no in range(first, last + 1)]

        heading_lines = take(*_range(block["heading"], source, "heading")) if "heading" in block else []
        text_lines: list[Line] = []
        for first, last in block.get("text", []):
            text_lines += take(first, last)
        heading = clean_text(_rejoin_capitals(heading_lines, vocab), vocab)[0] if heading_lines else None
        text, emphasis, markers = clean_text(_mark_footnote(_rejoin_capitals(text_lines, vocab)), vocab)
        text = " ".join(piece if "://" in piece else repair_inline_hyphens(piece, vocab) for piece in text.split(" "))
        if kind == "footnote":
            text = re.sub(rf"^{block['number']}(?=\S)", "", text)
        span_lines = [line.no for line in heading_lines + text_lines]
        span = (min(span_lines), max(span_lines))
        if kind == "key-area":
            number = str(block["number"])
            path: tuple[str, ...] = ("area", number)
        elif kind == "footnote":
            number = str(block["number"])
            path = ("footnote", number)
        elif kind == "section":
            section_position += 1
            number = None
            path = ("section", str(section_position))
        else:
            number = None
            path = (kind,)
        unit = Unit(kind=f"flyer-{kind}" if kind in {"section", "title", "colophon"} else kind, path=path,
                    lines=span, text=text, number=number, heading=heading, emphasis=emphasis,
                    position=section_position if kind == "section" else None,
                    footnote_refs=[(("footnote", str(n)), offset) for n, offset in markers])
        units.append(unit)
    missing = [line.no for line in lines if line.text.strip() and line.no not in owner]
    if missing:
        raise CorpusError(f"flyer lines {missing} belong to no block of the manifest's reading order", source, missing[0])
    areas = sorted(int(u.number or 0) for u in units if u.kind == "key-area")
    if areas != list(range(1, len(areas) + 1)):
        raise CorpusError(f"flyer key areas must be numbered 1..n, got {areas}", source)
    return ParsedDocument(entry.id, source, units)
