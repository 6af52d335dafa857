"""References in a unit's text to documents and pinpoints, each with the words that make it."""

from __future__ import annotations

import re
from dataclasses import dataclass

SYMBOL = r"(?:ICC-ASP/\d+/(?:Res\.\d+|\d+(?:/(?:Add|Rev)\.\d+)*)|RC/Dec\.\d+|A/\d+/\d+)"
ROME_STATUTE = "rome-statute"


@dataclass(frozen=True)
class Reference:
    """A cited document (by id) and optional pinpoint path, with the citing words and span."""

    doc_id: str
    pinpoint: tuple[str, ...]
    words: str
    start: int
    end: int
    by: str = "symbol"  # symbol | title | description: how the text names the document


def _paras(first: str, last: str | None) -> list[tuple[str, ...]]:
    if last is None:
        return [("para", first)]
    return [("para", str(n)) for n in range(int(first), int(last) + 1)]


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"(?:operative )?paragraphs? (\d+)(?: to (\d+))? of (?:resolution )?({SYMBOL})"), "para-of"),
    (re.compile(rf"({SYMBOL}),? (?:operative paragraphs?|paragraphs?|para\.) ?(\d+)(?: to (\d+))?"), "symbol-para"),
    (re.compile(rf"({SYMBOL}),? annex (I|II|III)\b"), "symbol-annex"),
    (re.compile(rf"({SYMBOL}),? appendix\b"), "symbol-appendix"),
    (re.compile(rf"\bannex (I|II|III) (?:of|to) (?:resolution )?({SYMBOL})"), "annex-of"),
    (re.compile(r"(?i:article) (\d+)(?:, paragraph (\d+),)? of the (?:Rome )?Statute"), "article"),
    (re.compile(r"Part (9|IX) of the Rome Statute"), "part"),
    (re.compile(r"Ibid\.,? (?:operative )?(?:paragraph|para\.) (\d+)"), "ibid"),
    (re.compile(SYMBOL), "symbol"),
    (re.compile(r"\bRome Statute\b"), "statute"),
    (re.compile(r"\bthe Statute\b"), "statute"),  # in a text of the Court's Assembly, "the Statute" is the Rome Statute
]


# The Assembly's own name (in "Official Records of the Assembly of States Parties to the Rome
# Statute ...", or a flyer's masthead) ends in the Statute's name without citing it.
_ASSEMBLY_NAME = re.compile(r"Assembly\s+of\s+(?:the\s+)?States\s+Parties\s+to\s+the\s+$")


_ANNEX_OF_IT = re.compile(r"\bannex (I|II|III) of (?:the|that) resolution\b")


def _named(text: str, named: tuple[tuple[str, str, str], ...]) -> list[Reference]:
    """References by the words the manifest lists for a document (its title or a description);
    'annex II of the resolution' after a resolution named so points into it."""
    found = []
    for words, doc_id, by in named:
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words.split()), re.IGNORECASE)
        for match in pattern.finditer(text):
            found.append(Reference(doc_id, (), match.group(0), match.start(), match.end(), by))
            if annex := _ANNEX_OF_IT.search(text, match.end()):
                found.append(Reference(doc_id, ("annex", annex.group(1)), annex.group(0), annex.start(), annex.end(), by))
    return found


def find_references(text: str, previous_doc: str | None = None,
                    named: tuple[tuple[str, str, str], ...] = ()) -> list[Reference]:
    """All references in a text, longest first where they overlap; 'Ibid.' means previous_doc;
    `named` lists (words, document id, title|description) for documents named without a symbol."""
    candidates: list[Reference] = _named(text, named)
    for pattern, kind in _PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groups()
            words, start, end = match.group(0), match.start(), match.end()
            if kind == "para-of":
                for pin in _paras(groups[0], groups[1]):
                    candidates.append(Reference(groups[2], pin, words, start, end))
            elif kind == "symbol-para":
                for pin in _paras(groups[1], groups[2]):
                    candidates.append(Reference(groups[0], pin, words, start, end))
            elif kind == "symbol-annex":
                candidates.append(Reference(groups[0], ("annex", groups[1]), words, start, end))
            elif kind == "symbol-appendix":  # an unnumbered appendix: the pinpoint is the appendix itself
                candidates.append(Reference(groups[0], ("appendix",), words, start, end))
            elif kind == "annex-of":  # the pinpoint keeps its granularity: the annex, not the whole resolution
                candidates.append(Reference(groups[1], ("annex", groups[0]), words, start, end))
            elif kind == "article":
                article: tuple[str, ...] = ("article", groups[0]) + (("para", groups[1]) if groups[1] else ())
                candidates.append(Reference(ROME_STATUTE, article, words, start, end))
            elif kind == "part":
                candidates.append(Reference(ROME_STATUTE, ("part", "9"), words, start, end))
            elif kind == "ibid":
                if previous_doc:
                    candidates.append(Reference(previous_doc, ("para", groups[0]), words, start, end))
            elif kind == "symbol":
                candidates.append(Reference(words, (), words, start, end))
            elif not _ASSEMBLY_NAME.search(text, 0, start):  # "the Assembly of States Parties to the Rome Statute"
                candidates.append(Reference(ROME_STATUTE, (), words, start, end))  # names the Assembly, cites nothing
    chosen: list[Reference] = []
    spans: list[tuple[int, int]] = []
    for ref in sorted(candidates, key=lambda r: (-(r.end - r.start), r.start)):
        if any(s == ref.start and e == ref.end for s, e in spans) or all(ref.end <= s or ref.start >= e for s, e in spans):
            chosen.append(ref)
            spans.append((ref.start, ref.end))
    return sorted(chosen, key=lambda r: (r.start, r.pinpoint))
