"""SPARQL queries run in worker processes, so that a time limit really stops the work.

rdflib evaluates queries in Python and its parser is not thread-safe; a thread cannot be
stopped. Each worker process holds its own copy of the graph, parses, checks and runs one
query at a time, and serializes the result. When a query overruns its time limit the worker
is killed and a fresh one takes its place. Workers refuse SPARQL Update, SERVICE, and FROM /
FROM NAMED naming anything but this endpoint's own graph, and never load remote graphs.

That check is a parser's judgement, so the operating system backs it: a worker on a local store
runs in a network namespace with no interface (no connection can leave it, whichever library
opens one), under a memory limit, and dies with its parent. A worker on a SPARQL server store
needs the network to reach that server; it keeps a Python-level guard that allows that host only.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any

from starlette.concurrency import run_in_threadpool

from coopgraph.errors import QueryError, QuerySyntaxError
from coopgraph.graph.iris import Iris
from coopgraph.sparql import sandbox
from coopgraph.sparql.check import CheckedQuery, check, engine_error, evaluation_error
from coopgraph.sparql.fairness import FairTurns, QueueWaitExceeded
from coopgraph.sparql.formats import (
    GRAPH_TYPES,
    RESULT_TYPES,
    NotRepresentable,
    Refusal,
    Wanted,
    bytes_note,
    negotiate,
    require_xml_chars,
    serialize_ask,
    serialize_rows,
    truncation_note,
)
from coopgraph.store import server_of


@dataclass(frozen=True)
class QueryLimits:
    timeout: float = 10.0  # seconds of work per query, parse included
    max_rows: int = 10_000  # rows (SELECT) or triples (CONSTRUCT/DESCRIBE) returned
    max_query_bytes: int = 256_000
    memory_mb: int = 4096  # address space of each query worker; 0: no limit
    max_answer_bytes: int = 16 << 20  # an answer's size, about: past it the answer is cut, with a note
    retire_above_mb: int = 256  # a worker that has grown this much past its start retires after its answer


@dataclass
class Answer:
    """What a worker returns: a body and its media type, or a refusal with a status and a message."""

    status: int
    body: bytes
    media_type: str
    truncated: str | None = None
    seconds: float = 0.0
    version: str | None = None  # the build of the graph that answered (None: unknown)
    retire: bool = False  # the worker should not answer again (it ran out of memory)
    follows: bool = False  # the body comes after, in pieces (a large one: see BODY_APART)
    etag: str | None = None  # the key it is kept under (coopgraph.sparql.answers), once the server has made it
    spool: IO[bytes] | None = None  # a large body, in a file of no name, in place of `body` (see `spooled`)
    size: int = 0  # the length of a spooled body

    @property
    def length(self) -> int:
        return self.size if self.spool is not None else len(self.body)

    def content(self) -> bytes:
        """The whole body, read back from its file if it was spooled (for a page that shows it)."""
        if self.spool is None:
            return self.body
        self.spool.seek(0)
        body = self.spool.read()
        self.close()
        self.body = body
        return body

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.spool = None

    def message(self) -> tuple[Any, ...]:
        """The answer as the worker sends it: a tuple of plain values, which the pipe carries in
        half the time a dataclass takes (`Answer(*message)` makes it again)."""
        return (self.status, self.body, self.media_type, self.truncated, self.seconds, self.version, self.retire,
                self.follows)


BODY_APART = 256 << 10  # bodies larger than this are read on a thread, never on the event loop, into a file
PIECE = 256 << 10  # a large body crosses the pipe, and reaches the client, in pieces of this size
QUERY_ON_LOOP = 16 << 10  # query texts up to this size are written to a worker's pipe from the loop


@dataclass(frozen=True)
class StoreSource:
    """What a worker needs to open the store itself: the spec and the default places."""

    spec: str
    graph_file: Path
    store_dir: Path


class QueryTimeout(Exception):
    pass


class Busy(Exception):
    pass


class WorkerLost(Exception):
    """The worker ended while answering: it went over its memory limit, or was killed."""


# -- inside the worker -------------------------------------------------------------------------------

def settle_heap() -> None:
    """Leave what a process holds once it has started (libraries, templates, the graph and its
    indexes: a hundred thousand objects in the server) out of the garbage collector's full passes.
    Each pass walked all of them (40 ms in the server), about once in a hundred requests: a quarter
    of a millisecond of every request's time on average. What requests make is still collected.
    Called by the server at start-up and after a rebuild, and by each query worker once its store is open."""
    gc.collect()
    gc.freeze()


def _guard_network(allowed: set[str]) -> None:
    """Refuse every outbound connection that is not to an allowed host, whatever library asks for it."""
    original = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in allowed and not host.startswith("/"):
            raise PermissionError(f"coopgraph's query workers make no network connections (to {host})")
        return original(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]  # the guard replaces the method, on purpose


def _answer(store: Any, text: str, bindings: dict[str, Any], wanted: Wanted, limits: QueryLimits,
            own_graphs: set[str]) -> Answer:
    checked = check(text, own_graphs, lexical=not store.parsed_like_rdflib)  # read as the engine reads it
    try:
        media = negotiate(checked.form, wanted)
    except Refusal as refusal:
        return Answer(refusal.status, str(refusal).encode(), "text/plain; charset=utf-8")
    if store.answers_natively:
        return _answer_natively(store, checked, bindings, media, limits, own_graphs)
    rows = store.run(checked.text, bindings, limits.max_rows)
    if rows.kind == "ASK":
        return Answer(200, serialize_ask(bool(rows.boolean), RESULT_TYPES[media]), media)
    if rows.kind == "GRAPH":
        note = truncation_note(limits.max_rows, "triples") if rows.truncated else None
        from coopgraph.terms import bind_prefixes

        out = bind_prefixes(rows.graph)
        fmt = GRAPH_TYPES[media]
        if fmt == "json-ld":  # compact, with the prefixes inline: nothing to fetch
            from coopgraph.graph.serialize import context, jsonld_bytes

            ctx = context(sorted(own_graphs)[0].removesuffix("graph/corpus"))["@context"]
            return Answer(200, jsonld_bytes(out, ctx), media, note)
        if fmt == "xml":
            require_xml_chars(str(term) for triple in out for term in triple)
        if fmt == "nquads":
            fmt = "nt"  # the answer is one graph: its N-Triples lines are N-Quads lines
        return Answer(200, out.serialize(format=fmt, encoding="utf-8"), media, note)
    note = truncation_note(limits.max_rows, "rows") if rows.truncated else None
    kept = rows.rows
    body = serialize_rows(rows.variables, kept, RESULT_TYPES[media], note)
    while len(body) > limits.max_answer_bytes and kept:  # past the byte limit: halve the rows until it fits
        kept = kept[: len(kept) // 2]
        note = bytes_note(limits.max_answer_bytes, len(kept))
        body = serialize_rows(rows.variables, kept, RESULT_TYPES[media], note)
    return Answer(200, body, media, note)


def _answer_natively(store: Any, checked: CheckedQuery, bindings: dict[str, Any], media: str, limits: QueryLimits,
                     own_graphs: set[str]) -> Answer:
    """Oxigraph's answer written from its own terms (coopgraph.sparql.oxigraph_answers): no rdflib
    terms, no second parse. JSON-LD alone goes through rdflib, to compact it with the project's context."""
    import pyoxigraph as ox

    from coopgraph.sparql import oxigraph_answers as native
    from coopgraph.terms import PREFIXES

    result = store.execute(checked.text, bindings, checked.declared)
    if isinstance(result, (bool, ox.QueryBoolean)):
        return Answer(200, serialize_ask(bool(result), RESULT_TYPES[media]), media)
    if isinstance(result, ox.QueryTriples):
        triples, note = native.limited_in_bytes(result, limits.max_rows, limits.max_answer_bytes)
        fmt = GRAPH_TYPES[media]
        if fmt not in native.NATIVE_GRAPH_FORMATS:  # JSON-LD
            from rdflib import Graph

            from coopgraph.graph.serialize import context, jsonld_bytes
            from coopgraph.store.oxigraph import _rdflib
            from coopgraph.terms import bind_prefixes

            graph = bind_prefixes(Graph())
            for triple in triples:
                graph.add((_rdflib(triple.subject), _rdflib(triple.predicate), _rdflib(triple.object)))
            ctx = context(sorted(own_graphs)[0].removesuffix("graph/corpus"))["@context"]
            return Answer(200, jsonld_bytes(graph, ctx), media, note)
        return Answer(200, native.graph_bytes(triples, fmt, {name: str(iri) for name, iri in PREFIXES.items()}), media, note)
    fmt = RESULT_TYPES[media]
    if fmt == "json":
        written = native.json_natively(result, limits.max_rows, cap=limits.max_answer_bytes)
        if written is not None:
            return Answer(200, written[0], media, written[1])
        result = store.execute(checked.text, bindings, checked.declared)  # too large to hold: read again, row by row
    variables = [v.value for v in result.variables]
    solutions, note = native.limited_in_bytes(result, limits.max_rows, limits.max_answer_bytes)
    return Answer(200, native.solutions_bytes(variables, solutions, fmt, note), media, note)


def _worker(conn: Connection, store_spec: str, base: str, graph_file: str, store_dir: str, limits: QueryLimits,
            own_graphs: set[str], status_of: Callable[[BaseException], int]) -> None:
    sandbox.die_with_parent(os.getppid())
    if server_of(store_spec):
        isolation = "not isolated: the store is a SPARQL server, reached over the network"
    else:
        reason = sandbox.isolate_network()
        isolation = "isolated" if reason is None and sandbox.network_isolated() else f"not isolated: {reason}"
    _guard_network_except_store(store_spec)  # Python's own sockets: the only fence for a SPARQL-server store
    try:
        os.nice(10)  # queries yield the processor to the server itself: a slow query never slows its pages
    except OSError:
        pass
    from coopgraph.store import StoreError, open_store

    try:
        sandbox.limit_memory(limits.memory_mb)
        store = open_store(store_spec, base, Path(graph_file), Path(store_dir))
        size = len(store.graph()) if store.held_in_memory else 0
    except Exception as exc:  # reported to the server, which refuses to start
        conn.send(("failed", str(exc)))
        return
    warm_up(store, own_graphs, limits, local=not server_of(store_spec))
    settle_heap()
    baseline = resident_mb()
    conn.send(("ready", size, isolation))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the server closed the pipe: it is stopping
            return
        if message is None:
            return
        text, bindings, formats, accept, version = message
        wanted = Wanted(formats, accept)
        started = time.perf_counter()
        try:
            if version is None or version != store.version():  # the server follows a rebuild: so does the worker
                store.refresh()
            answer = _answer(store, text, bindings, wanted, limits, own_graphs)
            answer.version = store.version()
        except NotRepresentable as exc:
            answer = Answer(406, str(exc).encode(), "text/plain; charset=utf-8")
        except MemoryError:
            answer = Answer(503, _over_memory(limits).encode(), "text/plain; charset=utf-8", retire=True)
        except StoreError as exc:  # the store's fault, not the query's: worth trying again
            # the detail (the server's address, its own error text) is for the operator's log, not the client
            print(f"coopgraph: query worker: {exc}", file=sys.stderr, flush=True)
            answer = Answer(503, b"the store is not answering; try again in a moment", "text/plain; charset=utf-8")
        except QueryError as exc:  # refused by the check
            answer = _refusal(exc, status_of)
        except SyntaxError as exc:  # the engine's parse: where and what
            answer = _refusal(QuerySyntaxError(engine_error(exc, text)), status_of)
        except Exception as exc:  # an evaluation error: the query's fault, or a call the sandbox stopped
            answer = _refusal(evaluation_error(exc), status_of)
        answer.seconds = time.perf_counter() - started
        if not answer.retire and resident_mb() - baseline > limits.retire_above_mb:
            answer.retire = True  # an allocator keeps a query's peak: a fresh worker gives the memory back
        if len(answer.body) > BODY_APART:
            body, answer.body, answer.follows = memoryview(answer.body), b"", True
            conn.send(answer.message())
            for start in range(0, len(body), PIECE):
                conn.send_bytes(body[start:start + PIECE])
            conn.send_bytes(b"")  # the end of the body
        else:
            conn.send(answer.message())
        if answer.retire:
            return


WARM_UP_QUERIES = ("ASK { ?s ?p ?o }", 'PREFIX ex: <http://example.org/> SELECT ?s WHERE { ?s ex:p "a" } # \\u0041 LIMIT 1')


def warm_up(store: Any, own_graphs: set[str], limits: QueryLimits, local: bool) -> None:
    """Do, before the worker says it is ready, what its first query would do for the first time:
    load the check's lexer (a quarter of a second of regular expressions), open the store's reader,
    load the writers of answers. A fresh worker replaces each one stopped at its time limit, so
    under an attack most queries meet a fresh one: a light client's ASK cost it 0.15-0.2 s, not
    0.2 ms, and on a busy machine more than the half second that marks a client as heavy
    (coopgraph.sparql.fairness), which then waited a round behind the attackers. A local store
    answers the queries; a SPARQL server is not asked, only the check runs."""
    for text in WARM_UP_QUERIES:
        if not local:
            check(text, own_graphs, lexical=not store.parsed_like_rdflib)
            continue
        try:
            _answer(store, text, {}, Wanted(), limits, own_graphs)  # the check, the store and the writers
        except Exception:  # a store that cannot answer says so to the first query, in its words
            return


def _refusal(error: QueryError, status_of: Callable[[BaseException], int]) -> Answer:
    """A query refused, with the status the server's table gives its error (coopgraph.web.errors)."""
    return Answer(status_of(error), str(error).encode(), "text/plain; charset=utf-8")


def resident_mb() -> float:
    """This process's resident memory now (not its peak), in MB; 0 where /proc cannot tell."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1 << 20)
    except (OSError, ValueError, IndexError):
        return 0.0


def _over_memory(limits: QueryLimits) -> str:
    return (f"the query needed more than the {limits.memory_mb:,} MB of memory a query may use, and was stopped; "
            "make it cheaper (shorter strings, fewer rows held for ORDER BY or GROUP BY)")


def _guard_network_except_store(store_spec: str) -> None:
    """The network guard, letting through only the SPARQL server the store names (if any)."""
    from urllib.parse import urlparse

    allowed = {"127.0.0.1", "::1", "localhost"}
    if server := server_of(store_spec):
        host = urlparse(server).hostname
        if host:
            allowed.add(host)
    _guard_network(allowed)


# -- in the server ---------------------------------------------------------------------------------

class _Worker:
    def __init__(self, context: Any, source: StoreSource, base: str, limits: QueryLimits, own_graphs: set[str],
                 status_of: Callable[[BaseException], int]):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, source.spec, base, str(source.graph_file),
                                                             str(source.store_dir), limits, own_graphs, status_of),
                                       daemon=True, name="coopgraph-sparql-worker")
        self.process.start()
        child.close()
        self.ready = False
        self.isolation = "unknown"
        self.failure: Exception | None = None  # why it could not start, said to every query that takes it

    def wait_ready(self, timeout: float = 120.0) -> None:
        if self.ready:
            return
        if self.failure is not None:
            raise self.failure
        if not self.conn.poll(timeout):
            self.failure = RuntimeError("a SPARQL worker did not start in time")
            raise self.failure
        tag, detail, *rest = self.conn.recv()
        if tag != "ready":
            from coopgraph.store import StoreError

            self.failure = StoreError(f"a SPARQL worker cannot open the store: {detail}")
            raise self.failure
        self.isolation = rest[0] if rest else "unknown"
        self.ready = True

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """A fixed number of worker processes, handed to clients in turn (see `FairTurns`); a
    request waits for its turn up to `queue_wait` seconds. `status_of` gives a refused query's
    status: the server's table (coopgraph.web.errors), a module-level function the workers import."""

    def __init__(self, source: StoreSource, base: str, limits: QueryLimits, status_of: Callable[[BaseException], int],
                 size: int = 2, queue_wait: float = 30.0):
        self.source, self.base, self.limits, self.queue_wait = source, base, limits, queue_wait
        self.status_of = status_of
        self.own_graphs = {str(Iris(base).corpus_graph)}
        # A fork server with the libraries already imported: a worker that replaces a stopped one
        # is ready in milliseconds, not the second a fresh interpreter takes.
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(["coopgraph.sparql.forkserver_guard", "coopgraph.sparql.pool", "coopgraph.sparql.lexer", "coopgraph.store", "coopgraph.store.oxigraph",
                                             "coopgraph.store.memory", "coopgraph.store.sparql", "rdflib",
                                             "rdflib.plugins.sparql", "pyoxigraph", "oxrdflib", "httpx"])
        # Started here, on the thread that builds the app (the server's main thread): the fork server
        # dies with the thread that started it (forkserver_guard), so not with a short-lived one.
        from multiprocessing import forkserver

        forkserver.ensure_running()
        self.turns: FairTurns[_Worker] = FairTurns(per_client=max(1, size - 1))
        self.all: set[_Worker] = set()
        self.lock = threading.Lock()
        self.killed = 0
        self.closed = False
        # Started from a thread: the fork server imports the libraries first (about a second), and
        # the server answers pages meanwhile; the first query waits for its worker.
        threading.Thread(target=lambda: [self._add() for _ in range(size)], daemon=True,
                         name="coopgraph-start-workers").start()

    def _add(self) -> _Worker:
        """A new worker, handed out once it has started: a query never spends its time limit on a
        worker's start. One that cannot start is handed out too, so that a query says why."""
        worker = _Worker(self.context, self.source, self.base, self.limits, self.own_graphs, self.status_of)
        try:
            worker.wait_ready()
        except Exception:  # kept in the worker: the query that takes it reports it
            pass
        with self.lock:
            if self.closed:  # the pool closed while this worker was starting
                worker.kill()
                return worker
            self.all.add(worker)
        self.turns.put(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """The worker killed and a new one started, on a thread of their own: never on the event
        loop, and never in the time of the query that comes next (it takes another worker)."""
        with self.lock:
            self.all.discard(worker)
            self.killed += 1

        def restart() -> None:
            worker.kill()
            self._add()

        threading.Thread(target=restart, daemon=True, name="coopgraph-replace-worker").start()

    def isolation(self) -> str:
        """What the workers report of their network isolation ('isolated', or why not)."""
        with self.lock:
            reports = {w.isolation for w in self.all if w.ready}
        return "; ".join(sorted(reports)) or "unknown (no worker has started yet)"

    def run(self, text: str, bindings: dict[str, Any] | None = None, wanted: Wanted | None = None,
            client: str = "-", admit: Any = None, version: str | None = None) -> Answer:
        """Answer a query in a worker when the client's turn comes. `admit`, when given, is called
        once the turn has come and may refuse by raising (the client's budget, checked at the last
        moment so that queries queued in parallel cannot slip past it). `version` is the build of
        the graph the server serves: a worker on another one looks for a new build first (None:
        it looks every time)."""
        if len(text.encode("utf-8")) > self.limits.max_query_bytes:
            return self._too_long()
        try:
            worker = self.turns.take(client, self.queue_wait)
        except QueueWaitExceeded as exc:
            raise Busy(f"every query worker is busy ({exc}); try again shortly") from None
        worked: float | None = None  # as the worker measured it; None: stopped, refused or lost
        try:
            self._admit(worker, admit)
            answer = self._ask(worker, _message(text, bindings, wanted, version))
            worked = answer.seconds
            return answer
        finally:
            self.turns.done(client, worked)

    async def run_async(self, text: str, bindings: dict[str, Any] | None = None, wanted: Wanted | None = None,
                        client: str = "-", admit: Any = None, version: str | None = None) -> Answer:
        """As `run`, but on the event loop: a request waits for its turn and for the worker's
        pipe there, holding no thread (threads cost the server a millisecond a query under load).
        `admit` is called first, and again once the turn has come if the request had to wait for it."""
        if len(text.encode("utf-8")) > self.limits.max_query_bytes:
            return self._too_long()
        if admit is not None:
            admit()
        worker = self.turns.take_now(client)
        waited = worker is None
        if waited:  # its turn is to come: what it may spend is asked again when it does
            try:
                worker = await self.turns.take_async(client, self.queue_wait)
            except QueueWaitExceeded as exc:
                raise Busy(f"every query worker is busy ({exc}); try again shortly") from None
        assert worker is not None  # taken at once, or after the wait
        worked: float | None = None  # as the worker measured it; None: stopped, refused or lost
        try:
            if waited:
                self._admit(worker, admit)
            answer = await self._ask_async(worker, _message(text, bindings, wanted, version))
            worked = answer.seconds
            return answer
        finally:
            self.turns.done(client, worked)

    def _admit(self, worker: _Worker, admit: Any) -> None:
        """The client's last check once its turn has come; a refusal hands the worker back."""
        if admit is None:
            return
        try:
            admit()
        except BaseException:
            self.turns.put(worker)
            raise

    async def _ask_async(self, worker: _Worker, message: tuple[Any, ...]) -> Answer:
        if not worker.ready or len(message[0]) > QUERY_ON_LOOP:  # a worker still starting, or a long write
            return await run_in_threadpool(self._ask, worker, message)
        started = time.monotonic()
        try:
            worker.conn.send(message)
            answered = await _readable(worker.conn, self.limits.timeout)
        except asyncio.CancelledError:  # the request was given up: the worker is still answering
            threading.Thread(target=self._drain, args=(worker, started), daemon=True).start()
            raise
        except (OSError, BrokenPipeError):
            return await run_in_threadpool(self._lost, worker, False)
        if answered:
            try:
                answer = Answer(*worker.conn.recv())
                if answer.follows:
                    await run_in_threadpool(spooled, answer, worker.conn)
            except (EOFError, OSError):
                pass
            else:
                self._return(worker, answer)
                return answer
        return await run_in_threadpool(self._lost, worker, not answered)

    def _ask(self, worker: _Worker, message: tuple[Any, ...]) -> Answer:
        """Send the worker its query (`_message`) and wait for the answer."""
        try:
            worker.wait_ready()
            worker.conn.send(message)
            if not worker.conn.poll(self.limits.timeout):
                return self._lost(worker, timed_out=True)
            answer = self._receive(worker)
            self._return(worker, answer)
            return answer
        except (EOFError, OSError, BrokenPipeError):
            return self._lost(worker, timed_out=False)  # the worker ended while answering

    def _too_long(self) -> Answer:
        return Answer(413, f"the query is longer than {self.limits.max_query_bytes:,} bytes".encode(),
                      "text/plain; charset=utf-8")

    @staticmethod
    def _receive(worker: _Worker) -> Answer:
        answer = Answer(*worker.conn.recv())
        if answer.follows:
            spooled(answer, worker.conn)
        return answer

    def _return(self, worker: _Worker, answer: Answer) -> None:
        """The worker back to the idle ones after an answer, or replaced when it asked to retire."""
        if answer.retire:
            self._replace(worker)
        else:
            self.turns.put(worker)

    def _drain(self, worker: _Worker, started: float) -> None:
        """Read (and drop) the answer of a query whose request was given up, then hand the worker back."""
        try:
            if worker.conn.poll(max(0.0, self.limits.timeout - (time.monotonic() - started))):
                answer = self._receive(worker)
                answer.close()
                self._return(worker, answer)
                return
        except (EOFError, OSError):
            pass
        self._replace(worker)

    def _lost(self, worker: _Worker, timed_out: bool) -> Answer:
        """No answer: the worker ran out of time, or ended. It is replaced, and the reason raised.
        Told, not measured: the event loop's clock may call the limit a hair before `monotonic` does,
        and a worker still running would then be waited for a second more."""
        if not timed_out:
            worker.process.join(1.0)  # it is ending: let it, to read how
        code = worker.process.exitcode
        ended_early = code is not None and not timed_out
        self._replace(worker)
        if ended_early:
            if code == -signal.SIGSEGV:  # the engine crashed (a parser's stack overflow): not a question of memory
                raise WorkerLost("the query crashed the query engine and was stopped; a query nested far deeper than "
                                 "queries need (hidden from the check, or not) ends this way: flatten it")
            raise WorkerLost("the query worker ended while answering"
                             + (f": a query that needs more than the {self.limits.memory_mb:,} MB of memory a query may "
                                "use ends this way; make it cheaper (shorter strings, fewer rows held for ORDER BY or "
                                "GROUP BY)" if self.limits.memory_mb else "; try again"))
        raise QueryTimeout(f"the query ran longer than the {self.limits.timeout:g} s limit and was stopped")

    def close(self) -> None:
        with self.lock:
            self.closed = True
            workers = list(self.all)
            self.all.clear()
        for worker in workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
            worker.kill()


def spooled(answer: Answer, conn: Connection) -> None:
    """A large body read from the worker piece by piece into a file of no name: the server never
    holds a large answer whole in its memory (eight unread answers of 16 MB would be 128 MB), and
    the client is sent it from the file, piece by piece (`AnswerResponse`)."""
    spool = tempfile.TemporaryFile(prefix="coopgraph-answer-")
    try:
        while piece := conn.recv_bytes():
            spool.write(piece)
    except BaseException:
        spool.close()
        raise
    answer.size = spool.tell()
    spool.seek(0)
    answer.spool, answer.follows = spool, False


def _message(text: str, bindings: dict[str, Any] | None, wanted: Wanted | None, version: str | None) -> tuple[Any, ...]:
    """A query as a worker receives it: plain values, which the pipe carries quicker than objects."""
    wanted = wanted or Wanted()
    return (text, bindings or {}, wanted.formats, wanted.accept, version)


async def _readable(conn: Connection, timeout: float) -> bool:
    """Whether the pipe has something to read within `timeout` seconds (an answer, or the end of
    a worker that died), waited for by the event loop itself."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[bool] = loop.create_future()
    fd = conn.fileno()
    loop.add_reader(fd, _settle, ready, True)
    deadline = loop.call_later(timeout, _settle, ready, False)
    try:
        return await ready
    finally:
        deadline.cancel()
        loop.remove_reader(fd)
        os.set_blocking(fd, True)  # uvloop made it non-blocking; the pipe's reads expect to wait


def _settle(future: asyncio.Future[bool], value: bool) -> None:
    """The first of the pipe's answer and the deadline settles the wait."""
    if not future.done():
        future.set_result(value)
