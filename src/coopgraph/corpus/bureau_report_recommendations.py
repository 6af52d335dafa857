"""A Bureau report in the layout with numbered recommendations (the 2007 report on cooperation,
ICC-ASP/6/21), read by coopgraph.corpus.bureau_report when the text holds "Recommendation N"
headings.

Its shape: an executive summary and narrative paragraphs 1-79 in Parts I-IV (Part I in
Clusters 1-7, Part II in sections A-B), 66 recommendations placed after the paragraphs of
their cluster or section, some under a heading naming their addressees ("Recommendations to
the Court"), footnotes at the foot of each page, page headers, and two annexes.
"""

from __future__ import annotations

import re

from coopgraph.corpus.blocks import (
    Block,
    check_report_paragraphs,
    check_sequence,
    footnote_units,
    heading_text,
    lettered_item,
    report_paragraph,
    to_unit,
)
from coopgraph.corpus.clean import Line, clean_text, drop_page_headers, mark_digit_footnotes, split_separator_footnotes
from coopgraph.corpus.manifest import DocumentEntry
from coopgraph.corpus.records import ParsedDocument, Unit
from coopgraph.errors import CorpusError

PARAGRAPH = re.compile(r"^(\d+)\.\s+(.*)$")
ITEM = re.compile(r"^\(([a-z])\)\s+(.*)$")
RECOMMENDATION = re.compile(r"^Recommendation (\d+)$")
ADDRESSEES = re.compile(r"^Recommendations to ((?:the )?[A-Z]\w+(?: [A-Z]\w+)*(?: and the [A-Z]\w+)?)$")
PART = re.compile(r"^Part (I|II|III|IV)$")
CLUSTER = re.compile(r"^([A-G])\. Cluster (\d): (.+)$")
SECTION = re.compile(r"^([A-G])\. (.+)$")
ANNEX = re.compile(r"^Annex (I|II)$")
SUMMARY = "Executive summary and main recommendations"
INTRODUCTION = "Cooperation – the dynamic approach"


def parse_recommendations_layout(entry: DocumentEntry, lines: list[Line], vocab: frozenset[str]) -> ParsedDocument:
    source = entry.file
    symbol = entry.symbol or entry.id
    body, notes = split_separator_footnotes(lines, symbol)
    body = drop_page_headers(body, symbol)
    body = mark_digit_footnotes(body, notes, source)

    blocks: list[Block] = []
    headings: list[Block] = []
    context: dict[str, str] = {}
    container: tuple[str, ...] = ()
    current: Block | None = None
    paragraph: Block | None = None
    pending_heading: Block | None = None  # a heading whose title is on the following line(s)
    annex: str | None = None
    annex_position = 0

    def open_heading(block: Block) -> None:
        nonlocal current, pending_heading
        headings.append(block)
        current = None
        pending_heading = block

    index = 0
    while index < len(body):
        line = body[index]
        index += 1
        stripped = line.text.strip()
        if not stripped:
            if pending_heading is not None and pending_heading.lines:
                pending_heading = None
            if annex is not None and current is not None:
                current = None  # annex clauses are separated by blank lines
            continue

        if pending_heading is not None and not (
            PARAGRAPH.match(stripped) or RECOMMENDATION.match(stripped) or ADDRESSEES.match(stripped)
            or (pending_heading.lines and not stripped[:1].islower())
        ):
            pending_heading.add(Line(line.no, stripped))
            continue
        pending_heading = None

        if stripped == SUMMARY or stripped == INTRODUCTION:
            slug = "summary" if stripped == SUMMARY else "introduction"
            container = ("section", slug)
            context = {"section": stripped}
            headings.append(Block("section", container, [Line(line.no, stripped)], parent=()))
            current = paragraph = None
            continue
        if match := PART.match(stripped):
            container = ("part", match.group(1))
            context = {"part": match.group(1)}
            open_heading(Block("part", container, [], number=match.group(1), parent=(), heading=stripped))
            paragraph = None
            continue
        if (match := CLUSTER.match(stripped)) and annex is None:
            part = context.get("part", "")
            container = ("part", part, "section", match.group(1))
            context = {"part": part, "section": match.group(1), "cluster": match.group(2)}
            block = Block("section", container, [Line(line.no, stripped)], number=match.group(1),
                          parent=("part", part), attrs={"cluster": match.group(2)})
            headings.append(block)
            pending_heading = block
            current = paragraph = None
            continue
        if (match := SECTION.match(stripped)) and annex is None and context.get("part"):
            part = context["part"]
            container = ("part", part, "section", match.group(1))
            context = {"part": part, "section": match.group(1)}
            block = Block("section", container, [Line(line.no, stripped)], number=match.group(1), parent=("part", part))
            headings.append(block)
            pending_heading = block
            current = paragraph = None
            continue
        if match := ADDRESSEES.match(stripped):
            context = {**context, "addressees": stripped}
            current = None
            continue
        if match := ANNEX.match(stripped):
            annex = match.group(1)
            annex_position = 0
            container = ("annex", annex)
            context = {"annex": annex}
            open_heading(Block("annex", container, [], number=annex, parent=(), heading=stripped))
            paragraph = None
            continue
        if match := RECOMMENDATION.match(stripped):
            current = Block("recommendation", ("rec", match.group(1)), [], number=match.group(1),
                            parent=container, attrs={k: v for k, v in context.items()})
            blocks.append(current)
            paragraph = None
            continue
        if (match := PARAGRAPH.match(stripped)) and annex is None:
            paragraph = current = report_paragraph(line, match.group(1), match.group(2), container, context)
            blocks.append(current)
            continue
        if (match := ITEM.match(stripped)) and paragraph is not None:
            current = lettered_item(line, match.group(1), match.group(2), paragraph)
            blocks.append(current)
            continue
        if annex is not None:
            if current is None:
                if annex == "II" and re.match(r"^[A-Z]{2,}\s", stripped):
                    acronym, name = stripped.split(None, 1)
                    annex_position += 1
                    blocks.append(Block("list-item", ("annex", annex, "item", str(annex_position)), [Line(line.no, stripped)],
                                        position=annex_position, parent=container,
                                        attrs={"acronym": acronym, "name": re.sub(r"\s+", " ", name).strip()}))
                    continue
                if annex == "II" and not any(b.path == container for b in blocks):
                    current = Block("annex-text", container, [line], parent=())
                    blocks.append(current)
                    continue
                annex_position += 1
                current = Block("clause", ("annex", annex, "clause", str(annex_position)), [line],
                                position=annex_position, parent=container)
                blocks.append(current)
                continue
            current.add(line)
            continue
        if current is None:
            raise CorpusError(f"text outside any paragraph or recommendation: {stripped[:60]!r}", source, line.no)
        current.add(line)

    check_report_paragraphs(blocks, source)
    recommendations = [b for b in blocks if b.kind == "recommendation"]
    check_sequence([(b.number or "", b.lines[0].no if b.lines else 0) for b in recommendations], "recommendation", source)

    units: list[Unit] = []
    for block in headings:
        title_lines = block.lines
        title = heading_text(title_lines, vocab) if title_lines else ""
        first = title_lines[0].no if title_lines else 0
        unit = Unit(kind=block.kind, path=block.path, lines=(first, title_lines[-1].no if title_lines else first),
                    number=block.number, heading=title, parent=block.parent, attrs=dict(block.attrs))
        _, _, markers = clean_text(title_lines, vocab)
        unit.footnote_refs = [(("footnote", str(n)), offset) for n, offset in markers]
        units.append(unit)
    annex_text = {b.path: b for b in blocks if b.kind == "annex-text"}
    for unit in units:
        if unit.path in annex_text:
            unit.text = to_unit(annex_text[unit.path], vocab, source).text
    units += [to_unit(b, vocab, source) for b in blocks if b.kind != "annex-text"]
    for unit in units:
        if unit.kind == "list-item":
            unit.text = f"{unit.attrs['acronym']} {unit.attrs['name']}"
    units += footnote_units(notes, (), vocab, source)
    return ParsedDocument(entry.id, source, units)
