"""A corpus text as Akoma Ntoso 3.0: every unit of the graph in its place with its exact text and
printed number, footnotes at their markers, citations as <ref href>, the annexes as attachments,
the actors and sessions as references, the lineage in <analysis> and the legal status stated."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from lxml import etree
from rdflib import Graph, URIRef

from coopgraph.akn.naming import AknError, eid_of, last_element, latest_date_stated, number_segment, profile
from coopgraph.corpus.resolution import OPENING
from coopgraph.graph.iris import Iris
from coopgraph.terms import CG, DCTERMS, ELI, PROV, RDF, RDFS, SKOS

CG_NS = str(CG)
SOURCE = "#coopgraph"


def akn(tag: str) -> str:
    return f"{{{profile()['namespace']}}}{tag}"


def sub(parent: Any, tag: str, text: str | None = None, **attributes: str) -> Any:
    child = etree.SubElement(parent, akn(tag), {k.rstrip("_"): v for k, v in attributes.items()})
    if text is not None:
        child.text = text
    return child


@dataclass(frozen=True)
class Identity:
    """A text's FRBR identity: its work, the expression of its date, the manifestation as XML."""

    work: str
    expression: str
    manifestation: str
    date: str  # the date of the text (or, when it gives none, the latest date its words state)
    date_name: str
    number: str
    shown: str
    actor: str


def kind_of(graph: Graph, document: URIRef) -> dict[str, str]:
    """The profile's entry for the text's kind: its most specific class the profile names."""
    kinds = profile()["kinds"]
    names = [str(t).rsplit("#", 1)[-1] for t in graph.objects(document, RDF.type)]
    for name in [n for n in names if n != "Annex"] + (["Annex"] if "Annex" in names else []):
        if name in kinds:
            return {"kind": name, **kinds[name]}
    raise AknError(f"<{document}> is of no kind the AKN profile writes ({', '.join(sorted(names))})")


def identity(graph: Graph, document: URIRef, base: str) -> Identity:
    kind = kind_of(graph, document)
    identifier = str(graph.value(document, DCTERMS.identifier) or Iris(base).relative(str(document))[len("doc/"):])
    creator = graph.value(document, DCTERMS.creator)
    actors = profile()["actors"]
    actor = actors.get(str(creator).rsplit("/", 1)[-1], actors["default"]) if creator is not None else actors["default"]
    own = graph.value(document, DCTERMS.date)
    if own is not None:
        date, date_name, work_date = str(own), "adoption" if kind["kind"] == "Resolution" else "document", str(own)
    else:
        stated = latest_date_stated([str(t) for u in units_of(graph, document) for t in graph.objects(u, CG.text)])
        if stated is None:
            raise AknError(f"<{document}> gives no date and states none: an AKN work needs one")
        date, date_name, work_date = stated, "latestDateStated", stated[:4]  # the IRI says only the year
    number = number_segment(identifier)
    work = f"/akn/{profile()['country']}/{kind['element']}/{kind['subtype']}/{actor}/{work_date}/{number}"
    expression = f"{work}/{profile()['language']}@{date}"
    return Identity(work, expression, f"{expression}/!main.xml", date, date_name, number, identifier, actor)


def units_of(graph: Graph, document: URIRef) -> list[URIRef]:
    """Every unit of a text at any depth (its annexes' too), footnotes included."""
    found, todo = [], [document]
    while todo:
        node = todo.pop()
        for child in graph.subjects(ELI.is_part_of, node):
            if isinstance(child, URIRef):
                found.append(child)
                todo.append(child)
    return found


def _order(graph: Graph, node: URIRef) -> tuple[int, str]:
    line = graph.value(node, CG.firstLine)
    return (int(line) if line is not None else 0, str(node))


def _children(graph: Graph, node: URIRef) -> list[URIRef]:
    """The units printed under a node: those numbered within it and not under one of its parts or
    sections, and those under it as a part or section (cg:inPart), so the AKN nests as the text does."""
    numbered = (c for c in graph.subjects(ELI.is_part_of, node) if graph.value(c, CG.inPart) is None)
    return sorted((c for c in [*numbered, *graph.subjects(CG.inPart, node)]
                   if isinstance(c, URIRef) and (c, RDF.type, CG.Footnote) not in graph), key=lambda c: _order(graph, c))


class Writer:
    """Writes one corpus text (with its annexes) as one AKN document."""

    def __init__(self, graph: Graph, base: str, document: URIRef):
        self.graph, self.base, self.document = graph, base, document
        self.iris = Iris(base)
        self.root_path = str(document)
        self.footnotes: dict[URIRef, list[URIRef]] = {}
        self.concepts: dict[str, tuple[str, str]] = {}  # eId -> (href, showAs), filled as units are written
        self.defects: dict[URIRef, list[tuple[str, str]]] = {}  # unit -> its source defects as (note eId, words)
        for note in units_of(graph, document):
            if (note, RDF.type, CG.Footnote) in graph:
                holder = graph.value(note, CG.footnoteOf)
                self.footnotes.setdefault(holder if isinstance(holder, URIRef) else document, []).append(note)

    def path(self, unit: URIRef) -> str:
        return str(unit)[len(self.root_path) + 1:]

    def eid(self, unit: URIRef) -> str:
        return eid_of(self.path(unit))

    # -- text ---------------------------------------------------------------------------------
    def paragraph(self, parent: Any, unit: URIRef, text: str | None = None) -> Any:
        """A <p> with the unit's exact text, its citations as <ref> and its footnotes at their markers."""
        return self.inline(sub(parent, "p"), unit, text)

    def inline(self, p: Any, unit: URIRef, text: str | None = None) -> Any:
        """Fills an element of inline content (a <p>, a <heading>) with the unit's words and marks."""
        graph = self.graph
        text = str(graph.value(unit, CG.text) or "") if text is None else text
        marks: list[tuple[int, int, str, Any]] = []
        for citation in graph.objects(unit, CG.citation):
            start, end, cited = graph.value(citation, CG.spanStart), graph.value(citation, CG.spanEnd), graph.value(citation, CG.citedNode)
            if start is not None and end is not None and cited is not None:
                marks.append((int(start), int(end), "ref", cited))
        for note in self.footnotes.get(unit, []):
            offset = graph.value(note, CG.markerOffset)
            at = min(int(offset), len(text)) if offset is not None else len(text)
            marks.append((at, at, "note", note))
        p.text, position, last = "", 0, p
        for start, end, what, node in sorted(marks, key=lambda m: (m[0], m[2] == "ref", m[1])):
            if start < position:  # a citation inside another one's words: its words stay as text
                continue
            piece = text[position:start]
            if last is p:
                p.text += piece
            else:
                last.tail = (last.tail or "") + piece
            if what == "ref":
                last = sub(p, "ref", text[start:end], href=str(node))
                position = end
            else:
                last = self.note(p, node)
                position = start
        if last is p:
            p.text += text[position:]
        else:
            last.tail = (last.tail or "") + text[position:]
        for eid, _ in self.defects.get(unit, []):  # an editor's note on the source, after the words
            sub(p, "noteRef", href=f"#{eid}", marker="!", placement="side", class_="sourceDefect")
        return p

    def note(self, parent: Any, note: URIRef) -> Any:
        number = str(self.graph.value(note, CG.number) or "")
        element = sub(parent, "authorialNote", eId=self.eid(note), marker=number, placement="bottom")
        self.paragraph(element, note)
        return element

    # -- structure ----------------------------------------------------------------------------
    def unit(self, parent: Any, unit: URIRef) -> None:
        graph = self.graph
        element = last_element(self.path(unit))
        if element.element == "attachment":
            self.attachment(parent, unit)
            return
        attributes = {"eId": self.eid(unit)}
        if concepts := self.concepts_of(unit):
            attributes["refersTo"] = " ".join(f"#{eid}" for eid in concepts)
        if element.name:
            attributes["name"] = element.name
        node = sub(parent, element.element, **attributes)
        children = _children(graph, unit)
        if element.element == "container":  # blocks only (a preambular paragraph)
            self.paragraph(node, unit)
            for child in children:
                self.unit(node, child)
            return
        number, heading = graph.value(unit, CG.number), graph.value(unit, CG.heading)
        if number is not None:
            sub(node, "num", str(number))
        text = graph.value(unit, CG.text)
        if heading is not None:  # a heading that is the unit's whole text carries its footnotes
            self.inline(sub(node, "heading"), unit, str(heading)) if text is None or str(text) == str(heading) else sub(node, "heading", str(heading))
        if children:
            if text is not None and str(text) != str(heading or ""):
                self.paragraph(sub(node, "intro"), unit)
            for child in children:
                self.unit(node, child)
        else:
            content = sub(node, "content")
            if text is not None and str(text) != str(heading or ""):
                self.paragraph(content, unit)
            else:
                sub(content, "p")

    def concepts_of(self, unit: URIRef) -> list[str]:
        """The eIds of the <TLCConcept>s a unit belongs to: its cluster of recommendations and the
        heading that groups recommendations by addressee, which AKN has no element for."""
        found = []
        for cluster in self.graph.objects(unit, CG.cluster):
            eid = f"cluster_{str(cluster).rsplit('cluster-', 1)[-1]}"
            self.concepts[eid] = (str(cluster), str(self.graph.value(cluster, SKOS.prefLabel) or eid))
            found.append(eid)
        for group in self.graph.objects(unit, CG.addresseeGroup):
            known = [eid for eid, (_, shown) in self.concepts.items() if eid.startswith("addresseeGroup_") and shown == str(group)]
            eid = known[0] if known else f"addresseeGroup_{1 + sum(e.startswith('addresseeGroup_') for e in self.concepts)}"
            self.concepts[eid] = (str(CG.addresseeGroup), str(group))
            found.append(eid)
        return found

    def attachment(self, parent: Any, annex: URIRef) -> None:
        graph = self.graph
        node = sub(parent, "attachment", eId=self.eid(annex))
        if graph.value(annex, CG.number) is not None:
            sub(node, "num", str(graph.value(annex, CG.number)))
        if graph.value(annex, CG.heading) is not None:
            sub(node, "heading", str(graph.value(annex, CG.heading)))
        self.body(node, annex, component=f"!annex_{self.path(annex).split('/')[-1]}")

    def body(self, parent: Any, document: URIRef, component: str = "!main") -> Any:
        """One document element: its meta, preface, preamble, main body, conclusions, attachments."""
        graph = self.graph
        kind = kind_of(graph, document)
        top = self.identity if component == "!main" else None
        root = sub(parent, kind["element"], name=kind["name"])
        if component == "!main":
            root.set("contains", "originalVersion")
        self.meta(root, document, kind, component)
        title = graph.value(document, DCTERMS.title) or graph.value(document, CG.heading)
        preface = sub(root, "preface")
        if top is not None:
            sub(sub(preface, "p"), "docNumber", top.shown)
        sub(sub(preface, "p"), "docTitle", str(title or graph.value(document, RDFS.label) or ""))
        children = _children(graph, document)
        preamble = [c for c in children if self.path(c).split("/")[-2:-1] == ["preamble"]]
        annexes = [c for c in children if self.path(c).split("/")[-2:-1] == ["annex"]]
        rest = [c for c in children if c not in preamble and c not in annexes]
        if preamble or kind["element"] == "statement":
            block = sub(root, "preamble")
            if kind["element"] == "statement":  # the Assembly's words that open every resolution
                sub(sub(block, "formula", name="enactingFormula"), "p", OPENING)
            for unit in preamble:
                self.unit(block, unit)
        main = sub(root, "mainBody")
        if component != "!main" and graph.value(document, CG.text) is not None \
                and str(graph.value(document, CG.text)) != str(graph.value(document, CG.heading) or ""):
            self.paragraph(main, document)  # an annex's own words before its parts
        for unit in rest:
            self.unit(main, unit)
        if len(main) == 0:
            sub(main, "p")
        meeting, method, date = (graph.value(document, p) for p in (CG.adoptedAtMeeting, CG.adoptionMethod, DCTERMS.date))
        if meeting is not None and date is not None:
            line = sub(sub(root, "conclusions"), "p", f"Adopted at the {meeting}, on ")
            shown = datetime.date.fromisoformat(str(date)).strftime("%-d %B %Y")
            sub(line, "date", shown, date=str(date)).tail = f", {method}" if method is not None else ""
        if annexes:
            attachments = sub(root, "attachments")
            for annex in annexes:
                self.attachment(attachments, annex)
        return root

    # -- metadata -----------------------------------------------------------------------------
    def meta(self, root: Any, document: URIRef, kind: dict[str, str], component: str) -> None:
        graph, ident = self.graph, self.identity
        meta = sub(root, "meta")
        identification = sub(meta, "identification", source=SOURCE)
        author, this = "#" + ident.actor, component
        work = sub(identification, "FRBRWork")
        sub(work, "FRBRthis", value=f"{ident.work}/{this}")
        sub(work, "FRBRuri", value=ident.work)
        sub(work, "FRBRalias", value=str(document), name="coopgraph")
        sub(work, "FRBRdate", date=ident.date, name=ident.date_name)
        sub(work, "FRBRauthor", href=author)
        sub(work, "FRBRcountry", value=profile()["country"])
        sub(work, "FRBRsubtype", value=kind["subtype"])
        sub(work, "FRBRnumber", value=ident.number, showAs=ident.shown)
        sub(work, "FRBRname", value=kind["name"])
        expression = sub(identification, "FRBRExpression")
        sub(expression, "FRBRthis", value=f"{ident.expression}/{this}")
        sub(expression, "FRBRuri", value=ident.expression)
        sub(expression, "FRBRdate", date=ident.date, name=ident.date_name)
        sub(expression, "FRBRauthor", href=author)
        sub(expression, "FRBRlanguage", language=profile()["language"])
        manifestation = sub(identification, "FRBRManifestation")
        sub(manifestation, "FRBRthis", value=f"{ident.expression}/{this}.xml")
        sub(manifestation, "FRBRuri", value=f"{ident.expression}.akn")
        sub(manifestation, "FRBRdate", date=ident.date, name=ident.date_name)
        sub(manifestation, "FRBRauthor", href=SOURCE)
        if component == "!main":  # the annexes' lineage and references are the whole text's: written once
            self.analysis(meta, document)
            self.references(meta)
            self.notes(meta)
        status = graph.value(document, CG.legalStatus)
        proprietary = sub(meta, "proprietary", source=SOURCE)
        stated = etree.SubElement(proprietary, f"{{{CG_NS}}}legalStatus", nsmap={"cg": CG_NS})
        stated.set("href", str(status) if status is not None else "")
        stated.text = str(graph.value(status, RDFS.label) or str(status).rsplit("#", 1)[-1]) if status is not None else "unknown"
        for session in graph.objects(document, CG.session):  # the session a text belongs to
            held = etree.SubElement(proprietary, f"{{{CG_NS}}}session", nsmap={"cg": CG_NS})
            held.set("href", str(session))
            held.text = str(graph.value(session, CG.sessionNumber) or "")

    def analysis(self, meta: Any, document: URIRef) -> None:
        """The lineage of the text's units: each derivation the graph holds, with its type, whether
        the text states it or it is inferred, its confidence and its evidence. AKN has no element
        for a paragraph's lineage across documents (its modifications are amendments in force),
        so it goes in <otherAnalysis>, in coopgraph's namespace."""
        graph = self.graph
        rows = []
        for unit in units_of(graph, document):
            for derivation in graph.objects(unit, CG.qualifiedDerivation):
                earlier = graph.value(derivation, PROV.entity)
                kind = graph.value(derivation, CG.derivationType)
                if earlier is None or kind is None:
                    continue
                inferred = str(graph.value(derivation, CG.isInferred) or "true").lower() == "true"
                rows.append((self.eid(unit), str(earlier), str(kind).rsplit("#", 1)[-1], "inferred" if inferred else "stated",
                             str(graph.value(derivation, CG.confidence) or ""), str(graph.value(derivation, CG.evidenceText) or ""),
                             str(derivation)))
        if not rows:
            return
        other = sub(sub(meta, "analysis", source=SOURCE), "otherAnalysis", source=SOURCE)
        for eid, earlier, kind, basis, confidence, evidence, node in sorted(rows):
            link = etree.SubElement(other, f"{{{CG_NS}}}derivation", nsmap={"cg": CG_NS})
            for name, value in (("from", "#" + eid), ("to", earlier), ("type", kind), ("basis", basis),
                                ("confidence", confidence), ("evidence", evidence), ("href", node)):
                link.set(name, value)

    def notes(self, meta: Any) -> None:
        """What coopgraph found wrong with the source text (cg:sourceDefect), as editorial notes the
        units point to with <noteRef>: the words of the text are not touched."""
        found = [item for unit_defects in self.defects.values() for item in unit_defects]
        if not found:
            return
        notes = sub(meta, "notes", source=SOURCE)
        for eid, words in sorted(found, key=lambda item: int(item[0].rsplit("_", 1)[1])):
            sub(sub(notes, "note", eId=eid, class_="sourceDefect"), "p", words)

    def references(self, meta: Any) -> None:
        """The actors (TLCOrganization) and sessions (TLCEvent) the graph knows, and coopgraph itself,
        the source of every statement of this metadata."""
        graph = self.graph
        refs = sub(meta, "references", source=SOURCE)
        sub(refs, "TLCOrganization", eId="coopgraph", href=self.base, showAs="coopgraph")
        actors = profile()["actors"]
        written = {"coopgraph"}
        for actor in sorted(a for a in graph.subjects(RDF.type, CG.Actor) if self.iris.in_space(a, "actor")):
            slug = str(actor).rsplit("/", 1)[-1]
            eid = actors.get(slug, slug)
            if eid in written:
                continue
            written.add(eid)
            sub(refs, "TLCOrganization", eId=eid, href=str(actor), showAs=str(graph.value(actor, SKOS.prefLabel) or slug))
        if self.identity.actor not in written:
            sub(refs, "TLCOrganization", eId=self.identity.actor, href=str(self.iris.actor("assembly")),
                showAs="Assembly of States Parties")
        for eid, (href, shown) in sorted(self.concepts.items()):
            sub(refs, "TLCConcept", eId=eid, href=href, showAs=shown)
        for session in sorted({s for u in [self.document, *units_of(graph, self.document)] for s in graph.objects(u, CG.session)}, key=str):
            number = graph.value(session, CG.sessionNumber)
            sub(refs, "TLCEvent", eId=f"session_{number}", href=str(session), showAs=str(graph.value(session, RDFS.label) or session))

    def write(self) -> bytes:
        graph = self.graph
        if (self.document, RDF.type, CG.CorpusDocument) not in graph:
            raise AknError(f"<{self.document}> is not a text of the corpus: only those have words to write")
        parent = graph.value(self.document, ELI.is_part_of)
        if parent is not None:
            raise AknError(f"<{self.document}> is an annex: it is written as an attachment of <{parent}>; export that text")
        self.identity = identity(graph, self.document, self.base)
        for unit in sorted(units_of(graph, self.document), key=lambda u: _order(graph, u)):
            self.concepts_of(unit)  # named before <references> is written, numbered in reading order
            for defect in sorted(str(d) for d in graph.objects(unit, CG.sourceDefect)):
                eid = f"sourceDefect_{1 + sum(len(v) for v in self.defects.values())}"
                self.defects.setdefault(unit, []).append((eid, defect))
        root = etree.Element(akn("akomaNtoso"), nsmap={None: profile()["namespace"]})
        self.body(root, self.document)
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def export_document(graph: Graph, base: str, document: URIRef) -> bytes:
    """The text as AKN 3.0 XML (UTF-8)."""
    return Writer(graph, base, document).write()


def akn_offered(graph: Graph, iri: URIRef) -> bool:
    """Whether the node is a whole corpus text (not an annex), which is written as one AKN document."""
    return (iri, RDF.type, CG.CorpusDocument) in graph and graph.value(iri, ELI.is_part_of) is None


def exportable(graph: Graph) -> list[URIRef]:
    """The corpus texts that are not annexes of another: each is one AKN document."""
    return sorted(d for d in graph.subjects(RDF.type, CG.CorpusDocument)
                  if isinstance(d, URIRef) and graph.value(d, ELI.is_part_of) is None)


def annotate(graph: Graph, base: str) -> None:
    """Each unit of a corpus text carries its eId (cg:eId, by the rule of coopgraph.akn.naming) and the
    AKN IRI of its portion of the text's expression (eli:id_local), so the graph and the AKN name
    the same unit the same way; the text itself carries its AKN expression IRI."""
    from rdflib import Literal

    for document in exportable(graph):
        try:
            ident = identity(graph, document, base)
        except AknError:
            continue  # a text of a kind the profile does not write: no AKN name to give
        graph.add((document, ELI.id_local, Literal(ident.expression)))
        prefix = str(document) + "/"
        for unit in units_of(graph, document):
            eid = eid_of(str(unit)[len(prefix):])
            graph.add((unit, CG.eId, Literal(eid)))
            graph.add((unit, ELI.id_local, Literal(f"{ident.expression}/!main~{eid}")))
