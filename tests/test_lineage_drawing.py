"""The lineage drawing, checked from the SVG's geometry: each edge runs from its earlier box to its
later one and through no box, its label lies outside every box, the columns are sessions on a time
axis, and the sessions the corpus lacks are drawn as a band."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from coopgraph.lineage.engine import Lineage
from coopgraph.web.svg import lineage_svg
from tests.conftest import iri

SVG = "{http://www.w3.org/2000/svg}"
Box = tuple[float, float, float, float]


@pytest.fixture(scope="module")
def lineage(graph) -> Lineage:
    return Lineage(graph)


def drawing(lineage: Lineage, path: str) -> ET.Element:
    trace = lineage.trace(str(iri(path)), "both")
    assert trace.steps, f"{path} has no lineage to draw"
    return ET.fromstring(lineage_svg(trace, missing_between=lineage.missing_between))


def boxes(svg: ET.Element) -> dict[str, Box]:
    found = {}
    for group in svg.iter(f"{SVG}g"):
        if "data-iri" in group.attrib:
            rect = group.find(f"{SVG}rect")
            assert rect is not None
            found[group.attrib["data-iri"]] = tuple(float(rect.attrib[k]) for k in ("x", "y", "width", "height"))
    return found  # type: ignore[return-value]


def points(d: str) -> list[tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"-?[\d.]+", d)]
    assert re.fullmatch(r"M [-\d. ]+( L [-\d. ]+)*", d), f"not a path of straight segments: {d}"
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def inside(point: tuple[float, float], box: Box) -> bool:
    x, y, w, h = box
    return x + 0.5 < point[0] < x + w - 0.5 and y + 0.5 < point[1] < y + h - 0.5


def on_edge_of(point: tuple[float, float], box: Box) -> bool:
    x, y, w, h = box
    return (point[0] in (x, x + w) and y <= point[1] <= y + h) or (point[1] in (y, y + h) and x <= point[0] <= x + w)


@pytest.mark.parametrize("path", ["doc/ICC-ASP/14/Res.3/para/28", "doc/asp15-bureau-report-cooperation/annex/I/para/32",
                                  "doc/ICC-ASP/8/Res.2/para/17", "doc/ICC-ASP/14/Res.3/para/4"])
def test_each_edge_runs_between_its_own_two_boxes_and_through_no_other(lineage, path):
    svg = drawing(lineage, path)
    placed = boxes(svg)
    edges = [g for g in svg.iter(f"{SVG}g") if "data-from" in g.attrib]
    assert edges
    for group in edges:
        earlier, later = placed[group.attrib["data-from"]], placed[group.attrib["data-to"]]
        path_element = group.find(f"{SVG}path")
        assert path_element is not None
        line = points(path_element.attrib["d"])
        assert on_edge_of(line[0], earlier), (group.attrib, line[0], earlier)
        assert on_edge_of(line[-1], later), (group.attrib, line[-1], later)
        for (ax, ay), (bx, by) in zip(line, line[1:]):
            steps = int(max(abs(bx - ax), abs(by - ay))) + 1
            for k in range(steps + 1):
                point = (ax + (bx - ax) * k / steps, ay + (by - ay) * k / steps)
                crossed = [name for name, box in placed.items() if inside(point, box)]
                assert not crossed, f"the edge {group.attrib} runs through the box of {crossed[0]} at {point}"
        label = group.find(f"{SVG}text")
        assert label is not None and label.text == group.attrib["class"].split()[1].removeprefix("edge-")
        anchor = (float(label.attrib["x"]), float(label.attrib["y"]))
        assert not any(inside(anchor, box) for box in placed.values()), f"the label of {group.attrib} is under a box"


def test_columns_are_sessions_in_order_and_the_missing_sessions_a_band(lineage):
    svg = drawing(lineage, "doc/ICC-ASP/14/Res.3/para/28")
    titles = [(float(t.attrib["x"]), t.text or "") for t in svg.iter(f"{SVG}text") if t.attrib.get("class") == "year"]
    names = [text for _, text in sorted(titles)]
    assert "undated" not in names, names  # the 2007 report has no date of its own, but it is of the sixth session
    assert [n.split(" ·")[0] for n in names] == ["ASP 6", "ASP 8", "ASP 14", "ASP 15"], names
    bands = [g for g in svg.iter(f"{SVG}g") if g.attrib.get("class") == "gap-band"]
    words = [" ".join(t.text or "" for t in band.iter(f"{SVG}text")) for band in bands]
    assert any("ASP 9-13" in w for w in words), words
    assert any("ASP 7" in w for w in words), words  # between the sixth and the eighth: the seventh is not in the corpus
    band_x = sorted(float(band.find(f"{SVG}rect").attrib["x"]) for band in bands)  # type: ignore[union-attr]
    x_of = {text.split(" ·")[0]: x for x, text in titles}
    assert len(bands) == 2 and x_of["ASP 6"] < band_x[0] < x_of["ASP 8"] < band_x[1] < x_of["ASP 14"], (band_x, x_of)
