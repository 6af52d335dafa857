"""What the server says about one IRI: its description as RDF, a document as one nested JSON-LD
tree, and the dataset's VoID and SPARQL service descriptions."""

from __future__ import annotations

import json
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from coopgraph.graph.serialize import context
from coopgraph.terms import CG, DCTERMS, ELI, PREFIXES, RDF, RDFS, bind_prefixes

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
OWNED = ("/citation/", "/mandate/", "/derivation/", "/topic/", "/count/")
OWNING = (CG.citation, CG.mandate, CG.qualifiedDerivation, CG.topicTag, CG.statedCount)  # links to the nodes a unit owns


XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


def plain(term: object) -> object:
    """A literal typed xsd:string (as some stores return them) written as the simple literal it is."""
    if isinstance(term, Literal) and term.datatype == XSD_STRING:
        return Literal(str(term))
    return term


def new_graph() -> Graph:
    return bind_prefixes(Graph())


def exists(graph: Graph, iri: URIRef) -> bool:
    return (iri, None, None) in graph or (None, None, iri) in graph


def describe(graph: Graph, iri: URIRef) -> Graph:
    """The node's own statements, those of the nodes it owns (its citations, mandates, derivation
    evidence, topic tags), the labels of what they point at, and what points at it."""
    out = new_graph()
    subjects = [iri] + [o for p in OWNING for o in graph.objects(iri, p) if isinstance(o, URIRef)]
    for subject in subjects:
        for p, o in graph.predicate_objects(subject):
            out.add((subject, p, plain(o)))
            if isinstance(o, URIRef):
                for label in graph.objects(o, RDFS.label):
                    out.add((o, RDFS.label, plain(label)))
    for s, p in graph.subject_predicates(iri):
        if not any(part in str(s) for part in OWNED):
            out.add((s, p, iri))
            for label in graph.objects(s, RDFS.label):
                out.add((s, RDFS.label, plain(label)))
    return out


def _compact(graph: Graph, base: str) -> list[dict[str, Any]]:
    data = json.loads(graph.serialize(format="json-ld", context=context(base)["@context"], auto_compact=True))
    nodes = data.get("@graph", [data] if "@id" in data else [])
    for node in nodes:
        node.pop("@context", None)
    return nodes


def jsonld_node(graph: Graph, iri: URIRef, base: str) -> dict[str, Any]:
    """A node's description as compact JSON-LD that refers to the published @context by URL."""
    nodes = _compact(describe(graph, iri), base)
    return {"@context": f"{base}context.jsonld", "@graph": sorted(nodes, key=lambda n: n.get("@id", ""))}


def document_tree(graph: Graph, document: URIRef, base: str) -> dict[str, Any]:
    """A document as one nested tree: each part under its parent's "hasPart", in reading order."""
    members: set[URIRef] = {document}
    frontier = [document]
    while frontier:
        parent = frontier.pop()
        for child in graph.subjects(ELI.is_part_of, parent):
            if isinstance(child, URIRef) and child not in members:
                members.add(child)
                frontier.append(child)
    sub = new_graph()
    for member in members:
        for p, o in graph.predicate_objects(member):
            if p != ELI.is_part_of:
                sub.add((member, p, plain(o)))
    by_id = {node["@id"]: node for node in _compact(sub, base)}

    def key(iri: URIRef) -> tuple[int, str]:
        line = graph.value(iri, CG.firstLine)
        return (int(line) if line is not None else 0, str(iri))

    def relative(iri: URIRef) -> str:
        return str(iri)[len(base):] if str(iri).startswith(base) else str(iri)

    def build(iri: URIRef) -> dict[str, Any]:
        node = dict(by_id.get(relative(iri), {"@id": relative(iri)}))
        children = sorted((c for c in graph.subjects(ELI.is_part_of, iri) if c in members), key=key)
        if children:
            node["hasPart"] = [build(c) for c in children]  # type: ignore[arg-type]
        return node

    return {"@context": f"{base}context.jsonld", **build(document)}


def void_description(graph: Graph, base: str, public: str) -> Graph:
    """A VoID description of the dataset: size, endpoint, dumps, vocabularies, classes."""
    out = new_graph()
    out.bind("void", VOID)
    dataset = URIRef(f"{base}void#coopgraph")
    out.add((dataset, RDF.type, VOID.Dataset))
    out.add((dataset, DCTERMS.title, Literal("coopgraph: the Assembly of States Parties' texts on cooperation", lang="en")))
    out.add((dataset, VOID.triples, Literal(len(graph), datatype=XSD.integer)))
    out.add((dataset, VOID.sparqlEndpoint, URIRef(f"{public}sparql")))
    out.add((dataset, VOID.uriSpace, Literal(f"{base}doc/")))
    for name in ("coopgraph.ttl", "coopgraph.nt", "coopgraph.jsonld"):
        out.add((dataset, VOID.dataDump, URIRef(f"{public}dump/{name}")))
    for namespace in sorted({str(ns) for ns in PREFIXES.values()}):
        out.add((dataset, VOID.vocabulary, URIRef(namespace)))
    counts: dict[URIRef, int] = {}
    for _, cls in graph.subject_objects(RDF.type):
        if isinstance(cls, URIRef):
            counts[cls] = counts.get(cls, 0) + 1
    for cls, count in sorted(counts.items()):
        part = BNode()
        out.add((dataset, VOID.classPartition, part))
        out.add((part, VOID["class"], cls))
        out.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
    return out


def service_description(base: str, public: str, isolation: str = "unknown") -> Graph:
    """The SPARQL 1.1 service description a GET of /sparql without a query returns; `isolation` is
    what the query workers report of their network isolation ('isolated', or why not)."""
    out = new_graph()
    out.bind("sd", SD)
    service = URIRef(f"{public}sparql#service")
    out.add((service, RDF.type, SD.Service))
    out.add((service, SD.endpoint, URIRef(f"{public}sparql")))
    out.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                "Turtle", "N-Triples", "N-Quads", "JSON-LD", "RDF_XML", "N3"):
        out.add((service, SD.resultFormat, FORMATS[fmt]))
    dataset = BNode()
    default = BNode()
    named = BNode()
    corpus = URIRef(f"{base}graph/corpus")
    out.add((service, SD.defaultDataset, dataset))
    out.add((dataset, RDF.type, SD.Dataset))
    out.add((dataset, SD.defaultGraph, default))
    out.add((default, RDF.type, SD.Graph))
    out.add((default, RDFS.seeAlso, corpus))
    out.add((dataset, SD.namedGraph, named))  # the same graph, also by name (GRAPH <...graph/corpus>)
    out.add((named, RDF.type, SD.NamedGraph))
    out.add((named, SD.name, corpus))
    out.add((service, RDFS.comment, Literal("Read-only: SPARQL Update, SERVICE, LOAD and FROM of outside graphs are refused; "
                                              "every query has a time limit and a result-size limit.", lang="en")))
    note = ("Query workers run without any network: no query can open a connection."
            if isolation == "isolated" else f"Query workers are not isolated from the network ({isolation}); "
            "only the query check refuses SERVICE.")
    out.add((service, RDFS.comment, Literal(note, lang="en")))
    return out
