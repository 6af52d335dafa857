"""Parser for a text written in Akoma Ntoso 3.0: coopgraph's own export, or another producer's.

The markup already says what the text parsers work out from layout, so this parser reads
structure, not lines: each AKN element the profile (coopgraph/akn/profile.toml) names is a unit
of the kind the text parsers would give it; its path is the one its eId names when the eId
follows coopgraph's rule, otherwise its place (its parent's path, its segment, the value its
<num> prints, or its position). Footnotes are the <authorialNote>s, at the offset of their
marker. A unit's pinpoint lines are the lines of the XML file that hold its element. What has no
place in the graph (an element of a kind the profile does not read) is refused by name and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from coopgraph.akn.check import safe_parser
from coopgraph.akn.naming import AknError, Element, element_named, elements, path_of, profile
from coopgraph.corpus.clean import Line
from coopgraph.corpus.intake import ADOPTED, Facts, read_facts
from coopgraph.corpus.manifest import DocumentEntry
from coopgraph.corpus.records import ParsedDocument, Path_, Unit
from coopgraph.corpus.resolution import OPENING, PLACEHOLDER
from coopgraph.errors import CorpusError

SKIPPED = {"meta", "preface", "conclusions", "formula", "num", "heading", "subheading", "intro", "content",
           "attachments", "coverPage"}
FOOTNOTE = "authorialNote"


def akn_tag(node: Any) -> str:
    """An element's local name in the AKN namespace ("" for comments, processing instructions and
    elements of another namespace, such as coopgraph's own metadata)."""
    if not isinstance(node.tag, str) or etree.QName(node).namespace != profile()["namespace"]:
        return ""
    return etree.QName(node).localname


def children(node: Any, *tags: str) -> list[Any]:
    return [child for child in node if akn_tag(child) in tags]


def number_of(node: Any) -> str | None:
    """The value a <num> prints, as the text parsers keep it: "7." -> "7", "(a)" -> "a"."""
    num = next(iter(children(node, "num")), None)
    if num is None:
        return None
    return re.sub(r"^\(|[.)]+$", "", "".join(num.itertext()).strip()) or None


def last_line(node: Any) -> int:
    return max((n.sourceline or 0 for n in node.iter()), default=node.sourceline or 0)


@dataclass
class Words:
    """Inline content read out: the words as they stand, and each footnote at its marker's offset."""

    text: str = ""
    notes: list[tuple[Any, int]] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)  # the <noteRef>s' targets: editorial notes on the source

    def strip(self) -> Words:
        lead = len(self.text) - len(self.text.lstrip())
        text = self.text.strip()
        return Words(text, [(note, min(max(offset - lead, 0), len(text))) for note, offset in self.notes], self.remarks)

    def add(self, other: Words) -> None:
        joiner = " " if self.text and other.text else ""
        self.notes += [(note, offset + len(self.text) + len(joiner)) for note, offset in other.notes]
        self.remarks += other.remarks
        self.text += joiner + other.text


def words_of(node: Any) -> Words:
    """An inline element's words (refs, dates and emphasis read as their words), its notes set apart."""
    found = Words(node.text or "")
    for child in node:
        if akn_tag(child) == FOOTNOTE:
            found.notes.append((child, len(found.text)))
        elif akn_tag(child) == "noteRef":
            found.remarks.append((child.get("href") or "").lstrip("#"))
        elif isinstance(child.tag, str):
            inner = words_of(child)
            found.notes += [(note, offset + len(found.text)) for note, offset in inner.notes]
            found.remarks += inner.remarks
            found.text += inner.text
        found.text += child.tail or ""
    return found


def blocks_words(blocks: list[Any]) -> Words:
    """The words of a series of <p>s, joined as the text parsers join lines: by one space."""
    found = Words()
    for block in blocks:
        found.add(words_of(block).strip())
    return found


class AknReader:
    """Reads one AKN document (with its attachments) into the parser's records."""

    def __init__(self, source: str):
        self.source = source
        self.units: list[Unit] = []
        self.references: dict[str, str] = {}  # a <TLCConcept>'s eId -> its showAs
        self.defect_notes: dict[str, str] = {}  # an editorial <note class="sourceDefect">'s eId -> its words

    def fail(self, message: str, node: Any) -> CorpusError:
        return CorpusError(message, self.source, node.sourceline)

    def unit_path(self, node: Any, element: Element, parent: Path_, position: int) -> Path_:
        """The path its eId names (coopgraph's rule), or else its place below its parent."""
        eid = node.get("eId")
        if eid:
            try:
                return tuple(path_of(eid).split("/"))
            except AknError:
                pass  # another producer's eId: the place is read from the structure
        if element.valueless:
            return (*parent, element.segment)
        return (*parent, element.segment, number_of(node) or str(position))

    def note(self, node: Any, scope: Path_) -> Path_:
        """A footnote as its own unit; returns its path."""
        marker = node.get("marker") or ""
        eid = node.get("eId") or ""
        try:
            path = tuple(path_of(eid).split("/")) if eid else ()
        except AknError:
            path = ()
        if not path or path[-2:-1] != ("footnote",):
            if not re.fullmatch(r"\w+", marker):
                raise self.fail("an <authorialNote> with no @marker to number its footnote by", node)
            path = (*scope, "footnote", marker)
        words = blocks_words(children(node, "p") or [node])
        self.units.append(Unit("footnote", path, (node.sourceline, last_line(node)), text=words.text,
                               number=marker or path[-1], parent=scope))
        return path

    def attach_notes(self, unit: Unit, words: Words, scope: Path_) -> None:
        """The unit's footnotes at their markers, and the defects of the source its notes state."""
        unit.footnote_refs += [(self.note(note, scope), offset) for note, offset in words.notes]
        unit.defects += [self.defect_notes[eid] for eid in words.remarks if eid in self.defect_notes]

    def document(self, node: Any, base: Path_, scope: Path_) -> Words:
        """A document element's preamble, body and attachments, as units below `base`; returns the
        words its body states before its parts (an annex's own text)."""
        name = node.get("name") or ""
        for preamble in children(node, "preamble"):
            position = 0
            for child in preamble:
                tag = akn_tag(child)
                if tag in {"formula", ""} or (tag == "p" and "".join(child.itertext()).strip() == OPENING):
                    continue  # the enacting formula ("The Assembly of States Parties,")
                if tag not in {"p", "container", "blockContainer"}:
                    raise self.fail(f"<{tag}> in a preamble: coopgraph reads preambular paragraphs as <container> or <p>", child)
                position += 1
                element = elements()["preamble"]
                path = self.unit_path(child, element, base, position) if tag == "container" else (*base, "preamble", str(position))
                words = words_of(child).strip() if tag == "p" else blocks_words(children(child, "p"))
                unit = Unit("preamble", path, (child.sourceline, last_line(child)), text=words.text,
                            position=int(path[-1]) if path[-1].isdigit() else position, parent=base)
                self.units.append(unit)
                self.attach_notes(unit, words, scope)
        own = Words()
        for body in children(node, "mainBody", "body", "mainContent"):
            own.add(blocks_words(children(body, "p")))
            self.hierarchy(body, base, scope, name)
        for attachments in children(node, "attachments"):
            for attachment in children(attachments, "attachment"):
                self.attachment(attachment, base)
        return own

    def hierarchy(self, node: Any, parent: Path_, scope: Path_, document_name: str) -> None:
        """The units under `node`, in order; `parent` is the path of the unit that holds them."""
        positions: dict[str, int] = {}
        for child in node:
            tag = akn_tag(child)
            if tag in SKIPPED or tag in {"p", ""}:
                continue
            element = element_named(tag, child.get("name"))
            kind = element.kind_within(document_name) if element else None
            if element is None or kind is None or tag == "attachment":
                raise self.fail(f"<{tag}{' name=' + repr(child.get('name')) if child.get('name') else ''}> has no place "
                                f"in coopgraph's graph (the elements it reads: {self.readable()})", child)
            positions[element.segment] = positions.get(element.segment, 0) + 1
            path = self.unit_path(child, element, parent, positions[element.segment])
            heading_node = next(iter(children(child, "heading")), None)
            heading = words_of(heading_node).strip() if heading_node is not None else Words()
            blocks = [block for part in children(child, "intro", "content") for block in part if isinstance(block.tag, str)]
            for block in blocks:
                if akn_tag(block) != "p":  # a list or a table in a unit's words: coopgraph would lose its structure
                    raise self.fail(f"<{etree.QName(block).localname}> in the words of <{tag}>: coopgraph reads a unit's "
                                    "words as <p>s; mark each item as a unit of its own", block)
            words = blocks_words(blocks or (children(child, "p") if tag == "container" else []))
            unit = Unit(kind, path, (child.sourceline, last_line(child)), text=words.text, number=number_of(child),
                        heading=heading.text or None, parent=parent)
            if unit.number is None and path[-1].isdigit():  # an unnumbered unit is placed by its position
                unit.position = int(path[-1])
            self.units.append(unit)
            if not words.text and heading.notes:  # a heading that is the unit's whole text carries its notes
                self.attach_notes(unit, heading, scope)
            self.attach_notes(unit, words, scope)
            if kind in {"operative", "clause"} and PLACEHOLDER.match(unit.text):
                unit.attrs["placeholder"] = "true"
            self.concepts(child, unit)
            self.hierarchy(child, path, scope, document_name)

    def attachment(self, node: Any, base: Path_) -> None:
        element = elements()["annex"]
        path = self.unit_path(node, element, base, 1 + sum(u.kind == "annex" for u in self.units))
        documents = [c for c in node if akn_tag(c) not in SKIPPED and akn_tag(c)]
        heading = next(iter(children(node, "heading")), None)
        unit = Unit("annex", path, (node.sourceline, last_line(node)), number=number_of(node) or path[-1],
                    heading="".join(heading.itertext()).strip() if heading is not None else None, parent=base)
        self.units.append(unit)
        for document in documents:
            own = self.document(document, path, path)
            unit.text = own.text
            self.attach_notes(unit, own, path)

    def concepts(self, node: Any, unit: Unit) -> None:
        """A recommendation's cluster and addressee group, from the <TLCConcept>s it refers to."""
        for reference in (node.get("refersTo") or "").split():
            concept = self.references.get(reference.lstrip("#"))
            if concept is None:
                continue
            if reference.startswith("#cluster_"):
                unit.attrs["cluster"] = reference.removeprefix("#cluster_")
            elif reference.startswith("#addresseeGroup_"):
                unit.attrs["addressees"] = concept

    @staticmethod
    def readable() -> str:
        return ", ".join(sorted({e.element + (f"[@name={e.name}]" if e.name else "") for e in elements().values() if e.kind}))

    def read(self, root: Any) -> tuple[list[Unit], str]:
        if akn_tag(root) != "akomaNtoso":
            raise self.fail(f"the root element is <{etree.QName(root).localname}>, not <akomaNtoso> in "
                            f"{profile()['namespace']} (AKN 3.0)", root)
        documents = [c for c in root if akn_tag(c)]
        if len(documents) != 1:
            raise self.fail("<akomaNtoso> must hold exactly one document element", root)
        document = documents[0]
        self.references = {c.get("eId"): c.get("showAs") or "" for c in document.iterfind(".//{*}TLCConcept")}
        self.defect_notes = {n.get("eId"): " ".join("".join(n.itertext()).split())
                             for n in document.iterfind("{*}meta/{*}notes/{*}note") if n.get("class") == "sourceDefect"}
        own = self.document(document, (), ())
        if own.text:  # words of the text outside any unit would be lost: say where they are
            first = next(p for body in children(document, "mainBody", "body", "mainContent") for p in children(body, "p"))
            raise self.fail("words directly in the text's body, outside any unit: coopgraph places every word in a unit; "
                            "mark them as a <paragraph> (or a <container> in the <preamble>)", first)
        return self.units, " ".join(h for h in _lines(document, "preface", "conclusions") if h)


def read_root(data: bytes, source: str) -> Any:
    """The XML tree, read as every AKN file is (akn.check.safe_parser), or the line that is wrong."""
    try:
        return etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise CorpusError(f"not well-formed XML: {exc.msg}", source, exc.lineno) from None


def parse_akn(entry: DocumentEntry, lines: list[Line], vocab: frozenset[str]) -> ParsedDocument:
    """A text in AKN 3.0 into the parser's records (footnotes are linked by the markup itself)."""
    data = "\n".join(line.text for line in lines).encode("utf-8")
    units, header = AknReader(entry.file).read(read_root(data, entry.file))
    seen: dict[Path_, Unit] = {}
    for unit in units:
        if unit.path in seen:
            raise CorpusError(f"two units at {'/'.join(unit.path)} (lines {seen[unit.path].lines[0]} and {unit.lines[0]}): "
                              "an eId or a number is repeated", entry.file, unit.lines[0])
        seen[unit.path] = unit
    if entry.symbol and entry.symbol not in header:
        raise CorpusError(f"the <preface> and <conclusions> do not state the symbol {entry.symbol!r} the manifest gives", entry.file)
    return ParsedDocument(entry.id, entry.file, units, {"header": header}, notes_at_markers=True)


def is_akn(data: bytes) -> bool:
    """Whether a file to add is XML (then it must be AKN), not a plain text."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _value(document: Any, path: str, attribute: str = "value") -> str | None:
    node = document.find(path, {"a": profile()["namespace"]})
    return None if node is None else node.get(attribute)


def _lines(document: Any, *parts: str) -> list[str]:
    return [" ".join("".join(p.itertext()).split()) for part in children(document, *parts) for p in part.iter() if akn_tag(p) == "p"]


def _doc_title(document: Any) -> str | None:
    """The title its <preface> gives in <docTitle>, its spaces as one."""
    title = document.find("a:preface//a:docTitle", {"a": profile()["namespace"]})
    return (" ".join("".join(title.itertext()).split()) or None) if title is not None else None


def _session(document: Any) -> int | None:
    """The session a text belongs to, as coopgraph's export states it (<cg:session> in <proprietary>)."""
    held = document.find("a:meta/a:proprietary/{*}session", {"a": profile()["namespace"]})
    return int(held.text) if held is not None and (held.text or "").strip().isdigit() else None


def facts_of_akn(data: bytes, source: str) -> Facts:
    """What an AKN text states about itself. A text whose document element has a name of
    coopgraph's profile states its facts in its metadata (FRBRnumber's showAs, the adoption date,
    docTitle, the session, its attachments' names); any other producer's, where a resolution
    prints them, in its preface and conclusions, read as `add` reads a plain text's head."""
    root = read_root(data, source)
    if akn_tag(root) != "akomaNtoso" or not [c for c in root if akn_tag(c)]:
        raise CorpusError(f"not an Akoma Ntoso 3.0 document (<akomaNtoso> in {profile()['namespace']})", source, root.sourceline)
    document = next(c for c in root if akn_tag(c))
    kinds = {(k["element"], k["name"]): k for k in profile()["kinds"].values()}
    kind = kinds.get((akn_tag(document), document.get("name")))
    if kind is None or kind.get("type") is None:
        head = _lines(document, "preface") + _lines(document, "conclusions") + [OPENING]
        facts = read_facts("\n".join(head))
        facts.stated_in = {k: "<preface>/<conclusions> " + v.replace("line ", "paragraph ", 1) for k, v in facts.stated_in.items()}
        facts.shape = "akn"
        return facts
    facts = Facts(kind=kind["type"], shape="akn")
    shown = _value(document, "a:meta/a:identification/a:FRBRWork/a:FRBRnumber", "showAs")
    facts.title = _doc_title(document)
    if shown and "/" in shown:  # a UN-style symbol (ICC-ASP/6/21); a slug has no "/"
        facts.symbol = shown
    facts.session = _session(document)
    if facts.session is None and facts.symbol and (match := re.match(r"ICC-ASP/(\d+)/", facts.symbol)):
        facts.session = int(match.group(1))
    if _value(document, "a:meta/a:identification/a:FRBRWork/a:FRBRdate", "name") in {"adoption", "document"}:
        facts.date = _value(document, "a:meta/a:identification/a:FRBRWork/a:FRBRdate", "date")
    for line in _lines(document, "conclusions"):
        if match := ADOPTED.search(line):
            meeting, _, method = match.groups()
            facts.adopted = {"meeting": meeting, "date": facts.date or "", "method": method, "text": line}
    facts.stated_in = {"facts": "the AKN metadata (FRBRnumber, FRBRdate, docTitle, cg:session) and <conclusions>"}
    if facts.symbol is None and shown:
        facts.name = shown
    for attachment in document.iterfind("a:attachments/a:attachment", {"a": profile()["namespace"]}):
        inner = next((c for c in attachment if akn_tag(c) and akn_tag(c) not in SKIPPED), None)
        annex_kind = kinds.get((akn_tag(inner), inner.get("name"))) if inner is not None else None
        if inner is not None and annex_kind is not None and annex_kind.get("type"):
            facts.annexes.append({"number": number_of(attachment) or "", "type": annex_kind["type"],
                                  "title": _doc_title(inner) or "",
                                  "session": str(_session(inner) or facts.session or "")})
    return facts
