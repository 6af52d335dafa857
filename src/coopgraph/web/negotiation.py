"""Content negotiation: which media types a node is offered in, whether a request wants a page,
and the server's public address (from its settings, never from the request)."""

from __future__ import annotations

from fastapi import Request

from coopgraph.sparql.formats import choose

RDF_MEDIA = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld"}


DEREF_OFFER = ["text/html", "application/ld+json", "text/turtle", "application/n-triples"]


def wants_html(request: Request) -> bool:
    return accepts_html(request.headers.get("accept", ""))


def accepts_html(accept: str) -> bool:
    """Whether an Accept header prefers a page to data: a browser's."""
    return "text/html" in accept and choose(accept, ["text/html", "application/json", "application/ld+json"]) == "text/html"


def public(request: Request) -> str:
    """The server's public address, from its settings: never from the request's Host header."""
    return request.app.state.service.settings.public_url
