"""SHACL validation: the real graph conforms, and each shape family catches one specific breakage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SH, XSD

from coopgraph.errors import GraphFileError
from coopgraph.graphfile import read_graph_file
from coopgraph.synthetic import write as write_synthetic
from coopgraph.terms import CG, ELI, RDFS
from coopgraph.validate import ENGINES, Report, format_text, load_shapes, validate_file, validate_graph
from tests.conftest import BASE, cli, iri

PROV_ENTITY = URIRef("http://www.w3.org/ns/prov#entity")


@pytest.fixture(scope="module")
def shapes(settings) -> Graph:
    return load_shapes(settings.shapes_dir, settings.base)


@pytest.fixture(scope="module", params=ENGINES)
def engine(request) -> str:
    """Every check runs on both engines: the fast default and the reference implementation."""
    return request.param


@pytest.fixture(scope="module")
def report(graph, shapes, engine) -> Report:
    return validate_graph(graph, shapes, engine)


def copy(graph: Graph) -> Graph:
    broken = Graph()
    broken += graph
    return broken


def drop_subtree(graph: Graph, node: URIRef) -> None:
    """Remove a unit with everything it owns (mandates, citations, tags under its IRI)."""
    prefix = str(node) + "/"
    for s, p, o in list(graph):
        if s == node or str(s).startswith(prefix) or o == node or str(o).startswith(prefix):
            graph.remove((s, p, o))


# The defects of the texts themselves: a footnote marker whose footnote text is not on its page (the
# ASP15 draft's para 10), and the ASP15 report's footnote 1, which names ICC-ASP/13/Res.3 where its
# body names ICC-ASP/14/Res.3, with the two "Ibid." footnotes that follow it.
SOURCE_DEFECTS = {(BASE + f"doc/asp15-bureau-report-cooperation/{unit}",
                   "the source text has a defect here, left unresolved (see cg:sourceDefect on the unit)")
                  for unit in ("annex/I/para/10", "footnote/1", "footnote/2", "footnote/3")}


def results(report: Report, severity: str = "Violation") -> set[tuple[str, str]]:
    return {(f.focus, f.message) for f in report.findings if f.severity == severity}


# -- the real graph ---------------------------------------------------------------------------

def test_the_real_graph_conforms(report):
    assert report.conforms, "\n".join(f"{f.focus_label}: {f.message}" for f in report.findings[:20])
    assert report.counts["Violation"] == 0
    assert results(report, "Warning") == SOURCE_DEFECTS  # the ASP15 draft para 10: footnote marker 3


def test_the_synthetic_archive_of_the_benchmarks_conforms(shapes, engine, tmp_path):
    """The benchmarks validate synthetic archives at scale: they must be graphs the shapes accept."""
    path = tmp_path / "synthetic.nt"
    write_synthetic(path, BASE, 12_000)
    archive = read_graph_file(path, BASE)
    assert archive.value(iri("doc/SYN/2/Res.1/para/1"), CG.leadingVerb) is not None
    found = validate_graph(archive, shapes, engine)
    assert found.conforms and found.counts["Warning"] == 0, format_text(found, 10)


def test_the_one_relative_due_date_is_reported_as_a_note(report):
    notes = [f for f in report.findings if f.severity == "Info"]
    assert [(f.focus, f.shape_name) for f in notes] == [
        (BASE + "doc/ICC-ASP/6/21/annex/I/clause/4/mandate/1", "relative due date")]
    assert "'next regular session'" in notes[0].message


def test_every_class_of_the_ontology_is_checked_by_a_shape(settings, shapes):
    ontology = Graph().parse(settings.ontology_dir / "coopgraph.ttl")
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(str(CG))}
    targeted = set(shapes.objects(None, SH.targetClass))
    # A shape targeting a class checks its subclasses too (SHACL follows rdfs:subClassOf);
    # cg:TextUnit is abstract and checked through its subclasses.
    unchecked = {c for c in classes - {CG.TextUnit}
                 if not targeted & set(ontology.transitive_objects(c, RDFS.subClassOf))}
    assert unchecked == set()


def test_every_shape_is_named_described_and_every_constraint_speaks(shapes):
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        assert shapes.value(shape, SH.name), shape
        assert shapes.value(shape, SH.description), shape
    for prop in shapes.objects(None, SH.property):
        if any(shapes.triples((prop, p, None)) for p in (SH.minCount, SH.maxCount, SH.datatype, SH.pattern, SH.hasValue, SH.equals)):
            assert shapes.value(prop, SH.message), prop
    for constraint in shapes.objects(None, SH.sparql):
        assert shapes.value(constraint, SH.message), constraint


def test_both_engines_report_the_same_findings_in_full(graph, shapes):
    broken = copy(graph)
    drop_subtree(broken, iri("doc/ICC-ASP/6/21/rec/17"))
    broken.remove((iri("doc/ICC-ASP/14/Res.3/para/3"), CG.text, None))
    broken.add((iri("doc/ICC-ASP/14/Res.3/para/4"), CG.operativeVerb, iri("verb/invents")))
    fast, reference = (validate_graph(broken, shapes, name) for name in ("turbo", "pyshacl"))
    assert len(fast.findings) >= 4
    assert fast.findings == reference.findings


# -- one breakage per shape family --------------------------------------------------------------

def test_dropping_a_recommendation_reports_the_gap_and_the_stated_count(graph, shapes, engine):
    broken = copy(graph)
    drop_subtree(broken, iri("doc/ICC-ASP/6/21/rec/17"))
    found = results(validate_graph(broken, shapes, engine))
    doc = BASE + "doc/ICC-ASP/6/21"
    assert found == {
        (doc, "the Recommendation unit numbered 17 is missing: the numbers run past it to 66"),
        (doc, "the texts state 66 Recommendation units for this document but the graph holds 65"),
    }


def test_dropping_the_last_recommendation_is_caught_by_the_stated_count_alone(graph, shapes, engine):
    broken = copy(graph)
    drop_subtree(broken, iri("doc/ICC-ASP/6/21/rec/66"))
    assert results(validate_graph(broken, shapes, engine)) == {
        (BASE + "doc/ICC-ASP/6/21", "the texts state 66 Recommendation units for this document but the graph holds 65"),
    }


def test_a_duplicated_paragraph_number_is_reported_on_its_document(graph, shapes, engine):
    broken = copy(graph)
    twin = iri("doc/ICC-ASP/14/Res.3/para/12-twin")
    original = iri("doc/ICC-ASP/14/Res.3/para/12")
    for p in (RDF.type, RDFS.label, ELI.is_part_of, CG.number, CG.text, CG.sourceFile, CG.firstLine, CG.lastLine,
              CG.operativeVerb):
        for o in graph.objects(original, p):
            broken.add((twin, p, o))
    assert results(validate_graph(broken, shapes, engine)) == {
        (BASE + "doc/ICC-ASP/14/Res.3", "2 OperativeParagraph units are numbered 12: a number must be unique within its document"),
    }


def test_dropping_the_placeholder_paragraph_leaves_a_gap(graph, shapes, engine):
    broken = copy(graph)
    drop_subtree(broken, iri("doc/asp15-bureau-report-cooperation/annex/I/para/29"))
    assert results(validate_graph(broken, shapes, engine)) == {
        (BASE + "doc/asp15-bureau-report-cooperation/annex/I",
         "the OperativeParagraph unit numbered 29 is missing: the numbers run past it to 32"),
    }


def test_an_unmarked_placeholder_is_a_violation_and_its_missing_verb_a_warning(graph, shapes, engine):
    broken = copy(graph)
    para = iri("doc/asp15-bureau-report-cooperation/annex/I/para/29")
    broken.remove((para, CG.isPlaceholder, None))
    report = validate_graph(broken, shapes, engine)
    assert results(report) == {
        (str(para), "the text reads as a placeholder ('[Placeholder ...]') but the unit is not marked cg:isPlaceholder true"),
    }
    assert results(report, "Warning") - SOURCE_DEFECTS == {
        (str(para), "the operative paragraph has no operative verb of the scheme: add the verb to ontology/verbs.ttl or check the parse"),
    }


def test_a_missing_lettered_item_is_reported_on_its_paragraph(graph, shapes, engine):
    broken = copy(graph)
    drop_subtree(broken, iri("doc/ICC-ASP/8/Res.2/para/16/item/c"))
    assert results(validate_graph(broken, shapes, engine)) == {
        (BASE + "doc/ICC-ASP/8/Res.2/para/16", "the SubItem item (c) is missing: the letters run past it to (k)"),
    }


def test_a_citation_pointing_at_nothing_is_reported_on_the_missing_node(graph, shapes, engine):
    broken = copy(graph)
    citation = next(c for c in graph.subjects(RDF.type, CG.Citation))
    unit, target = graph.value(citation, CG.citingUnit), graph.value(citation, CG.citedNode)
    nowhere = iri("doc/ICC-ASP/99/Res.9/para/1")
    broken.set((citation, CG.citedNode, nowhere))
    broken.add((unit, CG.cites, nowhere))
    if not any(graph.value(c, CG.citedNode) == target for c in graph.objects(unit, CG.citation) if c != citation):
        broken.remove((unit, CG.cites, target))
    assert results(validate_graph(broken, shapes, engine)) == {
        (str(nowhere), "a citation or derivation points at nothing: this node is not in the graph (no type)"),
    }


def test_a_cites_edge_without_its_citation_node_is_reported(graph, shapes, engine):
    broken = copy(graph)
    unit = iri("doc/ICC-ASP/14/Res.3/para/1")
    broken.add((unit, CG.cites, iri("rome-statute")))
    found = results(validate_graph(broken, shapes, engine))
    assert (str(unit), "the unit's cg:cites edges and the targets of its cg:Citation nodes differ: every edge needs a "
                       "citation that keeps the words, and every citation its edge") in found


def test_citing_words_must_stand_at_their_span(graph, shapes, engine):
    broken = copy(graph)
    citation = next(c for c in graph.subjects(RDF.type, CG.Citation))
    start = graph.value(citation, CG.spanStart).toPython()
    broken.set((citation, CG.spanStart, Literal(start + 1, datatype=XSD.integer)))
    words = graph.value(citation, CG.citedText)
    assert results(validate_graph(broken, shapes, engine)) == {
        (str(citation), f"the citing words '{words}' are not at the citation's span in the unit's text or heading"),
    }


def test_a_mandate_due_before_its_issuing_session_is_reported(graph, shapes, engine):
    broken = copy(graph)
    mandate = iri("doc/ICC-ASP/14/Res.3/para/10/mandate/1")
    assert graph.value(mandate, CG.issuedAt) == iri("session/ASP/14")
    broken.set((mandate, CG.dueAt, iri("session/ASP/12")))
    assert results(validate_graph(broken, shapes, engine)) == {
        (str(mandate), "the mandate is due at session 12, before the session 14 that issued it"),
    }


def test_a_wrong_datatype_is_reported_with_the_document(graph, shapes, engine):
    broken = copy(graph)
    doc = iri("doc/ICC-ASP/14/Res.3")
    broken.set((doc, DCTERMS.date, Literal("26 November 2015")))
    assert results(validate_graph(broken, shapes, engine)) == {
        (str(doc), "the document's date must be an xsd:date (YYYY-MM-DD)"),
    }


def test_an_unknown_verb_is_reported_on_the_verb(graph, shapes, engine):
    broken = copy(graph)
    verb = iri("verb/frobnicates")
    broken.add((iri("doc/ICC-ASP/14/Res.3/para/12"), CG.operativeVerb, verb))
    assert results(validate_graph(broken, shapes, engine)) == {
        (str(verb), "this is not a verb of the operative-verb scheme: add it to ontology/verbs.ttl or fix the reference"),
    }


def test_an_unknown_actor_is_reported_on_the_actor(graph, shapes, engine):
    broken = copy(graph)
    actor = iri("actor/nobody")
    broken.add((iri("doc/ICC-ASP/14/Res.3/para/10/mandate/1"), CG.mandatedActor, actor))
    assert results(validate_graph(broken, shapes, engine)) == {
        (str(actor), "this is not an actor of the actor list: add it to ontology/actors.ttl or fix the reference"),
    }


def test_a_unit_without_text_is_reported_with_its_label(graph, shapes, engine):
    broken = copy(graph)
    para = iri("doc/ICC-ASP/14/Res.3/para/12")
    broken.remove((para, CG.text, None))
    report = validate_graph(broken, shapes, engine)
    assert results(report) == {
        (str(para), "the unit has no text: the parser lost its words; check the source lines named by cg:firstLine"),
    }
    assert report.findings[0].focus_label == "ICC-ASP/14/Res.3, para. 12"


def test_an_external_document_with_text_is_refused(graph, shapes, engine):
    broken = copy(graph)
    doc = iri("doc/ICC-ASP/6/Res.2")
    broken.add((doc, CG.text, Literal("guessed words", lang="en")))
    assert results(validate_graph(broken, shapes, engine)) == {
        (str(doc), "a document outside the corpus must not carry text: the corpus does not hold it"),
    }


def test_a_derivation_edge_needs_its_evidence(graph, shapes, engine):
    later, earlier = iri("doc/asp15-bureau-report-cooperation/annex/I/para/27"), iri("doc/ICC-ASP/14/Res.3/para/27")
    broken = copy(graph)
    broken.add((later, CG.amends, earlier))
    assert results(validate_graph(broken, shapes, engine)) == {
        (str(later), f"the amends edge to {earlier} has no evidence: no cg:Derivation of that type names it"),
    }
    evidence = URIRef(f"{later}/derivation/99")  # beside the edges the build derives
    for triple in [(later, CG.qualifiedDerivation, evidence), (evidence, RDF.type, CG.Derivation),
                   (evidence, PROV_ENTITY, earlier), (evidence, CG.derivationType, CG.amends),
                   (evidence, CG.confidence, Literal("0.9", datatype=XSD.decimal)),
                   (evidence, CG.method, Literal("alignment")),
                   (evidence, CG.evidenceText, Literal("fifteenth -> sixteenth")),
                   (evidence, CG.isInferred, Literal(True))]:
        broken.add(triple)
    assert validate_graph(broken, shapes, engine).conforms
    broken.set((evidence, CG.confidence, Literal("1.5", datatype=XSD.decimal)))
    assert results(validate_graph(broken, shapes, engine)) == {
        (str(evidence), "the derivation needs one confidence, an xsd:decimal from 0 to 1"),
    }


# -- graph files: read safely, refused clearly ---------------------------------------------------

def test_turtle_syntax_errors_name_line_and_column(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b ; .\n', encoding="utf-8")
    with pytest.raises(GraphFileError, match=r"bad\.ttl, line 3, column 10: not valid Turtle"):
        read_graph_file(bad, BASE)


def test_ntriples_syntax_errors_name_the_line(tmp_path):
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://a> <http://b> <http://c> .\n\n<http://a> <http://b> c .\n", encoding="utf-8")
    with pytest.raises(GraphFileError, match=r"bad\.nt, line 3, column \d+: not valid N-Triples"):
        read_graph_file(bad, BASE)


def test_jsonld_syntax_errors_name_line_and_column(tmp_path):
    bad = tmp_path / "bad.jsonld"
    bad.write_text('{\n  "@id": "http://a",\n  "http://b": [1, 2,\n}\n', encoding="utf-8")
    with pytest.raises(GraphFileError, match=r"bad\.jsonld, line 4, column 1: not valid JSON"):
        read_graph_file(bad, BASE)


def test_remote_jsonld_contexts_are_never_fetched(tmp_path):
    remote = tmp_path / "remote.jsonld"
    remote.write_text(json.dumps({"@context": "http://example.org/context.jsonld", "@id": "http://a"}), encoding="utf-8")
    with pytest.raises(GraphFileError, match="is not fetched"):
        read_graph_file(remote, BASE)
    nested = tmp_path / "nested.jsonld"
    nested.write_text(json.dumps({"@context": {"@import": "http://example.org/c.jsonld"}, "@id": "http://a"}), encoding="utf-8")
    with pytest.raises(GraphFileError, match="c.jsonld. is not fetched"):
        read_graph_file(nested, BASE)


def test_our_published_context_is_read_without_fetching(tmp_path, settings):
    from coopgraph.graph.serialize import context

    ours = tmp_path / "note.jsonld"
    ours.write_text(json.dumps({"@context": f"{BASE}context.jsonld", "@id": "doc/ICC-ASP/14/Res.3",
                                "rdfs:comment": "annotated"}), encoding="utf-8")
    graph = read_graph_file(ours, BASE, contexts={f"{BASE}context.jsonld": context(BASE)["@context"]})
    assert (iri("doc/ICC-ASP/14/Res.3"), RDFS.comment, Literal("annotated")) in graph


@pytest.mark.parametrize("name, content, message", [
    ("empty.ttl", b"   \n", "the file is empty"),
    ("binary.ttl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a binary file"),
    ("latin1.ttl", "<http://a> <http://b> \"caf\xe9\" .\n".encode("latin-1"), "line 1, column 27: not UTF-8"),
])
def test_unreadable_files_are_refused_with_the_reason(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(GraphFileError, match=message):
        read_graph_file(path, BASE)


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.nt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(GraphFileError, match=r"50\.0 MB is more than the limit of 20\.0 MB"):
        read_graph_file(big, BASE)


def test_format_is_detected_from_content_when_the_extension_says_nothing(tmp_path):
    nt = tmp_path / "data.txt"
    nt.write_text("<http://a> <http://b> <http://c> .\n", encoding="utf-8")
    js = tmp_path / "data.dat"
    js.write_text('{"@id": "http://a", "http://b": {"@id": "http://c"}}', encoding="utf-8")
    for path in (nt, js):
        assert (URIRef("http://a"), URIRef("http://b"), URIRef("http://c")) in read_graph_file(path, BASE)


# -- the command line ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A graph built once by the real command, for the validate tests to merge files into."""
    out = tmp_path_factory.mktemp("built")
    result = cli("--out", str(out), "build")
    assert result.returncode == 0, result.stderr
    assert "validated: conforms: 0 violations" in result.stdout
    return out


def test_validate_the_built_graph_exits_0(built):
    result = cli("--out", str(built), "validate")
    assert result.returncode == 0, result.stderr
    assert "conforms: 0 violations, 4 warnings, 1 notes" in result.stdout  # the warnings: source defects
    assert "turbo" in result.stdout.splitlines()[-1]


def test_validate_with_the_reference_engine_gives_the_same_verdict(built):
    result = cli("--out", str(built), "validate", "--engine", "pyshacl")
    assert result.returncode == 0, result.stderr
    assert "conforms: 0 violations, 4 warnings, 1 notes" in result.stdout  # the warnings: source defects
    assert "pyshacl" in result.stdout.splitlines()[-1]


def test_validate_a_file_merged_with_the_built_graph_reports_and_exits_1(built, tmp_path):
    note = tmp_path / "annotation.ttl"
    note.write_text(f'<{BASE}doc/ICC-ASP/14/Res.3> <http://purl.org/dc/terms/date> "26 November 2015" .\n', encoding="utf-8")
    result = cli("--out", str(built), "validate", str(note))
    assert result.returncode == 1
    assert f"ICC-ASP/14/Res.3  <{BASE}doc/ICC-ASP/14/Res.3>" in result.stdout
    assert ("Violation document: the document's date must be an xsd:date (YYYY-MM-DD) [dct:date] "
            "(value: 26 November 2015)") in result.stdout
    assert "Violation document: the document has more than one date [dct:date]" in result.stdout
    machine = cli("--out", str(built), "validate", "--format", "json", str(note))
    data = json.loads(machine.stdout)
    assert machine.returncode == 1 and data["conforms"] is False and data["violations"] == 2
    assert data["results"][0]["focus"] == f"{BASE}doc/ICC-ASP/14/Res.3"
    turtle = cli("--out", str(built), "validate", "--format", "turtle", str(note))
    report = Graph().parse(data=turtle.stdout, format="turtle")
    assert (None, RDF.type, SH.ValidationReport) in report
    assert len(set(report.subjects(RDF.type, SH.ValidationResult))) == 7  # two violations, the four source-defect warnings, the note


def test_a_file_validated_alone_gets_the_findings_rdflib_would_give(built, shapes, tmp_path):
    """`validate --only FILE` hands the file to pyshacl-turbo through Oxigraph, not rdflib: the same
    findings, labels and counts, for N-Triples and for Turtle with relative IRIs."""
    archive = tmp_path / "archive.nt"
    archive.write_text((built / "coopgraph.nt").read_text(encoding="utf-8")
                       + f'<{BASE}doc/ICC-ASP/14/Res.3> <http://purl.org/dc/terms/date> "26 November 2015" .\n', encoding="utf-8")
    relative = tmp_path / "relative.ttl"
    relative.write_text(f'<doc/ICC-ASP/14/Res.3> a <{CG}Resolution> ; <http://purl.org/dc/terms/date> "26 November 2015" ;\n'
                        '    <http://www.w3.org/2000/01/rdf-schema#label> "Resolution 3" .\n', encoding="utf-8")
    for path in (archive, relative):
        native = validate_file(path, shapes, BASE, 1 << 30)
        reference = validate_graph(read_graph_file(path, BASE, max_bytes=1 << 30), shapes, "turbo")
        assert native.findings == reference.findings and native.triples == reference.triples, path.name
    found = validate_file(archive, shapes, BASE, 1 << 30)
    assert found.counts["Violation"] == 2
    assert {f.focus_label for f in found.findings if f.severity == "Violation"} == {"ICC-ASP/14/Res.3"}
    assert ("Resolution 3", BASE + "doc/ICC-ASP/14/Res.3") in {(f.focus_label, f.focus) for f in validate_file(relative, shapes, BASE, 1 << 20).findings}
    cli_report = cli("--out", str(built), "validate", "--only", "--max-size", "100", "--format", "json", str(archive))
    assert cli_report.returncode == 1 and json.loads(cli_report.stdout)["violations"] == 2


@pytest.mark.parametrize("only", [False, True])
@pytest.mark.parametrize("name, content, message", [
    ("bad.nt", b"<http://a> <http://b> <http://c> .\n<http://a> <http://b> \"x .\n", "bad.nt, line 2, column"),
    ("bad.ttl", b"<http://a> <http://b> .\n", "bad.ttl, line 1, column"),
    ("bad.jsonld", b'{"@id": ', "bad.jsonld, line 1, column 9: not valid JSON"),
    ("empty.nt", b"", "the file is empty"),
    ("binary.jsonld", b"\x00\x01\x02", "a binary file"),
])
def test_validate_refuses_malformed_files_with_exit_2(built, tmp_path, name, content, message, only):
    path = tmp_path / name
    path.write_bytes(content)
    result = cli("--out", str(built), "validate", *(["--only"] if only else []), str(path))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_refuses_a_50_mb_file_with_exit_2(built, tmp_path):
    big = tmp_path / "big.ttl"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = cli("--out", str(built), "validate", str(big))
    assert result.returncode == 2 and "more than the limit" in result.stderr and "Traceback" not in result.stderr


def test_build_refuses_to_write_a_graph_that_does_not_conform(corpus_copy, tmp_path):
    manifest = corpus_copy / "corpus" / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("value = 66", "value = 67"), encoding="utf-8")
    out = tmp_path / "out"
    result = cli("--out", str(out), "build", root=corpus_copy)
    assert result.returncode == 1
    assert "the texts state 67 Recommendation units for this document but the graph holds 66" in result.stderr
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
    forced = cli("--out", str(out), "build", "--allow-invalid", root=corpus_copy)
    assert forced.returncode == 0 and (out / "coopgraph.nt").is_file()


@pytest.mark.parametrize("engine", ENGINES)
def test_a_shape_with_broken_sparql_is_named_and_nothing_is_written(corpus_copy, tmp_path, engine):
    shapes_file = corpus_copy / "shapes" / "units.ttl"
    shapes_file.write_text(shapes_file.read_text(encoding="utf-8").replace("SELECT", "SELEKT", 1), encoding="utf-8")
    out = tmp_path / "out"
    result = cli("--out", str(out), "build", root=corpus_copy, env={"COOPGRAPH_SHACL_ENGINE": engine})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"the shapes cannot be used ({engine}): the SPARQL of shape 'numbering'" in result.stderr
    assert "found 'SELEKT'" in result.stderr
    assert not out.exists()


def test_an_unknown_engine_is_refused(built):
    result = cli("--out", str(built), "validate", env={"COOPGRAPH_SHACL_ENGINE": "fastest"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "COOPGRAPH_SHACL_ENGINE='fastest': choose one of turbo, pyshacl" in result.stderr


def test_shapes_resolve_against_the_base_iri(tmp_path):
    result = cli("--base", "https://example.org/cg/", "--out", str(tmp_path), "build")
    assert result.returncode == 0, result.stderr
    assert "conforms: 0 violations" in result.stdout



# -- legal status -------------------------------------------------------------------------------------

def test_a_mandate_of_a_draft_cannot_be_called_issued(graph, shapes, engine):
    broken = copy(graph)
    mandate = iri("doc/asp15-bureau-report-cooperation/annex/I/para/4/mandate/1")
    assert (mandate, CG.mandateStatus, CG.ProposedMandate) in broken
    broken.set((mandate, CG.mandateStatus, CG.IssuedMandate))
    findings = [f for f in validate_graph(broken, shapes, engine).findings if f.severity == "Violation"]
    assert [f.focus for f in findings] == [str(mandate)] * len(findings) and findings
    assert all("called issued" in f.message and "not an adopted resolution" in f.message for f in findings)


def test_every_corpus_document_states_its_legal_status(graph, shapes, engine):
    broken = copy(graph)
    draft = iri("doc/asp15-bureau-report-cooperation/annex/I")
    broken.remove((draft, CG.legalStatus, None))
    found = results(validate_graph(broken, shapes, engine))
    assert (str(draft), "the corpus document must have one legal status of cg:LegalStatusScheme") in found
