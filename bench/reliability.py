"""docs/reliability.md from one run: the reliability tests, then the load and soak runs.

    python bench/reliability.py [--soak 600] [--seconds 20] [--before REV]

Runs tests/test_hostile.py, test_hostile_input.py, test_faults.py, test_fairness.py and
test_security.py with COOPGRAPH_RELIABILITY_LOG set (each test records what it tried), then
bench/load.py, then bench/limits.py (the same load on the code before the protective limits and
now), and writes every figure with the date, the commit and the command that reproduces it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import commit as current_commit  # bench/report.py
from report import publish, sections

ROOT = Path(__file__).resolve().parents[1]
TESTS = ["tests/test_hostile.py", "tests/test_hostile_input.py", "tests/test_faults.py", "tests/test_fairness.py",
         "tests/test_security.py", "tests/test_sparql_lexer.py", "tests/test_stores.py", "tests/test_add.py"]

# Every attack found against the server and the commands: what must happen, and the test that holds it.
ATTACKS = [
    ("SERVICE hidden from the check by a CR, escapes (\\u0022, \\u000D, \\u0053ERVICE, an escape spelling an escape), "
     "U+2028, U+0085, form feed, vertical tab; GET, form POST, direct POST",
     "refused (403/400) or answered with SERVICE in a comment for both readers; a local listener sees no connection",
     "SERVICE hidden from the check", "test_security.py::test_service_hidden_from_the_check_never_connects"),
    ("the same through `coopgraph query`", "exit 2 or an answer; no connection", None,
     "test_security.py::test_service_hidden_from_the_check_never_connects_from_the_command_line"),
    ("SERVICE run into the text around it, as Oxigraph's parser reads a keyword with no word boundary after it: "
     "SERVICESILENT <x>, SERVICEex:x, sErViCe (fixed in 5e4675c)",
     "refused (403); Oxigraph itself, given the same text, calls the listener",
     None, "test_sparql_lexer.py::test_every_service_oxigraph_would_call_is_refused"),
    ("SERVICE right after an object true or false: ?s ?p trueSERVICE <x> (fixed in 5e4675c)",
     "refused (403); Oxigraph itself calls the listener once the triple before it matches", None,
     "test_sparql_lexer.py::test_a_service_right_after_a_boolean_is_refused"),
    ("FROM run into the text around it: FROMex:g, FROMNAMED <g>, ASKFROM <g> with a SELECT subquery after it "
     "(fixed in 5e4675c)", "refused (400/403); Oxigraph itself reads the graph named", None,
     "test_sparql_lexer.py::test_a_from_run_into_the_word_before_or_after_it_is_refused"),
    ("SERVICE that passes a check that is wrong (the check disabled), run by Oxigraph's own HTTP client",
     "the worker's network namespace has no interface: 'Network is unreachable', no connection "
     "(and without the namespace the listener does see one)", None,
     "test_security.py::test_a_worker_cannot_connect_even_when_the_check_is_wrong"),
    ("a slow POSTed query", "pages answer in under 1 s meanwhile", "slow POST beside a page",
     "test_security.py::test_pages_answer_while_a_slow_post_query_runs"),
    ("60 connections that never finish their headers (cap 40, header timeout 1.5 s)",
     "the excess closed on arrival, the rest after the timeout; normal requests answered; no traceback in the log",
     "half-open connections", "test_security.py::test_connections_that_never_finish_their_headers_are_closed"),
    ("a new User-Agent, or a new X-Forwarded-For, on every request", "the budget still applies: 429",
     "budget with a new User-Agent per request", "test_security.py::test_rotating_what_a_client_says_of_itself_still_meets_the_budget"),
    ("8 queries in parallel from one client over its budget", "at least 3 refused with 429", None,
     "test_security.py::test_parallel_queries_from_one_client_are_not_all_admitted"),
    ("9 heavy queries in flight from one address; an ASK from another", "within 2 s, p50 under 0.5 s",
     "light client during a storm", "test_security.py::test_a_light_client_is_answered_during_another_clients_storm"),
    ("60 queries at once from one client", "pages still answer in under 1 s; the excess gets 503 at once (a waiting "
     "query holds a server thread: at most 48 wait, 16 of one client)", "flood of 60 queries from one client",
     "test_security.py::test_a_flood_of_queries_from_one_client_leaves_pages_their_threads"),
    ("JSON-LD contexts: remote, term-scoped, type-scoped, @import, file:", "exit 2 naming the context; nothing fetched",
     None, "test_security.py::test_validate_never_fetches_a_jsonld_context"),
    ("JSON nested 200,000 deep", "exit 2, no traceback", None, "test_security.py::test_validate_refuses_deeply_nested_json"),
    ("a javascript: IRI in SPARQL results and in a loaded archive", "shown as text, never a link", None,
     "test_security.py::test_a_javascript_iri_in_results_is_never_a_link, ..._in_a_loaded_archive_is_never_a_link"),
    ("pages without CSP, nosniff or frame-ancestors; /docs from a CDN",
     "strict CSP (script only from the site), nosniff, frame-ancestors 'none'; /docs from packaged files", None,
     "test_security.py::test_html_pages_carry_the_security_headers, test_docs_need_no_network"),
    ("a POST declaring 100 MB, and a chunked POST past 1 MB", "413 before the body is read", "oversized bodies",
     "test_security.py::test_an_oversized_body_is_refused_before_it_is_read"),
    ("a string-doubling query (4 GB)", "503 at the worker's memory limit; the worker replaced; the next query answered",
     "worker memory limit", "test_security.py::test_a_query_over_the_memory_limit_gets_503_and_the_worker_is_replaced"),
    ("the fork server, or the server, killed while a worker runs a long query", "every worker gone within 5 s", None,
     "test_security.py::test_query_workers_die_with_their_parents"),
    ("`load` of an empty file, a comments-only file, a FIFO, a device, a 20 MB literal",
     "exit 2 with a message; the store unchanged", None,
     "test_security.py::test_a_load_that_cannot_be_a_graph_is_refused_and_changes_nothing"),
    ("`load` killed with SIGKILL", "its partial version removed by the next load; readers never see it", None,
     "test_security.py::test_a_killed_load_leaves_no_partial_version"),
    ("a Host header of another server", "never in redirects, the service description or VoID", None,
     "test_security.py::test_the_host_header_is_never_echoed"),
    ("a literal with a control character, asked for as XML", "406 naming the formats that can carry it", None,
     "test_security.py::test_xml_results_stay_well_formed"),
    ("search words inside one another", "marks never nested", None, "test_security.py::test_search_never_nests_marks"),
    ("update= by GET; two query parameters; a CORS preflight", "400; 400; answered, any origin, no credentials", None,
     "test_security.py::test_protocol_refusals_and_cors"),
    ("'<' read as less-than by the engine and as an IRI's start by the check: FILTER(1<2#>\"\"\" hid SERVICE and FROM "
     "in what the check took for a string; GET, form POST, direct POST and `coopgraph query`",
     "refused (403) by the check on every reading of '<'; no connection", "'<' read as less-than hides SERVICE or FROM",
     "test_security.py::test_less_than_hiding_service_or_from_is_refused_everywhere"),
    ("the differential fuzz: queries of the pieces a lexer and the engine may read apart",
     "every query Oxigraph calls out on or takes a FROM from is refused", None,
     "test_sparql_lexer.py::test_the_check_refuses_whatever_the_engine_calls_out_on_or_takes_from"),
    ("an engine or system error (the sandbox's 'Network is unreachable (os error 101)', a lone surrogate \\uD800)",
     "plain words: 403 'the query tried to reach the network', 400 naming the escape; no exception class, no errno",
     "exception names in messages", "test_security.py::test_no_exception_class_or_lone_surrogate_reaches_the_client"),
    ("Virtuoso's DEFINE get:soft \"replace\" (a SELECT that replaced the corpus with a fetched file), bif:http_get, "
     "bif:sys_stat, <bif:...> IRIs, on a real Virtuoso", "refused (403) before the server; the graph unchanged; no fetch "
     "(sent to Virtuoso directly, bif:http_get does call the listener)", None,
     "test_stores.py::test_virtuoso_extensions_are_refused_and_the_graph_stays"),
    ("half-open sockets flooded from one address (cap 40)", "at most a quarter of the places per network: a client from "
     "another network answered 30 of 30 times", "half-open sockets from one address",
     "test_security.py::test_one_address_flooding_half_open_sockets_leaves_room_for_others"),
    ("half-open sockets flooded from five addresses of one /24 (cap 40; with a quarter per address, four took every "
     "place)", "the network holds a quarter of the places, as one client: another network answered 30 of 30 times",
     "half-open sockets from five addresses of one network",
     "test_security.py::test_one_address_flooding_half_open_sockets_leaves_room_for_others"),
    ("a 24 MB answer (10,000 rows of long values), and larger ones", "cut at about 16 MB with a note, read row by row",
     "answers past the byte limit", "test_security.py::test_an_answer_is_cut_at_its_byte_limit"),
    ("64 KB references in /compare, a named query's IRI parameter and a /doc/ path (2-2.5 s of fuzzy matching each)",
     "refused before matching; a light client answered within 2 s meanwhile",
     "long references in /compare, named queries and /doc/ paths",
     "test_security.py::test_long_references_are_refused_before_any_matching"),
    ("many addresses of one network, and several networks filling the queue", "one /24 (or /64) is one client, "
     "loopback included; a quarter of the queue kept for clients not yet waiting", None,
     "test_fairness.py::test_networks_that_fill_the_queue_leave_a_newcomer_a_place"),
    ("GET //evil.example/", "308 to /evil.example on this server, never to another host", "open redirect by a trailing slash",
     "test_security.py::test_a_trailing_slash_never_redirects_to_another_host"),
    ("50,000 brackets hidden behind '<'", "400 'nested too deeply' from the check (a crashed worker is named as such)",
     "nesting hidden behind '<'", "test_security.py::test_nesting_hidden_behind_less_than_is_counted"),
    ("`add --title` with '<', '>' or '\"'; `add --symbol` that cannot name a document", "an id of what an IRI carries; "
     "the symbol refused naming --symbol; the corpus as it was", None,
     "test_add.py::test_a_title_or_symbol_that_cannot_name_a_document_is_refused"),
    ("build outputs written with mode 0600", "the mode a new file gets (0644 under the usual umask)", None,
     "test_faults.py::test_build_outputs_are_readable_by_others"),
    ("8 networks, 6 queries each in parallel, keeping the queue full; uncached ASKs from another network "
     "(503 in 97 of 98 tries before; 4.2-4.9 s each with the newcomer reserve alone; 28-30 s now and then with "
     "newcomers at the head, as an attacker whose query had just ended counted as one)",
     "answered every time within 2 s: a client with nothing waiting or running, whose last query did not hold a "
     "worker for half a second, joins at the head of the round, newcomers in the order they came",
     "a new address while eight fill the queue",
     "test_security.py::test_a_new_address_is_answered_while_eight_addresses_fill_the_queue"),
    ("the same, where the newcomer's ASK meets a worker just started in place of one stopped at its limit (once "
     "4.3 s: the fresh worker's first query imported the check's lexer and opened the store, 0.15-0.2 s, and on a "
     "busy machine past half a second, so the newcomer counted as heavy)", "a worker loads and opens all that before "
     "it says it is ready: its first query imports no module and opens no store (0.6 ms in the worker, not "
     "130-220 ms); a client's weight is what the worker measured, not how long the server held the worker", None,
     "test_query_pool.py::test_a_fresh_workers_first_query_loads_nothing, "
     "test_fairness.py::test_a_light_client_the_server_held_long_is_still_a_newcomer"),
    ("attackers whose queries have just ended asking again at once, before their workers are back",
     "not newcomers: a newcomer that came before or after them has the next worker", None,
     "test_fairness.py::test_a_client_whose_query_just_ended_never_goes_ahead_of_a_newcomer"),
    ("references read outside SPARQL (/resolve, /compare, a named query's IRI parameters, the nearest names of an "
     "unknown /doc/ path) by a client whose query time is spent",
     "429, as its queries get; the matching charged to its budget; another network served", None,
     "test_fairness.py::test_reading_references_for_a_comparison_is_charged_to_the_same_budget"),
    ("eight REPLACE-amplified answers of about 190 MB each, asked for and never read (the server grew by 703 MB "
     "within 12 s on 492956e, 2.5 GB when the attack was found; 308 MB with the byte limit alone)", "each stopped at its "
     "byte limit and carried from the worker to a file in pieces, sent to the client from there: the server and its "
     "workers grow by under 200 MB; a light client answered within 2 s", "eight unread amplified answers",
     "test_security.py::test_eight_unread_amplified_answers_leave_the_server_its_memory"),
    ("a client that asks for a large answer and never reads it", "the connection cut after the query's time "
     "limit and 30 s of sending; the client gets what the buffers held, not the answer", None,
     "test_security.py::test_a_reader_that_never_reads_is_cut_off"),
    ("a worker that grew with its largest query", "retires after its answer once it has grown by more than "
     "`retire_above_mb`; a fresh worker takes its place", None,
     "test_query_pool.py::test_a_worker_that_grew_retires_and_gives_its_memory_back"),
    ("a SPARQL 1.2 triple term (TypeError in the answer), and a sparql: store that stops answering (its 503 showed "
     "Virtuoso's internal URL and raw error text)", "400 in plain words; 503 'not answering' with Retry-After, the "
     "address and the server's own words only in the operator's log", None,
     "test_security.py::test_no_exception_class_or_lone_surrogate_reaches_the_client, "
     "test_faults.py::test_losing_the_sparql_server_gives_503_and_the_service_recovers"),
    ("DEFINE get:soft \"replace\" sent to Virtuoso itself, as a query past a wrong check would be, on a real Virtuoso",
     "refused by Virtuoso: the store's user has SPARQL_SELECT only (no SPARQL_UPDATE, no sponging); the corpus "
     "keeps its triples; `serve` warns when the user can write", None,
     "test_stores.py::test_a_read_only_virtuoso_holds_even_against_what_a_check_would_miss"),
]


def run_tests() -> tuple[list[dict], str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "reliability.jsonl"
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", *TESTS], cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "COOPGRAPH_RELIABILITY_LOG": str(log)})
        seconds = time.monotonic() - started
        if done.returncode != 0:
            print(done.stdout[-4000:], file=sys.stderr)
            raise SystemExit("the reliability tests failed: no figures are published from a failing run")
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        return [json.loads(line) for line in lines], done.stdout.strip().splitlines()[-1], seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--soak", type=float, default=600)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "reliability.md")
    parser.add_argument("--before", default="9496d10", help="the commit before the protective limits ('' to skip)")
    args = parser.parse_args()
    commit = current_commit()
    records, outcome, test_seconds = run_tests()
    load_file = ROOT / "build" / "load.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "load.py"), "--seconds", str(args.seconds), "--soak", str(args.soak),
                    "--out", str(load_file)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    load = json.loads(load_file.read_text())
    by = {}
    for r in records:
        by.setdefault(r["what"], []).append(r)

    hostile = by["hostile queries"][0]
    lines = [
        "# Reliability: what coopgraph promises, and the figures",
        "",
        f"Measured {datetime.date.today()} at commit {commit} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. Reproduce everything: `python bench/reliability.py --soak {args.soak:g}` "
        f"(tests: `python -m pytest {' '.join(TESTS)}`, {outcome}, {test_seconds:.0f} s).",
        "",
        "## Promises",
        "",
        "- The endpoint is read-only: SPARQL Update, LOAD, SERVICE and FROM naming anything but the corpus graph are "
        "refused (403) in every spelling; nothing a query says reads a file or opens a connection.",
        "- Every query runs in a worker process under a time limit (`--query-timeout`, default 10 s) and a result limit "
        "(`--max-rows`); past the time limit the worker is killed (503, Retry-After) and replaced from a fork server "
        "in milliseconds. Query workers run at a lower CPU priority than the server, so pages stay fast.",
        "- A client is its address (proxy headers count only from `--forwarded-allow-ips`). Each has a query-time budget "
        "(`--client-budget`, default 30 s per minute), checked again when its turn comes; past it, 429 with Retry-After. "
        "Workers are handed to waiting clients in turn, at most all but one to any client, so another client waits for "
        "at most one running query.",
        "- The check and the engine read one text (escapes expanded, CR made LF). Behind the check, query workers run "
        "in a network namespace with no interface, under a memory limit (`--query-memory`), and die with the server.",
        "- Connections: at most `--max-connections`; each has `--header-timeout` seconds to send its headers. Request "
        "bodies are counted while they arrive. Nothing slow runs on the event loop.",
        "- Answers are kept per graph version with ETags; a rebuild is followed within a second.",
        "- A build writes every file to a temporary name and renames it; the store loads into a new version and "
        "switches a pointer: a build killed at any point, or stopped by a full disk, leaves the previous outputs and "
        "store whole.",
        "- A missing or damaged store, a malformed source document and a damaged graph file each give a message "
        "naming what and where and a non-zero exit, never a traceback.",
        "- When a SPARQL server behind coopgraph goes away, requests get 503 with a message; when it returns, "
        "coopgraph answers again without a restart.",
        "",
        "## Figures",
        "",
        "| what | tried | held | command |",
        "|---|---|---|---|",
        f"| hostile queries (`tests/data/hostile-queries.toml`) | {hostile['tried']} | {hostile['refused']} refused, "
        f"{hostile['stopped at the time limit']} stopped at the {hostile['time limit_s']:g} s limit, "
        f"{hostile['answered within limits']} answered within the limits; slowest {hostile['slowest_s']:.2f} s "
        f"(1.5x limit = {1.5 * hostile['time limit_s']:g} s); outbound connections under the socket guard: 0; "
        "graph unchanged | `pytest tests/test_hostile.py` |",
    ]
    malformed = by.get("malformed document", [])
    lines.append(f"| malformed documents (`tests/data/malformed/`) | {len(malformed)} | {len(malformed)} stopped with exit 2 "
                 "naming the file, previous outputs unchanged | `pytest tests/test_hostile_input.py -k malformed` |")
    lines.append("| random and mutated inputs (hypothesis: parsers, resolver, graph-file reader) | 60 examples per "
                 "property, 9 properties | no crash, no hang, only the project's own errors | "
                 "`pytest tests/test_hostile_input.py` |")
    kills = by["build killed"][0]
    lines.append(f"| `build` killed with SIGKILL | {kills['kills']} points (0.4 to 3.4 s) | {kills['whole afterwards']} "
                 "left every file and the store whole (old or new, never mixed within a file) | "
                 "`pytest tests/test_faults.py -k killed` |")
    disk = by["full disk"][0]
    lines.append(f"| full disk during build (file-size limit {disk['file size limit']:,} bytes) | 1 | exit "
                 f"{disk['exit']}, previous outputs and store unchanged, no temporary files left | "
                 "`pytest tests/test_faults.py -k full_disk` |")
    stores = [k for k in by if k.startswith("serve on a")]
    lines.append(f"| `serve` on a missing or damaged store | {len(stores)} ({', '.join(s.removeprefix('serve on a ') for s in stores)}) "
                 f"| exit 2 with a message each | `pytest tests/test_faults.py -k damaged` |")
    lost = by["SPARQL server lost"][0]
    lines.append(f"| Virtuoso killed mid-run, then restarted | 1 | {lost['while down']} while down, "
                 f"{lost['after restart']} after restart | `pytest tests/test_faults.py -k losing` |")
    fair = by["per-client budget"][0]
    lines.append(f"| a client over its budget ({fair['budget_s_per_min']} s/min, limit {fair['time limit_s']} s) | "
                 f"{len(fair['heavy client statuses'])} slow queries | statuses {fair['heavy client statuses']}; the other "
                 f"client's p95 {fair['light p95_ms']} ms over {fair['light requests']} requests | "
                 "`pytest tests/test_fairness.py` |")
    lines.append("| data lost | every fault above | 0 | — |")
    lines += ["", "## Attacks", "",
              "Each was tried against the server or the commands, and each test fails on the code before the fixes (9496d10, or the commit a row names), except one case: a load of a device (/dev/zero) was already refused there, by Oxigraph's parser, and is kept as a check.", "",
              "| attack | expected | observed | test |", "|---|---|---|---|"]
    for attack, expected, key, test in ATTACKS:
        figures = {k: v for k, v in (by.get(key) or [{}])[0].items() if k != "what"} if key else {}
        observed = "; ".join(f"{k}: {v}" for k, v in figures.items()) if figures else "as expected (the test passed)"
        lines.append(f"| {attack} | {expected} | {observed} | `{test}` |")
    if args.before:
        from limits import compare  # bench/limits.py

        cost = compare(args.before, args.seconds / 2, rounds=2)
        lines += ["", f"## What the limits cost (`python bench/limits.py --before {cost['before']}`)", "",
                  f"The same load (bench/load.py, {cost['seconds']:g} s per phase, each client its own address) on the code "
                  f"before the limits ({cost['before']}) and now, alternately, {cost['rounds']} rounds; medians.", "",
                  "| clients | requests/s before | after | ratio | p95 ms before | after | ratio | errors before / after |",
                  "|---:|---:|---:|---:|---:|---:|---:|---|"]
        for row in cost["rows"]:
            lines.append(f"| {row['clients']} | {row['before_per_second']:.1f} | {row['after_per_second']:.1f} | "
                         f"{row['throughput_ratio']}x | {row['before_p95_ms']:.1f} | {row['after_p95_ms']:.1f} | {row['p95_ratio']}x | "
                         f"{row['before_errors']:g} / {row['after_errors']:g} |")
    lines += ["", f"## Load (`python bench/load.py --seconds {args.seconds:g}`; query time limit {load['time limit_s']:g} s)", "",
              "A mix of named queries, dereferencing (HTML and JSON-LD), lineage, search and ad-hoc SPARQL; each client "
              "has its own loopback address. The load generator runs on the same 2-core machine as the server.", "",
              "| clients | requests | per second | p50 ms | p95 ms | p99 ms | errors | memory start → end |",
              "|---:|---:|---:|---:|---:|---:|---:|---|"]
    for p in load["phases"]:
        lines.append(f"| {p['clients']} | {p['requests']:,} | {p['per_second']} | {p['p50_ms']} | {p['p95_ms']} | "
                     f"{p['p99_ms']} | {p['errors']} | {p['memory_start_mb']} → {p['memory_end_mb']} MB |")
    slow = load["slow queries"]
    lines += ["", "Slow queries beside the others: 10 clients alone, then the same 10 while 5 more send queries that run "
              "into the time limit.", "",
              "| | requests | p50 ms | p95 ms | errors | slow clients' answers |", "|---|---:|---:|---:|---:|---|",
              f"| alone | {slow['alone']['requests']:,} | {slow['alone']['p50_ms']} | {slow['alone']['p95_ms']} | "
              f"{slow['alone']['errors']} | — |",
              f"| beside 5 slow clients | {slow['beside 5 slow clients']['requests']:,} | "
              f"{slow['beside 5 slow clients']['p50_ms']} | {slow['beside 5 slow clients']['p95_ms']} | "
              f"{slow['beside 5 slow clients']['errors']} | {slow['beside 5 slow clients']['slow statuses']} |",
              "", f"p95 beside the slow clients / p95 alone: **{slow['p95 ratio']}x** (goal: at most 2x).", ""]
    if "soak" in load:
        soak = load["soak"]
        samples = soak["memory_samples_mb"]
        lines += [f"## Soak (`python bench/load.py --soak {soak['seconds']:g}`)", "",
                  f"{soak['clients']} clients for {soak['seconds']:g} s: {soak['requests']:,} requests, "
                  f"{soak['per_second']} per second, p50 {soak['p50_ms']} ms, p95 {soak['p95_ms']} ms, p99 {soak['p99_ms']} ms, "
                  f"errors {soak['errors']}.", "",
                  "Memory of the server and its query workers (seconds: MB): " + ", ".join(f"{s}: {m}" for s, m in samples) + ".",
                  "", f"Growth from the first sample after warm-up ({samples[1][1]} MB) to the last ({samples[-1][1]} MB): "
                  f"{samples[-1][1] - samples[1][1]:+d} MB.", ""]
    publish(lines + ["", *sections(args.out).values()], args.out)  # keeps what other scripts write (bench/lexer_fuzz.py)


if __name__ == "__main__":
    main()
