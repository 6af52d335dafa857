"""Blocks of source lines on their way to becoming units; shared by every parser."""

from __future__ import annotations

from dataclasses import dataclass, field

from coopgraph.corpus.clean import Line, RawFootnote, clean_text, join_lines
from coopgraph.corpus.records import Path_, Unit
from coopgraph.errors import CorpusError


@dataclass
class Block:
    """Lines that will make one unit, with what the parser knows about it."""

    kind: str
    path: Path_
    lines: list[Line]
    number: str | None = None
    position: int | None = None
    heading: str | None = None
    parent: Path_ = ()
    footnote_scope: Path_ = ()
    attrs: dict[str, str] = field(default_factory=dict)

    def add(self, line: Line) -> None:
        self.lines.append(line)


def to_unit(block: Block, vocab: frozenset[str], source: str) -> Unit:
    """Clean a block's lines into a unit; its footnote markers become references."""
    if not block.lines:
        raise CorpusError(f"{'/'.join(block.path)} has no text", source)
    text, emphasis, markers = clean_text(block.lines, vocab)
    return Unit(
        kind=block.kind,
        path=block.path,
        lines=(block.lines[0].no, block.lines[-1].no),
        text=text,
        number=block.number,
        position=block.position,
        heading=block.heading,
        parent=block.parent,
        emphasis=emphasis,
        footnote_refs=[((*block.footnote_scope, "footnote", str(n)), offset) for n, offset in markers],
        attrs=dict(block.attrs),
    )


def footnote_units(notes: list[RawFootnote], scope: Path_, vocab: frozenset[str], source: str) -> list[Unit]:
    """Footnotes as units of their own, numbered within their scope (restarting per annex)."""
    units = []
    expected = 1
    for note in notes:
        if note.number != expected:
            raise CorpusError(
                f"footnote {note.number} out of sequence (expected {expected})", source, note.lines[0].no
            )
        expected += 1
        text, emphasis, _ = clean_text(note.lines, vocab)
        units.append(
            Unit(
                kind="footnote",
                path=(*scope, "footnote", str(note.number)),
                lines=note.span,
                text=text,
                number=str(note.number),
                parent=scope,
                emphasis=emphasis,
            )
        )
    return units


def heading_text(lines: list[Line], vocab: frozenset[str]) -> str:
    """A heading's text, with any footnote marker removed."""
    text, _, _ = clean_text(lines, vocab)
    return text


def check_sequence(numbers: list[tuple[str, int]], what: str, source: str, first: int = 1) -> None:
    """Numbered units must run first..n with no gap and no duplicate; name the line if not."""
    expected = first
    seen: dict[str, int] = {}
    for number, line in numbers:
        if number in seen:
            raise CorpusError(f"{what} {number} appears twice (first at line {seen[number]})", source, line)
        seen[number] = line
        if int(number) != expected:
            raise CorpusError(f"{what} {number} where {what} {expected} was expected", source, line)
        expected += 1


def check_letters(letters: list[tuple[str, int]], what: str, source: str) -> None:
    """Lettered items must run a, b, c ... with no gap."""
    for index, (letter, line) in enumerate(letters):
        expected = chr(ord("a") + index)
        if letter != expected:
            raise CorpusError(f"{what} ({letter}) where ({expected}) was expected", source, line)


__all__ = ["Block", "check_letters", "check_sequence", "footnote_units", "heading_text", "join_lines", "to_unit"]


def report_paragraph(line: Line, number: str, text: str, container: tuple[str, ...], context: dict[str, str]) -> Block:
    """A numbered report paragraph ("12. ...") under its part or section, with the headings it stands under."""
    return Block("report-paragraph", ("para", number), [Line(line.no, text)], number=number, parent=container,
                 attrs=dict(context))


def lettered_item(line: Line, letter: str, text: str, paragraph: Block) -> Block:
    """A lettered item ("(c) ...") of the paragraph above it."""
    return Block("item", (*paragraph.path, "item", letter), [Line(line.no, text)], number=letter, parent=paragraph.path)


def check_report_paragraphs(blocks: list[Block], source: str) -> None:
    """A report's paragraphs numbered 1, 2, 3 ... in order, and each paragraph's items (a), (b) ..."""
    paragraphs = [b for b in blocks if b.kind == "report-paragraph"]
    check_sequence([(b.number or "", b.lines[0].no) for b in paragraphs], "paragraph", source)
    for para in paragraphs:
        items = [b for b in blocks if b.kind == "item" and b.parent == para.path]
        check_letters([(b.number or "", b.lines[0].no) for b in items], f"paragraph {para.number} item", source)
