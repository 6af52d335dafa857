"""The lineage engine: the graph's derivation edges in networkx, walked up (where a unit came
from) and down (where it went), with depth and edge-type filters, paths with their evidence,
first appearances, and what changed between two documents."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.plugins.stores.memory import Memory

from coopgraph.lineage.record import SUBJECT_KINDS  # buildsOn edges continuing a paragraph by subject
from coopgraph.lineage.units import ALIGNED_CLASSES, document_of, session_number
from coopgraph.terms import CG, DCTERMS, ELI, RDF, RDFS

_PREFIXES = f"PREFIX cg: <{CG}> PREFIX prov: <http://www.w3.org/ns/prov#>\n"
# The edges a walk can reach from its start, in one query per direction: a property path from a
# bound start, so the cost follows what is reached, not the size of the graph.
_STEP = "(cg:qualifiedDerivation/prov:entity)*"
_REACH = {
    "up": "$START " + _STEP + " ?later . ?later cg:qualifiedDerivation ?d . ?d prov:entity ?earlier .",
    "down": "?earlier " + _STEP + " $START . ?later cg:qualifiedDerivation ?d . ?d prov:entity ?earlier .",
    "up1": "VALUES ?later { $VALUES } ?later cg:qualifiedDerivation ?d . ?d prov:entity ?earlier .",
}
_EDGES = _PREFIXES + """SELECT ?d ?later ?earlier ?type ?confidence ?inferred ?method ?similarity ?diff ?kind ?what ?text WHERE {
    $REACH ?d cg:derivationType ?type ; cg:confidence ?confidence ; cg:isInferred ?inferred ; cg:method ?method .
    OPTIONAL { ?d cg:similarity ?similarity } OPTIONAL { ?d cg:diff ?diff } OPTIONAL { ?d cg:evidenceKind ?kind }
    OPTIONAL { { ?d cg:evidenceText ?text . BIND("evidence" AS ?what) } UNION
               { ?d cg:deletedWords ?text . BIND("deleted" AS ?what) } UNION
               { ?d cg:insertedWords ?text . BIND("inserted" AS ?what) } UNION
               { ?d cg:footnoteDiff ?text . BIND("footnote" AS ?what) } UNION
               { ?d cg:confidenceBasis ?text . BIND("basis" AS ?what) } UNION
               { ?d a ?shape . FILTER (?shape IN (cg:SplitDerivation, cg:MergeDerivation))
                 BIND("shape" AS ?what) BIND(STRAFTER(STR(?shape), "#") AS ?text) } } }"""  # one row per edge and text

_NODES = _PREFIXES + """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT ?n ?label ?text ?p1 ?p2 ?p3 ?p4 WHERE {
    VALUES ?n { $VALUES }
    OPTIONAL { ?n rdfs:label ?label } OPTIONAL { ?n cg:text ?text }
    OPTIONAL { ?n eli:is_part_of ?p1 OPTIONAL { ?p1 eli:is_part_of ?p2
               OPTIONAL { ?p2 eli:is_part_of ?p3 OPTIONAL { ?p3 eli:is_part_of ?p4 } } } }
}"""
_DOCS = _PREFIXES + """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?d ?kind ?label ?session ?date ?parentDate WHERE {
    VALUES ?d { $VALUES }
    ?d a ?kind FILTER (?kind IN (cg:CorpusDocument, cg:ExternalDocument))  # a second VALUES is joined 4x slower
    OPTIONAL { ?d rdfs:label ?label } OPTIONAL { ?d cg:session ?s . ?s cg:sessionNumber ?session }
    OPTIONAL { ?d dct:date ?date } OPTIONAL { ?d eli:is_part_of ?parent . ?parent dct:date ?parentDate }
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
    in_corpus: bool = False  # a unit or document of the corpus (a document node has no text of its own)
    date: str | None = None  # the date of its text (ISO), its document's or the document it is annexed to


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
    kind: str = ""  # the evidence kind its confidence is calibrated for
    footnotes: tuple[str, ...] = ()  # footnote changes between the two versions
    shapes: tuple[str, ...] = ()  # SplitDerivation / MergeDerivation
    why_confidence: str | None = None  # why it has its confidence, in one sentence (cg:confidenceBasis)

    @property
    def basis(self) -> str:
        return "inferred" if self.inferred else "stated"

    @property
    def words(self) -> str | None:
        """What shows the link: the clause carried over, else the whole diff, else the evidence."""
        if self.kind == "clause" and self.evidence:
            return self.evidence[0]
        return self.diff or (self.evidence[0] if self.evidence else None)

    @property
    def shape_words(self) -> str:
        """'split', 'merge', 'split and merge', or ''."""
        return " and ".join(s.removesuffix("Derivation").lower() for s in self.shapes)


@dataclass
class Step:
    """A node reached in a trace, how far away, and the edge that reached it."""

    node: Node
    depth: int
    edge: Edge
    direction: str  # "up": edge.earlier is this node; "down": edge.later is this node
    gap: str | None = None  # "sessions 7 and 9-13 lie between; their texts are not in the corpus"
    missing: tuple[int, ...] = ()  # the same sessions, as numbers


@dataclass
class Trace:
    root: Node
    direction: str
    steps: list[Step] = field(default_factory=list)


class Lineage:
    """The derivation edges of one graph, ready to walk."""

    def __init__(self, graph: Graph, select: Callable[[str], Iterable[tuple[str | None, ...]]] | None = None):
        """`select` answers a SELECT as rows of strings; a store's own (Store.select_strings) skips
        building rdflib terms, which costs more than the queries themselves."""
        self.graph = graph
        self.select = select or (lambda query: (tuple(None if v is None else str(v) for v in row)  # type: ignore[union-attr]
                                                for row in graph.query(query)))
        self.network = nx.MultiDiGraph()  # edges point from the later node to the earlier one
        self._reached: set[tuple[str, str]] = set()  # (node, direction) whose reachable edges are read
        self._nodes: dict[str, Node] = {}
        self._corpus_sessions: frozenset[int] | None = None

    # -- edges, read from the store as walks reach them -----------------------------------------
    def reach(self, iri: str, direction: str) -> None:
        """Read every edge reachable from `iri` up (what it derives from) or down (what derives
        from it) with one query, unless a walk read them already. Nothing is read at start-up,
        so opening a graph of any size is instant."""
        if (iri, direction) in self._reached or not _plain_iri(iri):
            return
        where = _REACH[direction].replace("$START", f"<{iri}>")
        self._read(where)
        self._reached.add((iri, direction))
        if iri not in self.network:
            return
        # every node reached has its own closure (in the same direction) read too
        reached = nx.descendants(self.network, iri) if direction == "up" else nx.ancestors(self.network, iri)
        self._reached.update((n, direction) for n in reached)

    def reach_one_step(self, iris: list[str]) -> None:
        """Read the edges up from many nodes at once (one step each, not their whole closure)."""
        wanted = [i for i in iris if _plain_iri(i) and (i, "up") not in self._reached and (i, "up1") not in self._reached]
        for start in range(0, len(wanted), 200):
            chunk = wanted[start:start + 200]
            self._read(_REACH["up1"].replace("$VALUES", " ".join(f"<{i}>" for i in chunk)))
            self._reached.update((i, "up1") for i in chunk)

    def _read(self, where: str) -> None:
        rows: dict[str, tuple[str | None, ...]] = {}
        texts: dict[str, dict[str, set[str]]] = {}
        for row in self.select(_EDGES.replace("$REACH", where)):
            node, *_, what, text = row
            rows.setdefault(str(node), row)
            if what is not None and text is not None:
                texts.setdefault(str(node), {}).setdefault(str(what), set()).add(str(text))
        for node, (_, later, earlier, kind, confidence, inferred, method, similarity, diff, evidence_kind, _, _) in rows.items():
            edge_type = str(kind).rsplit("#", 1)[-1]
            if self.network.has_edge(str(later), str(earlier), key=edge_type):
                continue
            extra = texts.get(node, {})
            edge = Edge(
                later=str(later), earlier=str(earlier), type=edge_type,
                confidence=float(confidence), inferred=str(inferred).lower() in {"true", "1"}, method=str(method),  # type: ignore[arg-type]
                evidence=tuple(sorted(extra.get("evidence", []))), similarity=_float(similarity), diff=_str(diff),
                deleted=tuple(sorted(extra.get("deleted", []))), inserted=tuple(sorted(extra.get("inserted", []))),
                derivation=node, kind=str(evidence_kind or ""), footnotes=tuple(sorted(extra.get("footnote", []))),
                shapes=tuple(sorted(extra.get("shape", []))), why_confidence=next(iter(extra.get("basis", [])), None),
            )
            self.network.add_edge(edge.later, edge.earlier, key=edge.type, edge=edge)

    # -- nodes ---------------------------------------------------------------------------------
    def node(self, iri: str) -> Node:
        if iri not in self._nodes:
            self.fetch([iri])
        return self._nodes[iri]

    def fetch(self, iris: list[str]) -> None:
        """Read the nodes not yet known with two SPARQL queries, wherever the store is: their words
        and the chain of what they are part of, then the documents on those chains. Bounded paths,
        so the cost follows the number of nodes, not the size of the graph."""
        missing = sorted({i for i in iris if i not in self._nodes and _plain_iri(i)})
        for iri in {i for i in iris if not _plain_iri(i)}:
            self._nodes[iri] = Node(iri, iri, None, None, None, None, None)
        if isinstance(self.graph.store, Memory):  # rdflib's own store: its triple index beats its SPARQL engine
            for iri in missing:
                self._nodes[iri] = self._node_from_triples(iri)
            return
        for start in range(0, len(missing), 200):
            chunk = missing[start:start + 200]
            rows: dict[str, tuple[str | None, str | None, list[str]]] = {}
            for row in self.select(_NODES.replace("$VALUES", " ".join(f"<{i}>" for i in chunk))):
                iri, label, text, *chain = row
                if iri not in rows or len([c for c in chain if c]) > len(rows[iri][2]):
                    rows[iri] = (label, text, [c for c in chain if c])  # type: ignore[index]
            candidates = {i for i in chunk} | {c for _, _, chain in rows.values() for c in chain}
            docs: dict[str, dict[str, str | None]] = {}
            for row in self.select(_DOCS.replace("$VALUES", " ".join(f"<{i}>" for i in sorted(candidates)))):
                doc, kind, label, session, date, parent_date = row
                entry = docs.setdefault(doc, {"kind": None, "label": label, "session": session, "date": date or parent_date})  # type: ignore[arg-type]
                if kind and (entry["kind"] is None or kind.endswith("CorpusDocument")):
                    entry["kind"] = kind
            for iri in chunk:
                label, text, chain = rows.get(iri, (None, None, []))
                path = [iri, *chain]
                corpus = next((d for d in path if str(docs.get(d, {}).get("kind") or "").endswith("CorpusDocument")), None)
                top = path[-1] if (len(path) > 1 or str(docs.get(iri, {}).get("kind") or "").endswith("ExternalDocument")) else None
                document = corpus or top
                facts = docs.get(document, {}) if document else {}
                year = facts.get("date")
                self._nodes[iri] = Node(iri=iri, label=label or iri, text=text, document=document,
                                        document_label=(facts.get("label") or document) if document else None,
                                        session=int(facts["session"]) if facts.get("session") else None,  # type: ignore[arg-type]
                                        year=int(year[:4]) if year else None, in_corpus=corpus is not None,
                                        date=str(year)[:10] if year else None)

    def _node_from_triples(self, iri: str) -> Node:
        graph, ref = self.graph, URIRef(iri)
        path = [ref]
        while len(path) < 6 and (parent := graph.value(path[-1], ELI.is_part_of)) is not None:
            path.append(parent)  # type: ignore[arg-type]
        corpus = next((d for d in path if (d, RDF.type, CG.CorpusDocument) in graph), None)
        external = (ref, RDF.type, CG.ExternalDocument) in graph
        document = corpus or (path[-1] if len(path) > 1 or external else None)
        text = graph.value(ref, CG.text)
        year, date = None, None
        if document is not None:
            date = graph.value(document, DCTERMS.date) or graph.value(graph.value(document, ELI.is_part_of), DCTERMS.date)
            year = int(str(date)[:4]) if date is not None else None
        return Node(iri=iri, label=str(graph.value(ref, RDFS.label) or iri), text=str(text) if text else None,
                    document=str(document) if document else None,
                    document_label=str(graph.value(document, RDFS.label) or document) if document else None,
                    session=session_number(graph, document) if document else None, year=year,
                    in_corpus=corpus is not None, date=str(date)[:10] if date is not None else None)

    # -- walks ---------------------------------------------------------------------------------
    def edges(self, iri: str, direction: str, types: frozenset[str] | None = None) -> list[Edge]:
        """The edges at one node: up = to what it derives from; down = from what derives from it."""
        if (iri, "up1") not in self._reached or direction != "up":
            self.reach(iri, direction)
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
            self.reach(iri, way)
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
        for step in trace.steps:  # each hop names the sessions between its two texts that the corpus lacks
            parent = step.edge.later if step.direction == "up" else step.edge.earlier
            step.missing = tuple(self.missing_between(self.node(parent).session, step.node.session))
            step.gap = gap_sentence(list(step.missing)) if step.missing else None
        return trace

    # -- the gaps of the corpus ----------------------------------------------------------------
    def corpus_sessions(self) -> frozenset[int]:
        """The sessions that have a text in the corpus (any document of the corpus, or an annex of one)."""
        if self._corpus_sessions is None:
            found = set()
            for row in self.select(_PREFIXES + "SELECT DISTINCT ?n WHERE { ?d a cg:CorpusDocument ; cg:session ?s . "
                                   "?s cg:sessionNumber ?n }"):
                if row[0] is not None:
                    found.add(int(row[0]))
            self._corpus_sessions = frozenset(found)
        return self._corpus_sessions

    def missing_between(self, first: int | None, last: int | None) -> list[int]:
        """The sessions strictly between two sessions whose texts are not in the corpus."""
        if first is None or last is None:
            return []
        low, high = sorted((first, last))
        return [n for n in range(low + 1, high) if n not in self.corpus_sessions()]

    def gap_note(self, first: int | None, last: int | None) -> str | None:
        """'sessions 7 and 9-13 lie between; their texts are not in the corpus', or None."""
        missing = self.missing_between(first, last)
        return gap_sentence(missing) if missing else None

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
        self.reach(later, "up")
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

    def gap(self, earlier_doc: str, later_doc: str) -> str | None:
        """The sessions between two documents' sessions whose texts the corpus lacks ('sessions 9-13')."""
        missing = self.missing_between(self.node(earlier_doc).session, self.node(later_doc).session)
        return session_ranges(missing) if missing else None

    # Texts that can be versions of one instrument: successive resolutions, a draft and the resolution
    # adopted from it, a resolution and the draft of its successor.
    VERSION_KINDS = (CG.Resolution, CG.DraftResolution)
    RELATION_WORDS = {"repeats": "repeats", "amends": "takes words from", "restates": "restates", "reportsOn": "reports on",
                      "citesUnit": "cites", "buildsOn": "builds on (inferred)"}

    def as_version(self, document: str) -> tuple[str | None, str | None]:
        """The text of `document` that can be compared as a version: itself, if a resolution or a
        draft; the draft resolution a report annexes (and a note that says so); else None."""
        ref = URIRef(document)
        if any((ref, RDF.type, kind) in self.graph for kind in self.VERSION_KINDS):
            return document, None
        for annex in sorted(self.graph.subjects(ELI.is_part_of, ref)):
            if (annex, RDF.type, CG.CorpusDocument) in self.graph and (annex, RDF.type, CG.DraftResolution) in self.graph:
                return str(annex), (f"{self.node(document).label} annexes a draft resolution "
                                    f"({self.node(str(annex)).label}): compared with that draft")
        return None, None

    def changes(self, earlier_doc: str, later_doc: str) -> list[dict[str, object]]:
        """Between two versions of one instrument, per unit: new, carried over (verbatim), amended,
        restated (in the later document), or dropped (an earlier unit no later unit takes its text
        from); `renumbered` says "15 -> 14" where a carried paragraph changed its number (the
        negotiation of a draft shows them). A report that annexes a draft is compared through its
        draft, and `note` says so. Across a gap of sessions whose texts are not in the corpus, 'new'
        and 'dropped' would claim too much: the rows say 'not in the earlier text' and 'not in the
        later text', and each names the gap. Texts that are not versions of one instrument (a report
        and the flyer, a draft and its list of mandates) are never compared unit against unit: the
        rows list the relations the graph holds between them (`mode` "relations"), and nothing is new
        or dropped."""
        earlier, earlier_note = self.as_version(earlier_doc)
        later, later_note = self.as_version(later_doc)
        note = "; ".join(n for n in (earlier_note, later_note) if n) or None
        if earlier is None or later is None:
            return self.relations(earlier_doc, later_doc)
        gap = self.gap(earlier, later)
        rows = self._changes(earlier, later)
        for row in rows:
            verb = "lies between the two texts and is" if gap and gap.startswith("session ") else "lie between the two texts and are"
            row["gap"] = f"{gap} {verb} not in the corpus" if gap else None
            row["mode"], row["note"] = "versions", note
            if gap and row["status"] in {"new", "dropped"}:
                row["status"] = "not in the earlier text" if row["status"] == "new" else "not in the later text"
        return rows

    def relations(self, first_doc: str, second_doc: str) -> list[dict[str, object]]:
        """Every link the graph holds between two texts that are not versions of one instrument, in
        either direction: what each unit does to the other text (restates, cites, reports on, ...)."""
        note = (f"{self.node(first_doc).label} and {self.node(second_doc).label} are not versions of one instrument: "
                "the links the graph holds between them are listed; no unit is called new or dropped")
        gap = self.gap_note(self.node(first_doc).session, self.node(second_doc).session)
        rows: list[dict[str, object]] = []
        for source, target in ((second_doc, first_doc), (first_doc, second_doc)):
            targets = set(self.units_of(target)) | {target}
            units = self.units_of(source)
            self.reach_one_step(units)
            for unit in units:
                for edge in self.edges(unit, "up"):
                    if edge.earlier in targets or (edge.earlier.startswith(target + "/") and edge.earlier not in units):
                        rows.append({"status": self.RELATION_WORDS.get(edge.type, edge.type), "later": unit,
                                     "earlier": edge.earlier, "edge": edge, "renumbered": None, "mode": "relations",
                                     "note": note, "gap": gap})
        if not rows:
            rows.append({"status": "no link", "later": None, "earlier": None, "edge": None, "renumbered": None,
                         "mode": "relations", "note": note + "; the graph holds none", "gap": None})
        return rows

    def _changes(self, earlier_doc: str, later_doc: str) -> list[dict[str, object]]:
        earlier_units = set(self.units_of(earlier_doc))
        later_units = self.units_of(later_doc)
        self.reach_one_step(later_units)
        rows: list[dict[str, object]] = []
        taken: set[str] = set()
        for unit in later_units:
            sources = [e for e in self.edges(unit, "up", TEXT_TYPES) if e.earlier in earlier_units]
            subjects = [e for e in self.edges(unit, "up", frozenset({"buildsOn"}))
                        if e.earlier in earlier_units and e.kind in SUBJECT_KINDS]
            placeholder = self.graph.value(URIRef(unit), CG.isPlaceholder) is not None
            if sources or subjects:
                edge = max(sources or subjects, key=lambda e: e.confidence)
                taken.update(e.earlier for e in sources + subjects)
                status = {"repeats": "carried over", "amends": "amended", "restates": "restated",
                          "buildsOn": "same subject (inferred)"}[edge.type]
                if len(sources + subjects) > 1:
                    status += f" (merges {len(sources + subjects)})"
                before, now = self.graph.value(URIRef(edge.earlier), CG.number), self.graph.value(URIRef(unit), CG.number)
                renumbered = (f"{before} -> {now}" if before is not None and now is not None and before != now
                              and str(before).isdigit() == str(now).isdigit() else None)  # an item restating a paragraph is no renumbering
                rows.append({"status": status, "later": unit, "earlier": edge.earlier, "edge": edge, "renumbered": renumbered})
            else:
                rows.append({"status": "new (placeholder)" if placeholder else "new", "later": unit,
                             "earlier": None, "edge": None, "renumbered": None})
        for unit in sorted(earlier_units - taken, key=self.units_of(earlier_doc).index):
            rows.append({"status": "dropped", "later": None, "earlier": unit, "edge": None, "renumbered": None})
        return rows


def session_ranges(numbers: list[int]) -> str:
    """[7, 9, 10, 11, 12, 13] -> 'sessions 7 and 9-13'; [9] -> 'session 9'."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    words = [f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    joined = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return ("session " if len(numbers) == 1 else "sessions ") + joined


def gap_sentence(missing: list[int]) -> str:
    one = len(missing) == 1
    return f"{session_ranges(missing)} {'lies' if one else 'lie'} between; {'its texts are' if one else 'their texts are'} not in the corpus"


def _plain_iri(iri: str) -> bool:
    """Whether `iri` can be written between <> in a query as it is (no query can be smuggled in)."""
    return iri.startswith(("http://", "https://", "urn:")) and not any(c in iri for c in '<>"{}|^`\\ \n\t')


def _float(value: object) -> float | None:
    return float(value) if value is not None else None  # type: ignore[arg-type]


def _str(value: object) -> str | None:
    return str(value) if value is not None else None


