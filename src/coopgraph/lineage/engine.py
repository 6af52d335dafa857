"""The lineage engine: the graph's derivation edges in networkx, walked up (where a unit came
from) and down (where it went), with depth and edge-type filters, paths with their evidence,
first appearances, and what changed between two documents."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import networkx as nx
from rdflib import Graph, URIRef

from coopgraph.lineage.units import ALIGNED_CLASSES, document_of
from coopgraph.terms import CG, RDF

_PREFIXES = f"PREFIX cg: <{CG}> PREFIX prov: <http://www.w3.org/ns/prov#>\n"
_EDGES = _PREFIXES + """SELECT ?d ?later ?earlier ?type ?confidence ?inferred ?method ?similarity ?diff WHERE {
    ?later cg:qualifiedDerivation ?d . ?d prov:entity ?earlier ; cg:derivationType ?type ; cg:confidence ?confidence ;
       cg:isInferred ?inferred ; cg:method ?method .
    OPTIONAL { ?d cg:similarity ?similarity } OPTIONAL { ?d cg:diff ?diff } }"""
_MANY = _PREFIXES + """SELECT ?d ?what ?text WHERE {
    { ?d cg:evidenceText ?text . BIND("evidence" AS ?what) } UNION
    { ?d cg:deletedWords ?text . BIND("deleted" AS ?what) } UNION
    { ?d cg:insertedWords ?text . BIND("inserted" AS ?what) } }"""

_NODES = _PREFIXES + """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?n ?label ?text ?doc ?docLabel ?session ?date ?parentDate ?top ?topLabel ?topSession ?topDate WHERE {
    VALUES ?n { $VALUES }
    OPTIONAL { ?n rdfs:label ?label }
    OPTIONAL { ?n cg:text ?text }
    OPTIONAL { ?n eli:is_part_of* ?doc . ?doc a cg:CorpusDocument .
               OPTIONAL { ?doc rdfs:label ?docLabel } OPTIONAL { ?doc cg:session/cg:sessionNumber ?session }
               OPTIONAL { ?doc dct:date ?date } OPTIONAL { ?doc eli:is_part_of/dct:date ?parentDate } }
    OPTIONAL { ?n eli:is_part_of* ?top . FILTER NOT EXISTS { ?top eli:is_part_of ?up }
               OPTIONAL { ?top rdfs:label ?topLabel } OPTIONAL { ?top cg:session/cg:sessionNumber ?topSession }
               OPTIONAL { ?top dct:date ?topDate } }
}"""

EDGE_TYPES = ("repeats", "amends", "restates", "reportsOn", "citesUnit", "buildsOn")
TEXT_TYPES = frozenset({"repeats", "amends", "restates"})  # the unit's own text comes from the earlier one


@dataclass(frozen=True)
class Node:
    """A unit or document as lineage shows it."""

    iri: str
    label: str
    text: str | None
    document: str | None
    document_label: str | None
    session: int | None
    year: int | None


@dataclass(frozen=True)
class Edge:
    """One derivation: `later` takes something from `earlier`, with the evidence."""

    later: str
    earlier: str
    type: str
    confidence: float
    inferred: bool
    method: str
    evidence: tuple[str, ...]
    similarity: float | None = None
    diff: str | None = None
    deleted: tuple[str, ...] = ()
    inserted: tuple[str, ...] = ()
    derivation: str = ""


@dataclass
class Step:
    """A node reached in a trace, how far away, and the edge that reached it."""

    node: Node
    depth: int
    edge: Edge
    direction: str  # "up": edge.earlier is this node; "down": edge.later is this node


@dataclass
class Trace:
    root: Node
    direction: str
    steps: list[Step] = field(default_factory=list)


class Lineage:
    """The derivation edges of one graph, ready to walk."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.network = nx.MultiDiGraph()  # edges point from the later node to the earlier one
        # Three queries, whatever the store: SPARQL runs where the data is (Oxigraph, Virtuoso).
        many: dict[str, dict[str, list[str]]] = {}
        for row in graph.query(_MANY):
            many.setdefault(str(row[0]), {}).setdefault(str(row[1]), []).append(str(row[2]))
        for row in graph.query(_EDGES):
            node, later, earlier, kind, confidence, inferred, method, similarity, diff = row
            extra = many.get(str(node), {})
            edge = Edge(
                later=str(later), earlier=str(earlier), type=str(kind).rsplit("#", 1)[-1],
                confidence=float(confidence), inferred=str(inferred).lower() in {"true", "1"}, method=str(method),
                evidence=tuple(sorted(extra.get("evidence", []))), similarity=_float(similarity), diff=_str(diff),
                deleted=tuple(sorted(extra.get("deleted", []))), inserted=tuple(sorted(extra.get("inserted", []))),
                derivation=str(node),
            )
            self.network.add_edge(edge.later, edge.earlier, key=edge.type, edge=edge)
        self._nodes: dict[str, Node] = {}

    # -- nodes ---------------------------------------------------------------------------------
    def node(self, iri: str) -> Node:
        if iri not in self._nodes:
            self.fetch([iri])
        return self._nodes[iri]

    def fetch(self, iris: list[str]) -> None:
        """Read the nodes not yet known with one SPARQL query, wherever the store is."""
        missing = sorted({i for i in iris if i not in self._nodes})
        for start in range(0, len(missing), 200):
            chunk = missing[start:start + 200]
            values = " ".join(f"<{i}>" for i in chunk)
            found: dict[str, Node] = {}
            for row in self.graph.query(_NODES.replace("$VALUES", values)):
                iri, label, text, doc, doc_label, session, date, parent_date, top, top_label, top_session, top_date = (
                    None if v is None else str(v) for v in row)
                if iri in found and found[iri].document is not None:
                    continue
                if doc is None and top is not None and (top != iri or _is_external(self.graph, iri)):
                    doc, doc_label, session, date = top, top_label, top_session, top_date  # outside the corpus
                document = doc
                year = date or parent_date
                found[iri] = Node(iri=iri, label=label or iri, text=text, document=document,  # type: ignore[arg-type]
                                  document_label=(doc_label or document) if document else None,
                                  session=int(session) if session else None, year=int(year[:4]) if year else None)
            for iri in chunk:
                self._nodes[iri] = found.get(iri) or Node(iri, iri, None, None, None, None, None)

    # -- walks ---------------------------------------------------------------------------------
    def edges(self, iri: str, direction: str, types: frozenset[str] | None = None) -> list[Edge]:
        """The edges at one node: up = to what it derives from; down = from what derives from it."""
        if iri not in self.network:
            return []
        pairs = self.network.out_edges(iri, data="edge") if direction == "up" else self.network.in_edges(iri, data="edge")
        found = [e for _, _, e in pairs if types is None or e.type in types]
        return sorted(found, key=lambda e: (EDGE_TYPES.index(e.type), -e.confidence, e.earlier, e.later))

    def trace(self, iri: str, direction: str = "up", depth: int | None = None,
              types: frozenset[str] | None = None) -> Trace:
        """Breadth-first from `iri`: each node once, at its shortest distance."""
        trace = Trace(Node(iri, iri, None, None, None, None, None), direction)
        directions = ("up", "down") if direction == "both" else (direction,)
        for way in directions:
            seen = {iri}
            queue = deque([(iri, 0)])
            while queue:
                current, distance = queue.popleft()
                if depth is not None and distance >= depth:
                    continue
                for edge in self.edges(current, way, types):
                    other = edge.earlier if way == "up" else edge.later
                    if other in seen:
                        continue
                    seen.add(other)
                    trace.steps.append(Step(Node(other, other, None, None, None, None, None), distance + 1, edge, way))
                    queue.append((other, distance + 1))
        self.fetch([iri] + [s.node.iri for s in trace.steps])
        trace.root = self._nodes[iri]
        for step in trace.steps:
            step.node = self._nodes[step.node.iri]
        return trace

    def first_appearance(self, iri: str) -> tuple[Node, list[Edge]]:
        """The earliest unit whose text this one carries (following repeats/amends/restates up)."""
        path: list[Edge] = []
        current = iri
        while True:
            edges = self.edges(current, "up", TEXT_TYPES)
            if not edges:
                return self.node(current), path
            best = max(edges, key=lambda e: e.confidence)
            path.append(best)
            current = best.earlier

    def paths(self, later: str, earlier: str, types: frozenset[str] | None = None, limit: int = 20) -> list[list[Edge]]:
        """The simple paths from a later node up to an earlier one, each edge with its evidence."""
        view = self.network if types is None else nx.subgraph_view(
            self.network, filter_edge=lambda u, v, k: k in types)
        if later not in view or earlier not in view:
            return []
        found = []
        for path in nx.all_simple_edge_paths(view, later, earlier):
            found.append([self.network.edges[u, v, k]["edge"] for u, v, k in path])
            if len(found) >= limit:
                break
        return found

    # -- documents -----------------------------------------------------------------------------
    def units_of(self, document: str) -> list[str]:
        """The text units of a document (or annexed document), in reading order."""
        ref = URIRef(document)
        found = []
        for cls in ALIGNED_CLASSES:
            for unit in self.graph.subjects(RDF.type, cls):
                if document_of(self.graph, unit) == ref:  # type: ignore[arg-type]
                    line = self.graph.value(unit, CG.firstLine)
                    found.append((int(line) if line is not None else 0, str(unit)))
        return [iri for _, iri in sorted(found)]

    def changes(self, earlier_doc: str, later_doc: str) -> list[dict[str, object]]:
        """Per unit: new, carried over (verbatim), amended, restated (in the later document), or
        dropped (an earlier unit no later unit takes its text from)."""
        earlier_units = set(self.units_of(earlier_doc))
        rows: list[dict[str, object]] = []
        taken: set[str] = set()
        for unit in self.units_of(later_doc):
            sources = [e for e in self.edges(unit, "up", TEXT_TYPES) if e.earlier in earlier_units]
            placeholder = self.graph.value(URIRef(unit), CG.isPlaceholder) is not None
            if sources:
                edge = max(sources, key=lambda e: e.confidence)
                taken.add(edge.earlier)
                status = {"repeats": "carried over", "amends": "amended", "restates": "restated"}[edge.type]
                rows.append({"status": status, "later": unit, "earlier": edge.earlier, "edge": edge})
            else:
                rows.append({"status": "new (placeholder)" if placeholder else "new", "later": unit,
                             "earlier": None, "edge": None})
        for unit in sorted(earlier_units - taken, key=self.units_of(earlier_doc).index):
            rows.append({"status": "dropped", "later": None, "earlier": unit, "edge": None})
        return rows


def _float(value: object) -> float | None:
    return float(value) if value is not None else None  # type: ignore[arg-type]


def _str(value: object) -> str | None:
    return str(value) if value is not None else None


def _is_external(graph: Graph, iri: str) -> bool:
    return (URIRef(iri), RDF.type, CG.ExternalDocument) in graph
