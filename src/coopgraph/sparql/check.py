"""The check every query passes, on the endpoint and on the command line, and the engines' errors
in a user's words. A refusal is a QueryError: QuerySyntaxError (malformed) or QueryForbidden (what
this endpoint does not do); the views map them to a status or an exit code."""

from __future__ import annotations

import errno
import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef

from coopgraph.errors import QueryError, QueryForbidden, QuerySyntaxError
from coopgraph.store.base import Rows, Store
from coopgraph.terms import PREFIXES

if TYPE_CHECKING:
    from coopgraph.sparql.lexer import Reading

def _walk(node: Any) -> Any:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _walk(value)


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the check: the text every engine is to run, and its form."""

    text: str
    form: str  # SelectQuery | AskQuery | ConstructQuery | DescribeQuery
    declared: frozenset[str] = field(default=frozenset(), compare=False)  # prefixes its opening declares, when read: a hint


def normalise(text: str) -> str:
    """The one text that both the check and the engine read, so that they cannot read it apart.

    rdflib expands \\u and \\U code-point escapes anywhere in a query, as the SPARQL grammar
    says; Oxigraph only inside IRIs and strings. rdflib ends a comment only at LF; Oxigraph also
    at CR. So the escapes are expanded here (once: an escape that spells another is refused) and
    every CR becomes LF; then the text has one reading, and that is the text the engine runs."""
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes, expandUnicodeEscapes_re

    try:
        expanded = expandUnicodeEscapes(text)
    except ValueError as exc:
        raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from None
    if expanded != text and expandUnicodeEscapes_re.search(expanded):
        raise QuerySyntaxError("SPARQL syntax error: a \\u escape spells another escape; write the character itself")
    if lone := _SURROGATE.search(expanded):
        raise QuerySyntaxError(f"SPARQL syntax error: \\u{ord(lone.group()):04X} (at character {lone.start() + 1}) is half of a "
                         "surrogate pair, not a character; write the character itself")
    return expanded.replace("\r", "\n")


_SURROGATE = re.compile("[\ud800-\udfff]")


MAX_NESTING = 200
UPDATE_REFUSED = "SPARQL Update is not accepted: coopgraph answers read-only queries"
NO_FORM = "SPARQL syntax error: a query starts (after PREFIX and BASE) with SELECT, ASK, CONSTRUCT or DESCRIBE"
SERVICE_REFUSED = "SERVICE (federated query) is not accepted: coopgraph never queries other services"


def check(text: str, own_graphs: set[str], lexical: bool = False) -> CheckedQuery:
    """Check a query as every query is checked, on the endpoint and on the command line: the
    checked query, whose `text` is what the engine must run, or QuerySyntaxError / QueryForbidden.
    Read-only, no SERVICE, and FROM / FROM NAMED only for the store's own graph. Words such as
    "create" or "delete" inside a string are only words.

    The check reads the query as its engine does: rdflib's parser for the rdflib engine; for
    Oxigraph (and a SPARQL server), `lexical=True`, the SPARQL lexer (coopgraph.sparql.lexer),
    which costs a tenth of a millisecond where rdflib's parse costs tens, and leaves syntax
    errors to the engine, which reports them with their place."""
    text = normalise(text)
    if lexical:
        return _check_lexically(text, own_graphs)
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except RecursionError:
        raise QuerySyntaxError("the query is nested too deeply to be read; flatten its groups") from None
    except Exception as exc:  # pyparsing's ParseException carries line and column
        try:
            parseUpdate(text)
        except Exception:
            where = f" (line {exc.lineno}, column {exc.col})" if hasattr(exc, "lineno") else ""  # type: ignore[attr-defined]
            raise QuerySyntaxError(f"SPARQL syntax error{where}: {exc}") from None
        raise QueryForbidden(UPDATE_REFUSED) from None
    for node in _walk(parsed):
        if node.name == "ServiceGraphPattern":
            raise QueryForbidden(SERVICE_REFUSED)
        if node.name == "DatasetClause":
            graph = str(node.get("default") or node.get("named"))
            if graph not in own_graphs:
                raise QueryForbidden(f"FROM <{graph}> is not accepted: coopgraph loads nothing from outside; "
                                     f"its only graph is <{sorted(own_graphs)[0]}>")
    return CheckedQuery(text, parsed[1].name)


def _check_lexically(text: str, own_graphs: set[str]) -> CheckedQuery:
    from coopgraph.sparql.lexer import holds_no_hidden_keyword, read, read_form
    from coopgraph.terms import PREFIXES

    if holds_no_hidden_keyword(text, MAX_NESTING):  # only the form is left to read
        form, update, declared = read_form(text)
        if update:
            raise QueryForbidden(UPDATE_REFUSED)
        if form is None:
            raise QuerySyntaxError(NO_FORM)
        return CheckedQuery(text, form, declared)
    return _check_reading(read(text, PREFIXES), text, own_graphs)


def _check_reading(reading: Reading, text: str, own_graphs: set[str]) -> CheckedQuery:
    """The check on the whole reading of the text."""
    if reading.depth > MAX_NESTING:  # Oxigraph's parser recurses per level: thousands overflow its stack
        raise QuerySyntaxError(f"the query is nested too deeply ({reading.depth} levels of brackets; at most {MAX_NESTING}); flatten its groups")
    if reading.update:
        raise QueryForbidden(UPDATE_REFUSED)
    if reading.extension:
        raise QueryForbidden(f"{reading.extension} is not accepted: DEFINE pragmas and the bif: and sql: functions of a "
                             "SPARQL server can load or fetch from outside and read the system; coopgraph accepts "
                             "standard SPARQL only")
    if reading.service:
        raise QueryForbidden(SERVICE_REFUSED)
    if any(re.search(r"\bSERVICE\b", comment, flags=re.IGNORECASE) for comment in reading.comments):
        raise QueryForbidden(SERVICE_REFUSED + " (not even in a comment, where a lexer and an engine may disagree on where it ends)")
    for graph in reading.from_graphs:
        if graph not in own_graphs:
            named = f"FROM <{graph}>" if graph else "a FROM that does not give a full IRI"
            raise QueryForbidden(f"{named} is not accepted: coopgraph loads nothing from outside; its only graph is "
                                 f"<{sorted(own_graphs)[0]}>")
    if reading.form is None:
        raise QuerySyntaxError(NO_FORM)
    return CheckedQuery(text, reading.form)


def engine_error(exc: BaseException, text: str | None = None) -> str:
    """An engine's error in a user's words: Oxigraph's syntax errors with their line and column,
    and its list of expected characters cut short; a prefix it does not know named, with the ones
    every query may use without declaring them."""
    message = str(exc)
    if isinstance(exc, SyntaxError) and (where := re.match(r"error at (\d+):(\d+): (.*)", message, flags=re.DOTALL)):
        if "Prefix not found" in where.group(3):
            line, column = int(where.group(1)), int(where.group(2))
            prefix = _prefix_before(text, line, column) if text else None
            known = ", ".join(f"{name}:" for name in sorted(PREFIXES))
            named = f"`{prefix}:`" if prefix else "a prefix"
            return (f"SPARQL syntax error: unknown prefix {named} at line {line}, column {column}; declare it with "
                    f"PREFIX, or use one of the predefined prefixes: {known}")
        detail = " ".join(where.group(3).split())
        detail = detail if len(detail) <= 160 else detail[:160] + " …"
        return f"SPARQL syntax error (line {where.group(1)}, column {where.group(2)}): {detail}"
    return f"SPARQL error: {message}"


NETWORK_REFUSED = "the query tried to reach the network, which this endpoint does not allow"
_NETWORK_ERRNOS = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ECONNREFUSED, errno.ENETDOWN, errno.EACCES, errno.EPERM})


def _prefix_before(text: str, line: int, column: int) -> str | None:
    """The prefix of the prefixed name that ends at or just before a line and column of the text."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    found = re.findall(r"([A-Za-z][\w.-]*):[\w-]*", lines[line - 1][: column + 1])
    return found[-1] if found else None


def evaluation_error(exc: BaseException) -> QueryError:
    """An engine's evaluation error as the client may see it: a call to the network (which the
    sandbox stops) is a refusal in plain words (QueryForbidden); anything else is the query's
    fault, in the engine's words without the names of exception classes or error numbers of this
    machine."""
    message = str(exc)
    reached = isinstance(exc, OSError) and (exc.errno in _NETWORK_ERRNOS or re.search(
        r"network is unreachable|connection refused|no route to host|os error (?:101|111|113)", message, re.IGNORECASE))
    if reached:
        return QueryForbidden(NETWORK_REFUSED)
    message = re.sub(r"\s*\((?:os )?error \d+\)", "", message).strip() or "no reason given"
    return QueryError(f"the query could not be evaluated: {message}")


def run(store: Store, text: str, bindings: dict[str, URIRef | Literal] | None = None, max_rows: int = sys.maxsize) -> Rows:
    """Answer a query on a store the way the endpoint does: the same checks, the same predefined
    prefixes and the same dataset (the corpus as default and as named graph); any problem is a
    QueryError that says what is wrong."""
    from coopgraph.store import StoreError

    checked = check(text, {str(store.corpus)}, lexical=not store.parsed_like_rdflib)
    try:
        return store.run(checked.text, bindings or {}, max_rows)
    except StoreError:
        raise
    except SyntaxError as exc:
        raise QuerySyntaxError(engine_error(exc, checked.text)) from None
    except Exception as exc:  # each engine raises its own evaluation errors
        raise evaluation_error(exc) from None


