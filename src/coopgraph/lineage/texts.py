"""Word-level comparison of two texts: similarity, coverage and the diff, with rapidfuzz."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Indel, LCSseq

_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_WORD = re.compile(r"\w(?:[\w'/.-]*\w)?|[^\w\s]")


# Words that say nothing about what a paragraph is about, in this corpus.
STOPWORDS = frozenset("""a an and as at be been being by do does done for from has have in into is its it
of on or that the their them these this those to with which such should could may might must shall will would
all any other not yet also where whether when than so become made make take account particular concerns
states parties party state court assembly""".split())


def normalize(text: str) -> str:
    """The text with typographic variants (curly quotes, dashes) and spacing made uniform."""
    return re.sub(r"\s+", " ", text.translate(_TYPOGRAPHY)).strip()


def words(text: str) -> list[str]:
    """The words and punctuation marks of a text, as printed (after `normalize`)."""
    return _WORD.findall(normalize(text))


def folded(tokens: list[str]) -> list[str]:
    """Tokens compared without regard to case or punctuation."""
    return [t.casefold() for t in tokens if t[0].isalnum()]


@dataclass(frozen=True)
class Comparison:
    """How a later text relates to an earlier one, word by word."""

    similarity: float  # Indel similarity of the two word sequences, 0..1
    coverage_of_later: float  # share of the later text's words found, in order, in the earlier text
    coverage_of_earlier: float  # share of the earlier text's words kept, in order, in the later text
    verbatim: bool  # the same words in the same order (typography aside)


@lru_cache(maxsize=65_536)
def folded_words(text: str) -> tuple[str, ...]:
    """Tokenized once per text: alignment compares each text with many others."""
    return tuple(folded(words(text)))


@lru_cache(maxsize=262_144)
def compare(earlier: str, later: str) -> Comparison:
    a, b = folded_words(earlier), folded_words(later)
    if not a or not b:
        return Comparison(0.0, 0.0, 0.0, False)
    common = LCSseq.similarity(a, b)
    return Comparison(
        similarity=round(Indel.normalized_similarity(a, b), 4),
        coverage_of_later=round(common / len(b), 4),
        coverage_of_earlier=round(common / len(a), 4),
        verbatim=a == b,
    )


@dataclass(frozen=True)
class Change:
    """One difference: words deleted from the earlier text and/or inserted in the later one."""

    deleted: str
    inserted: str

    def marked(self) -> str:
        parts = []
        if self.deleted:
            parts.append(f"[-{self.deleted}-]")
        if self.inserted:
            parts.append(f"{{+{self.inserted}+}}")
        return " ".join(parts)


def word_diff(earlier: str, later: str) -> list[Change]:
    """The changes from earlier to later, as runs of whole words ("fifteenth" -> "sixteenth")."""
    a, b = words(earlier), words(later)
    changes: list[Change] = []
    pending_deleted: list[str] = []
    pending_inserted: list[str] = []
    for op in Indel.opcodes([t.casefold() for t in a], [t.casefold() for t in b]):
        if op.tag == "equal":
            if pending_deleted or pending_inserted:
                changes.append(Change(join(pending_deleted), join(pending_inserted)))
                pending_deleted, pending_inserted = [], []
            continue
        pending_deleted += a[op.src_start:op.src_end]
        pending_inserted += b[op.dest_start:op.dest_end]
    if pending_deleted or pending_inserted:
        changes.append(Change(join(pending_deleted), join(pending_inserted)))
    return changes


def marked_diff(earlier: str, later: str, context: int = 4) -> str:
    """The later text with its changes marked inline, [-deleted-] {+inserted+}, and long unchanged
    stretches shortened to `context` words either side."""
    a, b = words(earlier), words(later)
    ops = list(Indel.opcodes([t.casefold() for t in a], [t.casefold() for t in b]))
    out: list[str] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            out.append(f"[-{join(deleted)}-]")
        if inserted:
            out.append(f"{{+{join(inserted)}+}}")
        deleted.clear()
        inserted.clear()

    for index, op in enumerate(ops):
        if op.tag != "equal":
            deleted += a[op.src_start:op.src_end]
            inserted += b[op.dest_start:op.dest_end]
            continue
        flush()
        same = b[op.dest_start:op.dest_end]
        first, last = index == 0, index == len(ops) - 1
        if len(same) > 2 * context + 1 and not (first and last):
            same = [*([] if first else same[:context]), "…", *([] if last else same[-context:])]
        out.append(join(same))
    flush()
    return " ".join(part for part in out if part)


@lru_cache(maxsize=65_536)
def _clauses(text: str) -> tuple[str, ...]:
    return tuple(_split_clauses(text))


def clauses(text: str) -> list[str]:
    return list(_clauses(text))


def _split_clauses(text: str) -> list[str]:
    """The clauses of a paragraph: split at semicolons and at ', and' before a new operative verb."""
    parts = re.split(r";\s+|(?:,|,?\s+and(?:\s+further)?)\s+(?=(?:further\s+)?(?:requests|invites|encourages|urges|recommends|"
                     r"calls upon|decides|welcomes|takes note|notes)\s+(?:the|all|States)\b)", text)
    return [part.strip() for part in parts if len(part.split()) >= 4]


def join(tokens: list[str]) -> str:
    """Tokens back into text: no space before punctuation."""
    text = " ".join(tokens)
    return re.sub(r" ([,.;:!?)\]])", r"\1", re.sub(r"([(\[]) ", r"\1", text))
