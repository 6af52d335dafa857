"""A graph built and served under another base IRI (`--base`, COOPGRAPH_BASE): every page kind
keeps its source link and its "how to cite" box, and no link carries the default base."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.conftest import RunningServer, cli

OTHER = "https://example.org/kg/"
DEFAULT = "https://w3id.org/coopgraph/"

PAGES = {  # page kind -> path, and whether it shows a unit of a text (source link and citation box; "cite": the box only)
    "home": ("/", False),
    "document": ("/doc/ICC-ASP/14/Res.3", "cite"),
    "unit": ("/doc/ICC-ASP/14/Res.3/para/27", True),
    "recommendation": ("/doc/ICC-ASP/6/21/rec/17", True),
    "annexed text": ("/doc/asp15-bureau-report-cooperation/annex/I/para/32", True),
    "footnote": ("/doc/ICC-ASP/14/Res.3/footnote/3", True),
    "mandate": ("/doc/ICC-ASP/14/Res.3/para/28/mandate/1", False),
    "cited document": ("/doc/ICC-ASP/13/Res.3", False),
    "actor": ("/actor/bureau", False),
    "session": ("/session/ASP/14", False),
    "search": ("/search?q=arrest", False),
    "compare": ("/compare?a=ICC-ASP/14/Res.3&b=asp15-bureau-report-cooperation+annex+I", False),
    "memo": ("/memo?ref=ICC-ASP/14/Res.3,+para.+28", False),
    "named queries": ("/queries", False),
}


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory):
    out: Path = tmp_path_factory.mktemp("other-base")
    built = cli("--out", str(out), "build", env={"COOPGRAPH_BASE": OTHER})
    assert built.returncode == 0, built.stderr
    server = RunningServer(out, env={"COOPGRAPH_BASE": OTHER})
    yield server
    server.stop()


def test_every_page_kind_keeps_its_links_under_another_base(elsewhere):
    with httpx.Client(base_url=elsewhere.url, timeout=30) as http:
        for kind, (path, is_text) in PAGES.items():
            page = http.get(path, headers={"Accept": "text/html"})
            assert page.status_code == 200, (kind, page.status_code)
            hrefs = re.findall(r'href="([^"]+)"', page.text)
            # the vocabulary keeps its own namespace (ontology#); no link to a node of the default base
            stray = [h for h in hrefs if (DEFAULT in h and not h.startswith(DEFAULT + "ontology#")) or h.startswith("/http")]
            assert not stray, (kind, stray)
            if is_text:
                assert 'id="cite"' in page.text, kind
            if is_text is True:  # a unit: its lines in the source file too
                assert 'id="source-link"' in page.text, kind
                source = re.search(r'id="source-link"[^>]*|href="([^"]+)" id="source-link"', page.text)
                link = re.search(r'<a href="([^"]+)" id="source-link"', page.text)
                assert source and link and link.group(1).startswith("/source/"), (kind, link and link.group(1))
                assert http.get(link.group(1).replace("&amp;", "&")).status_code == 200, kind
