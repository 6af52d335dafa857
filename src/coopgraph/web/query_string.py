"""A request's query string read as Starlette reads it (`urllib.parse.parse_qsl`, blank values
kept), with the percent-decoding done in C.

A SPARQL query in a URL is mostly escapes: a 1 KB query is about 400 of them, and
`urllib.parse.unquote` decodes them one by one in Python (45 µs a query here, as long as many a
query takes to answer). `codecs.escape_decode`, which CPython has long used to read pickles'
byte strings, decodes `\\xHH` escapes in C: with every backslash doubled and every `%` made `\\x`,
it reads exactly the bytes `unquote` means. Text it would read otherwise (a `%` that is not
followed by two hex digits, or a character that is not ASCII) goes to `unquote` itself, so the result is `unquote`'s in every case
(tests/test_front.py holds the two to the same output on generated strings).
"""

from __future__ import annotations

import codecs
from urllib.parse import unquote


def percent_decoded(text: str) -> str:
    """`urllib.parse.unquote(text)`: UTF-8, undecodable bytes replaced."""
    if "%" not in text:
        return text
    if not text.isascii():  # unquote leaves characters that are not escaped as they are
        return unquote(text)
    try:
        raw = codecs.escape_decode(text.replace("\\", "\\\\").replace("%", "\\x").encode("ascii"))[0]  # type: ignore[attr-defined]
    except ValueError:  # a '%' not followed by two hex digits: unquote's own reading
        return unquote(text)
    return raw.decode("utf-8", "replace")


def query_pairs(query_string: bytes) -> list[tuple[str, str]]:
    """The (name, value) pairs, in order: `parse_qsl(query_string.decode("latin-1"),
    keep_blank_values=True)`, as `starlette.datastructures.QueryParams` reads them."""
    pairs = []
    for piece in query_string.decode("latin-1").split("&"):
        if not piece:
            continue
        name, _, value = piece.partition("=")
        pairs.append((percent_decoded(name.replace("+", " ")), percent_decoded(value.replace("+", " "))))
    return pairs
