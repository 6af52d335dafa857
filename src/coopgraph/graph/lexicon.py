"""The rules the vocabularies carry (verb forms, actor names, topic keywords), compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from coopgraph.errors import GraphFileError
from coopgraph.terms import CG, RDF, SKOS

VOCABULARY_FILES = ("coopgraph.ttl", "verbs.ttl", "actors.ttl", "topics.ttl")


@dataclass(frozen=True)
class Verb:
    iri: URIRef
    label: str
    forms: tuple[str, ...]
    gives_mandate: bool
    binds_assembly: bool = False  # "Decides to ...": the Assembly asks itself
    force: URIRef | None = None  # its normative force (the force scheme of ontology/verbs.ttl)


@dataclass(frozen=True)
class Actor:
    iri: URIRef
    label: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Topic:
    iri: URIRef
    label: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    graph: Graph
    verbs: tuple[Verb, ...]
    actors: tuple[Actor, ...]
    topics: tuple[Topic, ...]


def load_vocabularies(ontology_dir: Path, base: str) -> Graph:
    """The ontology and the three schemes, relative IRIs resolved against the base."""
    graph = Graph()
    for name in VOCABULARY_FILES:
        path = ontology_dir / name
        try:
            graph.parse(path, format="turtle", publicID=base)
        except FileNotFoundError:
            raise GraphFileError(f"{path}: missing; the ontology folder must hold {', '.join(VOCABULARY_FILES)}") from None
        except Exception as exc:  # rdflib raises many parser exception types
            raise GraphFileError(f"{path}: not valid Turtle: {exc}") from None
    return graph


def load_lexicon(ontology_dir: Path, base: str) -> Lexicon:
    graph = load_vocabularies(ontology_dir, base)

    def label(node: URIRef) -> str:
        return str(graph.value(node, SKOS.prefLabel))

    verbs = tuple(
        Verb(
            iri=node,
            label=label(node),
            forms=tuple(sorted((str(f) for f in graph.objects(node, CG.verbForm)), key=len, reverse=True)),
            gives_mandate=bool(graph.value(node, CG.givesMandate) and graph.value(node, CG.givesMandate).toPython()),
            binds_assembly=bool(graph.value(node, CG.bindsTheAssembly) and graph.value(node, CG.bindsTheAssembly).toPython()),
            force=graph.value(node, CG.normativeForce),  # type: ignore[arg-type]
        )
        for node in sorted(graph.subjects(CG.verbForm, None, unique=True))
        if isinstance(node, URIRef)
    )
    actors = tuple(
        Actor(node, label(node), tuple(re.compile(str(p)) for p in graph.objects(node, CG.namePattern)))
        for node in sorted(graph.subjects(RDF.type, CG.Actor))
        if isinstance(node, URIRef)
    )
    topics = tuple(
        Topic(node, label(node), tuple(sorted(str(k) for k in graph.objects(node, CG.keyword))))
        for node in sorted(graph.subjects(CG.keyword, None, unique=True))
        if isinstance(node, URIRef)
    )
    return Lexicon(graph, verbs, actors, topics)
