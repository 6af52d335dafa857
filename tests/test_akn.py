"""Akoma Ntoso 3.0: every corpus text is written as AKN that the OASIS schema and the profile accept,
each eId names one unit both ways, the words are the graph's (footnotes at their markers), and bad
files are refused with the reason; served at the text's IRI with Accept: application/akn+xml."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from lxml import etree
from rdflib import Graph, Literal

from coopgraph.akn.check import check_bytes, read
from coopgraph.akn.export import export_document, exportable, units_of
from coopgraph.akn.naming import AKN_MEDIA, AknError, eid_of, path_of
from coopgraph.terms import CG, ELI
from tests.conftest import BASE, cli, iri

NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}


@pytest.fixture(scope="module")
def exported(graph: Graph) -> dict[str, bytes]:
    return {str(d): export_document(graph, BASE, d) for d in exportable(graph)}


def test_every_text_of_the_corpus_is_valid_akn_with_every_unit_and_its_words(graph: Graph, exported: dict[str, bytes]):
    assert len(exported) == 5  # two resolutions, two Bureau reports, the flyer: the annexes are attachments
    for document, data in exported.items():
        assert check_bytes(data, document, graph, iri(document[len(BASE):])) == [], document


def test_footnotes_stand_at_their_markers_and_citations_are_refs(exported: dict[str, bytes]):
    """Read off the printed resolution (lines 160-170 of its source): footnote 1 follows "remain
    outstanding,", footnote 3 follows "to the thirteenth session" and cites ICC-ASP/13/29."""
    root = read(exported[BASE + "doc/ICC-ASP/14/Res.3"], "ICC-ASP/14/Res.3")
    note1 = root.find(".//a:authorialNote[@eId='fnt_1']", NS)
    assert note1.getparent().text.endswith("remain outstanding,") and note1.get("marker") == "1"
    assert "".join(note1.itertext()) == "As at 21 August 2015."
    note3 = root.find(".//a:paragraph[@eId='para_10']//a:authorialNote[@eId='fnt_3']", NS)
    assert note3 is not None and note3.find("a:p/a:ref", NS).get("href") == BASE + "doc/ICC-ASP/13/29/annex/II"
    first = root.find(".//a:container[@eId='preambular_1']/a:p", NS)
    assert [r.text for r in first.findall("a:ref", NS)][:2] == ["Rome Statute", "RC/Dec.2"]
    assert root.find(".//a:conclusions/a:p/a:date", NS).get("date") == "2015-11-26"


def test_the_report_carries_its_draft_resolution_and_mandate_list_as_attachments(exported: dict[str, bytes]):
    root = read(exported[BASE + "doc/asp15-bureau-report-cooperation"], "ASP15 report")
    attached = [(a.get("eId"), etree.QName(a.find("*[a:meta]", NS)).localname, a.find("*[a:meta]", NS).get("name"))
                for a in root.findall("a:doc/a:attachments/a:attachment", NS)]
    assert attached == [("att_I", "statement", "resolutionDraft"), ("att_II", "doc", "mandateList")]
    draft = root.find(".//a:attachment[@eId='att_I']/a:statement", NS)
    assert draft.find("a:conclusions", NS) is None  # a draft is not adopted: no adoption line
    status = draft.find("a:meta/a:proprietary/*", NS)
    assert status.get("href").endswith("#DraftResolutionStatus")


def test_each_eid_names_one_unit_both_ways(graph: Graph):
    for document in exportable(graph):
        prefix, seen = str(document) + "/", set()
        for unit in units_of(graph, document):
            eid = str(graph.value(unit, CG.eId))
            assert path_of(eid) == str(unit)[len(prefix):] and eid_of(str(unit)[len(prefix):]) == eid
            assert eid not in seen, (unit, eid)
            seen.add(eid)
            assert str(graph.value(unit, ELI.id_local)).endswith(f"/!main~{eid}")
    assert graph.value(iri("doc/ICC-ASP/14/Res.3/para/7"), ELI.id_local) == Literal(
        "/akn/zz/statement/deliberation/asp/2015-11-26/ICC-ASP-14-Res.3/eng@2015-11-26/!main~para_7")
    with pytest.raises(AknError):
        path_of("para_7__nonsense_3")


def test_a_broken_file_is_refused_with_the_reason(graph: Graph, exported: dict[str, bytes]):
    good = exported[BASE + "doc/ICC-ASP/8/Res.2"]
    document = iri("doc/ICC-ASP/8/Res.2")
    schema = good.replace(b"<mainBody>", b"<mainBody><chapterette/>", 1)
    assert any("chapterette" in p for p in check_bytes(schema, "x", graph, document))
    number = good.replace(b'<FRBRnumber value="ICC-ASP-8-Res.2"', b'<FRBRnumber value="ICC-ASP-9-Res.2"', 1)
    assert any("the IRI's number" in p for p in check_bytes(number, "x", graph, document))
    root = read(good, "x")
    paragraph = root.find(".//a:paragraph[@eId='para_5']", NS)
    paragraph.getparent().remove(paragraph)
    assert any("para_5" in p and "missing" in p for p in check_bytes(etree.tostring(root), "x", graph, document))
    twice = good.replace(b'eId="para_4"', b'eId="para_5"', 1)
    assert any("eId para_5 is on 2 elements" in p for p in check_bytes(twice, "x", graph, document))
    words = good.replace(b"Calls upon", b"Calls on", 1)
    assert good != words and any("the words differ" in p for p in check_bytes(words, "x", graph, document))
    bomb = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "bbbbbbbbbb"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><a>&c;</a>'
    assert check_bytes(bomb, "bomb", None, None)  # not expanded, refused by the schema, promptly
    with pytest.raises(AknError, match="not well-formed"):
        check_bytes(b"<akomaNtoso", "cut.xml")


def test_the_command_line_exports_and_checks(tmp_path: Path, built_dir: Path):
    done = cli("--out", str(built_dir), "export", "--all", "--to", str(tmp_path / "akn"))
    assert done.returncode == 0, done.stderr
    files = sorted((tmp_path / "akn").glob("*.xml"))
    assert [f.name for f in files] == ["ICC-ASP-14-Res.3.xml", "ICC-ASP-6-21.xml", "ICC-ASP-8-Res.2.xml",
                                       "asp15-bureau-report-cooperation.xml", "flyer-66-recommendations.xml"]
    checked = cli("validate", "--akn", *map(str, files))
    assert checked.returncode == 0 and checked.stdout.count("valid (OASIS AKN 3.0") == 5, checked.stdout
    (tmp_path / "cut.xml").write_bytes(files[0].read_bytes()[:500])
    broken = cli("validate", "--akn", str(tmp_path / "cut.xml"))
    assert broken.returncode == 2 and "cut.xml: not well-formed XML" in broken.stderr and "Traceback" not in broken.stderr
    unit = cli("--out", str(built_dir), "export", "ICC-ASP/14/Res.3 para 7")
    assert unit.returncode == 2 and "not a text of the corpus" in unit.stderr


def test_a_text_is_served_as_akn_at_its_iri(server):
    with httpx.Client(base_url=server.url, timeout=30) as http:
        text = http.get("/doc/ICC-ASP/14/Res.3", headers={"Accept": AKN_MEDIA})
        assert text.status_code == 200 and text.headers["content-type"].startswith(AKN_MEDIA)
        assert check_bytes(text.content, "served") == []
        assert http.get("/doc/ICC-ASP/14/Res.3?format=akn").content == text.content
        unit = http.get("/doc/ICC-ASP/14/Res.3/para/7", headers={"Accept": AKN_MEDIA})
        assert unit.status_code == 406 and unit.text.split("offered: ")[1] == "text/html, application/ld+json, text/turtle, application/n-triples"
        browser = http.get("/doc/ICC-ASP/14/Res.3", headers={"Accept": "text/html,*/*;q=0.8"})
        assert browser.headers["content-type"].startswith("text/html") and 'id="akn-link"' in browser.text
        assert 'id="akn-link"' not in http.get("/doc/ICC-ASP/14/Res.3/para/7", headers={"Accept": "text/html"}).text
