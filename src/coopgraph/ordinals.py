"""Ordinal words as the Assembly prints them ("fifteenth session"), and their numbers."""

from __future__ import annotations

ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
            "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth twenty-first twenty-second twenty-third "
            "twenty-fourth twenty-fifth twenty-sixth twenty-seventh twenty-eighth twenty-ninth thirtieth").split()


def number_of(word: str) -> int | None:
    """'Fifteenth' -> 15; None for a word that is not an ordinal of this list."""
    lowered = word.lower()
    return ORDINALS.index(lowered) + 1 if lowered in ORDINALS else None


def word_of(number: int) -> str | None:
    """15 -> 'fifteenth'."""
    return ORDINALS[number - 1] if 1 <= number <= len(ORDINALS) else None
