"""The SPARQL 1.1 lexical grammar (section 19.8), as Oxigraph reads a query: enough to find the
query form and every SERVICE, FROM and update keyword without a full parse.

A check that reads a query apart from its engine can be fooled: text the check takes for a
string or a comment, the engine may take for a keyword. So this lexer hides text only inside
tokens that are well formed by the grammar (strings with their four quotings and ECHAR escapes,
IRIs, prefixed names with PN_LOCAL escapes such as `ex:a\\#b`, comments to the end of the line),
and the engine, reading the same normalised text (coopgraph.query.normalise), takes them the same
way or refuses the query. Where the lexer is unsure it keeps reading, so a keyword stays visible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

# PN_CHARS_BASE and friends, as the grammar lists them.
_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
         "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PREFIX = rf"(?:[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?)?"
_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_ECHAR = r"\\[tbnrf\\\"']"

# Whitespace is skipped before each token, not matched as one: half the matches, on every query.
TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<comment>#[^\n]*)"
    rf"|(?P<string>\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|{_ECHAR}))*\"\"\""
    rf"|'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''"
    rf"|\"(?:[^\"\\\n]|{_ECHAR})*\""
    rf"|'(?:[^'\\\n]|{_ECHAR})*')"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    rf"|(?P<bnode>_:(?:[{_U}0-9])(?:[{_CHARS}.]*[{_CHARS}])?)"
    rf"|(?P<var>[?$](?:[{_U}0-9])(?:[{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040])*)"
    rf"|(?P<pname>{_PREFIX}:(?:{_LOCAL})?)"
    r"|(?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)"
    r"|(?P<number>[+-]?(?:[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?))"
    rf"|(?P<word>[{_BASE}][{_BASE}0-9_]*)"
    r"|(?P<other>\^\^|\|\||&&|!=|<=|>=|\S))",
    re.DOTALL,
)

UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
FORMS = {"SELECT": "SelectQuery", "ASK": "AskQuery", "CONSTRUCT": "ConstructQuery", "DESCRIBE": "DescribeQuery"}


class Token(NamedTuple):
    kind: str  # ws comment string iri bnode var pname langtag number word other
    text: str
    start: int


def tokens(text: str) -> list[Token]:
    """Every token of the text, whitespace and comments included, in order. The matches are
    contiguous: `other` matches any one character that is not whitespace, so each search succeeds
    where the last ended, after the whitespace between them (given here as `ws` tokens)."""
    every: list[Token] = []
    end = 0
    for match in TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        start = match.start(kind)
        if start > end:
            every.append(Token("ws", text[end:start], end))
        every.append(Token(kind, match.group(kind), start))
        end = match.end()
    if end < len(text):
        every.append(Token("ws", text[end:], end))
    return every


def _significant(text: str) -> tuple[list[Token], list[str]]:
    """The tokens but whitespace and comments, and the comments' texts: `tokens` in one pass."""
    significant: list[Token] = []
    comments: list[str] = []
    for match in TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind == "comment":
            comments.append(match.group(kind))
        else:
            significant.append(Token(kind, match.group(kind), match.start(kind)))
    return significant, comments


@dataclass(frozen=True)
class Reading:
    """What the lexer found: the query form (None when it names none), the keywords that matter,
    and the graphs FROM / FROM NAMED name (full IRIs, or None where one is not given in full)."""

    form: str | None
    update: str | None
    service: bool
    from_graphs: tuple[str | None, ...]
    where: int | None  # the offset just after the '{' that opens the WHERE group, if there is one
    depth: int = 0  # the deepest nesting of brackets: { ( [
    comments: tuple[str, ...] = ()


def read(text: str, predefined: dict[str, str] | None = None) -> Reading:
    """Read a query's shape from its tokens."""
    significant, comments = _significant(text)
    prefixes = dict(predefined or {})
    form = update = None
    service = False
    graphs: list[str | None] = []
    where = None
    depth = deepest = 0
    for token in significant:
        if token.kind == "other" and token.text in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif token.kind == "other" and token.text in "})]":
            depth -= 1
    index = 0
    while index < len(significant):  # the prologue: BASE and PREFIX declarations
        token = significant[index]
        word = token.text.upper() if token.kind == "word" else ""
        if word == "BASE" and index + 1 < len(significant):
            index += 2
        elif word == "PREFIX" and index + 2 < len(significant) and significant[index + 1].kind == "pname":
            name, iri = significant[index + 1].text, significant[index + 2]
            if iri.kind == "iri":
                prefixes[name[:-1] if name.endswith(":") else name.split(":", 1)[0]] = iri.text[1:-1]
            index += 3
        else:
            break
    for position, token in enumerate(significant):
        if token.kind != "word":
            continue
        word = token.text.upper()
        if position >= index and form is None and update is None:
            if word in FORMS:
                form = FORMS[word]
            elif word in UPDATE_WORDS:
                update = word
        if word == "SERVICE":
            service = True
        elif word == "FROM":
            following = significant[position + 1:position + 3]
            target = following[1] if following and following[0].kind == "word" and following[0].text.upper() == "NAMED" \
                and len(following) > 1 else (following[0] if following else None)
            graphs.append(_full_iri(target, prefixes))
        elif word == "WHERE" and where is None and position + 1 < len(significant) and significant[position + 1].text == "{":
            where = significant[position + 1].start + 1
    if where is None and form is not None:  # SELECT * { ... } without the keyword WHERE
        opening = next((t for t in significant[index:] if t.text == "{"), None)
        where = opening.start + 1 if opening is not None and form != "ConstructQuery" else None
    return Reading(form, update, service, tuple(graphs), where, deepest, tuple(comments))


def _full_iri(token: Token | None, prefixes: dict[str, str]) -> str | None:
    if token is None:
        return None
    if token.kind == "iri":
        iri = token.text[1:-1]
        return iri if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri) else None  # relative: not in full
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes and "\\" not in local and "%" not in local:
            return prefixes[prefix] + local
    return None
