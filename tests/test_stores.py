"""The same checks on every store: rdflib memory, Oxigraph on disk, and a real Virtuoso
(Debian's virtuoso-opensource, started here on 127.0.0.1; .ci/ensure-virtuoso installs it)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from rdflib import Literal

from coopgraph.lineage.engine import Lineage
from coopgraph.sparql.named import bind, named_queries
from coopgraph.store import StoreError, open_store, parse_spec
from coopgraph.synthetic import write as write_synthetic
from coopgraph.validate import load_shapes, validate_graph
from tests.conftest import BASE, ROOT, RunningServer
from tests.support.virtuoso import LocalVirtuoso

STORES = ["memory", "oxigraph", "virtuoso"]


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    assert LocalVirtuoso.available(), "virtuoso-t is missing: install Debian's virtuoso-opensource (.ci/ensure-virtuoso does)"
    with LocalVirtuoso(tmp_path_factory.mktemp("virtuoso")) as running:
        yield running


def spec_for(kind: str, tmp: Path, request) -> str:
    if kind == "memory":
        return "memory"
    if kind == "oxigraph":
        return f"oxigraph:{tmp / 'store'}"
    return f"sparql:{request.getfixturevalue('virtuoso').sparql_url}"


@pytest.fixture(scope="module", params=STORES)
def loaded(request, built_dir, tmp_path_factory):
    """A store of each kind holding the real graph, as `coopgraph load` leaves it."""
    tmp = tmp_path_factory.mktemp(f"store-{request.param}")
    spec = spec_for(request.param, tmp, request)
    store = open_store(spec, BASE, built_dir / "coopgraph.nt", tmp / "store")
    count = store.load(built_dir / "coopgraph.nt")
    yield request.param, spec, store, count
    store.close()


def triples_in(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def as_values(rows) -> list[tuple]:
    """Rows compared by value; GROUP_CONCAT's order is up to each engine (SPARQL 1.1), so its parts are sorted."""
    def cell(t: object) -> object:
        if isinstance(t, Literal):
            value = t.toPython()
            if isinstance(value, str) and "; " in value:
                value = "; ".join(sorted(value.split("; ")))
            datatype = "" if str(t.datatype or "").endswith("#string") else str(t.datatype or "")
            return (value, datatype)
        return str(t)
    return sorted(tuple(cell(t) for t in row) for row in rows)


def test_the_store_holds_the_whole_graph(loaded, built_dir):
    _, _, store, count = loaded
    assert count == triples_in(built_dir / "coopgraph.nt")
    assert store.is_loaded()
    rows = store.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {}, 10).rows
    assert int(rows[0][0]) == count


def test_every_store_answers_decimals_in_one_form(loaded):
    """"1.0" as written (Virtuoso would type a decimal written "1" an integer) is answered "1" by
    every store, the memory store included, and "0.50" as "0.5": one form, whatever the store."""
    _, _, store, _ = loaded
    rows = store.run(f"SELECT ?c WHERE {{ ?d <{BASE}ontology#confidence> ?c }}", {}, 100_000).rows
    forms = {str(row[0]) for row in rows}
    assert "1" in forms and "1.0" not in forms, sorted(forms)[:5]
    assert all(not form.endswith("0") or form == "0" for form in forms if "." in form), sorted(forms)
    assert {str(row[0].datatype) for row in rows} == {"http://www.w3.org/2001/XMLSchema#decimal"}


def test_every_store_serves_the_corpus_as_its_one_named_graph(loaded):
    """`GRAPH` patterns answer alike everywhere: the corpus graph and nothing else (not a server's
    own graphs), and the same triples as the default graph."""
    _, _, store, count = loaded
    graphs = store.run("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {}, 100)
    assert [(str(g), int(n)) for g, n in graphs.rows] == [(str(store.corpus), count)]
    named = store.run(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{store.corpus}> {{ ?s ?p ?o }} }}", {}, 10)
    assert int(named.rows[0][0]) == count


def test_named_queries_answer_as_on_the_rdflib_baseline(loaded, built_dir, settings):
    _, _, store, _ = loaded
    baseline = open_store("memory", BASE, built_dir / "coopgraph.nt", built_dir / "store")
    for query in named_queries(settings.queries_dir).values():
        expected = baseline.run(query.text, {}, 100_000)
        found = store.run(query.text, {}, 100_000)
        assert found.variables == expected.variables, query.name
        assert as_values(found.rows) == as_values(expected.rows), query.name
        assert len(found.rows) > 0, query.name


def test_named_queries_with_their_parameters_answer_as_on_the_baseline(loaded, built_dir, settings):
    """Bound parameters restrict the answer the same way on every store (Virtuoso gets them inside WHERE)."""
    _, _, store, _ = loaded
    baseline = open_store("memory", BASE, built_dir / "coopgraph.nt", built_dir / "store")
    with_params = [q for q in named_queries(settings.queries_dir).values() if q.params]
    assert with_params
    for query in with_params:
        bindings = bind(query, query.examples)
        assert bindings, f"{query.name}: its parameters give no example"
        expected = baseline.run(query.text, bindings, 100_000)
        unbound = baseline.run(query.text, {}, 100_000)
        found = store.run(query.text, bindings, 100_000)
        assert 0 < len(expected.rows) < len(unbound.rows), f"{query.name}: the example should restrict the answer"
        assert as_values(found.rows) == as_values(expected.rows), query.name


def test_lineage_is_the_same_on_every_store(loaded, graph):
    _, _, store, _ = loaded
    expected = Lineage(graph)
    found = Lineage(store.graph())
    assert found.network.number_of_edges() == expected.network.number_of_edges()
    item = f"{BASE}doc/asp15-bureau-report-cooperation/annex/II/item/g"
    assert ([(s.node.iri, s.edge.type, s.edge.confidence) for s in found.trace(item, "up").steps]
            == [(s.node.iri, s.edge.type, s.edge.confidence) for s in expected.trace(item, "up").steps])
    earlier, later = f"{BASE}doc/ICC-ASP/14/Res.3", f"{BASE}doc/asp15-bureau-report-cooperation/annex/I"
    assert ([(r["status"], r["earlier"], r["later"]) for r in found.changes(earlier, later)]
            == [(r["status"], r["earlier"], r["later"]) for r in expected.changes(earlier, later)])


def test_the_store_graph_conforms_to_the_shapes(loaded, settings):
    _, _, store, _ = loaded
    report = validate_graph(store.graph(), load_shapes(settings.shapes_dir, BASE))
    assert report.conforms and report.counts["Info"] == 1, [(f.focus, f.message, f.value) for f in report.findings[:3]]


def test_serve_answers_from_the_store(loaded, built_dir):
    kind, spec, _, count = loaded
    server = RunningServer(built_dir, env={"COOPGRAPH_STORE": spec})
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            answer = http.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "format": "json"})
            assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) == count, kind
            trace = http.get("/lineage", params={"ref": "asp15-bureau-report-cooperation annex II (g)"}).json()
            # the draft, the 2015 and 2009 paragraphs by their words, then the 2007 proposal by its subject
            assert [s["edge"]["type"] for s in trace["steps"]] == ["restates", "amends", "amends", "buildsOn"]
            page = http.get("/doc/ICC-ASP/14/Res.3/para/24", headers={"Accept": "application/ld+json"})
            assert page.status_code == 200 and "66 recommendations" in page.text
    finally:
        server.stop()


def test_several_server_processes_share_one_oxigraph_store(built_dir):
    """`serve --workers 3`: three stateless server processes on one port, all reading one store."""
    server = RunningServer(built_dir, env={"COOPGRAPH_WORKERS": "3"})
    try:
        children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split()
        servers = [c for c in children if "coopgraph" in Path(f"/proc/{c}/cmdline").read_text(errors="replace")
                   or "spawn" in Path(f"/proc/{c}/cmdline").read_text(errors="replace")]
        assert len(servers) >= 3, children
        with httpx.Client(base_url=server.url, timeout=30) as http:
            from concurrent.futures import ThreadPoolExecutor

            def count(_: int) -> int:
                answer = http.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "format": "json"})
                assert answer.status_code == 200, answer.text
                return int(answer.json()["results"]["bindings"][0]["n"]["value"])

            with ThreadPoolExecutor(12) as pool:
                counts = set(pool.map(count, range(36)))
            assert counts == {triples_in(built_dir / "coopgraph.nt")}
            assert http.get("/doc/ICC-ASP/14/Res.3/para/24").status_code == 200
    finally:
        server.stop()
    assert server.process.returncode is not None


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_a_killed_load_leaves_the_previous_graph_queryable(kind, built_dir, tmp_path, request):
    spec = spec_for(kind, tmp_path, request)
    store = open_store(spec, BASE, built_dir / "coopgraph.nt", tmp_path / "store")
    before = store.load(built_dir / "coopgraph.nt")
    big = tmp_path / "big.nt"
    write_synthetic(big, BASE, 600_000 if kind == "oxigraph" else 60_000)
    loading = subprocess.Popen([sys.executable, "-m", "coopgraph.cli", "--root", str(ROOT), "--store", spec, "load", str(big)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5 if kind == "oxigraph" else 2.0)
    assert loading.poll() is None, "the load finished before it could be killed; make the file bigger"
    loading.send_signal(signal.SIGKILL)
    loading.wait(30)
    fresh = open_store(spec, BASE, built_dir / "coopgraph.nt", tmp_path / "store")
    rows = fresh.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {}, 10).rows
    assert int(rows[0][0]) == before
    # ... and the next load still works, replacing the graph whole.
    assert fresh.load(built_dir / "coopgraph.nt") == before


def test_bad_store_specs_and_empty_stores_are_clear_errors(tmp_path):
    for spec in ("mongodb:x", "sparql:ftp://x", "memory:x", ""):
        with pytest.raises(StoreError, match="unknown store"):
            parse_spec(spec, tmp_path)
    empty = open_store(f"oxigraph:{tmp_path / 'none'}", BASE, tmp_path / "none.nt", tmp_path)
    assert not empty.is_loaded()
    with pytest.raises(StoreError, match="holds no graph"):
        empty.graph()


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_answers_are_kept_per_build_and_a_rebuild_changes_them(kind, built_dir, tmp_path):
    """Named-query answers carry an ETag, a repeat is served from the cache (or 304 with the ETag),
    and loading another graph into the store changes both the answer and the ETag."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "coopgraph.nt").write_bytes((built_dir / "coopgraph.nt").read_bytes())
    spec = "memory" if kind == "memory" else f"oxigraph:{out / 'store'}"
    env = {"COOPGRAPH_STORE": spec}
    if kind == "oxigraph":
        open_store(spec, BASE, out / "coopgraph.nt", out / "store").load(out / "coopgraph.nt")
    running = RunningServer(out, env=env)
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    try:
        with httpx.Client(base_url=running.url, timeout=30) as http:
            first = http.get("/sparql", params={"query": query, "format": "json"})
            second = http.get("/sparql", params={"query": query, "format": "json"})  # asked twice: now kept
            again = http.get("/sparql", params={"query": query, "format": "json"})
            assert first.status_code == second.status_code == again.status_code == 200
            etag = first.headers["etag"]
            assert second.headers["etag"] == again.headers["etag"] == etag and again.content == first.content
            assert float(again.headers["x-query-seconds"]) == float(second.headers["x-query-seconds"])  # the kept answer
            not_modified = http.get("/sparql", params={"query": query, "format": "json"}, headers={"If-None-Match": etag})
            assert not_modified.status_code == 304 and not not_modified.content
            count = int(first.json()["results"]["bindings"][0]["n"]["value"])

            smaller = tmp_path / "smaller.nt"
            lines = (built_dir / "coopgraph.nt").read_text(encoding="utf-8").splitlines(keepends=True)
            smaller.write_text("".join(lines[:-100]), encoding="utf-8")
            if kind == "oxigraph":
                open_store(spec, BASE, out / "coopgraph.nt", out / "store").load(smaller)
            else:
                (out / "coopgraph.nt").write_bytes(smaller.read_bytes())
            time.sleep(1.2)  # the server looks for a new build at most once a second
            http.get("/queries")
            after = http.get("/sparql", params={"query": query, "format": "json"}, headers={"If-None-Match": etag})
            assert after.status_code == 200, "a rebuilt graph must not be answered with 304"
            assert after.headers["etag"] != etag
            assert int(after.json()["results"]["bindings"][0]["n"]["value"]) == count - 100
    finally:
        running.stop()


def test_virtuoso_extensions_are_refused_and_the_graph_stays(built_dir, tmp_path, request):
    """On a real Virtuoso: DEFINE get:soft "replace" with get:uri made a SELECT replace the corpus with
    a fetched file, and bif:http_get fetched a URL. Through coopgraph both are refused before they
    reach the server: the graph keeps its triples and a loopback listener receives nothing. Sent to
    Virtuoso directly (not through coopgraph), bif:http_get does call the listener: the case is real."""
    from coopgraph.errors import QueryError
    from coopgraph.sparql.check import run
    from tests.test_sparql_lexer import Refuser

    spec = spec_for("virtuoso", tmp_path, request)
    store = open_store(spec, BASE, built_dir / "coopgraph.nt", tmp_path / "store")
    before = store.load(built_dir / "coopgraph.nt")
    listener = Refuser()
    try:
        corpus = f"{BASE}graph/corpus"
        attacks = [
            f'DEFINE get:soft "replace" DEFINE get:uri "{listener.url}" SELECT * FROM <{corpus}> WHERE {{ ?s ?p ?o }} LIMIT 1',
            f'SELECT (bif:http_get("{listener.url}") AS ?b) {{ }}',
            'SELECT (bif:sys_stat("st_dbms_ver") AS ?v) { }',
            f'SELECT (<bif:http_get>("{listener.url}") AS ?b) {{ }}',
            f'SELECT * WHERE {{\n FILTER(1<2#>"""\n ) BIND(bif:http_get("{listener.url}") AS ?b)\n #"""\n}}',
        ]
        for query in attacks:
            with pytest.raises(QueryError, match="not accepted"):
                run(store, query)
        time.sleep(0.3)
        assert listener.count == 0
        rows = store.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {}, 10).rows
        assert int(rows[0][0]) == before
        url = request.getfixturevalue("virtuoso").sparql_url
        httpx.post(url, data={"query": f'SELECT (bif:http_get("{listener.url}") AS ?b) {{ }}'}, timeout=30)
        time.sleep(0.3)
        assert listener.count > 0, "Virtuoso did not call out even when asked directly: the test proves nothing"
    finally:
        listener.close()


def test_a_read_only_virtuoso_holds_even_against_what_a_check_would_miss(built_dir, tmp_path):
    """The layer under the check: served through a user without SPARQL_UPDATE and SPARQL_SPONGE, a
    DEFINE get:soft "replace" sent to Virtuoso itself (as a query that slipped past the check would
    be) is refused by the server, the corpus keeps its triples, and `serve` gives no warning."""
    import http.server
    import socketserver
    import threading

    from tests.conftest import RunningServer

    with LocalVirtuoso(tmp_path / "virtuoso") as virtuoso:
        spec = f"sparql:{virtuoso.sparql_url}"
        store = open_store(spec, BASE, built_dir / "coopgraph.nt", tmp_path / "store")
        before = store.load(built_dir / "coopgraph.nt")
        assert store.writable_by_queries()
        virtuoso.read_only()
        assert not store.writable_by_queries()
        folder = tmp_path / "evil"
        folder.mkdir()
        (folder / "evil.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")

        class Files(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(folder), **kwargs)

            def log_message(self, *args):
                pass

        with socketserver.TCPServer(("127.0.0.1", 0), Files) as files:
            threading.Thread(target=files.serve_forever, daemon=True).start()
            url = f"http://127.0.0.1:{files.server_address[1]}/evil.ttl"
            attack = (f'DEFINE get:soft "replace" DEFINE get:uri "{url}" SELECT * FROM <{BASE}graph/corpus> '
                      "WHERE { ?s ?p ?o } LIMIT 1")
            refused = httpx.post(virtuoso.sparql_url, data={"query": attack}, timeout=30)
            files.shutdown()
        assert refused.status_code >= 400 and "permission" in refused.text.lower()
        rows = store.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {}, 10).rows
        assert int(rows[0][0]) == before
        server = RunningServer(built_dir, env={"COOPGRAPH_STORE": spec, "COOPGRAPH_CLIENT_BUDGET": "0"})
        try:
            assert "WARNING" not in server.log.read_text()
        finally:
            server.stop()
