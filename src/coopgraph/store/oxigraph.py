"""A persistent Oxigraph store on disk, in versions so that a load is all or nothing.

    PATH/CURRENT          names the version readers open (replaced atomically)
    PATH/versions/<v>/    one Oxigraph database per load; the corpus in its named graph

A load fills a new version and only then points CURRENT at it, so a killed load leaves the
previous version current and whole. Readers (serve's processes, commands) open the current
version read-only, which Oxigraph allows for any number of processes; nothing writes to a
version once it is current. The previous version is kept for readers still using it.

A load is one bulk load of the whole file, on one core. Loading byte ranges of the file in threads
and then compacting (so that reads do not merge the parts) took 0.8x the time at 1M triples but
1.4x at 10M, with three times the memory peak; without the compaction, joins read about 2x slower.
"""

from __future__ import annotations

import functools
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

from coopgraph.store.base import Rows, Store, check_load_source, take, values_inside_where

LOADING = ".loading-"  # the prefix of a version being loaded


def _rdflib(term: Any) -> Any:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)  # a simple literal, as rdflib writes it
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


class OxigraphStore(Store):
    kind = "oxigraph"
    answers_natively = True

    def __init__(self, base: str, path: Path):
        self.base = base
        self.path = path
        self._reader: Any = None
        self._opened: Path | None = None
        self._pointer_seen: tuple[int, int, int] | None = None  # CURRENT's inode, mtime and size when last read

    # -- versions -------------------------------------------------------------------------------
    @property
    def pointer(self) -> Path:
        return self.path / "CURRENT"

    def current(self) -> Path | None:
        try:
            name = self.pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        version = self.path / "versions" / name
        return version if name and version.is_dir() else None

    def is_loaded(self) -> bool:
        return self.current() is not None

    def load(self, graph_file: Path) -> int:
        import pyoxigraph as ox

        from coopgraph.store import StoreError

        check_load_source(graph_file)
        versions = self.path / "versions"
        versions.mkdir(parents=True, exist_ok=True)
        self._remove_abandoned_loads(versions)
        previous = self.current()
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 1_000_000}"
        loading = versions / f"{LOADING}{name}"  # no reader ever opens a name like this one
        target = versions / name
        try:
            store = ox.Store(str(loading))
            store.bulk_load(path=str(graph_file), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(self.corpus)))
            store.flush()
            count = len(store)
            del store
            if count == 0:
                raise StoreError(f"cannot load {graph_file}: it holds no triples; the store keeps the graph it has")
            os.replace(loading, target)
        except (OSError, SyntaxError, ValueError, RuntimeError, MemoryError) as exc:
            why = (f"a term is larger than the loader's buffer ({exc})" if isinstance(exc, MemoryError) else str(exc))
            raise StoreError(f"cannot load {graph_file} into the Oxigraph store at {self.path}: {why}") from None
        finally:  # a failed or interrupted load leaves nothing behind (a killed one: see _remove_abandoned_loads)
            shutil.rmtree(loading, ignore_errors=True)
        tmp = self.path / f".CURRENT.{os.getpid()}"
        tmp.write_text(name + "\n", encoding="utf-8")
        os.replace(tmp, self.pointer)  # the switch: readers now open the new version
        keep = {name, previous.name if previous else ""}
        for old in versions.iterdir():
            if old.name not in keep and not old.name.startswith(LOADING):
                shutil.rmtree(old, ignore_errors=True)
        self._reader = None
        return count

    @staticmethod
    def _remove_abandoned_loads(versions: Path) -> None:
        """Delete the partial versions of loads that were killed (their process is gone)."""
        for folder in versions.glob(f"{LOADING}*"):
            try:
                pid = int(folder.name.removeprefix(LOADING).split("-")[1])
                os.kill(pid, 0)  # still running: another load in progress
            except (IndexError, ValueError, ProcessLookupError):
                shutil.rmtree(folder, ignore_errors=True)
            except PermissionError:
                pass

    # -- reading ----------------------------------------------------------------------------------
    def reader(self) -> Any:
        import pyoxigraph as ox

        from coopgraph.store import StoreError

        if self._reader is None:
            version = self.current()
            if version is None:
                raise StoreError(f"the Oxigraph store at {self.path} holds no graph: run `coopgraph build` first")
            try:
                self._reader = ox.Store.read_only(str(version))
                self._opened = version
            except (OSError, RuntimeError) as exc:  # RuntimeError: the database's files are damaged
                raise StoreError(f"cannot open the Oxigraph store at {version}: {exc}; rebuild it with "
                                 f"`coopgraph build` (or `coopgraph load FILE.nt`)") from None
        return self._reader

    def version(self) -> str | None:
        self.reader()
        return self._opened.name if self._opened else None

    def refresh(self) -> bool:
        """Whether a rebuild made another version current (the next read opens it). Asked by the
        server at most once a second, and by a query worker when the server serves another build
        than the worker's; CURRENT is read only when its file changed: a rebuild replaces it (a new
        inode), and one stat costs a tenth of reading it."""
        if self._reader is None:
            return False
        try:
            seen = os.stat(self.pointer)
        except FileNotFoundError:
            return False
        signature = (seen.st_ino, seen.st_mtime_ns, seen.st_size)
        if signature == self._pointer_seen:
            return False
        self._pointer_seen = signature
        if self.current() in {None, self._opened}:
            return False
        self._reader = None  # the next read opens the version a rebuild made current
        return True

    def dump(self, fmt: str, batch: int = 20_000) -> Iterator[bytes]:
        """The corpus graph in batches of triples, each written by Oxigraph: N-Triples lines; Turtle
        documents that repeat the prefixes (a Turtle reader takes them again); one expanded JSON-LD
        array whose node objects may repeat an @id (a JSON-LD reader merges them)."""
        import itertools

        import pyoxigraph as ox

        from coopgraph.terms import PREFIXES

        quads = self.reader().quads_for_pattern(None, None, None, ox.NamedNode(str(self.corpus)))
        formats = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}
        prefixes = {p: str(ns) for p, ns in PREFIXES.items()} if fmt == "ttl" else None
        first = True
        if fmt == "jsonld":
            yield b"["
        while chunk := [ox.Triple(q.subject, q.predicate, q.object) for q in itertools.islice(quads, batch)]:
            text = bytes(ox.serialize(chunk, format=formats[fmt], prefixes=prefixes) or b"")
            if fmt == "jsonld":
                text = (b"" if first else b",") + text.strip()[1:-1]
            first = False
            yield text
        if fmt == "jsonld":
            yield b"]\n"

    def graph(self) -> Graph:
        from oxrdflib import OxigraphStore as RdflibAdapter

        return Graph(store=RdflibAdapter(store=self.reader()), identifier=self.corpus)

    def execute(self, query: str, bindings: dict[str, Any], declared: frozenset[str] = frozenset()) -> Any:
        """Oxigraph's own answer (solutions, triples or a boolean), lazily read, with no conversion.
        `declared`: prefixes the query declares itself, when known (their defaults are not sent)."""
        import pyoxigraph as ox

        # Parameters open the WHERE group: Oxigraph then joins them first, where a trailing VALUES
        # clause is joined after the whole pattern (340 ms against under 1 ms at 1M triples). The
        # well-known prefixes are Oxigraph's defaults (a query's own PREFIX wins), so no line is
        # added to the text and a syntax error's line is the user's. Oxigraph reads every default's
        # IRI again for each query (a microsecond each): those the query declares are left out.
        corpus = ox.NamedNode(str(self.corpus))  # the dataset: the corpus, as default and as named graph
        return self.reader().query(values_inside_where(query, bindings), prefixes=_default_prefixes(declared),
                                   default_graph=[corpus], named_graphs=[corpus])

    def run(self, query: str, bindings: dict[str, Any], max_rows: int) -> Rows:
        import pyoxigraph as ox

        result = self.execute(query, bindings)
        if isinstance(result, (bool, ox.QueryBoolean)):
            return Rows("ASK", [], [], boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            triples, truncated = take(result, max_rows)
            out = Graph()
            for triple in triples:
                out.add((_rdflib(triple.subject), _rdflib(triple.predicate), _rdflib(triple.object)))
            return Rows("GRAPH", [], [], graph=out, truncated=truncated)
        variables = [v.value for v in result.variables]
        rows, truncated = take((tuple(_rdflib(s[v]) for v in variables) for s in result), max_rows)
        return Rows("SELECT", variables, rows, truncated=truncated)

    def select_strings(self, query: str) -> list[tuple[str | None, ...]]:
        import pyoxigraph as ox

        result = self.reader().query(query, default_graph=[ox.NamedNode(str(self.corpus))])
        names = [v.value for v in result.variables]
        return [tuple(None if (term := solution[n]) is None else term.value for n in names) for solution in result]

    def describe(self) -> str:
        version = self.current()
        return f"oxigraph ({version or self.path})"

    def close(self) -> None:
        self._reader = None


@functools.lru_cache(maxsize=256)  # bounded: the names come from clients' queries
def _default_prefixes(declared: frozenset[str] = frozenset()) -> dict[str, str]:
    """The well-known prefixes a query has not declared itself (the same few sets, over and over)."""
    from coopgraph.terms import PREFIXES

    return {name: str(iri) for name, iri in PREFIXES.items() if name not in declared}
