"""The SPARQL 1.1 lexical grammar (section 19.8), as Oxigraph reads a query: enough to find the
query form and every SERVICE, FROM and update keyword without a full parse.

A check that reads a query apart from its engine can be fooled: text the check takes for a
string or a comment, the engine may take for a keyword. So this lexer hides text only inside
tokens that are well formed by the grammar (strings with their four quotings and ECHAR escapes,
IRIs, prefixed names with PN_LOCAL escapes such as `ex:a\\#b`, comments to the end of the line),
and the engine, reading the same normalised text (coopgraph.sparql.check.normalise), takes them the same
way or refuses the query. Where the lexer is unsure it keeps reading, so a keyword stays visible.

Oxigraph's parser has no lexer: it matches a keyword as the next letters wherever the grammar
expects one, with no word boundary after it. So `SERVICESILENT <x>`, `SERVICEex:x`, `FROMex:g`
and `FROMNAMED <g>` are SERVICE and FROM to it, and so is what follows `true` or `false` (an
object) or `ASK` or `CONSTRUCT` (before a FROM) with no space between: `?s ?p trueSERVICE <x>`.
A word or prefixed name that begins so is taken here for the keyword (`spells`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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

# The kinds of token, in the order TOKEN tries them (the first that matches is the token).
_COMMENT = r"#[^\n]*"
_STRING = (rf"\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|{_ECHAR}))*\"\"\""
           rf"|'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''"
           rf"|\"(?:[^\"\\\n]|{_ECHAR})*\""
           rf"|'(?:[^'\\\n]|{_ECHAR})*'")
_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_BNODE = rf"_:(?:[{_U}0-9])(?:[{_CHARS}.]*[{_CHARS}])?"
_VAR = rf"[?$](?:[{_U}0-9])(?:[{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040])*"
_PNAME = rf"{_PREFIX}:(?:{_LOCAL})?"
_LANGTAG = r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"
_NUMBER = r"[+-]?(?:[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)"
_WORD = rf"[{_BASE}][{_BASE}0-9_]*"
_OPERATOR = r"\^\^|\|\||&&|!=|<=|>="

# Whitespace is skipped before each token, not matched as one: half the matches, on every query.
TOKEN = re.compile(
    rf"\s*(?:(?P<comment>{_COMMENT})|(?P<string>{_STRING})|(?P<iri>{_IRI})|(?P<bnode>{_BNODE})|(?P<var>{_VAR})"
    rf"|(?P<pname>{_PNAME})|(?P<langtag>{_LANGTAG})|(?P<number>{_NUMBER})|(?P<word>{_WORD})|(?P<other>{_OPERATOR}|\S))",
    re.DOTALL,
)

# The check looks at words, brackets, comments and the prefixed names that may hide a keyword;
# the rest of a query (most of it: variables, other prefixed names, IRIs, strings, numbers,
# punctuation) it only has to read past. RUN reads past a run of those tokens in one match, then
# takes the token after it. The run tries TOKEN's kinds in TOKEN's order, each token atomic and
# the run possessive (the regex never reads a token again another way), and its single characters
# leave out exactly those where TOKEN reads a comment ('#'), a word (a letter) or a bracket: so
# the run ends where TOKEN reads one of those or such a prefixed name, and RUN reads the tokens
# TOKEN reads (tests/test_sparql_lexer.py holds the two readings together).
#
# How a prefixed name that may hide a keyword begins (`spells`; the first letter tested on its own,
# which is quicker on the tokens that begin otherwise: most of them).
HIDDEN = ("SERVICE", "FROM")  # the keywords the check must see wherever the engine reads them
LEADS = ("TRUE", "FALSE", "ASK", "CONSTRUCT")  # what Oxigraph may read with a keyword right after it
# Virtuoso's own extensions, which a SPARQL server may run: DEFINE pragmas (which can make a SELECT
# load a remote graph into the store) and its built-in functions named bif:... and sql:... (which
# can fetch a URL or read the system). The check refuses them wherever a reading finds them.
EXTENSION_WORDS = frozenset({"DEFINE"})
EXTENSION_PREFIXES = ("bif", "sql")
_FIRSTS = "".join(sorted({word[0].lower() for word in HIDDEN + LEADS + EXTENSION_PREFIXES}))
_HIDING = rf"(?=(?i:[{_FIRSTS}]))(?i:{'|'.join(word.lower() for word in HIDDEN + LEADS + EXTENSION_PREFIXES)})"
_EXTENSION_IRI = re.compile(r"<(?i:bif|sql):")
RUN = re.compile(
    rf"(?>\s*(?:{_STRING}|{_IRI}|{_BNODE}|{_VAR}|(?!{_HIDING}){_PNAME}|{_LANGTAG}|{_NUMBER}|{_OPERATOR}"
    rf"|[^\s#{{}}()\[\]{_BASE}]))*+"
    rf"\s*(?:(?P<comment>{_COMMENT})|(?P<pname>(?={_HIDING}){_PNAME})|(?P<word>{_WORD})|(?P<bracket>[{{}}()\[\]]))?",
    re.DOTALL,
)

# The opening of most queries, read a line at a time: comments, and PREFIX declarations as queries
# write them, `PREFIX ex: <iri>`, each read by one match: the word (where no prefixed name starts,
# as TOKEN reads it), the prefixed name, the IRI. Anything else (BASE, a comment inside a
# declaration, an IRI TOKEN would not take) ends the quick reading, and TOKEN reads on from there.
COMMENT = re.compile(rf"\s*({_COMMENT})")
DECLARATION = re.compile(rf"\s*(?!{_PREFIX}:)(?P<keyword>{_WORD})\s*(?P<name>{_PNAME})\s*(?P<iri>{_IRI})", re.DOTALL)

BRACKETS = frozenset("{([])}")
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
    extension: str | None = None  # a Virtuoso extension a reading finds (DEFINE, bif:..., sql:...)


def read(text: str, predefined: Mapping[str, object] | None = None) -> Reading:
    """Read a query's shape: its opening (comments, PREFIX and BASE declarations), then what
    follows it, a word, bracket or comment at a time (RUN reads past the rest). `predefined`:
    prefixes and their IRIs (rdflib namespaces too, read as text)."""
    reader = _Reader(text, {name: str(iri) for name, iri in (predefined or {}).items()})
    body = reader.opening()
    for match in RUN.finditer(text, body):
        kind = match.lastgroup
        if kind == "word":
            reader.word(match["word"], match.end(), in_opening=False)
        elif kind == "bracket":
            reader.bracket(match["bracket"], match.start("bracket"), in_opening=False)
        elif kind == "pname":
            reader.name(match["pname"])
        elif kind == "comment":
            reader.comments.append(match["comment"])
    other = other_readings(text, body)
    reader.service = reader.service or other.service
    reader.extension = reader.extension or other.extension or (
        "an IRI of the bif: or sql: scheme" if _EXTENSION_IRI.search(text, body) else None)
    reader.from_targets.extend([None] * other.froms)  # a FROM on another reading: its graph is not read
    reader.deepest += other.opened
    return reader.reading()


# An IRI whose text holds '#' or "'": where the engine reads its '<' as less-than (after a number,
# a variable or a ')' in an expression: `FILTER(1<2#>"""`), that character starts a comment or a
# string, which may hide what TOKEN reads, or show what TOKEN hides.
_AMBIGUOUS_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*[#'][^<>\"{}|^`\\\x00-\x20]*>")


class OtherReadings(NamedTuple):
    service: bool  # a word or prefixed name that spells SERVICE, on some reading
    froms: int  # words or prefixed names that spell FROM on other readings
    opened: int  # brackets opened on other readings (an upper bound on what they add to the nesting)
    extension: str | None = None  # a Virtuoso extension found on another reading


def other_readings(text: str, start: int = 0) -> OtherReadings:
    """Every way the engine may read the text where '<' is both an IRI's start (to TOKEN) and an
    operator (to the engine, in an expression: spargebra's grammar reads `1<2` as less-than). Each
    such '<' whose IRI holds '#' or "'" is read again as an operator, token by token, until that
    reading meets a token the readings already taken have read (from there on they agree), and so
    on for every such '<' the new readings meet. Reading every way, and the union of what the
    readings find, holds whatever the engine's own reading is, without parsing as it does; a
    position is read once, so the cost is at most one more reading of the text."""
    if not _AMBIGUOUS_IRI.search(text, start):
        return OtherReadings(False, 0, 0, None)
    starts: set[int] = set()
    pending: list[int] = []
    for token in tokens(text[start:]):
        if token.kind not in {"ws", "comment"}:
            starts.add(token.start + start)
        if token.kind == "iri" and ("#" in token.text or "'" in token.text):
            pending.append(token.start + start + 1)
    service, froms, opened, extension = False, 0, 0, None
    done: set[int] = set()
    while pending:
        at = pending.pop()
        if at in done:
            continue
        done.add(at)
        for match in TOKEN.finditer(text, at):
            kind = match.lastgroup or "other"
            begins = match.start(kind)
            if kind != "comment" and begins in starts:
                break  # this reading has met one already taken
            if kind != "comment":
                starts.add(begins)
            value = match[kind]
            if kind == "comment":  # the check refuses SERVICE even in a comment; so in this reading's
                service = service or bool(re.search(r"\bSERVICE\b", value, re.IGNORECASE))
            elif kind in {"word", "pname"}:
                service = service or spells(value, "SERVICE")
                froms += spells(value, "FROM")
                extension = extension or extension_in(value, kind)
            elif kind == "other" and value in "{([":
                opened += 1
            elif kind == "iri" and ("#" in value or "'" in value):
                pending.append(begins + 1)
    return OtherReadings(service, froms, opened, extension)


def extension_in(value: str, kind: str) -> str | None:
    """The Virtuoso extension a word or prefixed name is, if it is one."""
    if kind == "word" and value.upper() in EXTENSION_WORDS:
        return value.upper()
    if kind == "pname" and value.split(":", 1)[0].lower() in EXTENSION_PREFIXES:
        return value
    return None


def read_form(text: str) -> tuple[str | None, str | None, frozenset[str]]:
    """The query form and the update word, as `read` finds them, read no further than the first
    of them (for a text in which nothing else `read` finds can be: coopgraph.sparql.check.check); and
    the prefixes the opening declares."""
    reader = _Reader(text, {})
    for match in RUN.finditer(text, reader.opening()):
        if match.lastgroup == "word":
            reader.word(match["word"], match.end(), in_opening=False)
            if reader.form is not None or reader.update is not None:
                break
    return reader.form, reader.update, frozenset(reader.prefixes)


class _Reader:
    """What `read` has found so far. The rules, for every significant token in order (whitespace
    and comments are not significant): the opening is BASE and the token after it, or PREFIX, a
    prefixed name and the token after it, as often as they come; after the opening, the first
    form word (SELECT, ASK, CONSTRUCT, DESCRIBE) or update word sets the form or the update; a
    word that spells SERVICE (`spells`) anywhere, or a prefixed name that does after the opening,
    is a service; a FROM anywhere names the graph its next token names (the one after NAMED), and
    any other word or prefixed name that spells FROM names one not read; the first WHERE followed
    by '{' opens the WHERE group, else (but in a CONSTRUCT) the first '{' after the opening does."""

    def __init__(self, text: str, prefixes: dict[str, str]):
        self.text, self.prefixes = text, prefixes
        self.comments: list[str] = []
        self.form: str | None = None
        self.update: str | None = None
        self.service = False
        self.from_targets: list[Token | None] = []
        self.where: int | None = None
        self.first_open: int | None = None
        self.depth = self.deepest = 0
        self.extension: str | None = None

    def opening(self) -> int:
        """Read the opening; where the rest starts. Declarations as queries write them are read
        one match each; anything else in the opening token by token, as the rules say."""
        text, start = self.text, 0
        while True:
            if comment := COMMENT.match(text, start):
                self.comments.append(comment[1])
            elif (declaration := DECLARATION.match(text, start)) and declaration["keyword"].upper() == "PREFIX":
                self.prefixes[_prefix_name(declaration["name"])] = declaration["iri"][1:-1]
            else:
                break
            start = (comment or declaration).end()  # type: ignore[union-attr]
        head: list[tuple[Token, int]] = []  # significant tokens from `start`, with where each ends
        matches = TOKEN.finditer(text, start)
        comments: list[tuple[int, str]] = []

        def have(count: int) -> int:
            """At least `count` tokens read into `head`, if the text has them; how many there are."""
            while len(head) < count and (match := next(matches, None)) is not None:
                kind = match.lastgroup or "other"
                if kind == "comment":
                    comments.append((match.start(kind), match[kind]))
                else:
                    head.append((Token(kind, match[kind], match.start(kind)), match.end()))
            return len(head)

        index = 0
        while index < have(index + 3):
            token = head[index][0]
            word = token.text.upper() if token.kind == "word" else ""
            if word == "BASE" and index + 1 < have(index + 2):
                index += 2
            elif word == "PREFIX" and index + 2 < have(index + 3) and head[index + 1][0].kind == "pname":
                if head[index + 2][0].kind == "iri":
                    self.prefixes[_prefix_name(head[index + 1][0].text)] = head[index + 2][0].text[1:-1]
                index += 3
            else:
                break
        body = head[index][0].start if index < len(head) else len(text)
        self.comments.extend(comment for position, comment in comments if position < body)
        for token, end in head[:index]:
            if token.kind == "word":
                self.word(token.text, end, in_opening=True)
            elif token.kind == "other" and token.text in BRACKETS:
                self.bracket(token.text, token.start, in_opening=True)
        return body

    def word(self, text: str, end: int, in_opening: bool) -> None:
        word = text.upper()
        if word in EXTENSION_WORDS:
            self.extension = self.extension or word
        if not in_opening and self.form is None and self.update is None:
            if word in FORMS:
                self.form = FORMS[word]
            elif word in UPDATE_WORDS:
                self.update = word
        if word.startswith(SPELLINGS["SERVICE"]):  # spells(text, "SERVICE"), on the word already in capitals
            self.service = True
        elif word == "FROM":
            following = _next_tokens(self.text, end, 2)
            named = following and following[0].kind == "word" and following[0].text.upper() == "NAMED" and len(following) > 1
            self.from_targets.append(following[1] if named else (following[0] if following else None))
        elif word.startswith(SPELLINGS["FROM"]):
            self.from_targets.append(None)  # run into what follows it: the graph is not read
        elif word == "WHERE" and self.where is None:
            following = _next_tokens(self.text, end, 1)
            if following and following[0].text == "{":
                self.where = following[0].start + 1

    def name(self, text: str) -> None:
        """A prefixed name after the opening: SERVICE or FROM when it begins with one (`spells`), a
        Virtuoso built-in when its prefix is bif or sql."""
        self.extension = self.extension or extension_in(text, "pname")
        if spells(text, "SERVICE"):
            self.service = True
        elif spells(text, "FROM"):
            self.from_targets.append(None)

    def bracket(self, text: str, start: int, in_opening: bool) -> None:
        if text in "{([":
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)
            if text == "{" and not in_opening and self.first_open is None:
                self.first_open = start
        else:
            self.depth -= 1

    def reading(self) -> Reading:
        where = self.where
        if where is None and self.form is not None and self.form != "ConstructQuery" and self.first_open is not None:
            where = self.first_open + 1  # SELECT * { ... } without the keyword WHERE
        graphs = tuple(_full_iri(target, self.prefixes) for target in self.from_targets)
        return Reading(self.form, self.update, self.service, graphs, where, self.deepest, tuple(self.comments),
                       self.extension)


SPELLINGS = {keyword: (keyword, *(lead + keyword for lead in LEADS)) for keyword in HIDDEN}


def spells(text: str, keyword: str) -> bool:
    """Whether Oxigraph may read `keyword` (SERVICE or FROM) at the start of this word or prefixed
    name: it begins with the keyword, or with one of LEADS and then the keyword, in any case."""
    return text.upper().startswith(SPELLINGS[keyword])


def holds_no_hidden_keyword(text: str, max_depth: int) -> bool:
    """Whether no reading of the text can hold SERVICE or FROM (a token, or a word in a comment) or
    nest deeper than `max_depth`: then the form is all `read` can find, and `read_form` finds it
    at the opening. Keywords are ASCII, read without regard to case, and a token never starts just
    after an ASCII letter (every token that can end in a letter reads on through letters), nor
    does a word in a comment (found at a word boundary), save after one of LEADS: so an ASCII text
    where 'service' and 'from' occur, in any case, only after another letter
    ('prov:wasDerivedFrom') holds neither. Brackets cannot nest deeper than there are brackets."""
    if not text.isascii() or text.count("{") + text.count("(") + text.count("[") > max_depth:
        return False
    lowered = text.lower()
    for keyword in _LOWER_HIDDEN:
        at = lowered.find(keyword)
        while at != -1:
            if at == 0 or not lowered[at - 1].isalpha() or lowered.endswith(_LOWER_LEADS, 0, at):
                return False
            at = lowered.find(keyword, at + 1)
    return True


_LOWER_HIDDEN = tuple(word.lower() for word in HIDDEN) + ("define", "bif:", "sql:")
_LOWER_LEADS = tuple(word.lower() for word in LEADS)


def _next_tokens(text: str, start: int, count: int) -> list[Token]:
    """The next `count` significant tokens from `start` (where a token ends), or as many as there are."""
    found: list[Token] = []
    while len(found) < count and (match := TOKEN.match(text, start)) is not None:
        kind = match.lastgroup or "other"
        if kind != "comment":
            found.append(Token(kind, match[kind], match.start(kind)))
        start = match.end()
    return found


def _prefix_name(pname: str) -> str:
    return pname[:-1] if pname.endswith(":") else pname.split(":", 1)[0]


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
