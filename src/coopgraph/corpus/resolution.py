"""Parser for resolutions: a header, a preamble, numbered operative paragraphs, lettered items.

Used for adopted resolutions (ICC-ASP/8/Res.2, ICC-ASP/14/Res.3) and, through
`parse_resolution_body`, for the draft resolution annexed to a report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coopgraph.corpus.blocks import Block, check_letters, check_sequence, footnote_units, to_unit
from coopgraph.corpus.clean import (
    Line,
    mark_digit_footnotes,
    mark_superscripts,
    split_line_footnotes,
)
from coopgraph.corpus.manifest import DocumentEntry
from coopgraph.corpus.records import ParsedDocument, Path_, Unit
from coopgraph.errors import CorpusError

OPERATIVE = re.compile(r"^(\d+)\.\s+(.*)$")
ITEM = re.compile(r"^(?:-\s*)?\(?([a-z])\)\s+(.*)$")
OPENING = "The Assembly of States Parties,"
PLACEHOLDER = re.compile(r"^\[Placeholder\b.*\]\.?$")


def parse_resolution_body(
    lines: Sequence[Line], base: Path_, footnote_scope: Path_, vocab: frozenset[str], source: str
) -> list[Unit]:
    """Preamble, operative paragraphs and their items, from the line after the opening formula."""
    blocks: list[Block] = []
    current: Block | None = None
    operative: Block | None = None
    blank_before = True
    for line in lines:
        stripped = line.text.strip()
        if not stripped:
            blank_before = True
            continue
        op = OPERATIVE.match(stripped)
        item = ITEM.match(stripped) if operative is not None else None
        if op:
            operative = Block("operative", (*base, "para", op.group(1)), [Line(line.no, op.group(2))],
                              number=op.group(1), parent=base, footnote_scope=footnote_scope)
            current = operative
            blocks.append(current)
        elif item and operative is not None:
            current = Block("item", (*operative.path, "item", item.group(1)), [Line(line.no, item.group(2))],
                            number=item.group(1), parent=operative.path, footnote_scope=footnote_scope)
            blocks.append(current)
        elif operative is None and (current is None or (blank_before and stripped[:1].isupper())):
            position = sum(1 for b in blocks if b.kind == "preamble") + 1
            current = Block("preamble", (*base, "preamble", str(position)), [line], number=None,
                            position=position, parent=base, footnote_scope=footnote_scope)
            blocks.append(current)
        elif current is not None:
            current.add(line)
        else:  # pragma: no cover - the branches above always open a block first
            raise CorpusError("text outside any paragraph", source, line.no)
        blank_before = False

    operatives = [b for b in blocks if b.kind == "operative"]
    if not operatives:
        raise CorpusError("a resolution with no operative paragraphs", source, lines[0].no if lines else None)
    check_sequence([(b.number or "", b.lines[0].no) for b in operatives], "operative paragraph", source)
    for op_block in operatives:
        items = [b for b in blocks if b.kind == "item" and b.parent == op_block.path]
        check_letters([(b.number or "", b.lines[0].no) for b in items], f"paragraph {op_block.number} item", source)

    units = [to_unit(block, vocab, source) for block in blocks]
    last = next((b for b, u in zip(reversed(blocks), reversed(units)) if u.kind in {"operative", "item"}), None)
    if last is not None:
        text = units[blocks.index(last)].text.rstrip()
        if text and text[-1] not in '.;:!?)]"\u201d\u2019\u2026':
            raise CorpusError(f"the last paragraph ends mid-sentence ('...{text[-40:]}'): is the file cut short?",
                              source, last.lines[-1].no)
    for unit in units:
        if unit.kind == "operative" and PLACEHOLDER.match(unit.text):
            unit.attrs["placeholder"] = "true"
    return units


def split_header(lines: Sequence[Line], source: str) -> tuple[list[Line], list[Line]]:
    """Lines before the opening formula ("The Assembly of States Parties,") and after it."""
    for index, line in enumerate(lines):
        if line.text.strip() == OPENING:
            return list(lines[:index]), list(lines[index + 1 :])
    raise CorpusError(f"no opening formula {OPENING!r}: is this a resolution?", source)


def check_header(entry: DocumentEntry, header: Sequence[Line], source: str) -> dict[str, str]:
    """The manifest's symbol and adoption facts must be what the header prints."""
    text = " ".join(line.text.strip() for line in header if line.text.strip())
    if entry.symbol and entry.symbol not in text:
        raise CorpusError(f"the header does not state the symbol {entry.symbol!r} the manifest gives", source)
    if entry.adopted and entry.adopted.get("text") and entry.adopted["text"] not in text:
        raise CorpusError(f"the header does not state the adoption {entry.adopted['text']!r}", source)
    return {"header": text}


def parse_resolution(entry: DocumentEntry, lines: list[Line], vocab: frozenset[str]) -> ParsedDocument:
    """A whole resolution: footnotes lifted out (superscript or plain digits), then the body."""
    source = entry.file
    header, body = split_header(lines, source)
    if any(any(ch in line.text for ch in "¹²³⁴⁵⁶⁷⁸⁹") for line in body):
        body, notes = split_line_footnotes(body, "superscript")
        body = mark_superscripts(body)
    else:
        body, notes = split_line_footnotes(body, "digits")
        body = mark_digit_footnotes(body, notes, source)
    units = parse_resolution_body(body, (), (), vocab, source)
    units += footnote_units(notes, (), vocab, source)
    return ParsedDocument(entry.id, source, units, check_header(entry, header, source))
