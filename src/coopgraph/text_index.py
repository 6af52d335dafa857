"""The full-text index of every unit's text: SQLite FTS5, with stems, phrases and prefixes,
ranked by relevance (BM25).

One index file per version of the graph (`<output>/search/<version>.sqlite`), written beside
the store by `build` and by the server for a version that has none (a store loaded elsewhere),
always to a temporary file renamed into place: a reader never sees half an index, and an
index never answers for another version of the graph than the one it was made from.

What a user types is read as words, "quoted phrases" and prefixes (`relocat*`), all of which
must occur; the Porter stemmer makes "arrest strategy" find "arrest strategies". A prefix is
looked up in a second, unstemmed table: stems are cut short ("relocation" is kept as "reloc"),
so "relocat*" would find nothing among them. Nothing the user types reaches FTS5's own query
language unquoted, so no input is a syntax error.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from coopgraph.files import give_usual_mode

TOKENIZER = "porter unicode61 remove_diacritics 2"
OPEN, CLOSE = "\x02", "\x03"  # marks around each match in a snippet, made HTML only after escaping
_TERMS = re.compile(r'"([^"]*)"|(\w[\w\'’-]*\*?)', re.UNICODE)


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    snippet: str  # the text around the matches, each match between OPEN and CLOSE
    text: str

    def snippet_html(self) -> Markup:
        """The snippet as HTML: the text escaped, each match in one <mark> (never nested)."""
        return Markup(str(escape(self.snippet)).replace(OPEN, "<mark>").replace(CLOSE, "</mark>"))

    def snippet_text(self) -> str:
        return self.snippet.replace(OPEN, "").replace(CLOSE, "")


@dataclass(frozen=True)
class Found:
    total: int
    hits: list[Hit]


def match_expressions(query: str) -> tuple[str | None, str | None]:
    """What a user typed as FTS5 queries: (words and phrases, for the stemmed table; prefixes,
    for the unstemmed one), every term quoted, all required. (None, None) when it holds no word."""
    stemmed, prefixes = [], []
    for phrase, word in _TERMS.findall(query):
        words = re.findall(r"\w+", phrase if phrase.strip() else word)
        if not words:
            continue
        quoted = '"' + " ".join(words) + '"'
        if not phrase.strip() and word.endswith("*"):
            prefixes.append(quoted + "*")
        else:
            stemmed.append(quoted)
    return (" AND ".join(stemmed) or None, " AND ".join(prefixes) or None)


def build(rows: Iterable[tuple[str, str, str]], path: Path) -> int:
    """Write the index of (iri, label, text) rows to `path`, atomically. Returns the row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        connection = sqlite3.connect(tmp)
        with connection:
            connection.execute(f"CREATE VIRTUAL TABLE units USING fts5(iri UNINDEXED, label, text, tokenize='{TOKENIZER}')")
            connection.execute("CREATE VIRTUAL TABLE exact USING fts5(text, tokenize='unicode61 remove_diacritics 2')")
            connection.executemany("INSERT INTO units (iri, label, text) VALUES (?, ?, ?)", rows)
            connection.execute("INSERT INTO exact (rowid, text) SELECT rowid, text FROM units")
            count = connection.execute("SELECT count(*) FROM units").fetchone()[0]
            connection.execute("INSERT INTO units (units, rank) VALUES ('rank', 'bm25(0.0, 2.0, 1.0)')")  # label words weigh double
            connection.execute("INSERT INTO units (units) VALUES ('optimize')")
            connection.execute("INSERT INTO exact (exact) VALUES ('optimize')")
        connection.close()
        give_usual_mode(tmp)  # mkstemp's 0600 would hide the index from other readers
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return int(count)


class TextIndex:
    """An index file opened read-only; one connection per thread (SQLite's rule)."""

    def __init__(self, path: Path):
        if not path.is_file():
            raise FileNotFoundError(path)
        self.path = path
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=True)
            self._local.connection = connection
        return connection

    def search(self, query: str, limit: int = 100, offset: int = 0) -> Found:
        """The units whose text holds every term, the most relevant first."""
        stemmed, prefixes = match_expressions(query)
        if stemmed is None and prefixes is None:
            return Found(0, [])
        connection = self._connection()
        if stemmed is None:  # prefixes alone: matched, ranked and marked in the unstemmed table
            total = connection.execute("SELECT count(*) FROM exact WHERE exact MATCH ?", (prefixes,)).fetchone()[0]
            top = connection.execute("SELECT rowid, snippet(exact, 0, ?, ?, '…', 40) FROM exact WHERE exact MATCH ? "
                                     "ORDER BY rank LIMIT ? OFFSET ?", (OPEN, CLOSE, prefixes, limit, offset)).fetchall()
            hits = []
            for rowid, snippet in top:
                iri, label, text = connection.execute("SELECT iri, label, text FROM units WHERE rowid = ?", (rowid,)).fetchone()
                hits.append(Hit(iri, label, snippet, text))
            return Found(int(total), hits)
        where, values = "units MATCH ?", [stemmed]
        if prefixes is not None:
            where += " AND rowid IN (SELECT rowid FROM exact WHERE exact MATCH ?)"
            values.append(prefixes)
        total = connection.execute(f"SELECT count(*) FROM units WHERE {where}", values).fetchone()[0]
        rows = connection.execute(f"SELECT iri, label, snippet(units, 2, ?, ?, '…', 40), text FROM units WHERE {where} "
                                  "ORDER BY rank LIMIT ? OFFSET ?", [OPEN, CLOSE, *values, limit, offset]).fetchall()
        return Found(int(total), [Hit(*row) for row in rows])


def index_path(output_dir: Path, version: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", version)
    return output_dir / "search" / f"{safe}.sqlite"


UNITS = ("SELECT ?unit ?label ?text WHERE { ?unit <https://w3id.org/coopgraph/ontology#text> ?text . "
         "OPTIONAL { ?unit <http://www.w3.org/2000/01/rdf-schema#label> ?label } }")
_BUILDING = threading.Lock()


def for_store(store: object, output_dir: Path, keep: int = 3) -> TextIndex:
    """The index of the graph the store holds now: the one made for its version, made now if
    there is none (an unversioned store, a remote server, is indexed afresh each time)."""
    version = store.version()  # type: ignore[attr-defined]
    path = index_path(output_dir, version or "unversioned")
    with _BUILDING:
        if version is None or not path.is_file():
            rows = store.select_strings(UNITS)  # type: ignore[attr-defined]
            build(((unit, label or unit, text) for unit, label, text in rows if unit and text), path)
            _prune(path.parent, keep)
    return TextIndex(path)


def _prune(folder: Path, keep: int) -> None:
    """Indexes of older versions removed, the newest `keep` kept (a server may still read one)."""
    indexes = sorted(folder.glob("*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in indexes[keep:]:
        old.unlink(missing_ok=True)
