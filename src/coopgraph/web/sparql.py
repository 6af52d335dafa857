"""SPARQL queries run in worker processes, so that a time limit really stops the work.

rdflib evaluates queries in Python and its parser is not thread-safe; a thread cannot be
stopped. Each worker process holds its own copy of the graph, parses, checks and runs one
query at a time, and serializes the result. When a query overruns its time limit the worker
is killed and a fresh one takes its place. Workers refuse SPARQL Update, SERVICE, and FROM /
FROM NAMED naming anything but this endpoint's own graph, never load remote graphs, and refuse
any network connection that is not to loopback.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import socket
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from coopgraph.query import check
from coopgraph.web.formats import GRAPH_MEDIA_OF, GRAPH_TYPES, MEDIA_OF, RESULT_TYPES, choose, serialize_ask, serialize_rows


@dataclass(frozen=True)
class QueryLimits:
    timeout: float = 10.0  # seconds of work per query, parse included
    max_rows: int = 10_000  # rows (SELECT) or triples (CONSTRUCT/DESCRIBE) returned
    max_query_bytes: int = 256_000


@dataclass
class Answer:
    """What a worker returns: a body and its media type, or a refusal with a status and a message."""

    status: int
    body: bytes
    media_type: str
    truncated: str | None = None
    seconds: float = 0.0
    version: str | None = None  # the build of the graph that answered (None: unknown)


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


# -- inside the worker -------------------------------------------------------------------------------

def _guard_network(allowed: set[str]) -> None:
    """Refuse every outbound connection that is not to an allowed host, whatever library asks for it."""
    original = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in allowed and not host.startswith("/"):
            raise PermissionError(f"coopgraph's query workers make no network connections (to {host})")
        return original(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign]


def _answer(store: Any, text: str, bindings: dict[str, Any], accept: str | None, limits: QueryLimits,
            own_graphs: set[str]) -> Answer:
    checked = check(text, own_graphs)
    if isinstance(checked, tuple):
        return Answer(checked[0], checked[1].encode(), "text/plain; charset=utf-8")
    kind = checked[1].name
    graph_query = kind in {"ConstructQuery", "DescribeQuery"}
    offered = list(GRAPH_MEDIA_OF.values()) if graph_query else list(MEDIA_OF.values())
    media = choose(accept, offered + (["application/json", "application/xml"] if not graph_query else []))
    if media is None:
        return Answer(406, f"cannot answer this {kind} in {accept}; offered: {', '.join(offered)}".encode(),
                      "text/plain; charset=utf-8")
    rows = store.run(text, bindings, limits.max_rows)
    if rows.kind == "ASK":
        return Answer(200, serialize_ask(bool(rows.boolean), RESULT_TYPES[media]), media)
    if rows.kind == "GRAPH":
        note = (f"truncated: more than {limits.max_rows} triples; only the first {limits.max_rows} are returned"
                if rows.truncated else None)
        from coopgraph.terms import bind_prefixes

        out = bind_prefixes(rows.graph)
        fmt = GRAPH_TYPES[media]
        if fmt == "json-ld":  # compact, with the prefixes inline: nothing to fetch
            from coopgraph.graph.serialize import context

            ctx = context(sorted(own_graphs)[0].removesuffix("graph/corpus"))["@context"]
            return Answer(200, out.serialize(format=fmt, context=ctx, auto_compact=True, encoding="utf-8"), media, note)
        return Answer(200, out.serialize(format=fmt, encoding="utf-8"), media, note)
    note = (f"truncated: more than {limits.max_rows} rows; only the first {limits.max_rows} are returned"
            if rows.truncated else None)
    return Answer(200, serialize_rows(rows.variables, rows.rows, RESULT_TYPES[media], note), media, note)


def _worker(conn: Connection, store_spec: str, base: str, graph_file: str, store_dir: str, limits: QueryLimits,
            own_graphs: set[str]) -> None:
    _guard_network_except_store(store_spec)
    try:
        os.nice(10)  # queries yield the processor to the server itself: a slow query never slows its pages
    except OSError:
        pass
    from coopgraph.store import StoreError, open_store

    try:
        store = open_store(store_spec, base, Path(graph_file), Path(store_dir))
        size = len(store.graph()) if store.kind == "memory" else 0
    except Exception as exc:  # reported to the server, which refuses to start
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", size))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the server closed the pipe: it is stopping
            return
        if message is None:
            return
        text, bindings, accept = message
        started = time.perf_counter()
        try:
            store.refresh()  # a rebuild made a new graph current: answer from it
            answer = _answer(store, text, bindings, accept, limits, own_graphs)
            answer.version = store.version()
        except StoreError as exc:  # the store's fault, not the query's: worth trying again
            answer = Answer(503, f"the store is not answering: {exc}".encode(), "text/plain; charset=utf-8")
        except Exception as exc:  # an evaluation error is the query's fault, reported as such
            answer = Answer(400, f"the query failed: {type(exc).__name__}: {exc}".encode(), "text/plain; charset=utf-8")
        answer.seconds = time.perf_counter() - started
        conn.send(answer)


def _guard_network_except_store(store_spec: str) -> None:
    """The network guard, letting through only the SPARQL server the store names (if any)."""
    from urllib.parse import urlparse

    allowed = {"127.0.0.1", "::1", "localhost"}
    if store_spec.startswith("sparql:"):
        host = urlparse(store_spec.removeprefix("sparql:")).hostname
        if host:
            allowed.add(host)
    _guard_network(allowed)


# -- in the server ---------------------------------------------------------------------------------

class _Worker:
    def __init__(self, context: Any, source: StoreSource, base: str, limits: QueryLimits, own_graphs: set[str]):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, source.spec, base, str(source.graph_file),
                                                             str(source.store_dir), limits, own_graphs),
                                       daemon=True, name="coopgraph-sparql-worker")
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float = 120.0) -> None:
        if self.ready:
            return
        if not self.conn.poll(timeout):
            raise RuntimeError("a SPARQL worker did not start in time")
        tag, detail = self.conn.recv()
        if tag != "ready":
            from coopgraph.store import StoreError

            raise StoreError(f"a SPARQL worker cannot open the store: {detail}")
        self.ready = True

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """A fixed number of worker processes; a request waits for a free one (up to `queue_wait`)."""

    def __init__(self, source: StoreSource, base: str, limits: QueryLimits, size: int = 2, queue_wait: float = 30.0):
        self.source, self.base, self.limits, self.queue_wait = source, base, limits, queue_wait
        self.own_graphs = {f"{base}graph/corpus"}
        # A fork server with the libraries already imported: a worker that replaces a stopped one
        # is ready in milliseconds, not the second a fresh interpreter takes.
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(["coopgraph.web.sparql", "coopgraph.store", "coopgraph.store.oxigraph",
                                             "coopgraph.store.memory", "coopgraph.store.sparql", "rdflib",
                                             "rdflib.plugins.sparql", "pyoxigraph", "oxrdflib", "httpx"])
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.all: set[_Worker] = set()
        self.lock = threading.Lock()
        self.killed = 0
        self.closed = False
        # Started from a thread: the fork server imports the libraries first (about a second), and
        # the server answers pages meanwhile; the first query waits for its worker.
        threading.Thread(target=lambda: [self._add() for _ in range(size)], daemon=True,
                         name="coopgraph-start-workers").start()

    def _add(self) -> _Worker:
        worker = _Worker(self.context, self.source, self.base, self.limits, self.own_graphs)
        with self.lock:
            if self.closed:  # the pool closed while this worker was starting
                worker.kill()
                return worker
            self.all.add(worker)
        self.idle.put(worker)
        return worker

    def _take(self, heavy: bool) -> _Worker:
        """An idle worker; a heavy client waits rather than take the last one."""
        deadline = time.monotonic() + self.queue_wait
        while True:
            try:
                worker = self.idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise Busy("every query worker is busy; try again shortly") from None
            if not heavy or not self.idle.empty() or len(self.all) <= 1:
                return worker
            self.idle.put(worker)  # kept for a light client
            if time.monotonic() > deadline:
                raise Busy("the query workers are kept for other clients while this one's queries are heavy; "
                           "try again shortly")
            time.sleep(0.05)

    def run(self, text: str, bindings: dict[str, Any] | None = None, accept: str | None = None,
            heavy: bool = False) -> Answer:
        if len(text.encode("utf-8")) > self.limits.max_query_bytes:
            return Answer(413, f"the query is longer than {self.limits.max_query_bytes:,} bytes".encode(),
                          "text/plain; charset=utf-8")
        worker = self._take(heavy)
        try:
            worker.wait_ready()
            worker.conn.send((text, bindings or {}, accept))
            if worker.conn.poll(self.limits.timeout):
                answer: Answer = worker.conn.recv()
                self.idle.put(worker)
                return answer
        except (EOFError, OSError, BrokenPipeError):
            pass  # the worker died: replace it below
        with self.lock:
            self.all.discard(worker)
            self.killed += 1
        worker.kill()
        self._add()
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
