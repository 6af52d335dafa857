"""The graph built from the real corpus, the resolver, named queries and the command line."""

from __future__ import annotations

import time

import pytest
from rdflib import Literal

import coopgraph
from coopgraph.errors import QueryError, ReferenceNotFound
from coopgraph.resolve import resolve
from coopgraph.sparql.check import run
from coopgraph.sparql.named import bind, named_queries
from coopgraph.store.memory import MemoryStore
from coopgraph.terms import CG, ELI, RDF, RDFS, SKOS
from tests.conftest import BASE, cli, iri


def test_public_api_is_sorted():
    assert coopgraph.__all__ == sorted(coopgraph.__all__)


def test_every_unit_has_label_provenance_and_parent(graph):
    units = [s for cls in (CG.OperativeParagraph, CG.PreambularParagraph, CG.Recommendation, CG.Footnote, CG.SubItem,
                           CG.ReportParagraph, CG.MandateItem, CG.KeyArea) for s in graph.subjects(RDF.type, cls)]
    assert len(units) > 300
    for unit in units:
        assert graph.value(unit, RDFS.label) is not None, unit
        assert graph.value(unit, CG.sourceFile) is not None, unit
        assert isinstance(graph.value(unit, CG.firstLine).toPython(), int), unit
        assert graph.value(unit, ELI.is_part_of) is not None, unit
        assert graph.value(unit, CG.text) is not None, unit


def test_document_iris_follow_the_scheme(graph):
    for path in ("doc/ICC-ASP/14/Res.3", "doc/ICC-ASP/8/Res.2", "doc/ICC-ASP/6/21",
                 "doc/asp15-bureau-report-cooperation", "doc/flyer-66-recommendations"):
        assert (iri(path), RDF.type, CG.CorpusDocument) in graph
    assert (iri("doc/asp15-bureau-report-cooperation/annex/I"), RDF.type, CG.DraftResolution) in graph
    assert (iri("doc/asp15-bureau-report-cooperation/annex/I/para/32"), RDF.type, CG.OperativeParagraph) in graph
    assert (iri("doc/asp15-bureau-report-cooperation/annex/II/item/g"), RDF.type, CG.MandateItem) in graph
    assert (iri("doc/asp15-bureau-report-cooperation/annex/I/footnote/1"), RDF.type, CG.Footnote) in graph
    assert (iri("session/ASP/15"), RDF.type, CG.Session) in graph
    assert (iri("actor/bureau"), RDF.type, CG.Actor) in graph


def test_cited_documents_outside_the_corpus_are_nodes_without_text(graph):
    external = iri("doc/ICC-ASP/13/Res.3")
    assert (external, RDF.type, CG.ExternalDocument) in graph
    assert graph.value(external, CG.text) is None
    pinpoint = iri("doc/ICC-ASP/13/Res.3/para/27")
    assert (pinpoint, RDF.type, CG.Pinpoint) in graph
    assert graph.value(pinpoint, CG.text) is None
    assert (pinpoint, ELI.is_part_of, external) in graph


def test_citations_keep_their_words_and_point_at_the_pinpoint(graph):
    para1 = iri("doc/asp15-bureau-report-cooperation/para/1")
    assert (para1, CG.cites, iri("doc/ICC-ASP/14/Res.3/para/27")) in graph
    citation = next(c for c in graph.objects(para1, CG.citation)
                    if graph.value(c, CG.citedNode) == iri("doc/ICC-ASP/14/Res.3/para/27"))
    assert str(graph.value(citation, CG.citedText)) == "paragraph 27 of resolution ICC-ASP/14/Res.3"
    text = str(graph.value(para1, CG.text))
    start, end = graph.value(citation, CG.spanStart).toPython(), graph.value(citation, CG.spanEnd).toPython()
    assert text[start:end] == "paragraph 27 of resolution ICC-ASP/14/Res.3"
    assert (iri("doc/ICC-ASP/8/Res.2/footnote/2"), CG.cites, iri("doc/ICC-ASP/6/21")) in graph
    assert (iri("doc/asp15-bureau-report-cooperation/footnote/2"), CG.cites, iri("doc/ICC-ASP/13/Res.3/para/24")) in graph
    assert (iri("doc/ICC-ASP/8/Res.2/para/16/item/h"), CG.cites, iri("doc/rome-statute/article/60/para/2")) in graph


def mandates_of(graph, unit_path):
    return [m for m in graph.objects(iri(unit_path), CG.mandate)]


def test_mandates_name_actor_and_due_session(graph):
    (item_a,) = mandates_of(graph, "doc/asp15-bureau-report-cooperation/annex/II/item/a")
    assert graph.value(item_a, CG.mandatedActor) == iri("actor/bureau")
    assert graph.value(item_a, CG.dueAt) == iri("session/ASP/16")
    assert graph.value(item_a, CG.issuedAt) == iri("session/ASP/15")
    (report,) = mandates_of(graph, "doc/ICC-ASP/14/Res.3/para/28")
    assert graph.value(report, CG.mandatedActor) == iri("actor/court")
    assert graph.value(report, CG.dueAt) == iri("session/ASP/15")
    assert str(graph.value(report, CG.recurrence)) == "annually thereafter"
    due_17 = {d for m in mandates_of(graph, "doc/ICC-ASP/8/Res.2/para/17") for d in graph.objects(m, CG.dueAt)}
    assert due_17 == {iri("session/ASP/9"), iri("session/ASP/10"), iri("session/RC/2010")}
    # the thirteenth session named in ASP15 draft para 10 is history, not a due date
    due_10 = {d for m in mandates_of(graph, "doc/asp15-bureau-report-cooperation/annex/I/para/10") for d in graph.objects(m, CG.dueAt)}
    assert due_10 == {iri("session/ASP/16")}
    assert mandates_of(graph, "doc/ICC-ASP/14/Res.3/para/3") == []  # "Reaffirms" asks nobody to act


def test_operative_verbs_and_topic_tags_with_their_evidence(graph):
    para24 = iri("doc/ICC-ASP/14/Res.3/para/24")
    labels = {str(graph.value(v, SKOS.prefLabel)) for v in graph.objects(para24, CG.operativeVerb)}
    assert labels == {"welcomes", "takes note", "requests"}
    tag = iri("doc/flyer-66-recommendations/area/3/topic/area-3")
    assert graph.value(tag, CG.topic) == iri("topic/area-3")
    assert "arrest" in str(graph.value(tag, CG.matchedWords))


def test_recommendations_carry_cluster_and_addressees(graph):
    rec17 = iri("doc/ICC-ASP/6/21/rec/17")
    assert graph.value(rec17, CG.cluster) == iri("topic/cluster-4")
    assert graph.value(rec17, CG.addressee) == iri("actor/states-parties")
    rec32 = iri("doc/ICC-ASP/6/21/rec/32")
    assert str(graph.value(rec32, CG.addresseeGroup)) == "Recommendations to the Court"
    assert graph.value(rec32, CG.addressee) == iri("actor/court")


@pytest.mark.parametrize(("reference", "expected"), [
    ("ICC-ASP/14/Res.3, para. 27", "doc/ICC-ASP/14/Res.3/para/27"),
    ("paragraph 27 of resolution ICC-ASP/14/Res.3", "doc/ICC-ASP/14/Res.3/para/27"),
    ("operative paragraph 27 of ICC-ASP/14/Res.3", "doc/ICC-ASP/14/Res.3/para/27"),
    ("ICC-ASP/6/21 recommendation 17", "doc/ICC-ASP/6/21/rec/17"),
    ("ICC-ASP/6/21 rec 17", "doc/ICC-ASP/6/21/rec/17"),
    ("ICC-ASP/8/Res.2 para 16 (a)", "doc/ICC-ASP/8/Res.2/para/16/item/a"),
    ("ICC-ASP/8/Res.2, para. 16(k)", "doc/ICC-ASP/8/Res.2/para/16/item/k"),
    ("asp15-bureau-report-cooperation annex II (g)", "doc/asp15-bureau-report-cooperation/annex/II/item/g"),
    ("asp15-bureau-report-cooperation, annex I, para. 29", "doc/asp15-bureau-report-cooperation/annex/I/para/29"),
    ("ICC-ASP/6/21 footnote 12", "doc/ICC-ASP/6/21/footnote/12"),
    (BASE + "doc/ICC-ASP/8/Res.2/para/17", "doc/ICC-ASP/8/Res.2/para/17"),
    ("ICC-ASP/14/Res.3 OP 27", "doc/ICC-ASP/14/Res.3/para/27"),
    ("ICC-ASP/14/Res.3, op. 27", "doc/ICC-ASP/14/Res.3/para/27"),
    ("OP27 of ICC-ASP/14/Res.3", "doc/ICC-ASP/14/Res.3/para/27"),
    ("ICC-ASP/14/Res.3 PP3", "doc/ICC-ASP/14/Res.3/preamble/3"),
    ("ICC-ASP/14/Res.3, pp. 3", "doc/ICC-ASP/14/Res.3/preamble/3"),
    ("preambular paragraph 3 of resolution ICC-ASP/14/Res.3", "doc/ICC-ASP/14/Res.3/preamble/3"),
    ("ICC-ASP/8/Res.2, paragraph 16, subparagraph (a)", "doc/ICC-ASP/8/Res.2/para/16/item/a"),
    ("ICC-ASP/8/Res.2 para 16 sub-paragraph (k)", "doc/ICC-ASP/8/Res.2/para/16/item/k"),
    ("ICC-ASP/6/21, annex II, item (14)", "doc/ICC-ASP/6/21/annex/II/item/14"),
    ("ASP15 Bureau report on cooperation, annex I, para. 31", "doc/asp15-bureau-report-cooperation/annex/I/para/31"),
    ("ICC-ASP/14/Res3, para. 27", "doc/ICC-ASP/14/Res.3/para/27"),
    ("ICC ASP 14 Res 3 OP 27", "doc/ICC-ASP/14/Res.3/para/27"),
    ("icc-asp/14/res.3, para. 27", "doc/ICC-ASP/14/Res.3/para/27"),
])
def test_resolver_accepts_the_usual_spellings(graph, reference, expected):
    assert resolve(graph, BASE, reference).iri == iri(expected)


def test_unknown_reference_lists_nearest_matches(graph):
    with pytest.raises(ReferenceNotFound) as caught:
        resolve(graph, BASE, "ICC-ASP/14/Res.3, para. 99")
    labels = [label for label, _ in caught.value.suggestions]
    assert labels and all(label.startswith("ICC-ASP/14/Res.3") for label in labels)


def test_every_label_coopgraph_prints_resolves_back_to_its_node(graph):
    labelled = [(node, str(label)) for node, label in graph.subject_objects(RDFS.label) if str(node).startswith(BASE + "doc/")]
    wrong = [(label, str(node)) for node, label in labelled if resolve(graph, BASE, label).iri != node]
    assert len(labelled) > 400 and wrong == []


def test_a_symbol_that_names_nothing_gets_suggestions(graph):
    with pytest.raises(ReferenceNotFound) as caught:
        resolve(graph, BASE, "ICC-ASP/41/Res.3, para. 2")
    assert any(label == "ICC-ASP/14/Res.3, para. 2" for label, _ in caught.value.suggestions)
    with pytest.raises(ReferenceNotFound) as caught:
        resolve(graph, BASE, "Resolution on cooperashun, para. 2")
    assert caught.value.suggestions, "a reference that names no document still gets the nearest labels"


def _records(rows):
    return [dict(zip(rows.variables, (None if v is None else str(v) for v in row), strict=True)) for row in rows.rows]


def test_named_queries_answer_on_the_real_graph(graph, settings):
    catalogue = named_queries(settings.queries_dir)
    assert set(catalogue) >= {"mandates-by-actor", "recommendations-by-cluster", "units-citing", "operative-verbs"}
    for query in catalogue.values():
        assert query.title and query.description
    store = MemoryStore.holding(graph, BASE)
    rows = _records(run(store, catalogue["mandates-by-actor"].text,
                        bind(catalogue["mandates-by-actor"], {"actor": BASE + "actor/bureau"})))
    assert any(r["unit"].endswith("annex/II/item/a") and r["dueAt"].endswith("ASP/16") for r in rows)
    recs = _records(run(store, catalogue["recommendations-by-cluster"].text))
    assert len(recs) == 66
    citing = _records(run(store, catalogue["units-citing"].text,
                          bind(catalogue["units-citing"], {"document": BASE + "doc/ICC-ASP/14/Res.3"})))
    assert any(r["unit"].endswith("asp15-bureau-report-cooperation/para/1") for r in citing)
    verbs = _records(run(store, catalogue["operative-verbs"].text))
    assert any(r["verb"] == "requests" and r["resolution"].endswith("ICC-ASP/8/Res.2") for r in verbs)
    links = _records(run(store, catalogue["links-into"].text, bind(catalogue["links-into"], {"document": BASE + "doc/ICC-ASP/8/Res.2"})))
    stated = [r for r in links if r["basis"] == "stated"]
    assert stated and all(r["citingWords"] for r in stated)  # a stated link keeps the words that state it
    assert any(r["later"].endswith("ICC-ASP/14/Res.3/para/28") and r["earlier"].endswith("ICC-ASP/8/Res.2/para/17")
               and r["basis"] == "inferred" for r in links)


def test_named_queries_list_sessions_by_number_and_paragraphs_in_the_texts_order(graph, settings):
    """Ordered by IRI, session 14 came before session 8 and para. 27 before para. 4 (text order)."""
    catalogue = named_queries(settings.queries_dir)
    store = MemoryStore.holding(graph, BASE)
    rows = _records(run(store, catalogue["mandates-by-actor"].text,
                        bind(catalogue["mandates-by-actor"], {"actor": BASE + "actor/bureau"})))
    sessions = [int(r["issuedAt"].rsplit("/", 1)[1]) for r in rows if r["issuedAt"]]
    assert sessions == sorted(sessions) and {8, 14} <= set(sessions)
    in_2015 = [r["unitLabel"].rsplit(" ", 1)[1] for r in rows if r["unitLabel"].startswith("ICC-ASP/14/Res.3, para.")]
    assert in_2015 == ["4", "10", "20", "24", "27"]  # the Bureau's paragraphs of the 2015 resolution, as they stand
    history = _records(run(store, catalogue["mandate-history"].text, bind(catalogue["mandate-history"], {
        "mandate": BASE + "doc/ICC-ASP/14/Res.3/para/27/mandate/1"})))
    numbers = [int(r["session"].rsplit("/", 1)[1]) for r in history if r["session"]]
    assert numbers == sorted(numbers, reverse=True) and numbers
    unmoved = _records(run(store, catalogue["not-carried-forward"].text,
                           bind(catalogue["not-carried-forward"], {"document": BASE + "doc/ICC-ASP/8/Res.2"})))
    operative = [int(r["unitLabel"].rsplit(" ", 1)[1]) for r in unmoved if ", para. " in r["unitLabel"]]
    assert operative == sorted(operative) and len(operative) > 1


def test_a_query_is_checked_by_its_parse_not_by_its_words(graph):
    """Words such as "create" or "delete" inside a string used to make the command line refuse
    the query as an update; SERVICE, updates and foreign FROM are still refused."""
    store = MemoryStore.holding(graph, BASE)
    words = _records(run(store, 'SELECT (COUNT(?u) AS ?n) WHERE { ?u cg:text ?t FILTER(CONTAINS(LCASE(?t), "create")) }'))
    assert int(words[0]["n"]) > 0
    for refused, why in [("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "read-only"),
                         ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
                         ("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", "loads nothing from outside")]:
        with pytest.raises(QueryError, match=why):
            run(store, refused)


def test_cli_build_is_deterministic_and_atomic(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert cli("--out", str(first), "build", env={"PYTHONHASHSEED": "1"}).returncode == 0
    assert cli("--out", str(second), "build", env={"PYTHONHASHSEED": "2"}).returncode == 0
    for name in ("coopgraph.ttl", "coopgraph.nt", "coopgraph.jsonld", "context.jsonld"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert not [p for p in first.iterdir() if p.name.startswith(".")]


def test_cli_resolve_and_stats(tmp_path):
    found = cli("resolve", "ICC-ASP/6/21 rec 17")
    assert found.returncode == 0 and BASE + "doc/ICC-ASP/6/21/rec/17" in found.stdout
    unknown = cli("resolve", "ICC-ASP/14/Res.3 para 99")
    assert unknown.returncode == 2 and "nearest matches" in unknown.stderr and "Traceback" not in unknown.stderr
    stats = cli("stats")
    assert stats.returncode == 0
    assert any(line.split() == ["Recommendation", "66"] for line in stats.stdout.splitlines())


def test_cli_query_errors_are_clear():
    broken = cli("query", "SELECT ?x WHERE { ?x ")
    assert broken.returncode == 2 and "SPARQL syntax error (line 1, column" in broken.stderr and "Traceback" not in broken.stderr
    csv_out = cli("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/coopgraph/ontology#Recommendation> }",
                  "--format", "csv")
    assert csv_out.stdout.splitlines() == ["n", "66"]


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_cli_query_sees_the_corpus_as_a_named_graph_on_every_store(store, built_dir):
    """rdflib's own store used to stop a `GRAPH` query with a traceback; it answers as Oxigraph does,
    and the command line predefines the endpoint's prefixes on every store."""
    spec = "memory" if store == "memory" else f"oxigraph:{built_dir / 'store'}"
    found = cli("--out", str(built_dir), "--store", spec, "query", "--format", "csv",
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a <https://w3id.org/coopgraph/ontology#Recommendation> } } GROUP BY ?g")
    assert found.returncode == 0 and "Traceback" not in found.stderr, found.stderr
    assert found.stdout.splitlines() == ["g,n", f"{BASE}graph/corpus,66"]
    prefixed = cli("--out", str(built_dir), "--store", spec, "query", "--format", "csv",
                   'SELECT (COUNT(?u) AS ?n) WHERE { ?u cg:text ?t FILTER(CONTAINS(LCASE(?t), "create")) }')
    assert prefixed.returncode == 0 and "Traceback" not in prefixed.stderr, prefixed.stderr  # cg: predefined, "create" a word
    assert prefixed.stdout.splitlines()[0] == "n" and int(prefixed.stdout.splitlines()[1]) > 0


@pytest.mark.parametrize(("damage", "message"), [
    (lambda p: p.write_text(p.read_text().replace("\n5. Urges States Parties", "\n4. Urges States Parties")),
     "operative paragraph 4 appears twice"),
    (lambda p: p.write_bytes(p.read_bytes().replace(b"Emphasizes the importance", b"Emphasizes\x00 the")), "NUL byte"),
    (lambda p: p.write_bytes(p.read_bytes().replace(b"Determined", b"D\xe9termined")), "not UTF-8"),
    (lambda p: p.write_text(""), "is empty"),
    (lambda p: p.write_text(p.read_text().split("1. Emphasizes")[0]), "no operative paragraphs"),
])
def test_a_malformed_corpus_file_stops_the_build_naming_file_and_line(corpus_copy, tmp_path, damage, message):
    out = tmp_path / "out"
    assert cli("--out", str(out), "build", root=corpus_copy).returncode == 0
    before = (out / "coopgraph.nt").read_bytes()
    damage(corpus_copy / "corpus" / "icc-asp-14-res-3_resolution-on-cooperation_2015.txt")
    result = cli("--out", str(out), "build", root=corpus_copy)
    assert result.returncode == 2
    assert "icc-asp-14-res-3_resolution-on-cooperation_2015.txt" in result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert (out / "coopgraph.nt").read_bytes() == before


def test_an_unknown_corpus_file_in_the_manifest_is_named(corpus_copy):
    manifest = corpus_copy / "corpus" / "manifest.toml"
    manifest.write_text(manifest.read_text().replace('file = "icc-asp-8-res-2', 'file = "missing-icc-asp-8-res-2'))
    result = cli("build", root=corpus_copy)
    assert result.returncode == 2 and "missing-icc-asp-8-res-2" in result.stderr


def test_literal_text_is_language_tagged(graph):
    text = graph.value(iri("doc/ICC-ASP/14/Res.3/para/1"), CG.text)
    assert isinstance(text, Literal) and text.language == "en"



def test_serve_on_a_taken_port_says_so_and_exits_3(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("--out", str(tmp_path), "serve", "--port", str(port))
    assert result.returncode == 3, result.stderr
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "coopgraph.nt").exists(), "nothing is built first"


def test_a_fault_of_the_program_is_not_reported_as_bad_input(monkeypatch):
    """Bad input exits 2 with its message; a fault of coopgraph itself (here a ValueError raised
    where none should be) exits 70 and says so, never as bad input and never as a traceback."""
    from click.testing import CliRunner

    import coopgraph.cli as command

    bad = CliRunner().invoke(command.main, ["--base", "https://example.org/kg", "stats"])
    assert bad.exit_code == 2 and "must end with '/'" in bad.output

    def broken(ctx):
        raise ValueError("an index went out of step")

    monkeypatch.setattr(command, "_settings", broken)
    fault = CliRunner().invoke(command.main, ["stats"])
    assert fault.exit_code == 70 and "internal error" in fault.output and "not of your input" in fault.output
    assert "Traceback" not in fault.output


def test_a_query_on_the_command_line_stops_at_its_time_limit(built_dir):
    """`coopgraph query` had no time limit: a cross product ran 120 s with no output. It now stops at
    --timeout (the endpoint's 10 s by default) with a message that says how to allow more."""
    started = time.monotonic()
    done = cli("--out", str(built_dir), "query", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "--timeout", "1")
    assert done.returncode == 2 and "ran longer than 1 s" in done.stderr and "--timeout" in done.stderr
    assert time.monotonic() - started < 8
    quick = cli("--out", str(built_dir), "query", "ASK { ?s ?p ?o }", "--format", "json")
    assert quick.returncode == 0 and '"boolean": true' in quick.stdout


def test_make_run_checks_the_port_before_building_and_takes_port(tmp_path):
    """`make run` rebuilt (swapping a running server's store) before it found the port taken, and
    `make run PORT=...` was ignored. serve --rebuild refuses a taken port first; the Makefile passes PORT."""
    import socket
    import subprocess

    from tests.conftest import ROOT

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        out = tmp_path / "out"
        done = cli("--out", str(out), "serve", "--rebuild", "--port", str(port))
        assert done.returncode == 3 and "already in use" in done.stderr
        assert not out.exists(), "it built before it found the port taken"
    finally:
        taken.close()
    dry = subprocess.run(["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True)
    assert "--port 8123" in dry.stdout and "serve --rebuild" in dry.stdout


def test_named_query_parameters_take_what_a_person_types(built_dir):
    """`mandate=ICC-ASP/14/Res.3 para 28` answered "No rows" (it wanted the mandate's IRI) and
    `actor=bureau` was refused. A parameter now takes a reference or a name, resolves it, and one it
    cannot resolve is refused with the closest names; actors carry rdfs:label."""
    import csv
    import io

    def rows(*params: str) -> tuple[int, list[dict]]:
        done = cli("--out", str(built_dir), "query", *params, "--format", "csv")
        return done.returncode, (list(csv.DictReader(io.StringIO(done.stdout))) if done.returncode == 0 else [{"err": done.stderr}])

    code, found = rows("--name", "mandates-by-actor", "-p", "actor=bureau")
    assert code == 0 and found and all("Bureau" in r["action"] or "bureau" in r["action"].lower() for r in found)
    code, history = rows("--name", "mandate-history", "-p", "mandate=ICC-ASP/14/Res.3 para 28")
    assert code == 0 and [r["version"].rsplit("/doc/", 1)[-1] for r in history] == ["ICC-ASP/8/Res.2/para/17/mandate/3"]
    assert len({tuple(r.values()) for r in history}) == len(history)  # rows distinct
    code, two = rows("--name", "due-at-session", "-p", "session=sixteenth session")
    assert code == 0 and two
    code, wrong = rows("--name", "mandates-by-actor", "-p", "actor=bureaux")
    assert code == 2 and "closest: bureau" in wrong[0]["err"]
    code, many = rows("--name", "mandate-history", "-p", "mandate=ICC-ASP/8/Res.2 para 17")
    assert code == 2 and "3 mandates" in many[0]["err"]
    label = cli("--out", str(built_dir), "query", "SELECT ?l WHERE { <https://w3id.org/coopgraph/actor/bureau> rdfs:label ?l }",
                "--format", "csv")
    assert "Bureau" in label.stdout


def test_the_benchmarks_synthetic_graphs_are_a_command(tmp_path):
    """The README cites synthetic graphs; `coopgraph synthetic` makes them, and they load."""
    out = tmp_path / "syn.nt"
    done = cli("synthetic", str(out), "--triples", "20000")
    assert done.returncode == 0 and out.exists() and "wrote" in done.stdout
    lines = len(out.read_text(encoding="utf-8").splitlines())
    assert 15_000 < lines < 30_000
    loaded = cli("--store", f"oxigraph:{tmp_path / 'store'}", "load", str(out))
    assert loaded.returncode == 0, loaded.stderr
