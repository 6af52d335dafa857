"""`coopgraph add`: the Assembly's next resolution goes in with one command, read from its text.

The new text is ICC-ASP/14/Res.3 as a later session might have adopted it: the header of the
fifteenth session, paragraph 14 removed, paragraph 10 reworded as the ASP15 draft words it, a
paragraph added, the rest renumbered."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tests.conftest import BASE, ROOT, cli, source_text

RES14 = "icc-asp-14-res-3_resolution-on-cooperation_2015.txt"
NEW = "ICC-ASP/15/Res.5"
DRAFT = "asp15-bureau-report-cooperation/annex/I"
ADDED = "Welcomes the work of the Court on a secure platform for transmitting requests for cooperation and assistance;"


def later_resolution() -> str:
    text = source_text(RES14)
    text = text.replace(" Resolution ICC-ASP/14/Res.3", " Resolution ICC-ASP/15/Res.5", 1)
    text = text.replace("Adopted at the 12th plenary meeting, on 26 November 2015, by consensus",
                        "Adopted at the 11th plenary meeting, on 24 November 2016, by consensus")
    text = text.replace("ICC-ASP/14/Res.3\nResolution on cooperation", "ICC-ASP/15/Res.5\nResolution on cooperation")
    removed = ("14. Urges States Parties to cooperate with requests of the Court made in the interest of\n"
               "Defence teams, in order to ensure the fairness of proceedings before the Court;\n\n")
    assert removed in text
    text = text.replace(removed, "")
    text = text.replace("10. Welcomes the report to the thirteenth session", "10. Recalls the report to the thirteenth session")

    def renumber(match: re.Match[str]) -> str:
        number = int(match.group(2))
        return f"{match.group(1)}{number - 1 if 15 <= number <= 26 else number}. "

    text = re.sub(r"(?m)^(\s*)(\d+)\. ", renumber, text)
    return text.replace("27. Requests the Bureau to maintain", f"26. {ADDED}\n\n27. Requests the Bureau to maintain", 1)


@pytest.fixture()
def corpus_root(corpus_copy: Path) -> Path:
    return corpus_copy


def test_add_reads_the_resolution_builds_it_and_links_it_to_both_earlier_texts(corpus_root: Path, tmp_path: Path):
    source = tmp_path / "res-15-5.txt"
    source.write_text(later_resolution(), encoding="utf-8")
    done = cli("add", str(source), root=corpus_root)
    assert done.returncode == 0, done.stderr
    assert "ICC-ASP/15/Res.5: adopted resolution of session 15, 2016-11-24" in done.stdout
    entry = next(d for d in tomllib.loads((corpus_root / "corpus" / "manifest.toml").read_text())["document"] if d["id"] == NEW)
    assert entry["session"] == 15 and entry["date"] == "2016-11-24" and entry["title"] == "Resolution on cooperation"
    assert entry["adopted"]["meeting"] == "11th plenary meeting" and "line" in entry["stated_in"]
    assert "mandates: 21" in done.stdout and "links to the corpus:" in done.stdout

    out = corpus_root / "build"
    units = cli("--out", str(out), "query", f"SELECT (COUNT(?u) AS ?n) WHERE {{ ?u a cg:OperativeParagraph ; "
                f"<http://data.europa.eu/eli/ontology#is_part_of> <{BASE}doc/{NEW}> }}", "--format", "csv", root=corpus_root)
    assert units.stdout.splitlines()[-1] == "28"
    issued = cli("--out", str(out), "query", f"SELECT (COUNT(?m) AS ?n) WHERE {{ ?u cg:mandate ?m . ?m cg:mandateStatus cg:IssuedMandate . "
                 f"?u <http://data.europa.eu/eli/ontology#is_part_of> <{BASE}doc/{NEW}> }}", "--format", "csv", root=corpus_root)
    assert issued.stdout.splitlines()[-1] == "21"

    # against the previous resolution: para 14 dropped, para 10 amended, the rest carried over renumbered
    changes = cli("--out", str(out), "changes", "ICC-ASP/14/Res.3", NEW, root=corpus_root).stdout
    rows = {line.split("  ")[0].strip(): line for line in changes.splitlines()}
    assert re.search(r"dropped .* ICC-ASP/14/Res.3, para. 14\b", changes)
    assert re.search(rf"amended +{re.escape(NEW)}, para. 10 +ICC-ASP/14/Res.3, para. 10 ", changes)  # same number
    assert re.search(rf"carried over, renumbered 15 -> 14 +{re.escape(NEW)}, para. 14 +ICC-ASP/14/Res.3, para. 15 ", changes)
    assert re.search(rf"new +{re.escape(NEW)}, para. 26 ", changes)
    assert "not in the corpus" not in changes  # consecutive sessions: no gap to name
    del rows
    # against its own session's draft: the negotiation, para 10 now in the draft's words
    negotiation = cli("--out", str(out), "changes", "asp15-bureau-report-cooperation annex I", NEW, root=corpus_root).stdout
    assert re.search(rf"carried over +{re.escape(NEW)}, para. 10 +ASP15 Bureau report on cooperation, annex I, para. 10 ", negotiation)
    adopted_from = cli("--out", str(out), "query", f"ASK {{ <{BASE}doc/{NEW}> cg:adoptedFrom <{BASE}doc/{DRAFT}> }}",
                       "--format", "json", root=corpus_root)
    assert '"boolean": true' in adopted_from.stdout
    # the draft's mandates are taken up by the adopted text from then on
    timeline = cli("--out", str(out), "timeline", "asp15-bureau-report-cooperation annex I para 31", root=corpus_root).stdout
    assert "status: taken up by an adopted resolution" in timeline and f"issued                               {NEW}, para. 27" in timeline

    again = cli("add", str(source), root=corpus_root)
    assert again.returncode == 2 and "already in the corpus" in again.stderr
    removed = cli("remove", NEW, root=corpus_root)
    assert removed.returncode == 0 and NEW not in (corpus_root / "corpus" / "manifest.toml").read_text()
    # the manifest is as it was before the add, to the byte, and the graph is rebuilt without the text
    assert (corpus_root / "corpus" / "manifest.toml").read_text() == (ROOT / "corpus" / "manifest.toml").read_text()
    gone = cli("--out", str(out), "query", f"ASK {{ <{BASE}doc/{NEW}> ?p ?o }}", "--format", "json", root=corpus_root)
    assert '"boolean": false' in gone.stdout


def test_a_text_whose_symbol_cannot_be_read_is_refused_naming_the_flag(corpus_root: Path, tmp_path: Path):
    before = (corpus_root / "corpus" / "manifest.toml").read_text()
    source = tmp_path / "no-symbol.txt"
    source.write_text(later_resolution().replace("ICC-ASP/15/Res.5", "ICC-ASP/15/Res.?"), encoding="utf-8")
    done = cli("add", str(source), root=corpus_root)
    assert done.returncode == 2 and "--symbol" in done.stderr and "Traceback" not in done.stderr
    assert (corpus_root / "corpus" / "manifest.toml").read_text() == before  # nothing added
    # Given a symbol its header does not print, the build refuses the text, and the corpus is put back
    given = cli("add", str(source), "--symbol", NEW, "--title", "Resolution on cooperation", root=corpus_root)
    assert given.returncode == 2 and "does not state the symbol 'ICC-ASP/15/Res.5'" in given.stderr
    assert "taken out again" in given.stderr
    assert (corpus_root / "corpus" / "manifest.toml").read_text() == before
    assert sorted(p.name for p in (corpus_root / "corpus").iterdir()) == sorted(
        p.name for p in (Path(__file__).parents[1] / "corpus").iterdir())


def test_add_reads_a_bureau_report_with_its_annexes(corpus_root: Path, tmp_path: Path):
    """The ASP15 report as the next session's: the report parser reads it by kind, not by year."""
    text = source_text("asp15_bureau-report-on-cooperation_2016.txt")
    text = text.replace("10 November 2016", "8 November 2017").replace("Fifteenth session", "Sixteenth session")
    source = tmp_path / "report.txt"
    source.write_text(text, encoding="utf-8")
    done = cli("add", str(source), root=corpus_root)
    assert done.returncode == 0, done.stderr
    assert ("asp16-bureau-report-cooperation: Bureau report of session 16, 2017-11-08, \"Report of the Bureau on cooperation\"; "
            "annex I: draft resolution; annex II: mandate list") in done.stdout
    entry = next(d for d in tomllib.loads((corpus_root / "corpus" / "manifest.toml").read_text())["document"]
                 if d["id"] == "asp16-bureau-report-cooperation")
    assert entry["shape"] == "bureau-report" and entry["session"] == 16 and "Sixteenth session" in entry["stated_in"]
    assert [(a["number"], a["type"], a["session"]) for a in entry["annex"]] == [("I", "draft-resolution", 16), ("II", "mandate-list", 16)]
    # its draft is a draft: its 23 mandates are proposed, and it is aligned with the draft of the session before
    assert "mandates: 30" in done.stdout and re.search(r"\d+ repeats +-> ASP15 Bureau report on cooperation, annex I", done.stdout)
    status = cli("--out", str(corpus_root / "build"), "query", "SELECT (COUNT(?m) AS ?n) WHERE { ?m cg:mandateStatus cg:IssuedMandate ; "
                 f"cg:issuedBy ?u . FILTER(STRSTARTS(STR(?u), \"{BASE}doc/asp16\")) }}", "--format", "csv", root=corpus_root)
    assert status.stdout.splitlines()[-1] == "0"
    wrong = source_text("asp15_bureau-report-on-cooperation_2016.txt").replace("Fifteenth session", "Session fifteen")
    (tmp_path / "undated.txt").write_text(wrong.replace("10 November 2016", "November 2016"), encoding="utf-8")
    refused = cli("add", str(tmp_path / "undated.txt"), root=corpus_root)
    assert refused.returncode == 2 and "--session" in refused.stderr and "--date" in refused.stderr


def test_a_resolution_of_a_later_session_goes_in_without_code(corpus_root: Path, tmp_path: Path):
    """Sessions come from the corpus, not from a range in the code: a resolution of the
    twenty-second session is added, and its deadline "twenty-third session" is read."""
    text = (" Resolution ICC-ASP/22/Res.4\n\nAdopted at the 9th plenary meeting, on 6 December 2023, by consensus\n\n"
            "ICC-ASP/22/Res.4\nResolution on cooperation\n\nThe Assembly of States Parties,\n\n"
            "Recalling the provisions of the Rome Statute,\n\n"
            "1. Requests the Bureau to report to the Assembly at its twenty-third session on cooperation;\n\n"
            "2. Requests the Court to submit an updated report on cooperation to the Assembly at its twenty-third session.\n")
    source = tmp_path / "res-22-4.txt"
    source.write_text(text, encoding="utf-8")
    done = cli("add", str(source), root=corpus_root)
    assert done.returncode == 0, done.stderr + done.stdout
    due = cli("--out", str(corpus_root / "build"), "query", "--name", "due-at-session", "-p",
              f"session={BASE}session/ASP/23", "--format", "csv", root=corpus_root)
    assert due.returncode == 0, due.stderr
    rows = due.stdout.strip().splitlines()[1:]
    assert len(rows) == 2 and all("twenty-third session" in row and "ICC-ASP/22/Res.4" in row for row in rows), rows


def test_a_title_or_symbol_that_cannot_name_a_document_is_refused(corpus_root: Path, tmp_path: Path):
    """`add --title` with '<', '>' or '"' built an unchecked document id (a traceback with pySHACL, a
    misleading message with the other engine); now the id keeps only what an IRI carries, and a
    symbol that cannot be one is refused naming the flag, with the corpus as it was."""
    from coopgraph.corpus.intake import Facts
    from coopgraph.errors import CorpusError

    facts = Facts(session=16, title='Report of the Bureau on <co"op> matters')
    assert facts.id == "asp16-bureau-report-co-op-matters"
    with pytest.raises(CorpusError, match="gives no name"):
        _ = Facts(session=16, title='Report of the Bureau on <">').id
    before = (corpus_root / "corpus" / "manifest.toml").read_text()
    source = tmp_path / "res.txt"
    source.write_text(later_resolution().replace("ICC-ASP/15/Res.5", "ICC-ASP/15/Res.?"), encoding="utf-8")
    symbol = cli("add", str(source), "--symbol", 'ICC-ASP/15/<x>"', "--title", "Resolution on cooperation", root=corpus_root)
    assert symbol.returncode == 2 and "--symbol" in symbol.stderr and "Traceback" not in symbol.stderr, symbol.stderr
    assert (corpus_root / "corpus" / "manifest.toml").read_text() == before
