"""The IRI scheme: documents by symbol or slug, units by their place, sessions and actors."""

from __future__ import annotations

from rdflib import URIRef


class Iris:
    """Mints IRIs under one base, so the base stays a setting."""

    def __init__(self, base: str):
        self.base = base

    def doc(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}doc/{doc_id}")

    def unit(self, doc_id: str, path: tuple[str, ...]) -> URIRef:
        return URIRef(f"{self.base}doc/{doc_id}/" + "/".join(path)) if path else self.doc(doc_id)

    def session(self, key: str) -> URIRef:
        return URIRef(f"{self.base}session/{key}")

    def asp_session(self, number: int) -> URIRef:
        return self.session(f"ASP/{number}")

    def actor(self, slug: str) -> URIRef:
        return URIRef(f"{self.base}actor/{slug}")

    def source(self, file: str) -> URIRef:
        return URIRef(f"{self.base}source/{file}")

    def relative(self, iri: str) -> str:
        """The part after the base, for display and for the reference resolver."""
        return iri[len(self.base) :] if iri.startswith(self.base) else iri
