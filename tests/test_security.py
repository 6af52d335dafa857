"""Attacks on the server and on the commands, each with the finding it holds (docs/reliability.md).

Every test here was written against an attack that worked: outbound connections through SERVICE
hidden from the check, a frozen event loop, exhausted connections, budgets sidestepped, remote
JSON-LD contexts, script in links, oversized bodies, runaway memory, orphaned workers, damaging
loads and protocol slips. Servers run on 127.0.0.1 only.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from xml.dom import minidom

import httpx
import pytest

from tests.conftest import ROOT, RunningServer, cli, serving
from tests.reliability import record
from tests.support.listener import Listener
from tests.support.processes import tree_rss_mb

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HTML = {"Accept": "text/html"}


def service_variants(url: str) -> dict[str, str]:
    """SERVICE hidden from one reading of the query or another: line ends, escapes, comments."""
    service = f"SERVICE <{url}> {{ ?x ?p ?o }}"
    return {
        "CR ends the comment": f"SELECT ?x WHERE {{ # c \r {service} \n }}",
        "CR LF": f"SELECT ?x WHERE {{ # c \r\n {service} }}",
        "CR at the end": f"SELECT ?x WHERE {{ {service} }} # \r",
        "escaped quote ends a string early": 'SELECT * WHERE { BIND("\\u0022 # " AS ?x) ' + service + " } # \\u000A AS ?x) }",
        "escaped CR": f"SELECT ?x WHERE {{ # c \\u000D {service} \n }}",
        "escaped LF": f"SELECT ?x WHERE {{ # c \\u000A {service} \n }}",
        "escaped keyword": f"SELECT ?x WHERE {{ \\u0053ERVICE <{url}> {{ ?x ?p ?o }} }}",
        "8-digit escape": f"SELECT ?x WHERE {{ # c \\U0000000D {service} \n }}",
        "escape spelling an escape": 'SELECT * WHERE { BIND("\\u005Cu0022 # " AS ?x) ' + service + " }",
        "U+2028 line separator": f"SELECT ?x WHERE {{ # c \u2028 {service} \n }}",
        "U+0085 next line": f"SELECT ?x WHERE {{ # c \u0085 {service} \n }}",
        "form feed": f"SELECT ?x WHERE {{ # c \x0c {service} \n }}",
        "vertical tab": f"SELECT ?x WHERE {{ # c \x0b {service} \n }}",
        "lower case": f"select ?x where {{ service <{url}> {{ ?x ?p ?o }} }}",
        "SILENT": f"SELECT ?x WHERE {{ SERVICE SILENT <{url}> {{ ?x ?p ?o }} }}",
        "in a sub-select": f"SELECT ?x WHERE {{ {{ SELECT ?x WHERE {{ {service} }} }} }}",
        "long string hides nothing": f"SELECT ?x WHERE {{ BIND('''a\rb''' AS ?y) {service} }}",
        "IRI with a hash": f"PREFIX e: <http://e.org/ns#> SELECT ?x WHERE {{ {service} }}",
        "less-than then hash": f"SELECT ?x WHERE {{ FILTER(1<2#>\r) {service} }}",
        # the check read `<2#>` as an IRI and `"""..."""` as a string; the engine reads less-than,
        # a comment to the end of the line, then SERVICE (found with the engine, not guessed)
        "less-than read as an IRI, then a long string": 'SELECT * WHERE {\n FILTER(1<2#>"""\n ) ' + service + '\n #"""\n}',
        "less-than read as an IRI, then a quote": "SELECT * WHERE {\n BIND(1 AS ?x) FILTER(STR(?x)<'>\"\"\"' ) " + service + ' #"""\n}',
    }


@pytest.fixture(scope="module")
def guarded(built_dir):
    yield from serving(built_dir, query_timeout="3", client_budget="0", query_workers="2", max_connections="40",
                       header_timeout="1.5", query_memory="1024")


# -- 1. SERVICE: the check reads as the engine does, and the OS holds when it does not -------------

def test_service_hidden_from_the_check_never_connects(guarded):
    with Listener() as listener, httpx.Client(base_url=guarded.url, timeout=20) as http:
        statuses = {}
        for name, query in service_variants(listener.url).items():
            for method in ("GET", "form", "direct"):
                if method == "GET":
                    answer = http.get("/sparql", params={"query": query, "format": "json"})
                elif method == "form":
                    answer = http.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
                else:
                    answer = http.post("/sparql", content=query.encode(),
                                       headers={"Content-Type": "application/sparql-query", "Accept": "application/json"})
                statuses[f"{name} ({method})"] = answer.status_code
                # refused, or (when SERVICE sits in a comment for both readers) answered without it
                assert answer.status_code in {200, 400, 403}, (name, method, answer.text)
        time.sleep(0.5)
        assert listener.connections == [], f"a query reached the listener: {listener.connections}"
    assert statuses["CR ends the comment (GET)"] == 403
    assert statuses["escaped keyword (direct)"] == 403
    record("SERVICE hidden from the check", {"variants": len(statuses), "connections": 0})


def test_service_hidden_from_the_check_never_connects_from_the_command_line(built_dir):
    with Listener() as listener:
        for name, query in list(service_variants(listener.url).items())[:6]:
            done = cli("--out", str(built_dir), "query", query, "--format", "json")
            assert done.returncode in {0, 2}, (name, done.stderr)
            assert "Traceback" not in done.stderr
        time.sleep(0.3)
        assert listener.connections == []


WORKER_PROBE = textwrap.dedent("""
    import multiprocessing, sys
    from pathlib import Path
    from coopgraph.sparql import sandbox
    from coopgraph.sparql.check import CheckedQuery
    from coopgraph.sparql import pool as sparql
    from coopgraph.web.errors import status_of

    # the check fails on purpose: every query passes it, SERVICE included
    sparql.check = lambda text, own, **_: CheckedQuery(text, "SelectQuery")
    if sys.argv[3] == "without-sandbox":
        sandbox.isolate_network = lambda: None
    out = Path(sys.argv[1])
    parent, child = multiprocessing.Pipe()
    worker = multiprocessing.get_context("fork").Process(target=sparql._worker, args=(
        child, f"oxigraph:{out / 'store'}", "https://w3id.org/coopgraph/", str(out / "coopgraph.nt"), str(out / "store"),
        sparql.QueryLimits(timeout=5), {"https://w3id.org/coopgraph/graph/corpus"}, status_of), daemon=True)
    worker.start()
    print(parent.recv())
    parent.send((f"SELECT * WHERE {{ SERVICE <{sys.argv[2]}> {{ ?s ?p ?o }} }}", {}, (), "application/json", None))
    answer = sparql.Answer(*parent.recv()) if parent.poll(5) else None
    print((answer.status, answer.body[:300]) if answer else "no answer")
    worker.kill()
    worker.join(5)
""")


@pytest.mark.parametrize("mode", ["with-sandbox", "without-sandbox"])
def test_a_worker_cannot_connect_even_when_the_check_is_wrong(built_dir, mode):
    """Oxigraph's own HTTP client against a local listener: with the sandbox, no connection; the
    run without it shows that the probe would see one."""
    with Listener() as listener:
        done = subprocess.run([sys.executable, "-c", WORKER_PROBE, str(built_dir), listener.url + "sparql", mode],
                              capture_output=True, text=True, timeout=60, cwd=ROOT)
        time.sleep(0.3)
        assert done.returncode == 0, done.stderr
        if mode == "with-sandbox":
            assert "'isolated'" in done.stdout, done.stdout
            assert listener.connections == [], done.stdout
            # the sandbox's refusal in plain words: no exception class, no errno of this machine
            assert "tried to reach the network" in done.stdout and "403" in done.stdout, done.stdout
            assert "OSError" not in done.stdout and "os error" not in done.stdout.lower(), done.stdout
        else:
            assert listener.connections, "the probe saw no connection even without the sandbox: it proves nothing"


def test_the_service_description_says_whether_workers_are_isolated(guarded):
    with httpx.Client(base_url=guarded.url, timeout=20) as http:
        http.get("/sparql", params={"query": "ASK {}"})  # a worker has started and reported
        description = http.get("/sparql", headers={"Accept": "text/turtle"}).text
    assert "Query workers run without any network" in description
    assert "run without network" in guarded.log.read_text()


# -- 2. nothing slow on the event loop -------------------------------------------------------------

def test_pages_answer_while_a_slow_post_query_runs(guarded):
    slow = threading.Thread(target=lambda: httpx.post(guarded.url + "/sparql", data={"query": f"{SLOW} # post"},
                                                      timeout=30))
    slow.start()
    time.sleep(0.4)
    started = time.monotonic()
    page = httpx.get(guarded.url + "/", headers=HTML, timeout=30)
    waited = time.monotonic() - started
    slow.join(30)
    assert page.status_code == 200
    assert waited < 1.0, f"the home page waited {waited:.2f} s behind a POSTed query"
    record("slow POST beside a page", {"page_ms": round(waited * 1000, 1)})


# -- 3. connections ----------------------------------------------------------------------------------

def test_connections_that_never_finish_their_headers_are_closed(guarded):
    slow = []
    for _ in range(60):  # more than the cap of 40
        sock = socket.create_connection(("127.0.0.1", guarded.port), timeout=5)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # and never the rest
        slow.append(sock)
    time.sleep(1.5 + 1.5)  # the header timeout, and some
    closed = 0
    for sock in slow:
        sock.settimeout(2)
        try:
            closed += sock.recv(1024) == b""
        except (ConnectionResetError, TimeoutError, OSError) as exc:
            closed += not isinstance(exc, TimeoutError)
        sock.close()
    answer = httpx.get(guarded.url + "/queries", timeout=10)
    assert answer.status_code == 200
    assert closed == len(slow), f"{len(slow) - closed} of {len(slow)} half-open connections were kept"
    log = guarded.log.read_text()
    assert "Traceback" not in log and len(log) < 2_000_000
    record("half-open connections", {"opened": len(slow), "closed by the server": closed})


# -- 4. fairness: identity by address, turns, and the budget ------------------------------------------

@pytest.fixture(scope="module")
def budgeted(built_dir):
    yield from serving(built_dir, query_timeout="1", client_budget="2", query_workers="2")


@pytest.mark.parametrize("rotate", ["User-Agent", "X-Forwarded-For"])
def test_rotating_what_a_client_says_of_itself_still_meets_the_budget(budgeted, rotate):
    statuses = []
    with httpx.Client(base_url=budgeted.url, timeout=30) as http:
        for n in range(8):
            headers = {"User-Agent": f"crawler/{n}"} if rotate == "User-Agent" else {"X-Forwarded-For": f"198.51.100.{n}"}
            answer = http.get("/sparql", params={"query": f"{SLOW} # {rotate} {n}", "format": "json"}, headers=headers)
            statuses.append(answer.status_code)
    assert 429 in statuses, statuses
    record(f"budget with a new {rotate} per request", {"statuses": statuses})
    time.sleep(4)  # let the budget refill for the next test


def test_parallel_queries_from_one_client_are_not_all_admitted(budgeted):
    statuses: list[int] = []

    def ask(n: int) -> None:
        statuses.append(httpx.get(budgeted.url + "/sparql", params={"query": f"{SLOW} # parallel {n}", "format": "json"},
                                  timeout=60).status_code)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses.count(429) >= 3, statuses
    time.sleep(4)


@pytest.fixture(scope="module")
def stormed(built_dir):
    yield from serving(built_dir, query_timeout="1", client_budget="0", query_workers="2")


def test_a_light_client_is_answered_during_another_clients_storm(stormed):
    """9 heavy queries in flight from 127.0.0.1; an ASK from 127.0.1.2 (another network) waits for no more than one."""
    storm = [threading.Thread(target=lambda n=n: httpx.get(stormed.url + "/sparql", timeout=60,
                                                           params={"query": f"{SLOW} # storm {n}", "format": "json"}))
             for n in range(9)]
    for thread in storm:
        thread.start()
    time.sleep(0.5)
    waits = []
    with httpx.Client(base_url=stormed.url, timeout=30, transport=httpx.HTTPTransport(local_address="127.0.1.2")) as light:
        for n in range(8):
            started = time.monotonic()
            answer = light.get("/sparql", params={"query": f"ASK {{ ?s ?p ?o }} # light {n}", "format": "json"})
            waits.append(time.monotonic() - started)
            assert answer.status_code == 200, answer.text
            time.sleep(0.2)
    for thread in storm:
        thread.join(60)
    waits.sort()
    assert waits[-1] < 2.0 and waits[len(waits) // 2] < 0.5, waits
    record("light client during a storm", {"heavy in flight": 9, "light p50_ms": round(waits[len(waits) // 2] * 1000, 1),
                                           "light max_ms": round(waits[-1] * 1000, 1)})


def test_a_flood_of_queries_from_one_client_leaves_pages_their_threads(stormed):
    """Each waiting query holds a server thread; 60 at once must not take them all."""
    statuses: list[int] = []
    refused_at_once: list[str] = []

    def ask(n: int) -> None:
        try:
            answer = httpx.get(stormed.url + "/sparql", params={"query": f"{SLOW} # flood {n}", "format": "json"}, timeout=90)
        except httpx.HTTPError:
            statuses.append(0)
            return
        statuses.append(answer.status_code)
        if "too many queries are waiting" in answer.text:
            refused_at_once.append(answer.text)

    flood = [threading.Thread(target=ask, args=(n,)) for n in range(60)]
    for thread in flood:
        thread.start()
    time.sleep(1.0)
    started = time.monotonic()
    page = httpx.get(stormed.url + "/doc/ICC-ASP/14/Res.3", headers=HTML, timeout=30)
    waited = time.monotonic() - started
    for thread in flood:
        thread.join(90)
    assert page.status_code == 200 and waited < 1.0, f"a page waited {waited:.2f} s during the flood"
    assert len(refused_at_once) >= 40 and 0 not in statuses, statuses  # at most 16 wait and 1 runs
    record("flood of 60 queries from one client", {"page_ms": round(waited * 1000, 1),
                                                   "refused at once (503)": len(refused_at_once)})


@pytest.fixture()
def idle_stormed(built_dir):
    """A server of its own: what an earlier test left waiting in the queue is not in the way."""
    yield from serving(built_dir, query_timeout="1", client_budget="0", query_workers="2")


def test_a_new_address_is_answered_while_eight_addresses_fill_the_queue(idle_stormed):
    """From 8 addresses, an uncached ASK from another address got 503 in 97 of 98 tries: the
    attackers held every place in the queue. Addresses of one /24 are now one client (127.0.0.10 to
    .17 would have one line and one worker); here the harder case, 8 networks, each with 6 queries in
    parallel. A share of the queue is kept for clients with nothing waiting, turns go round the
    clients, and a newcomer comes first: it is answered, each time within 2 s. (It once waited 28 s:
    the attackers whose queries had just ended went ahead of it, see test_fairness.py. In CI it once
    waited 4.3 s: its ASK met a fresh worker, whose first query cost 0.15 s or more, and it was taken
    for a heavy client; see test_query_pool.py.)"""
    stop = threading.Event()
    attack_statuses: list[int] = []
    turned_away: list[str] = []

    def attacker(address: str, lane: int) -> None:
        with httpx.Client(base_url=idle_stormed.url, timeout=60, transport=httpx.HTTPTransport(local_address=address)) as http:
            n = 0
            while not stop.is_set():
                n += 1
                try:
                    answer = http.get("/sparql", params={"query": f"{SLOW} # {address} {lane} {n}", "format": "json"})
                    attack_statuses.append(answer.status_code)
                    if "too many queries are waiting" in answer.text:
                        turned_away.append(address)
                        time.sleep(0.2)  # a refused lane tries again soon, without taking the CPU from the server
                except httpx.HTTPError:
                    attack_statuses.append(0)

    # the server as an attack finds it: its workers started (before that, whoever came first waits first)
    assert httpx.get(idle_stormed.url + "/sparql", params={"query": "ASK {}", "format": "json"}, timeout=60).status_code == 200
    attackers = [threading.Thread(target=attacker, args=(f"127.0.{10 + a}.1", lane), daemon=True)
                 for a in range(8) for lane in range(6)]
    for thread in attackers:
        thread.start()
    time.sleep(5)  # each network has had its turn: the attack as a newcomer meets it, under way
    waits: list[float] = []
    statuses: list[int] = []
    try:
        with httpx.Client(base_url=idle_stormed.url, timeout=30,
                          transport=httpx.HTTPTransport(local_address="127.0.40.1")) as newcomer:
            for n in range(10):
                started = time.monotonic()
                answer = newcomer.get("/sparql", params={"query": f"ASK {{ ?s ?p ?o }} # newcomer {n} {time.time()}",
                                                         "format": "json"})
                waits.append(time.monotonic() - started)
                statuses.append(answer.status_code)
                time.sleep(0.3)
    finally:
        stop.set()
        for thread in attackers:
            thread.join(60)
    assert turned_away, "the attack never filled the queue, so it proves nothing"
    assert statuses == [200] * 10, statuses
    waits.sort()
    assert waits[-1] < 2.0, waits
    record("a new address while eight fill the queue", {
        "attack requests": len(attack_statuses), "attack turned away (queue full)": len(turned_away),
        "newcomer answered": f"{statuses.count(200)}/10", "newcomer p50_ms": round(waits[len(waits) // 2] * 1000, 1),
        "newcomer max_ms": round(waits[-1] * 1000, 1)})


# -- 5. JSON-LD contexts are never fetched, at any depth ------------------------------------------------

@pytest.mark.parametrize("where", ["top", "term-scoped", "type-scoped", "import", "file"])
def test_validate_never_fetches_a_jsonld_context(tmp_path, built_dir, where):
    with Listener() as listener:
        remote = listener.url + "context.jsonld"
        term = {"ex": "http://example.org/", "knows": {"@id": "ex:knows", "@context": remote}}
        documents = {
            "top": {"@context": remote, "@id": "http://example.org/a"},
            "term-scoped": {"@context": term, "@id": "ex:a", "knows": {"@id": "ex:b", "ex:name": "b"}},
            "type-scoped": {"@context": {"ex": "http://example.org/", "T": {"@id": "ex:T", "@context": remote}},
                            "@id": "ex:a", "@type": "T", "ex:name": "a"},
            "import": {"@context": {"@version": 1.1, "@import": remote}, "@id": "http://example.org/a"},
            "file": {"@context": {"ex": "http://example.org/", "T": {"@id": "ex:T", "@context": "file:///etc/passwd"}},
                     "@id": "ex:a", "@type": "T", "ex:name": "a"},
        }
        path = tmp_path / f"{where}.jsonld"
        import json

        path.write_text(json.dumps(documents[where]), encoding="utf-8")
        started = time.monotonic()
        done = cli("--out", str(built_dir), "validate", str(path))
        assert done.returncode == 2, done.stdout + done.stderr
        assert "not fetched" in done.stderr and "Traceback" not in done.stderr
        assert time.monotonic() - started < 30
        time.sleep(0.2)
        assert listener.connections == []


def test_validate_refuses_deeply_nested_json(tmp_path, built_dir):
    path = tmp_path / "deep.jsonld"
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    done = cli("--out", str(built_dir), "validate", str(path))
    assert done.returncode == 2 and "nested too deeply" in done.stderr and "Traceback" not in done.stderr


# -- 6. pages: links, headers, bodies, memory ----------------------------------------------------------

def test_a_javascript_iri_in_results_is_never_a_link(guarded):
    query = 'SELECT ?x WHERE { BIND(IRI("javascript:alert(document.domain)") AS ?x) }'
    page = httpx.get(guarded.url + "/sparql", params={"query": query}, headers=HTML, timeout=20)
    assert page.status_code == 200 and "javascript:alert" in page.text
    assert 'href="javascript:' not in page.text.lower()


def test_a_javascript_iri_in_a_loaded_archive_is_never_a_link(built_dir, tmp_path):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(built_dir, out, ignore=shutil.ignore_patterns("serve-*.log"))
    archive = tmp_path / "archive.nt"
    archive.write_text((built_dir / "coopgraph.nt").read_text(encoding="utf-8") +
                       "<https://w3id.org/coopgraph/doc/ICC-ASP/14/Res.3> <http://purl.org/dc/terms/source> "
                       "<javascript:alert(1)> .\n", encoding="utf-8")
    assert cli("--out", str(out), "load", str(archive)).returncode == 0
    server = RunningServer(out)
    try:
        page = httpx.get(server.url + "/doc/ICC-ASP/14/Res.3", headers=HTML, timeout=20)
    finally:
        server.stop()
    assert page.status_code == 200 and "javascript:alert(1)" in page.text
    assert 'href="javascript:' not in page.text.lower()


def test_html_pages_carry_the_security_headers(guarded):
    for path in ("/", "/doc/ICC-ASP/14/Res.3", "/docs", "/search?q=arrest"):
        answer = httpx.get(guarded.url + path, headers=HTML, timeout=20)
        assert answer.status_code == 200, path
        policy = answer.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert answer.headers.get("x-content-type-options") == "nosniff", path
        assert "<script>" not in answer.text, f"{path} has an inline script the policy would block"


def test_docs_need_no_network(guarded):
    page = httpx.get(guarded.url + "/docs", timeout=20).text
    sources = [part.split('"')[1] for part in page.split("src=")[1:]] + [part.split('"')[1] for part in page.split("href=")[1:]]
    assert sources and all(source.startswith("/") for source in sources), sources
    for source in sources:
        assert httpx.get(guarded.url + source, timeout=20).status_code == 200, source


def raw_request(port: int, head: bytes, body: bytes, wait: float = 10) -> bytes:
    sock = socket.create_connection(("127.0.0.1", port), timeout=wait)
    try:
        sock.sendall(head + body)
        sock.settimeout(wait)
        return sock.recv(4096)
    except TimeoutError:
        return b""
    finally:
        sock.close()


def test_an_oversized_body_is_refused_before_it_is_read(guarded):
    started = time.monotonic()
    head = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100000000\r\n\r\n")
    answer = raw_request(guarded.port, head, b"x" * 65536)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    chunked = b"".join(b"%x\r\n" % 65536 + b"y" * 65536 + b"\r\n" for _ in range(20))  # 1.3 MB, never finished
    head = b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n"
    answer = raw_request(guarded.port, head, chunked)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    record("oversized bodies", {"declared 100 MB": 413, "chunked past 1 MB": 413,
                                "seconds": round(time.monotonic() - started, 2)})


def test_a_query_over_the_memory_limit_gets_503_and_the_worker_is_replaced(guarded):
    binds = 'BIND("' + "x" * 1024 + '" AS ?a0) ' + " ".join(f"BIND(CONCAT(?a{n}, ?a{n}) AS ?a{n + 1})" for n in range(22))
    query = f"SELECT (STRLEN(?a22) AS ?n) WHERE {{ {binds} }}"  # 4 GB by doubling
    answer = httpx.get(guarded.url + "/sparql", params={"query": query, "format": "json"}, timeout=30)
    assert answer.status_code == 503, answer.text
    assert "memory" in answer.text
    after = httpx.get(guarded.url + "/sparql", params={"query": "ASK { ?s ?p ?o } # after", "format": "json"}, timeout=30)
    assert after.status_code == 200
    record("worker memory limit", {"limit_mb": 1024, "doubling query": 503, "next query": 200})


def test_xml_results_stay_well_formed(guarded):
    query = 'SELECT ?x WHERE { BIND("bell\\u0007 and ok" AS ?x) }'
    answer = httpx.get(guarded.url + "/sparql", params={"query": query, "format": "xml"}, timeout=20)
    if answer.status_code == 200:
        minidom.parseString(answer.content)
    else:
        assert answer.status_code == 406 and "XML 1.0" in answer.text
    fine = httpx.get(guarded.url + "/sparql", params={"query": 'SELECT ?x WHERE { BIND("a < b & c" AS ?x) }', "format": "xml"},
                     timeout=20)
    assert fine.status_code == 200
    minidom.parseString(fine.content)


def test_search_never_nests_marks(guarded):
    page = httpx.get(guarded.url + "/search", params={"q": "strategies strategy strateg*"}, headers=HTML, timeout=20).text
    assert "<mark>" in page
    depth = 0
    for tag in re.findall(r"</?mark>", page):
        depth += 1 if tag == "<mark>" else -1
        assert depth in {0, 1}, "a mark inside a mark"


def test_the_host_header_is_never_echoed(guarded):
    evil = {"Host": "evil.example"}
    with httpx.Client(base_url=guarded.url, timeout=20, headers=evil) as http:
        for answer in (http.get("/queries/"), http.get("/sparql", headers={**evil, "Accept": "text/turtle"}),
                       http.get("/void", headers={**evil, "Accept": "text/turtle"})):
            assert "evil.example" not in answer.text and "evil.example" not in answer.headers.get("location", "")


# -- 7. workers die with the server ------------------------------------------------------------------

def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


@pytest.mark.parametrize("killed", ["the fork server", "the server"])
def test_query_workers_die_with_their_parents(built_dir, killed):
    server = RunningServer(built_dir, env={"COOPGRAPH_QUERY_WORKERS": "2", "COOPGRAPH_QUERY_TIMEOUT": "30"})
    try:
        assert httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=60).status_code == 200

        def long_query() -> None:
            try:
                httpx.get(server.url + "/sparql", params={"query": SLOW + " # orphan"}, timeout=60)
            except httpx.HTTPError:
                pass  # the server is killed under it

        busy = threading.Thread(target=long_query, daemon=True)
        busy.start()  # a worker in the middle of a long query
        time.sleep(1.0)
        family = descendants(server.process.pid)
        forkserver = [pid for pid in descendants(server.process.pid) - set().union(*(descendants(p) for p in family))
                      if "forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")]
        assert len(forkserver) == 1, family
        workers = descendants(forkserver[0])
        assert len(workers) >= 2
        os.kill(forkserver[0] if killed == "the fork server" else server.process.pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while alive(workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(workers), f"workers outlived {killed}"
    finally:
        if server.process.poll() is None:
            server.stop()
        else:
            server.log_handle.close()


# -- 8. loads that would damage the store -------------------------------------------------------------

def store_versions(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "store" / "versions").iterdir())


@pytest.mark.parametrize("kind", ["empty", "comments only", "fifo", "device", "huge literal"])
def test_a_load_that_cannot_be_a_graph_is_refused_and_changes_nothing(built_dir, tmp_path, kind):
    out = tmp_path / "out"
    import shutil

    shutil.copytree(built_dir, out, ignore=shutil.ignore_patterns("serve-*.log"))
    before = store_versions(out)
    source = tmp_path / "input.nt"
    if kind == "empty":
        source.write_text("")
    elif kind == "comments only":
        source.write_text("# nothing here\n\n")
    elif kind == "fifo":
        os.mkfifo(source)
    elif kind == "device":
        source = Path("/dev/zero")
    else:
        source.write_text('<http://a/s> <http://a/p> "' + "x" * 20_000_000 + '" .\n')
    done = cli("--out", str(out), "load", str(source))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "cannot load" in done.stderr
    assert store_versions(out) == before
    count = cli("--out", str(out), "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    assert count.returncode == 0 and int(count.stdout.split()[-1]) > 10_000


def test_a_killed_load_leaves_no_partial_version(built_dir, tmp_path):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(built_dir, out, ignore=shutil.ignore_patterns("serve-*.log"))
    big = tmp_path / "big.nt"
    with big.open("w", encoding="utf-8") as handle:
        for n in range(400_000):
            handle.write(f"<http://example.org/s{n}> <http://example.org/p> \"{n}\" .\n")
    before = store_versions(out)
    load = subprocess.Popen([sys.executable, "-m", "coopgraph.cli", "--root", str(ROOT), "--out", str(out), "load", str(big)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not any(name.startswith(".loading-") for name in store_versions(out)) and time.monotonic() < deadline:
        time.sleep(0.02)
    load.kill()
    load.wait(10)
    broken = tmp_path / "broken.nt"
    broken.write_text("<http://a> <http://b> .\n")  # the next load fails too: the killed one's leftovers go anyway
    done = cli("--out", str(out), "load", str(broken))
    assert done.returncode == 2, done.stderr
    assert store_versions(out) == before
    count = cli("--out", str(out), "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    assert count.returncode == 0 and int(count.stdout.split()[-1]) > 10_000


# -- 9. protocol --------------------------------------------------------------------------------------

def test_protocol_refusals_and_cors(guarded):
    with httpx.Client(base_url=guarded.url, timeout=20) as http:
        assert http.get("/sparql", params={"update": "DROP ALL"}).status_code == 400
        assert http.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D").status_code == 400
        assert http.post("/sparql", data={"query": ["ASK {}", "ASK {}"]}).status_code == 400
        preflight = http.options("/sparql", headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
                                                     "Access-Control-Request-Headers": "content-type"})
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "*"
        assert "POST" in preflight.headers["access-control-allow-methods"]
        assert "access-control-allow-credentials" not in preflight.headers
        for path in ("/sparql?query=ASK%7B%7D", "/queries", "/doc/ICC-ASP/14/Res.3?format=jsonld"):
            answer = http.get(path, headers={"Origin": "https://yasgui.example"})
            assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == "*", path


# -- '<' read as less-than by the engine and as an IRI by the old check (the two queries found) ------

LESS_THAN_SERVICE = 'SELECT * WHERE {{\n FILTER(1<2#>"""\n ) SERVICE <{url}> {{ ?s ?p ?o }}\n #"""\n}}'
LESS_THAN_FROM = 'SELECT (1<2#>"""\n AS ?x) FROM <{url}g>\n WHERE {{ ?s ?p ?o }} #"""'


def test_less_than_hiding_service_or_from_is_refused_everywhere(guarded, built_dir):
    """Both queries get 403 from the check over GET, form POST and direct POST and from `coopgraph
    query`; the listener receives nothing. Each fails on the lexer before other_readings."""
    with Listener() as listener, httpx.Client(base_url=guarded.url, timeout=20) as http:
        for template in (LESS_THAN_SERVICE, LESS_THAN_FROM):
            query = template.format(url=listener.url)
            for method in ("GET", "form", "direct"):
                if method == "GET":
                    answer = http.get("/sparql", params={"query": query})
                elif method == "form":
                    answer = http.post("/sparql", data={"query": query})
                else:
                    answer = http.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})
                assert answer.status_code == 403, (method, answer.status_code, answer.text)
                assert "OSError" not in answer.text and "os error" not in answer.text.lower()
            done = cli("--out", str(built_dir), "query", query, "--format", "json")
            assert done.returncode == 2 and ("SERVICE" in done.stderr or "FROM" in done.stderr), done.stderr
            assert "Traceback" not in done.stderr
        time.sleep(0.3)
        assert listener.connections == []
    record("'<' read as less-than hides SERVICE or FROM", {"queries": 2, "methods": 4, "connections": 0})


def test_an_evaluation_error_carries_no_exception_class_or_errno():
    from coopgraph.sparql.check import NETWORK_REFUSED, evaluation_error
    from coopgraph.web.errors import status_of

    reached = evaluation_error(OSError(101, "Network is unreachable (os error 101)"))
    assert (status_of(reached), str(reached)) == (403, NETWORK_REFUSED)
    odd = evaluation_error(ValueError("something odd (os error 22)"))
    status, words = status_of(odd), str(odd)
    assert status == 400 and "ValueError" not in words and "os error" not in words and "something odd" in words


def test_a_trailing_slash_never_redirects_to_another_host(guarded):
    """`GET //evil.example/` was redirected to `//evil.example`, which a browser reads as another host."""
    with httpx.Client(base_url=guarded.url, timeout=20, follow_redirects=False) as http:
        for path in ("//evil.example/", "///evil.example/x/", "/\\evil.example/", "//evil.example//"):
            answer = http.send(http.build_request("GET", httpx.URL(guarded.url, raw_path=path.encode())))
            assert answer.status_code == 308, (path, answer.status_code)
            location = answer.headers["location"]
            assert location.startswith("/") and not location.startswith("//") and "\\" not in location, (path, location)
        assert http.get("/queries/").headers["location"] == "/queries"
    record("open redirect by a trailing slash", {"paths": 4})


def test_long_references_are_refused_before_any_matching(guarded):
    """64 KB in /compare, a named query's IRI parameter or a /doc/ path cost 2-2.5 s of fuzzy
    matching each; now each is refused at once, and a light client is answered meanwhile."""
    from concurrent.futures import ThreadPoolExecutor

    long = "ICC-ASP/14/Res.3 para " + "9" * 64_000
    with httpx.Client(base_url=guarded.url, timeout=30) as http:
        started = time.perf_counter()
        answers = [http.get("/compare", params={"a": long, "b": "ICC-ASP/14/Res.3"}),
                   http.get("/queries/mandate-history", params={"mandate": long}, headers={"Accept": "application/json"}),
                   http.get("/doc/" + "x" * 60_000)]
        seconds = time.perf_counter() - started
        assert [a.status_code for a in answers] == [422, 400, 404] or all(400 <= a.status_code < 500 for a in answers), \
            [a.status_code for a in answers]
        assert seconds < 1.5, seconds

        def light() -> float:
            t = time.perf_counter()
            assert http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
            return time.perf_counter() - t

        with ThreadPoolExecutor(4) as pool:
            attacks = [pool.submit(http.get, "/compare", params={"a": long, "b": "ICC-ASP/8/Res.2"}) for _ in range(3)]
            latency = max(pool.submit(light).result() for _ in range(3))
            assert all(400 <= a.result().status_code < 500 for a in attacks)
        assert latency < 2.0, latency
    record("long references in /compare, named queries and /doc/ paths", {"seconds for three": round(seconds, 2),
                                                                          "light client max s": round(latency, 2)})


def test_no_exception_class_or_lone_surrogate_reaches_the_client(guarded):
    """"\\uD800" gave UnicodeEncodeError and a SPARQL 1.2 triple term TypeError in the answer."""
    with httpx.Client(base_url=guarded.url, timeout=20) as http:
        for query in ('SELECT ("\\uD800" AS ?x) {}', "SELECT * WHERE { BIND(<<( <http://a> <http://b> <http://c> )>> AS ?t) }"):
            answer = http.get("/sparql", params={"query": query})
            assert answer.status_code < 500, (query, answer.status_code)
            assert not re.search(r"\b\w+(Error|Exception)\b", answer.text), answer.text
    record("exception names in messages", {"queries": 2})


def test_nesting_hidden_behind_less_than_is_counted(guarded, built_dir):
    """50,000 brackets hidden from the old check as in the '<' attack killed a worker with SIGSEGV
    (the 503 blamed memory) and `coopgraph query` with exit 139 and no message."""
    query = 'SELECT * WHERE {\n FILTER(1<2#>"""\n ' + "(" * 50_000 + "1" + ")" * 50_000 + '\n #"""\n}'
    with httpx.Client(base_url=guarded.url, timeout=30) as http:
        answer = http.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})
        assert answer.status_code == 400 and "nested too deeply" in answer.text, (answer.status_code, answer.text[:200])
    done = cli("--out", str(built_dir), "query", query)
    assert done.returncode == 2 and "nested too deeply" in done.stderr
    record("nesting hidden behind '<'", {"levels": 50_000})


@pytest.mark.parametrize("flooding_from, flooders", [
    ("one address", ["127.0.0.2"]),
    ("five addresses of one network", ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6"])])
def test_one_address_flooding_half_open_sockets_leaves_room_for_others(guarded, flooding_from, flooders):
    """530 half-open sockets from one address left another client 8 of 180 answers: the cap was
    global. Now one network holds at most a quarter of the places (10 of 40 here); a client from
    another network is answered every time while the flood goes on. (With a quarter per address,
    four addresses of one /24 took every place again: a network is one client, as in the query turns.)"""
    stop = threading.Event()
    opened: list[socket.socket] = []
    waits: list[float] = []

    def flood() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            try:
                sock = socket.socket()
                sock.bind((flooders[n % len(flooders)], 0))
                sock.settimeout(2)
                sock.connect(("127.0.0.1", guarded.port))
                sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                opened.append(sock)
            except OSError:
                pass
            if len(opened) > 600:
                for old in opened[:300]:
                    old.close()
                del opened[:300]

    flooding = threading.Thread(target=flood, daemon=True)
    flooding.start()
    time.sleep(0.5)
    answered = 0
    try:
        with httpx.Client(base_url=guarded.url, timeout=10, transport=httpx.HTTPTransport(local_address="127.0.3.1")) as http:
            for _ in range(30):
                started = time.monotonic()
                try:
                    answered += http.get("/queries").status_code == 200
                except httpx.HTTPError:
                    pass
                waits.append(time.monotonic() - started)
    finally:
        stop.set()
        flooding.join(5)
        for sock in opened:
            sock.close()
    assert len(opened) > 50, "the flood opened too few sockets to prove anything"
    assert answered == 30, f"{answered} of 30 answered during the flood"
    assert max(waits) < 2.0, waits
    record(f"half-open sockets from {flooding_from}",
           {"flood sockets": len(opened), "other client answered": f"{answered}/30",
            "other client max_ms": round(max(waits) * 1000, 1)})


def test_an_answer_is_cut_at_its_byte_limit(guarded):
    """A REPLACE-amplified SELECT made a 300 MB answer, and eight unread ones took the server from
    208 MB to 2.5 GB. An answer is now cut at about 16 MB, with the note saying so, read from the
    engine row by row: the server never holds more than that per answer. Here 10,000 rows of four
    copies of two paragraphs (about 30 MB) in JSON, CSV and XML."""
    big = ('SELECT ?a ?b (CONCAT(?t, ?u, ?t, ?u, ?t, ?u, ?t, ?u) AS ?w) WHERE { '
           '?a <https://w3id.org/coopgraph/ontology#text> ?t . ?b <https://w3id.org/coopgraph/ontology#text> ?u }')
    with httpx.Client(base_url=guarded.url, timeout=60) as http:
        for fmt in ("json", "csv", "xml"):
            answer = http.get("/sparql", params={"query": big, "format": fmt})
            assert answer.status_code == 200, (fmt, answer.status_code, answer.text[:200])
            assert 8 << 20 < len(answer.content) <= 17 << 20, (fmt, len(answer.content))
            assert answer.headers.get("x-coopgraph-truncated") == "true", fmt
            if fmt != "csv":
                assert "larger than 16 MB" in answer.text[-2000:] + answer.text[:2000], fmt
    record("answers past the byte limit", {"limit MB": 16, "formats": 3})


def test_eight_unread_amplified_answers_leave_the_server_its_memory(guarded):
    """A REPLACE-amplified SELECT makes an answer of about 300 MB; eight of them asked for and never
    read took the server from 208 MB to 2.5 GB. Each answer now stops at its byte limit, and crosses
    from the worker to a file in pieces, sent to the client from there: the server holds a piece of
    each, not the answer, and a light client is answered within 2 s."""
    from urllib.parse import quote

    amplified = ('SELECT (REPLACE(?t, ".", CONCAT(STR(?t), STR(?t), STR(?t), STR(?t))) AS ?w) '
                 'WHERE { ?a <https://w3id.org/coopgraph/ontology#text> ?t }')  # about 190 MB
    before = tree_rss_mb(guarded.process.pid)
    sockets = []
    for n in range(8):
        sock = socket.create_connection(("127.0.0.1", guarded.port), timeout=5)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.sendall(f"GET /sparql?format=json&query={quote(amplified + f' # unread {n}')} HTTP/1.1\r\nHost: x\r\n\r\n"
                     .encode())
        sockets.append(sock)
    peak, waits = before, []
    try:
        with httpx.Client(base_url=guarded.url, timeout=30, transport=httpx.HTTPTransport(local_address="127.0.2.1")) as http:
            for n in range(12):
                started = time.monotonic()
                assert http.get("/sparql", params={"query": f"ASK {{ ?s ?p ?o }} # light {n}", "format": "json"}
                                ).status_code == 200
                waits.append(time.monotonic() - started)
                peak = max(peak, tree_rss_mb(guarded.process.pid))
                time.sleep(1.0)
    finally:
        for sock in sockets:
            sock.close()
    grown = peak - before
    # two workers evaluating and serialising, eight answers in files: about 70 MB here. Held whole at
    # their limit the answers grew the server by about 300 MB; before the limit, by 700 MB in these 12 s
    assert grown < 200, f"the server grew by {grown:.0f} MB for eight unread answers"
    assert max(waits) < 2.0, waits
    record("eight unread amplified answers", {"server and workers before_MB": round(before), "peak_MB": round(peak),
                                              "grown_MB": round(grown), "light max_ms": round(max(waits) * 1000, 1)})


def test_a_reader_that_never_reads_is_cut_off(guarded):
    """A client could ask for a large answer and never read it, holding the connection and the
    answer in the server for ever. Past its query's time limit (3 s here) and 30 s of sending, the
    connection is cut: the client gets only what the buffers held, not the whole answer."""
    big = ('SELECT ?a ?b (CONCAT(?t, ?u, ?t, ?u, ?t, ?u, ?t, ?u) AS ?w) WHERE { '
           '?a <https://w3id.org/coopgraph/ontology#text> ?t . ?b <https://w3id.org/coopgraph/ontology#text> ?u }')
    from urllib.parse import quote
    sock = socket.create_connection(("127.0.0.1", guarded.port), timeout=5)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.sendall(f"GET /sparql?format=json&query={quote(big)} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    time.sleep(3 + 30 + 3)  # the limit, the sending time, and some
    received = 0
    sock.settimeout(5)
    try:
        while chunk := sock.recv(1 << 16):
            received += len(chunk)
    except (ConnectionResetError, TimeoutError, OSError):
        pass
    sock.close()
    assert received < 8 << 20, f"{received} bytes: the whole answer was still there to read"
    with httpx.Client(base_url=guarded.url, timeout=10) as http:
        assert http.get("/queries").status_code == 200
    record("a reader that never reads", {"bytes it could still read": received})
