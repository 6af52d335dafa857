"""What the SPARQL page's editor (YASGUI, bundled in static/vendor/yasgui) is given: the endpoint, the
predefined prefixes, the named queries as examples, and the ontology's terms for autocompletion,
so that it never asks a service on the internet (YASGUI's own completers ask prefix.cc and LOV)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from coopgraph.terms import PREFIXES

if TYPE_CHECKING:
    from coopgraph.web.service import Service

CLASSES = (OWL.Class, RDFS.Class)
PROPERTIES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


def terms(graph: Graph, kinds: tuple[URIRef, ...]) -> list[str]:
    """The IRIs the graph declares of these kinds, in a namespace the endpoint predefines a prefix for."""
    spaces = tuple(str(iri) for iri in PREFIXES.values())
    return sorted({str(s) for kind in kinds for s in graph.subjects(RDF.type, kind)
                   if isinstance(s, URIRef) and str(s).startswith(spaces)})


def editor_settings(service: Service) -> dict[str, Any]:
    """The editor's settings, as the page embeds them (JSON, read by static/query-editor.js)."""
    with service.read_lock:
        classes, properties = terms(service.graph, CLASSES), terms(service.graph, PROPERTIES)
    return {
        "endpoint": "/sparql",
        "prefixes": {name: str(iri) for name, iri in sorted(PREFIXES.items())},
        "examples": [{"name": q.name, "title": q.title, "query": q.text}
                     for q in service.queries.values() if not q.params],
        "classes": classes,
        "properties": properties,
    }
