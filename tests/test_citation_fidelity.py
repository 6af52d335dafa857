"""The fidelity check of citations: each reference a unit's text or footnotes make is a citation
edge of the graph, at its pinpoint (annex, appendix, paragraph), and a document named only by a
description is a node without text labelled with those words.

The expected references are read from the texts (quoted beside each); the sweep at the end reads
every unit's words again with patterns of its own and finds no reference the graph lacks."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from coopgraph.terms import CG, DCTERMS, RDF
from tests.conftest import BASE

DOC = f"{BASE}doc/"
REPORT = "asp15-bureau-report-cooperation"

READ = [
    # "the study in annex II of the report of the Bureau on cooperation to the thirteenth session³" (³ ICC-ASP/13/29.)
    ("ICC-ASP/14/Res.3/para/10", "ICC-ASP/13/29/annex/II"),
    (f"{REPORT}/annex/II/item/b", "ICC-ASP/13/29/annex/II"),
    # "² ICC-ASP/14/26/Add.1, appendix."
    ("ICC-ASP/14/Res.3/para/4", "ICC-ASP/14/26/Add.1/appendix"),
    (f"{REPORT}/annex/I/para/4", "ICC-ASP/14/26/Add.1/appendix"),
    (f"{REPORT}/annex/II/item/a", "ICC-ASP/14/26/Add.1/appendix"),
    # "general mandatory obligations under the Statute"
    ("ICC-ASP/6/21/para/18", "rome-statute"),
    ("ICC-ASP/6/21/rec/1", "rome-statute"),
    # "the ICC Model Law, which has been developed by the Commonwealth Secretariat"
    ("ICC-ASP/6/21/para/20", "icc-model-law"),
    # "Further noting the arrest guidelines issued by the Office of the Prosecutor"
    ("ICC-ASP/14/Res.3/preamble/6", "otp-arrest-guidelines"),
    # "guidelines setting out the policy of the United Nations Secretariat on contacts ... letter dated 3 April 2013"
    ("ICC-ASP/14/Res.3/preamble/7", "un-contacts-guidelines-2013"),
    (f"{REPORT}/annex/I/preamble/7", "un-contacts-guidelines-2013"),
]


def cited_by(graph: Graph, unit: URIRef) -> set[str]:
    """What a unit cites, in its own words or in its footnotes."""
    nodes = {unit, *graph.objects(unit, CG.footnote)}
    return {str(graph.value(c, CG.citedNode)).removeprefix(DOC) for n in nodes for c in graph.objects(n, CG.citation)}


@pytest.mark.parametrize(("unit", "target"), READ)
def test_each_reference_read_in_the_texts_is_cited_at_its_pinpoint(graph: Graph, unit: str, target: str):
    assert target in cited_by(graph, URIRef(DOC + unit)), (unit, sorted(cited_by(graph, URIRef(DOC + unit))))


def test_a_document_named_only_by_a_description_is_a_node_without_text(graph: Graph):
    for slug, words in (("icc-model-law", "the ICC Model Law"),
                        ("otp-arrest-guidelines", "the arrest guidelines issued by the Office of the Prosecutor")):
        node = URIRef(DOC + slug)
        assert (node, RDF.type, CG.ExternalDocument) in graph and graph.value(node, CG.text) is None
        assert str(graph.value(node, RDFS.label)) == words
        citation = next(c for c in graph.subjects(CG.citedNode, node))
        assert str(graph.value(citation, CG.identifiedBy)) == "description"


def test_titles_keep_their_typographic_quotes(graph: Graph):
    title = str(graph.value(URIRef(DOC + "flyer-66-recommendations"), DCTERMS.title))
    assert "States’ Cooperation" in title and "'" not in title


SWEEP = [
    (re.compile(r"(ICC-ASP/\d+/[\w.]+(?:/[\w.]+)*), annex (I{1,3})\b"), lambda m: f"{m.group(1)}/annex/{m.group(2)}"),
    (re.compile(r"(ICC-ASP/\d+/[\w.]+(?:/[\w.]+)*), appendix\b"), lambda m: f"{m.group(1)}/appendix"),
    (re.compile(r"\bthe (?:Rome )?Statute\b"), lambda m: "rome-statute"),
]


def test_the_sweep_finds_no_reference_the_graph_lacks(graph: Graph):
    missing, checked = [], 0
    for unit, text in graph.subject_objects(CG.text):
        if (unit, RDF.type, CG.Footnote) in graph:
            holder = graph.value(unit, CG.footnoteOf)
        else:
            holder = unit
        for pattern, target in SWEEP:
            for match in pattern.finditer(str(text)):
                if re.search(r"States\s+Parties\s+to\s+$", str(text)[:match.start()]):
                    continue  # "the Assembly of States Parties to the Rome Statute" names the Assembly
                checked += 1
                cited = cited_by(graph, holder) | cited_by(graph, unit)
                want = target(match)
                if not any(c == want or c.startswith(want + "/") for c in cited):
                    missing.append((str(unit).removeprefix(DOC), match.group(0), want))
    assert checked > 20 and not missing, missing
