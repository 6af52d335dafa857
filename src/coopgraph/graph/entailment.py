"""Super-properties written into the graph, so that every property the ontology declares answers
a query without a reasoner: a unit that `cg:amends` another also `cg:derivedFrom` it, a unit
that `cg:cites` a text also `eli:cites` and `dct:references` it.

This is RDFS rule rdfs7 (a triple's predicate's super-properties hold too), closed over chains
of `rdfs:subPropertyOf`, for the properties the ontology in `ontology/` declares. Nothing else
is inferred: no classes from domains or ranges, nothing from outside vocabularies' own axioms.
One super-property is left as stated: `eli:is_part_of` is the document tree, one parent per unit
(the JSON-LD tree, the numbering checks and every page read it so); `cg:inPart` also places a
unit under a heading's part, and a query that wants both asks for both.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

TREE = URIRef("http://data.europa.eu/eli/ontology#is_part_of")


def super_properties(ontology_dir: Path) -> dict[URIRef, set[URIRef]]:
    """Each property's super-properties, all the way up, as the ontology's files declare them."""
    declared = Graph()
    for path in sorted(ontology_dir.glob("*.ttl")):
        declared.parse(path, format="turtle")
    hierarchy = nx.DiGraph()
    for sub, parent in declared.subject_objects(RDFS.subPropertyOf):
        if isinstance(sub, URIRef) and isinstance(parent, URIRef) and sub != parent:
            hierarchy.add_edge(sub, parent)
    closure = {node: set(nx.descendants(hierarchy, node)) - {TREE} for node in hierarchy if hierarchy.out_degree(node)}
    return {node: parents for node, parents in closure.items() if parents}


def materialise(graph: Graph, supers: dict[URIRef, set[URIRef]]) -> int:
    """Add every triple the super-properties imply; returns how many were new."""
    before = len(graph)
    implied = [(s, parent, o) for predicate, parents in supers.items()
               for s, o in graph.subject_objects(predicate) for parent in parents]
    for triple in implied:
        graph.add(triple)
    return len(graph) - before
