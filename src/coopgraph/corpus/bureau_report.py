"""Parser for a Bureau report to the Assembly, whichever its layout: read from the text, not
from its year. A report whose text holds "Recommendation N" headings (the 2007 report on
cooperation) is read in that layout (coopgraph.corpus.bureau_report_recommendations); every other
one in the layout the Bureau has used since the 2010s (the report to the fifteenth session), below.

Its shape: a header ("Distr.", the date, the session heading) and a table of contents; report
paragraphs under sections in Roman numerals, some in lettered subsections; then any number of
annexes ("Annex I", "Annex II", ...), each with its title on the next line. An annex the
manifest declares as a draft resolution is read by the resolution parser; one declared as a list
of mandates, as lettered items; any other annex is kept whole, as its text. Footnotes use
superscript markers and restart in each part, so each part is its own footnote scope.
"""

from __future__ import annotations

import re

from coopgraph.corpus.blocks import (
    Block,
    check_letters,
    check_report_paragraphs,
    footnote_units,
    lettered_item,
    report_paragraph,
    to_unit,
)
from coopgraph.corpus.bureau_report_recommendations import parse_recommendations_layout
from coopgraph.corpus.clean import Line, mark_superscripts, split_line_footnotes
from coopgraph.corpus.manifest import DocumentEntry
from coopgraph.corpus.records import ParsedDocument, Path_, Unit
from coopgraph.corpus.resolution import OPENING, parse_resolution_body
from coopgraph.errors import CorpusError
from coopgraph.ordinals import word_of

SECTION = re.compile(r"^([IVX]+)\. (.+)$")
SUBSECTION = re.compile(r"^([A-F])\. (.+)$")
PARAGRAPH = re.compile(r"^(\d+)\.\s+(.*)$")
ITEM = re.compile(r"^(?:-\s*)?\(([a-z])\)\s+(.*)$")
ANNEX = re.compile(r"^Annex ([IVX]+)$")
RECOMMENDATION_HEADING = re.compile(r"^Recommendation \d+$")
TABLE_OF_CONTENTS = re.compile(r"(\.{3,}|\s\d+\s*$|<i>Page</i>)")


def _split_parts(lines: list[Line], source: str) -> tuple[list[Line], list[Line], dict[str, list[Line]]]:
    """Header (up to the table of contents' end), report body, and each annex's lines."""
    start = None
    for index, line in enumerate(lines):
        stripped = line.text.strip()
        if SECTION.match(stripped) and not TABLE_OF_CONTENTS.search(line.text):
            start = index
            break
    if start is None:
        raise CorpusError("no first section heading ('I. ...') after the table of contents", source)
    annex_starts = [i for i, line in enumerate(lines) if i > start and ANNEX.match(line.text.strip())]
    annexes = {}
    for position, begin in enumerate(annex_starts):
        number = ANNEX.match(lines[begin].text.strip()).group(1)  # type: ignore[union-attr]
        if number in annexes:
            raise CorpusError(f"a second heading 'Annex {number}'", source, lines[begin].no)
        annexes[number] = lines[begin : annex_starts[position + 1] if position + 1 < len(annex_starts) else len(lines)]
    end = annex_starts[0] if annex_starts else len(lines)
    return lines[:start], lines[start:end], annexes


def _title_and_rest(lines: list[Line], source: str) -> tuple[Line, list[Line]]:
    """An annex: its heading line, then its title line, then the rest."""
    non_blank = [i for i, line in enumerate(lines) if line.text.strip()]
    if len(non_blank) < 2:
        raise CorpusError("an annex with no title", source, lines[0].no if lines else None)
    title = lines[non_blank[1]]
    return Line(title.no, title.text.strip()), lines[non_blank[1] + 1 :]


def _report_body(lines: list[Line], vocab: frozenset[str], source: str) -> list[Unit]:
    blocks: list[Block] = []
    headings: list[Unit] = []
    container: Path_ = ()
    context: dict[str, str] = {}
    current: Block | None = None
    paragraph: Block | None = None
    for line in lines:
        stripped = line.text.strip()
        if not stripped:
            continue
        if match := SECTION.match(stripped):
            container = ("section", match.group(1))
            context = {"section": match.group(1)}
            headings.append(Unit("section", container, (line.no, line.no), number=match.group(1),
                                 heading=match.group(2), attrs={"title": match.group(2)}))
            current = paragraph = None
            continue
        if (match := SUBSECTION.match(stripped)) and context.get("section"):
            section = context["section"]
            container = ("section", section, "section", match.group(1))
            context = {"section": section, "subsection": match.group(1)}
            headings.append(Unit("section", container, (line.no, line.no), number=match.group(1),
                                 heading=match.group(2), parent=("section", section), attrs={"title": match.group(2)}))
            current = paragraph = None
            continue
        if match := PARAGRAPH.match(stripped):
            paragraph = current = report_paragraph(line, match.group(1), match.group(2), container, context)
            blocks.append(current)
            continue
        if (match := ITEM.match(stripped)) and paragraph is not None:
            current = lettered_item(line, match.group(1), match.group(2), paragraph)
            blocks.append(current)
            continue
        if current is None:
            raise CorpusError(f"text outside any paragraph: {stripped[:60]!r}", source, line.no)
        current.add(line)
    check_report_paragraphs(blocks, source)
    return headings + [to_unit(b, vocab, source) for b in blocks]


def _mandate_list(lines: list[Line], base: Path_, vocab: frozenset[str], source: str) -> tuple[str, list[Unit]]:
    """Annex II: an introductory phrase, then lettered items."""
    intro: list[Line] = []
    blocks: list[Block] = []
    for line in lines:
        stripped = line.text.strip()
        if not stripped:
            continue
        if match := ITEM.match(stripped):
            blocks.append(Block("mandate-item", (*base, "item", match.group(1)), [Line(line.no, match.group(2))],
                                number=match.group(1), parent=base, footnote_scope=base))
        elif blocks:
            blocks[-1].add(line)
        else:
            intro.append(line)
    if not blocks:
        raise CorpusError("the list of mandates has no items", source)
    check_letters([(b.number or "", b.lines[0].no) for b in blocks], "mandate item", source)
    intro_text = to_unit(Block("intro", base, intro), vocab, source).text if intro else ""
    return intro_text, [to_unit(b, vocab, source) for b in blocks]


def parse_bureau_report(entry: DocumentEntry, lines: list[Line], vocab: frozenset[str]) -> ParsedDocument:
    if any(RECOMMENDATION_HEADING.match(line.text.strip()) for line in lines):
        return parse_recommendations_layout(entry, lines, vocab)
    source = entry.file
    header, body, annexes = _split_parts(lines, source)
    header_text = " ".join(line.text.strip() for line in header if line.text.strip())
    facts = ["Distr.: General"]
    if entry.session and (word := word_of(entry.session)):
        facts.append(f"{word.capitalize()} session")
    for fact in facts:
        if fact not in header_text:
            raise CorpusError(f"the header does not state {fact!r} (the manifest gives session {entry.session})", source)

    units: list[Unit] = []
    body, notes = split_line_footnotes(body, "superscript")
    units += _report_body(mark_superscripts(body), vocab, source)
    units += footnote_units(notes, (), vocab, source)

    annex_titles = {a.number: a for a in entry.annexes}
    for number, annex_lines in annexes.items():
        base: Path_ = ("annex", number)
        title, rest = _title_and_rest(annex_lines, source)
        rest, notes = split_line_footnotes(rest, "superscript")
        rest = mark_superscripts(rest)
        annex_unit = Unit("annex", base, (annex_lines[0].no, title.no), number=number, heading=title.text)
        if number in annex_titles and annex_titles[number].title != title.text:
            raise CorpusError(f"annex {number} is titled {title.text!r}, the manifest says "
                              f"{annex_titles[number].title!r}", source, title.no)
        kind = annex_titles[number].type if number in annex_titles else None
        if kind == "draft-resolution":
            openings = [i for i, line in enumerate(rest) if line.text.strip() == OPENING]
            if not openings:
                raise CorpusError(f"annex {number} has no opening formula {OPENING!r}", source, title.no)
            children = parse_resolution_body(rest[openings[0] + 1 :], base, base, vocab, source)
        elif kind == "mandate-list":
            annex_unit.text, children = _mandate_list(rest, base, vocab, source)
        else:  # an annex that is not a text of its own: kept whole
            whole = [line for line in rest if line.text.strip()]
            annex_unit.text = to_unit(Block("intro", base, whole), vocab, source).text if whole else ""
            children = []
        units.append(annex_unit)
        units += children
        units += footnote_units(notes, base, vocab, source)
    return ParsedDocument(entry.id, source, units, {"header": header_text})
