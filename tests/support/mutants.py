"""Mutants of the real graph, each breaking one constraint of shapes/: generated from the shapes
themselves (one per property constraint: a missing value, one too many, a wrong datatype, a
value outside its class, pattern, range, list or languages), plus hand-made ones for the SPARQL
constraints (numbering, completeness, lineage evidence, citations, mandate status)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

CG = "https://w3id.org/coopgraph/ontology#"
ELI = "http://data.europa.eu/eli/ontology#"
DOC = "https://w3id.org/coopgraph/doc/"


@dataclass
class Mutant:
    name: str
    shape: str  # the sh:name of the shape it is built to break
    remove: list[tuple] = field(default_factory=list)
    add: list[tuple] = field(default_factory=list)

    def apply(self, graph: Graph) -> Graph:
        mutated = Graph()
        mutated += graph
        for triple in self.remove:
            mutated.remove(triple)
        for triple in self.add:
            mutated.add(triple)
        return mutated


def _targets(shapes: Graph, data: Graph, shape: URIRef) -> list[URIRef]:
    found: set[URIRef] = set()
    for cls in shapes.objects(shape, SH.targetClass):
        found.update(s for s in data.subjects(RDF.type, cls) if isinstance(s, URIRef))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        found.update(s for s in data.subjects(prop, None) if isinstance(s, URIRef))
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        found.update(o for o in data.objects(None, prop) if isinstance(o, URIRef))
    return sorted(found, key=str)


def _wrong_datatype(datatype: URIRef) -> Literal:
    return Literal(7) if datatype == XSD.string else Literal("seven")


def corpus(shapes: Graph, data: Graph, per_shape: int = 1) -> list[Mutant]:
    """The mutation corpus: up to `per_shape` generated mutants for each shape (of different
    kinds), and every hand-made one."""
    chosen: dict[str, list[Mutant]] = {}
    for mutant in generated(shapes, data):
        kept = chosen.setdefault(mutant.shape, [])
        if len(kept) < per_shape:
            kept.append(mutant)
    return [m for ms in chosen.values() for m in ms] + list(handmade(data))


def generated(shapes: Graph, data: Graph) -> Iterator[Mutant]:
    """One mutant per simple property constraint that a focus node of the real graph can break."""
    for shape in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str):
        name = str(shapes.value(shape, SH.name) or shape)
        targets = _targets(shapes, data, shape)
        for prop in sorted(shapes.objects(shape, SH.property), key=lambda p: str(shapes.value(p, SH.path))):
            path = shapes.value(prop, SH.path)
            if not isinstance(path, URIRef) or isinstance(prop, URIRef):
                continue
            holders = [t for t in targets if data.value(t, path) is not None]
            label = path.split("#")[-1].split("/")[-1]
            if not holders:
                continue
            focus = holders[0]
            value = data.value(focus, path)
            values = list(data.objects(focus, path))
            min_count = shapes.value(prop, SH.minCount)
            if min_count is not None and int(min_count) >= 1:
                yield Mutant(f"{name}: no {label}", name, remove=[(focus, path, v) for v in values])
            max_count = shapes.value(prop, SH.maxCount)
            if max_count is not None and int(max_count) == 1 and isinstance(value, Literal):
                if value.datatype == XSD.boolean:
                    extra = Literal(not value.toPython())
                elif value.datatype in {XSD.integer, XSD.decimal, XSD.nonNegativeInteger}:
                    extra = Literal(str(int(float(value)) + 1000), datatype=value.datatype)
                else:
                    extra = Literal(str(value) + " (again)", lang=value.language, datatype=value.datatype)
                yield Mutant(f"{name}: two {label}", name, add=[(focus, path, extra)])
            datatype = shapes.value(prop, SH.datatype)
            if datatype is not None and isinstance(value, Literal):
                yield Mutant(f"{name}: {label} of the wrong datatype", name, remove=[(focus, path, value)],
                             add=[(focus, path, _wrong_datatype(datatype))])
            cls = shapes.value(prop, SH["class"])
            if cls is not None and isinstance(value, URIRef):
                stray = URIRef(f"{DOC}mutant/not-a-{cls.split('#')[-1].split('/')[-1]}")
                yield Mutant(f"{name}: {label} outside its class", name, remove=[(focus, path, value)],
                             add=[(focus, path, stray)])
            if shapes.value(prop, SH.nodeKind) == SH.IRI and isinstance(value, URIRef):
                yield Mutant(f"{name}: {label} a literal", name, remove=[(focus, path, value)],
                             add=[(focus, path, Literal(str(value)))])
            if shapes.value(prop, SH.pattern) is not None and isinstance(value, Literal):
                yield Mutant(f"{name}: {label} against its pattern", name, remove=[(focus, path, value)],
                             add=[(focus, path, Literal("!?", lang=value.language, datatype=value.datatype))])
            low = shapes.value(prop, SH.minInclusive)
            if low is not None and isinstance(value, Literal):
                yield Mutant(f"{name}: {label} below its range", name, remove=[(focus, path, value)],
                             add=[(focus, path, Literal(int(float(low)) - 1, datatype=value.datatype or XSD.integer))])
            high = shapes.value(prop, SH.maxInclusive)
            if high is not None and isinstance(value, Literal):
                yield Mutant(f"{name}: {label} above its range", name, remove=[(focus, path, value)],
                             add=[(focus, path, Literal(str(int(float(high)) + 1), datatype=value.datatype))])
            if shapes.value(prop, SH.minLength) is not None and isinstance(value, Literal):
                yield Mutant(f"{name}: {label} empty", name, remove=[(focus, path, value)],
                             add=[(focus, path, Literal("", lang=value.language, datatype=value.datatype))])
            if shapes.value(prop, SH["in"]) is not None:
                yield Mutant(f"{name}: {label} outside its list", name, remove=[(focus, path, value)],
                             add=[(focus, path, URIRef(f"{CG}NotInTheList") if isinstance(value, URIRef) else Literal("not in the list"))])
            if shapes.value(prop, SH.languageIn) is not None and isinstance(value, Literal) and value.language:
                yield Mutant(f"{name}: {label} in another language", name, remove=[(focus, path, value)],
                             add=[(focus, path, Literal(str(value), lang="xx"))])
            has_value = shapes.value(prop, SH.hasValue)
            if has_value is not None and (focus, path, has_value) in data:
                yield Mutant(f"{name}: {label} without its value", name, remove=[(focus, path, has_value)])


def handmade(data: Graph) -> Iterator[Mutant]:
    """The SPARQL constraints, broken the way real mistakes would break them."""
    cg = lambda local: URIRef(CG + local)  # noqa: E731
    eli = lambda local: URIRef(ELI + local)  # noqa: E731
    rec17 = URIRef(f"{DOC}ICC-ASP/6/21/rec/17")
    yield Mutant("recommendation 17 removed", "completeness",
                 remove=[t for t in data.triples((rec17, None, None))] + [t for t in data.triples((None, None, rec17))])
    para28 = URIRef(f"{DOC}ICC-ASP/14/Res.3/para/28")
    yield Mutant("the last operative paragraph renumbered 29", "numbering",
                 remove=[(para28, cg("number"), Literal("28"))], add=[(para28, cg("number"), Literal("29"))])
    yield Mutant("two operative paragraphs numbered 27", "numbering",
                 remove=[(para28, cg("number"), Literal("28"))], add=[(para28, cg("number"), Literal("27"))])
    item_b = URIRef(f"{DOC}asp15-bureau-report-cooperation/annex/II/item/b")
    yield Mutant("a mandate item relettered (h)", "numbering",
                 remove=[(item_b, cg("number"), Literal("b"))], add=[(item_b, cg("number"), Literal("h"))])
    later = URIRef(f"{DOC}asp15-bureau-report-cooperation/annex/I/para/31")
    derivation = next(n for n in data.objects(later, cg("qualifiedDerivation")))
    yield Mutant("a lineage edge without its evidence node", "derivation edge",
                 remove=[(later, cg("qualifiedDerivation"), derivation)]
                 + [t for t in data.triples((derivation, None, None))])
    orphan_of = URIRef(f"{DOC}ICC-ASP/14/Res.3/para/17")
    orphan = next(iter(data.objects(orphan_of, cg("qualifiedDerivation"))))
    yield Mutant("a derivation node no unit links to (an inverse path)", "derivation evidence",
                 remove=[(orphan_of, cg("qualifiedDerivation"), orphan)])
    stated = next(n for n in data.subjects(cg("citingWords"), None))
    yield Mutant("a stated edge without its citing words", "stated derivation",
                 remove=list(data.triples((stated, cg("citingWords"), None))))
    text_edge = next(n for n in data.subjects(cg("derivationType"), cg("amends")))
    yield Mutant("a text edge marked stated", "text derivation",
                 remove=[(text_edge, cg("isInferred"), Literal(True))], add=[(text_edge, cg("isInferred"), Literal(False))])
    builds = next(n for n in data.subjects(cg("derivationType"), cg("buildsOn")))
    yield Mutant("a builds-on edge marked stated", "inferred derivation",
                 remove=[(builds, cg("isInferred"), Literal(True))], add=[(builds, cg("isInferred"), Literal(False))])
    draft_mandate = URIRef(f"{DOC}asp15-bureau-report-cooperation/annex/I/para/31/mandate/1")
    yield Mutant("a draft's mandate called issued", "mandate status",
                 remove=[(draft_mandate, cg("mandateStatus"), cg("ProposedMandate"))],
                 add=[(draft_mandate, cg("mandateStatus"), cg("IssuedMandate"))])
    citation = next(c for c in data.subjects(RDF.type, cg("Citation")))
    yield Mutant("a citation whose span is reversed", "citation span",
                 remove=list(data.triples((citation, cg("spanStart"), None))),
                 add=[(citation, cg("spanStart"), Literal(10_000))])
    unit = URIRef(f"{DOC}ICC-ASP/8/Res.2/para/5")
    yield Mutant("a unit part of nothing", "unit of a corpus document", remove=list(data.triples((unit, eli("is_part_of"), None))))
    cycle = URIRef(f"{DOC}ICC-ASP/8/Res.2/para/17")
    yield Mutant("a lineage cycle", "derivation edge",
                 add=[(cycle, cg("amends"), URIRef(f"{DOC}ICC-ASP/14/Res.3/para/28"))])
    yield Mutant("a stray type on a paragraph", "recommendation",
                 add=[(URIRef(f"{DOC}ICC-ASP/8/Res.2/para/3"), RDF.type, cg("Recommendation"))])
    # sh:class on the targets themselves (actors, sessions, parts), sh:or, sh:not, sh:equals over a
    # path, sh:alternativePath, sh:maxCount 0, sh:pattern on the node, and the SPARQL checks of sessions
    mandate = URIRef(f"{DOC}ICC-ASP/14/Res.3/para/28/mandate/1")
    court = data.value(mandate, cg("mandatedActor"))
    yield Mutant("a mandate addressed to something that is not an actor", "actor reference",
                 remove=[(mandate, cg("mandatedActor"), court)],
                 add=[(mandate, cg("mandatedActor"), URIRef(f"{DOC}mutant/not-an-actor"))])
    due = URIRef(f"{DOC}ICC-ASP/14/Res.3/para/4/mandate/1")
    yield Mutant("a mandate due at something that is not a session", "session reference",
                 add=[(due, cg("dueAt"), URIRef(f"{DOC}mutant/not-a-session"))])
    citing = next(iter(data.subjects(cg("cites"), None)))
    yield Mutant("a cites edge no citation supports", "cites edge",
                 add=[(citing, cg("cites"), URIRef(f"{DOC}ICC-ASP/12/Res.3"))])
    tagged = next(u for u in data.subjects(cg("topicTag"), None))
    yield Mutant("a subject no topic tag supports", "tagged unit",
                 add=[(tagged, URIRef("http://purl.org/dc/terms/subject"), URIRef("https://w3id.org/coopgraph/topic/mutant"))])
    resolution = URIRef(f"{DOC}ICC-ASP/14/Res.3")
    yield Mutant("a document's IRI outside doc/", "document",
                 add=[(URIRef("https://w3id.org/coopgraph/elsewhere/res"), RDF.type, cg("Document")),
                      (URIRef("https://w3id.org/coopgraph/elsewhere/res"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
                       Literal("elsewhere"))])
    yield Mutant("a resolution of the corpus that states no meeting of adoption", "resolution",
                 remove=list(data.triples((resolution, cg("adoptedAtMeeting"), None))))
    para6 = URIRef(f"{DOC}ICC-ASP/14/Res.3/para/6")
    yield Mutant("an operative paragraph without a verb", "operative paragraph without verb",
                 remove=list(data.triples((para6, cg("operativeVerb"), None))))
    in_part = next(iter(data.subject_objects(cg("inPart"))))
    yield Mutant("printed under something that is not a part or section", "part or section",
                 remove=[(in_part[0], cg("inPart"), in_part[1])],
                 add=[(in_part[0], cg("inPart"), URIRef(f"{DOC}mutant/not-a-part"))])
    yield Mutant("printed under two parts", "printed under",
                 add=[(in_part[0], cg("inPart"), next(o for o in data.objects(None, cg("inPart")) if o != in_part[1]))])
    placeholder = URIRef(f"{DOC}asp15-bureau-report-cooperation/annex/I/para/29")
    yield Mutant("a placeholder not marked", "placeholder", remove=[(placeholder, cg("isPlaceholder"), Literal(True))])
    yield Mutant("a source defect on a unit", "source defect",
                 add=[(URIRef(f"{DOC}ICC-ASP/8/Res.2/para/2"), cg("sourceDefect"), Literal("a marker with no footnote"))])
    session = URIRef("https://w3id.org/coopgraph/session/ASP/14")
    yield Mutant("a session numbered unlike its IRI", "session number",
                 remove=list(data.triples((session, cg("sessionNumber"), None))), add=[(session, cg("sessionNumber"), Literal(41))])
    relative = URIRef(f"{DOC}ICC-ASP/14/Res.3/para/28/mandate/1")
    yield Mutant("a due date relative to the next session", "relative due date",
                 add=[(relative, cg("dueText"), Literal("the next regular session"))])
    link = next(iter(data.objects(URIRef(f"{DOC}ICC-ASP/14/Res.3/para/28/mandate/1"), cg("qualifiedMandateLink"))))
    yield Mutant("the Court's mandate chained through the Bureau's", "mandate link",
                 add=[(link, cg("commonAddressee"), URIRef("https://w3id.org/coopgraph/actor/bureau"))])
