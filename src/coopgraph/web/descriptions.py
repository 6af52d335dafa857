"""What the server says about one IRI: its description as RDF, a document as one nested JSON-LD
tree, and the dataset's VoID and SPARQL service descriptions."""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from coopgraph.graph.iris import Iris, described_with_unit
from coopgraph.graph.serialize import compact_jsonld, context
from coopgraph.terms import CG, DCTERMS, ELI, PREFIXES, RDF, RDFS, bind_prefixes

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
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
        if not described_with_unit(str(s)):
            out.add((s, p, iri))
            for label in graph.objects(s, RDFS.label):
                out.add((s, RDFS.label, plain(label)))
    return out


def members(graph: Graph, document: URIRef) -> set[URIRef]:
    """A document and every part of it, at any depth."""
    found: set[URIRef] = {document}
    frontier = [document]
    while frontier:
        parent = frontier.pop()
        for child in graph.subjects(ELI.is_part_of, parent):
            if isinstance(child, URIRef) and child not in found:
                found.add(child)
                frontier.append(child)
    return found


def description(graph: Graph, iri: URIRef) -> Graph:
    """What the server says about an IRI, in every format alike: for a document, the description
    of the document and of each of its parts (as an ELI expression holds its subdivisions);
    for any other node, its own (`describe`)."""
    if (iri, RDF.type, CG.CorpusDocument) not in graph:
        return describe(graph, iri)
    out = new_graph()
    for member in members(graph, iri):
        for triple in describe(graph, member):
            out.add(triple)
    return out


def rdf_bytes(graph: Graph, fmt: str) -> bytes:
    """A description as Turtle ("turtle") or N-Triples ("nt"), by Oxigraph's writers: they keep
    each literal's lexical form as stored (rdflib's Turtle writer rewrites "1"^^xsd:decimal as
    1.0), so every format of an IRI states the very same literals."""
    import pyoxigraph as ox

    from coopgraph.sparql.oxigraph_answers import graph_bytes

    triples = list(ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES))
    return graph_bytes(triples, fmt, PREFIXES)


def _compact(graph: Graph, base: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """rdflib's compaction with the published context: the nodes, and the context it used."""
    ctx = context(base)["@context"]
    data = compact_jsonld(graph, ctx)
    nodes = data.get("@graph", [data] if "@id" in data else [])
    for node in nodes:
        node.pop("@context", None)
    return _tidy_ids(nodes, ctx), ctx


def _expanded(identifier: str, ctx: dict[str, Any]) -> str:
    """A compacted @id as the full IRI it stands for: a prefixed name, an absolute IRI, or a
    reference relative to @base (rdflib 7.6 writes "/coopgraph/doc/…" for ".../coopgraph/doc/…")."""
    from urllib.parse import urljoin

    if identifier.startswith("_:"):
        return identifier
    prefix, colon, rest = identifier.partition(":")
    if colon and isinstance(ctx.get(prefix), str) and not rest.startswith("//"):
        return str(ctx[prefix]) + rest
    return urljoin(str(ctx["@base"]), identifier)


def _tidy_ids(value: Any, ctx: dict[str, Any]) -> Any:
    """Every @id written the one way: relative to @base ("doc/ICC-ASP/14/Res.3") when under it."""
    base = str(ctx["@base"])
    if isinstance(value, list):
        return [_tidy_ids(v, ctx) for v in value]
    if not isinstance(value, dict):
        return value
    tidy = {k: _tidy_ids(v, ctx) for k, v in value.items()}
    if isinstance(tidy.get("@id"), str):
        full = _expanded(tidy["@id"], ctx)
        tidy["@id"] = full[len(base):] if full.startswith(base) and len(full) > len(base) else full
    return tidy


def _context_value(base: str, inline: bool) -> Any:
    return context(base)["@context"] if inline else Iris(base).context


def jsonld_node(graph: Graph, iri: URIRef, base: str, inline: bool = False) -> dict[str, Any]:
    """A node's description as compact JSON-LD; the @context by reference (the published one),
    or inline for a client that cannot fetch it."""
    nodes, _ = _compact(describe(graph, iri), base)
    return {"@context": _context_value(base, inline), "@graph": sorted(nodes, key=lambda n: n.get("@id", ""))}


def document_tree(graph: Graph, document: URIRef, base: str, inline: bool = False) -> dict[str, Any]:
    """A document framed as one nested tree: each part under its parent's "hasPart", in reading
    order, every node with all its statements. What the tree does not hold (the nodes the parts
    own, the labels of what they point at, what points at them) follows it in "@graph", so the
    JSON-LD states exactly the triples the Turtle of the same IRI does."""
    tree = members(graph, document)
    nodes, ctx = _compact(description(graph, document), base)
    by_iri = {_expanded(node["@id"], ctx): node for node in nodes if "@id" in node}

    def key(iri: URIRef) -> tuple[int, str]:
        line = graph.value(iri, CG.firstLine)
        return (int(line) if line is not None else 0, str(iri))

    def build(iri: URIRef, parent: URIRef | None) -> dict[str, Any]:
        node = dict(by_iri.pop(str(iri), {"@id": str(iri)}))
        if parent is not None:
            _drop_link(node, "eli:is_part_of", str(parent), ctx)  # said by the parent's hasPart
        children = sorted((c for c in graph.subjects(ELI.is_part_of, iri) if c in tree), key=key)
        if children:
            node["hasPart"] = [build(c, iri) for c in children]
        return node

    root = build(document, None)
    rest = sorted(by_iri.values(), key=lambda n: str(n.get("@id", "")))
    return {"@context": _context_value(base, inline), "@graph": [root, *rest]}


def _drop_link(node: dict[str, Any], key: str, target: str, ctx: dict[str, Any]) -> None:
    values = node.get(key)
    if values is None:
        return
    kept = [v for v in (values if isinstance(values, list) else [values])
            if not (isinstance(v, dict) and _expanded(str(v.get("@id", "")), ctx) == target)]
    if kept:
        node[key] = kept if len(kept) > 1 else kept[0]
    else:
        del node[key]


def void_description(graph: Graph, base: str, public: str) -> Graph:
    """A VoID description of the dataset: size, endpoint, dumps, vocabularies, classes."""
    out = new_graph()
    out.bind("void", VOID)
    dataset = Iris(base).dataset
    out.add((dataset, RDF.type, VOID.Dataset))
    out.add((dataset, DCTERMS.title, Literal("coopgraph: the Assembly of States Parties' texts on cooperation", lang="en")))
    out.add((dataset, VOID.triples, Literal(len(graph), datatype=XSD.integer)))
    out.add((dataset, VOID.sparqlEndpoint, URIRef(f"{public}sparql")))
    out.add((dataset, VOID.uriSpace, Literal(Iris(base).space("doc"))))
    for name in ("coopgraph.ttl", "coopgraph.nt", "coopgraph.jsonld"):
        out.add((dataset, VOID.dataDump, URIRef(f"{public}dump/{name}")))
    for namespace in sorted({str(ns) for ns in PREFIXES.values()}):
        out.add((dataset, VOID.vocabulary, URIRef(namespace)))
    counts: dict[URIRef, int] = {}
    for _, cls in graph.subject_objects(RDF.type):
        if isinstance(cls, URIRef):
            counts[cls] = counts.get(cls, 0) + 1
    for index, (cls, count) in enumerate(sorted(counts.items())):
        part = BNode(f"classPartition{index}")  # named in order: the description is written the same each time
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
    dataset, default, named = BNode("defaultDataset"), BNode("defaultGraph"), BNode("namedGraph")  # the same each time
    corpus = Iris(base).corpus_graph
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
