"""The parser, unit by unit, against the source texts."""

from __future__ import annotations

import re

import pytest

from coopgraph.corpus.records import ParsedDocument
from tests.conftest import normalise, source_text

ASP8, ASP14, REPORT07 = "ICC-ASP/8/Res.2", "ICC-ASP/14/Res.3", "ICC-ASP/6/21"
ASP15, FLYER = "asp15-bureau-report-cooperation", "flyer-66-recommendations"

# Part I of the 2007 report: recommendations after the paragraphs of each cluster (read off the text).
CLUSTER_OF_RECOMMENDATION = {
    **{n: "1" for n in range(1, 7)}, **{n: "2" for n in range(7, 12)}, **{n: "3" for n in range(12, 17)},
    **{n: "4" for n in range(17, 22)}, **{n: "5" for n in range(22, 25)}, **{n: "6" for n in range(25, 29)},
    **{n: "7" for n in range(29, 32)},
}


def numbers(doc: ParsedDocument, kind: str, prefix: tuple[str, ...] = ()) -> list[str]:
    return [u.number or "" for u in doc.of_kind(kind) if u.path[: len(prefix)] == prefix]


def test_sixty_six_recommendations_with_their_cluster_part_and_addressees(documents):
    recs = documents[REPORT07].of_kind("recommendation")
    assert [int(u.number or 0) for u in recs] == list(range(1, 67))
    for rec in recs:
        n = int(rec.number or 0)
        if n <= 31:
            assert rec.attrs["part"] == "I" and rec.attrs["cluster"] == CLUSTER_OF_RECOMMENDATION[n], n
        elif n <= 60:
            assert rec.attrs["part"] == "II" and "cluster" not in rec.attrs
            assert rec.attrs["section"] == ("A" if n <= 41 else "B")
        else:
            assert rec.attrs["part"] == "III"
    groups = {int(u.number or 0): u.attrs.get("addressees") for u in recs}
    assert {groups[n] for n in range(32, 42)} == {"Recommendations to the Court"}
    assert {groups[n] for n in range(42, 53)} == {"Recommendations to States Parties"}
    assert {groups[n] for n in range(53, 56)} == {"Recommendations to the Court"}
    assert {groups[n] for n in range(56, 61)} == {"Recommendations to States Parties and the Court"}
    assert groups[17] is None


def test_report_paragraphs_run_1_to_79(documents):
    assert numbers(documents[REPORT07], "report-paragraph") == [str(n) for n in range(1, 80)]
    assert numbers(documents[ASP15], "report-paragraph") == [str(n) for n in range(1, 22)]


@pytest.mark.parametrize(("doc_id", "prefix", "count"), [(ASP8, (), 17), (ASP14, (), 28), (ASP15, ("annex", "I"), 32)])
def test_operative_paragraph_counts(documents, doc_id, prefix, count):
    assert numbers(documents[doc_id], "operative", prefix) == [str(n) for n in range(1, count + 1)]


def test_preamble_counts(documents):
    assert len(documents[ASP8].of_kind("preamble")) == 3
    assert len(documents[ASP14].of_kind("preamble")) == 10
    assert len(documents[ASP15].of_kind("preamble")) == 10


def test_asp15_placeholder_paragraph_29_is_present_and_marked(documents):
    para = documents[ASP15].unit("annex", "I", "para", "29")
    assert para.text == "[Placeholder for text based on ASP cooperation debate]."
    assert para.attrs.get("placeholder") == "true"
    assert [u.number for u in documents[ASP15].of_kind("operative") if u.attrs.get("placeholder")] == ["29"]


def test_asp15_annex_ii_mandates_a_to_g(documents):
    items = documents[ASP15].of_kind("mandate-item")
    assert [u.number for u in items] == list("abcdefg")
    assert items[6].text == ("requests the Court to submit an updated report on cooperation to the Assembly at its "
                             "sixteenth session and annually thereafter.")


def test_asp8_paragraph_16_items_a_to_k(documents):
    items = [u for u in documents[ASP8].of_kind("item") if u.parent == ("para", "16")]
    assert [u.number for u in items] == list("abcdefghijk")
    assert items[3].text.startswith("Developing a framework of action for the adoption of national legislation pursuant to article 88")


@pytest.mark.parametrize(
    ("doc_id", "footnote", "anchor", "words_before"),
    [
        (ASP8, ("footnote", "1"), ("preamble", "2"), "eighth session"),
        (ASP8, ("footnote", "2"), ("para", "16", "item", "k"), "Report of the Bureau on cooperation"),
        (ASP14, ("footnote", "1"), ("para", "2"), "remain outstanding,"),
        (ASP14, ("footnote", "2"), ("para", "4"), "by the Rapporteur"),
        (ASP14, ("footnote", "3"), ("para", "10"), "to the thirteenth session"),
        (ASP14, ("footnote", "4"), ("para", "24"), "adopted by States Parties in 2007"),
        (REPORT07, ("footnote", "1"), ("para", "10"), "at its next session”."),
        (REPORT07, ("footnote", "9"), ("para", "53"), "staff and suspects"),
        (REPORT07, ("footnote", "11"), ("para", "56"), "resolution ICC-ASP/4/Res.4."),
        (REPORT07, ("footnote", "12"), ("part", "III"), None),
        (ASP15, ("footnote", "1"), ("para", "4"), "(ICC-ASP/14/Res.3),"),
        (ASP15, ("footnote", "13"), ("para", "18"), "fifteenth session of the Assembly.”"),
        (ASP15, ("annex", "I", "footnote", "3"), ("annex", "I", "para", "27"), "adopted by States Parties in 2007"),
        (ASP15, ("annex", "II", "footnote", "2"), ("annex", "II", "item", "b"), "to the thirteenth session"),
        (FLYER, ("footnote", "1"), ("area", "1"), "Privileges and Immunities of the Court"),
    ],
)
def test_footnotes_attach_where_their_markers_stand(documents, doc_id, footnote, anchor, words_before):
    doc = documents[doc_id]
    unit = doc.unit(*anchor)
    refs = {path: offset for path, offset in unit.footnote_refs}
    assert footnote in refs, unit.footnote_refs
    if words_before:
        assert unit.text[: refs[footnote]].endswith(words_before)
    doc.unit(*footnote)  # the footnote itself is a unit


def test_footnote_numbering_restarts_per_part_of_the_asp15_report(documents):
    notes = [u.path for u in documents[ASP15].of_kind("footnote")]
    assert [p for p in notes if len(p) == 2] == [("footnote", str(n)) for n in range(1, 14)]
    assert [p[-1] for p in notes if p[:2] == ("annex", "I")] == ["1", "2", "3"]
    assert [p[-1] for p in notes if p[:2] == ("annex", "II")] == ["1", "2"]


def test_no_page_header_footnote_or_marker_leaks_into_unit_text(documents):
    footnote_texts = [u.text for d in documents.values() for u in d.of_kind("footnote")]
    for doc in documents.values():
        for unit in doc.units:
            if unit.kind == "footnote" or not unit.text:
                continue
            assert not re.search(r"ICC-ASP/6/21 Page|\bPage \d+\b", unit.text), unit.key
            assert not re.search("[⁰¹²³⁴⁵⁶⁷⁸⁹\ue000\ue001*]", unit.text), unit.key
            assert not re.search(r"\s{2,}", unit.text), unit.key
            for note in footnote_texts:
                if len(note) > 20:
                    assert note not in unit.text, (unit.key, note)
    para12 = documents[ASP14].unit("para", "12")
    assert "As at 21 August 2015" not in para12.text
    assert not re.search(r"(outstanding,1|Rapporteur2|session3|20074)", documents[ASP14].unit("para", "24").text)


# Quotes checked character for character against the source (after cleaning).
QUOTES = [
    (ASP14, ("para", "12"), "Recognizes that effective and expeditious cooperation with regard to the Court's requests for "
     "the identification, tracing and freezing or seizure of proceeds, property and assets, can be of value to provide for "
     "reparation to victims and address the costs of legal aid;"),
    (ASP14, ("para", "24"), "Welcomes the exchange of information on the implementation of the 66 recommendations on "
     "cooperation adopted by States Parties in 2007 as a first step in the reviewing process of the 66 recommendations, "
     "takes note of the flyer prepared by the Court that can be used by all stakeholders to promote the 66 recommendations "
     "and increase their understanding and implementation by relevant national actors and the Court, and, requests the "
     "Bureau, through its Working Groups, to continue its review of the implementation of the 66 recommendations, in close "
     "cooperation with the Court, where appropriate;"),
    (REPORT07, ("rec", "17"), "All States Parties should contribute where appropriate to generating political support and "
     "momentum for the timely arrest and surrender of wanted persons both in their bilateral contacts and activities in "
     "regional and international organisations."),
    (REPORT07, ("rec", "27"), "In requests for operational assistance the Court should be mindful of possible burden-sharing."),
    (REPORT07, ("para", "40"), "Political support for arrest and surrender is important in relation to all cases. States "
     "Parties can support arrest and surrender both in bilateral contacts and activities and through regional and "
     "international organisations. In order to generate the necessary political support and pressure, all States Parties "
     "should, where relevant, stress the importance of this issue. The Court’s judicial mandate is not negotiable. This, "
     "however, does not contradict the need to view the activities of the Court in a broad political perspective."),
    (ASP15, ("annex", "I", "para", "13"), "Underlines the importance of effective procedures and mechanisms that enable "
     "States Parties and other States to cooperate with the Court in relation to the identification, tracing and freezing "
     "or seizure of proceeds, property and assets as expeditiously as possible; welcomes the Court's report and comprehensive "
     "presentation on cooperation challenges faced by the Court with respect to financial investigation and calls on all "
     "States Parties to put in place and further improve effective procedures and mechanisms in this regard, with a view to "
     "facilitate cooperation between the Court, States Parties, other States and international organizations;"),
    (ASP8, ("para", "1"), "Recalls the adoption of the resolution of the Assembly on Strengthening the International Criminal "
     "Court and the Assembly of States Parties, at its sixth session on 14 December 2007, and strongly encourages States "
     "Parties to continue to intensify their cooperation with the Court, inter alia, by implementing the full-range of "
     "recommendations contained in annex II of the resolution;"),
    (FLYER, ("area", "3"), "Several ICC suspects remain at large, some for more than 10 years. Concrete arrest strategies are required."),
    (FLYER, ("area", "6"), "The ICC is a relatively young permanent international institution; active efforts by States to "
     "raise awareness and to enhance understanding of the Court are essential for broadening international support for the "
     "Rome Statute system of international criminal justice. States can express their support by making public statements "
     "in international fora, as well as through diplomatic dialogue in various settings. States Parties play a key role in "
     "ensuring the support of the United Nations, and regional and other intergovernmental organizations for the ICC."),
]


@pytest.mark.parametrize(("doc_id", "path", "quote"), QUOTES, ids=[f"{d}:{'/'.join(p)}" for d, p, _ in QUOTES])
def test_sample_quotes_match_the_source(documents, doc_id, path, quote):
    assert documents[doc_id].unit(*path).text == quote


def test_flyer_has_its_seven_key_areas_with_headings(documents):
    areas = documents[FLYER].of_kind("key-area")
    assert [u.number for u in areas] == [str(n) for n in range(1, 8)]
    headings = [u.heading for u in areas]
    assert headings[2] == "Arrest and surrender"
    assert headings[3] == "Identification, seizing and freezing of assets"
    assert headings[4] == "Cooperation Agreements"
    assert headings[6] == "Inter-State cooperation in the context of the Rome Statute system"
    assert "incentivize" in areas[1].text and "Increased attention" in areas[1].text


def test_every_unit_carries_provenance_that_points_at_its_words(documents):
    from coopgraph.config import Settings

    corpus = Settings().corpus_dir
    for doc in documents.values():
        lines = (corpus / doc.source_file).read_text(encoding="utf-8").split("\n")
        for unit in doc.units:
            first, last = unit.lines
            assert 1 <= first <= last <= len(lines), unit.key
            if unit.kind in {"operative", "report-paragraph", "preamble", "item", "mandate-item"}:
                first_words = " ".join(unit.text.split()[:2]).replace("*", "")
                assert first_words in normalise(lines[first - 1].replace("*", "")), (doc.doc_id, unit.key)


def test_header_facts_are_stated_by_the_text():
    assert "Adopted at the 8th plenary meeting, on 26 November 2009, by consensus" in source_text(
        "icc-asp-8-res-2_resolution-on-cooperation_2009.txt")
    assert "Adopted at the 12th plenary meeting, on 26 November 2015, by consensus" in source_text(
        "icc-asp-14-res-3_resolution-on-cooperation_2015.txt")
