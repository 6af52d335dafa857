"""Cleaning shared by every parser: the damage PDF extraction did, undone one way everywhere.

Page headers and footers go, footnotes are lifted out of the body and their markers are kept
as invisible sentinels so each footnote can be attached to the unit where its marker stands,
hyphenation and drop capitals are rejoined, italics markers are stripped but remembered.
Everything else in a unit's text stays verbatim (line breaks become single spaces).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coopgraph.corpus.records import Emphasis
from coopgraph.errors import CorpusError

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPER_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")

# A footnote marker inside the body, kept through joining: "\ue000" + number + "\ue001".
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
_MARK = re.compile(f"{MARK_OPEN}(\\d+){MARK_CLOSE}")

_WORD = re.compile(r"[A-Za-z]+")
_SEPARATOR = re.compile(r"^\s{20,}$")
_SUPER_FOOTNOTE = re.compile(rf"^\s*([{SUPERSCRIPTS}]+)\s+(\S.*)$")
_DIGIT_FOOTNOTE = re.compile(r"^(\d{1,2}) (\S.*)$")
_SUPER_RUN = re.compile(rf"[{SUPERSCRIPTS}]+")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"\*(?!\s)(.+?)(?<!\s)\*")


@dataclass
class Line:
    """One source line: its 1-based number in the file and its text."""

    no: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class RawFootnote:
    """A footnote lifted out of the body, before it is attached to a unit."""

    number: int
    lines: list[Line]

    @property
    def span(self) -> tuple[int, int]:
        return (self.lines[0].no, self.lines[-1].no)


def read_lines(text: str) -> list[Line]:
    """Split a source text into numbered lines (tabs become spaces)."""
    return [Line(no, raw.replace("\t", " ")) for no, raw in enumerate(text.split("\n"), start=1)]


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Lower-cased words of the given texts: the dictionary used to rejoin broken words."""
    words: set[str] = set()
    for text in texts:
        words.update(word.lower() for word in _WORD.findall(text))
    return frozenset(words)


def drop_page_headers(lines: Sequence[Line], symbol: str) -> list[Line]:
    """Remove running headers ("ICC-ASP/6/21" then "Page 9") wherever a page break fell."""
    out: list[Line] = []
    skip_page_line = False
    for line in lines:
        stripped = line.text.strip()
        if stripped == symbol:
            skip_page_line = True
            continue
        if skip_page_line and re.fullmatch(r"Page \d+", stripped):
            skip_page_line = False
            continue
        if stripped:
            skip_page_line = False
        out.append(line)
    return out


def split_separator_footnotes(lines: Sequence[Line], symbol: str) -> tuple[list[Line], list[RawFootnote]]:
    """Lift footnotes printed below a long blank separator at the foot of each page.

    The zone ends where the next page starts: a page header, or a line the extraction
    indented by a single space.
    """
    body: list[Line] = []
    notes: list[RawFootnote] = []
    in_zone = False
    for line in lines:
        if _SEPARATOR.match(line.text):
            in_zone = True
            continue
        if in_zone:
            starts_page = line.text.strip() == symbol or re.match(r"^ \S", line.text) is not None
            if not starts_page:
                if line.blank:
                    continue
                match = _DIGIT_FOOTNOTE.match(line.text)
                if match:
                    notes.append(RawFootnote(int(match.group(1)), [Line(line.no, match.group(2))]))
                elif notes:
                    notes[-1].lines.append(line)
                else:
                    raise CorpusError("text below a footnote separator is not a footnote", line=line.no)
                continue
            in_zone = False
        body.append(line)
    return body, notes


def split_line_footnotes(
    lines: Sequence[Line], style: str, expected_start: int = 1
) -> tuple[list[Line], list[RawFootnote]]:
    """Lift footnotes printed as single lines among the body ("¹ ICC-ASP/13/29." or "3 ICC-ASP/13/29.").

    A plain-digit line is taken as a footnote only when its number is the next one expected,
    so a body line that happens to start with a number is never mistaken for one.
    """
    body: list[Line] = []
    notes: list[RawFootnote] = []
    expected = expected_start
    for line in lines:
        if style == "superscript":
            match = _SUPER_FOOTNOTE.match(line.text)
            if match:
                number = int(match.group(1).translate(_SUPER_TO_DIGIT))
                notes.append(RawFootnote(number, [Line(line.no, match.group(2))]))
                continue
        else:
            match = _DIGIT_FOOTNOTE.match(line.text.strip())
            if match and int(match.group(1)) == expected:
                notes.append(RawFootnote(expected, [Line(line.no, match.group(2))]))
                expected += 1
                continue
        body.append(line)
    return body, notes


def mark_superscripts(lines: Sequence[Line]) -> list[Line]:
    """Turn superscript footnote markers in the body into sentinels."""
    return [
        Line(line.no, _SUPER_RUN.sub(lambda m: f"{MARK_OPEN}{m.group(0).translate(_SUPER_TO_DIGIT)}{MARK_CLOSE}", line.text))
        for line in lines
    ]


_NOT_A_MARKER_AFTER = ("Res.", "Dec.", "Add.", "Rev.", "para.", "No.", "vol.", "Rev", "Add")


def mark_digit_footnotes(lines: list[Line], notes: Sequence[RawFootnote], path: str) -> list[Line]:
    """Find plain-digit markers ("outstanding,1 and", "in 20074 as", "the Court 12") in order.

    The marker of footnote n stands after the marker of footnote n-1 and before the footnote
    itself; the first candidate there that is glued to a word, punctuation or a year wins,
    else a number standing alone at the end of a heading line.
    """
    joined = "\n".join(line.text for line in lines)
    starts: list[int] = []
    offset = 0
    for line in lines:
        starts.append(offset)
        offset += len(line.text) + 1

    found: list[tuple[int, int, int]] = []  # (start, end, number)
    pos = 0
    for note in notes:
        n = str(note.number)
        limit = next((starts[i] for i, line in enumerate(lines) if line.no > note.lines[0].no), len(joined))
        window = joined[pos:limit]
        glued = re.compile(rf"(?<=[A-Za-z.,;:”’)])({n})(?![\d])")
        year = re.compile(rf"(?<=\b(?:19|20)\d\d)({n})(?![\d])")
        alone = re.compile(rf"(?<=[A-Za-z]) ({n})[ ]*$", re.MULTILINE)
        candidates = []
        for pattern in (glued, year):
            for match in pattern.finditer(window):
                before = window[max(0, match.start(1) - 5) : match.start(1)]
                if pattern is glued and any(before.endswith(stop) for stop in _NOT_A_MARKER_AFTER):
                    continue
                candidates.append(match)
                break
        if not candidates:
            single = alone.search(window)
            if single:
                candidates.append(single)
        if not candidates:
            raise CorpusError(
                f"cannot find the marker of footnote {n} in the text before it", path, note.lines[0].no
            )
        best = min(candidates, key=lambda m: m.start(1))
        start = pos + best.start(1)
        end = pos + best.end(1)
        if best.re is alone:
            start -= 1  # the space before a stand-alone marker goes with it
        found.append((start, end, note.number))
        pos = end

    for start, end, number in reversed(found):
        joined = joined[:start] + f"{MARK_OPEN}{number}{MARK_CLOSE}" + joined[end:]
    texts = joined.split("\n")
    if len(texts) != len(lines):  # pragma: no cover - markers never contain newlines
        raise CorpusError("internal error while marking footnotes", path)
    return [Line(line.no, text) for line, text in zip(lines, texts, strict=True)]


def rejoin_hyphen(left: str, right: str, vocab: frozenset[str], *, inline: bool = False) -> bool:
    """Should "left-" + "right" be one word without the hyphen?

    Yes when the joined word is a known word; no when both halves are words ("burden-sharing");
    otherwise keep the hyphen at a line end (verbatim is safer) but drop a hyphen that
    extraction put inside a line ("incen-tivize").
    """
    joined = (left + right).lower()
    if joined in vocab:
        return True
    if left.lower() in vocab and right.lower() in vocab:
        return False
    return inline


def rejoin_drop_capital(capital: str, rest: str, vocab: frozenset[str]) -> str:
    """Rejoin a drop capital split from its word ("C" + "ertain"), keeping "A limited" apart."""
    joined = capital + rest
    first = re.match(r"[A-Za-z]+", rest)
    fragment = first.group(0) if first else ""
    if (capital + fragment).lower() in vocab:
        return joined
    if fragment.lower() in vocab:
        return f"{capital} {rest}"
    return joined


def join_lines(lines: Sequence[Line], vocab: frozenset[str]) -> str:
    """Join wrapped lines into one string: single spaces, hyphenation repaired."""
    out = ""
    for line in lines:
        piece = line.text.strip()
        if not piece:
            continue
        if out.endswith("-") and piece[:1].islower():
            left = re.search(r"([A-Za-z]+)-$", out)
            right = re.match(r"[A-Za-z]+", piece)
            if left and right and rejoin_hyphen(left.group(1), right.group(0), vocab):
                out = out[:-1] + piece
                continue
            out += piece
            continue
        out = f"{out} {piece}" if out else piece
    return re.sub(r"\s+", " ", out).strip()


def repair_inline_hyphens(text: str, vocab: frozenset[str]) -> str:
    """Drop hyphens that extraction left inside words ("recommend-ations"); flyers only."""

    def fix(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        return left + right if rejoin_hyphen(left, right, vocab, inline=True) else match.group(0)

    return re.sub(r"\b([A-Za-z]+)-([a-z]+)\b", fix, text)


def take_emphasis(text: str) -> tuple[str, list[Emphasis]]:
    """Strip Markdown-ish bold and italics, remembering each italic span and where it stands."""
    text = _BOLD.sub(r"\1", text)
    spans: list[Emphasis] = []
    out = []
    last = 0
    length = 0
    for match in _ITALIC.finditer(text):
        piece = text[last : match.start()]
        out.append(piece)
        length += len(piece)
        inner = match.group(1)
        spans.append(Emphasis(inner, length))
        out.append(inner)
        length += len(inner)
        last = match.end()
    out.append(text[last:])
    return "".join(out), spans


def take_markers(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Remove footnote sentinels, returning the clean text and (footnote number, offset) pairs."""
    markers: list[tuple[int, int]] = []
    out = []
    last = 0
    length = 0
    for match in _MARK.finditer(text):
        piece = text[last : match.start()]
        out.append(piece)
        length += len(piece)
        markers.append((int(match.group(1)), length))
        last = match.end()
    out.append(text[last:])
    return "".join(out), markers


def clean_text(lines: Sequence[Line], vocab: frozenset[str]) -> tuple[str, list[Emphasis], list[tuple[int, int]]]:
    """Lines -> (verbatim clean text, italic spans, footnote markers with offsets)."""
    joined = join_lines(lines, vocab)
    # Markers first, so emphasis offsets refer to the final text.
    without_marks, _ = take_markers(joined)
    plain, emphasis = take_emphasis(without_marks)
    marked_plain, _ = take_emphasis(joined)
    final, markers = take_markers(marked_plain)
    if final != plain:  # pragma: no cover - both paths strip the same characters
        raise CorpusError("internal error while cleaning text")
    return final, emphasis, markers
