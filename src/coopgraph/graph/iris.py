"""The IRI scheme: documents by symbol or slug, units by their place, sessions and actors, and the
nodes a unit owns (its mandates, citations, derivations). Every IRI of the graph is spelled here."""

from __future__ import annotations

from rdflib import URIRef

SPACES = ("doc", "session", "actor", "verb", "topic", "source", "graph")
"""The first segment after the base of every IRI the graph mints: each is dereferenceable."""

OWNED = ("citation", "mandate", "derivation", "topic", "count", "recall")
"""Nodes that belong to one unit, named under it: `{unit}/{kind}/{key}`."""

DESCRIBED_WITH_UNIT = ("citation", "mandate", "derivation", "topic", "count")
"""The owned nodes whose statements a unit's description includes (a recall is a page of its own)."""


def owned(unit: str, kind: str, key: object) -> URIRef:
    """A node that a unit owns, named under the unit's IRI (`…/para/28/mandate/1`)."""
    assert kind in OWNED, kind
    return URIRef(f"{unit}/{kind}/{key}")


def described_with_unit(iri: str) -> bool:
    """Whether the IRI names a node that its unit's description includes (not a unit or document)."""
    return any(f"/{kind}/" in iri for kind in DESCRIBED_WITH_UNIT)


class Iris:
    """Mints IRIs under one base, so the base stays a setting."""

    def __init__(self, base: str):
        self.base = base

    def space(self, name: str) -> str:
        """The prefix of one IRI space (`{base}doc/`)."""
        assert name in SPACES, name
        return f"{self.base}{name}/"

    def in_space(self, iri: object, name: str) -> bool:
        return str(iri).startswith(self.space(name))

    def doc(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.space('doc')}{doc_id}")

    def unit(self, doc_id: str, path: tuple[str, ...]) -> URIRef:
        return URIRef(f"{self.doc(doc_id)}/" + "/".join(path)) if path else self.doc(doc_id)

    def session(self, key: str) -> URIRef:
        return URIRef(f"{self.space('session')}{key}")

    def asp_session(self, number: int) -> URIRef:
        return self.session(f"ASP/{number}")

    def actor(self, slug: str) -> URIRef:
        return URIRef(f"{self.space('actor')}{slug}")

    def source(self, file: str) -> URIRef:
        return URIRef(f"{self.space('source')}{file}")

    def cluster(self, number: object) -> URIRef:
        return URIRef(f"{self.space('topic')}cluster-{number}")

    def graph(self, name: str) -> URIRef:
        """A named graph of the store: `corpus` is the served one, `corpus-loading` the one a
        reload fills before it replaces it."""
        return URIRef(f"{self.space('graph')}{name}")

    @property
    def corpus_graph(self) -> URIRef:
        return self.graph("corpus")

    @property
    def context(self) -> str:
        """Where the JSON-LD @context is published."""
        return f"{self.base}context.jsonld"

    @property
    def dataset(self) -> URIRef:
        """The VoID description's dataset node."""
        return URIRef(f"{self.base}void#coopgraph")

    def relative(self, iri: str) -> str:
        """The part after the base, for display and for the reference resolver."""
        return iri[len(self.base) :] if iri.startswith(self.base) else iri
