"""Linked data: every IRI dereferenced under its own path (HTML, JSON-LD, Turtle, N-Triples),
the dumps and VoID from the store served, the @context, the data model."""

from __future__ import annotations

import datetime
import re

from fastapi import APIRouter, Request
from fastapi.concurrency import iterate_in_threadpool
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from markupsafe import Markup
from rdflib import URIRef

from coopgraph.akn.export import akn_offered, export_document
from coopgraph.akn.naming import AKN_MEDIA
from coopgraph.errors import ReferenceNotFound
from coopgraph.graph.iris import SPACES
from coopgraph.resolve import nearest
from coopgraph.sparql.formats import FORMAT_PARAM, choose
from coopgraph.terms import CG, PREFIXES, RDF
from coopgraph.web import descriptions
from coopgraph.web.negotiation import DEREF_OFFER, RDF_MEDIA, public, wants_html
from coopgraph.web.reader import PageReader
from coopgraph.web.service import Service, ServiceDep, SettingsDep, client_of
from coopgraph.web.svg import lineage_svg
from coopgraph.web.templating import render

router = APIRouter()




@router.get("/context.jsonld", summary="The published JSON-LD @context")
def context_route(service: ServiceDep) -> Response:
    return JSONResponse(service.context, media_type="application/ld+json")


@router.get("/dump/{name}", summary="The whole graph: coopgraph.ttl, coopgraph.nt or coopgraph.jsonld")
def dump(service: ServiceDep, name: str) -> Response:
    """Streamed from the store being served (never from files of another build): what the
    VoID counts is what the dump holds."""
    formats = {"coopgraph.ttl": ("ttl", "text/turtle"), "coopgraph.nt": ("nt", "application/n-triples"),
               "coopgraph.jsonld": ("jsonld", "application/ld+json")}
    if name not in formats:
        return JSONResponse({"error": f"no dump {name!r}; there are coopgraph.ttl, coopgraph.nt, coopgraph.jsonld"},
                            status_code=404)
    fmt, media = formats[name]
    return StreamingResponse(iterate_in_threadpool(service.store.dump(fmt)), media_type=media,
                             headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.get("/void", summary="VoID description of the dataset")
def void(service: ServiceDep, request: Request) -> Response:
    media = choose(request.headers.get("accept"), list(RDF_MEDIA)) or "text/turtle"
    graph = descriptions.void_description(service.graph, service.base, public(request))
    return Response(graph.serialize(format=RDF_MEDIA[media]), media_type=media)

# -- linked data: every IRI under its own path ----------------------------------------------
def dereference(service: Service, request: Request, path: str, format: str | None) -> Response:
    iri = service.iri_of(path)
    if not descriptions.exists(service.graph, iri):
        with service.matching(client_of(request)):  # the nearest names cost by what the path is
            suggestions = nearest(service.graph, path.replace("doc/", "", 1).replace("/", " "))
        raise ReferenceNotFound(str(iri), "no such node in the graph", suggestions)
    offers = [*DEREF_OFFER, AKN_MEDIA] if akn_offered(service.graph, iri) else DEREF_OFFER  # a whole text: also as AKN
    offered = {"html": "text/html", **{k: v for k, v in FORMAT_PARAM.items() if v in offers}}
    if AKN_MEDIA in offers:
        offered["akn"] = AKN_MEDIA
    media = offered.get(format or "") if format else choose(request.headers.get("accept"), offers)
    if media is None:
        return PlainTextResponse(f"cannot give <{iri}> as {format or request.headers.get('accept')}; "
                                 f"offered: {', '.join(offers)}", status_code=406)
    headers = {"Vary": "Accept", "Link": f'<{service.local(iri)}?format=jsonld>; rel="alternate"; type="application/ld+json"'}
    if media == "application/ld+json":
        inline = request.query_params.get("context") == "inline"
        if (iri, RDF.type, CG.CorpusDocument) in service.graph:
            body = descriptions.document_tree(service.graph, iri, service.base, inline)
        else:
            body = descriptions.jsonld_node(service.graph, iri, service.base, inline)
        headers["Link"] += f', <{public(request)}context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'
        return JSONResponse(body, media_type=media, headers=headers)
    if media == AKN_MEDIA:
        return Response(export_document(service.graph, service.base, iri), media_type=AKN_MEDIA, headers=headers)
    if media != "text/html":
        return Response(descriptions.rdf_bytes(descriptions.description(service.graph, iri), RDF_MEDIA[media]),
                        media_type=media, headers=headers)
    return page(service, request, iri, headers)


def page(service: Service, request: Request, iri: URIRef, headers: dict[str, str]) -> HTMLResponse:
    read = PageReader(service)
    jsonld = f"{service.local(iri)}?format=jsonld"
    if (iri, RDF.type, CG.Mandate) in service.graph:
        return render(request, "timeline.html", **read.mandate(iri), jsonld=jsonld, headers=headers)
    if (iri, RDF.type, CG.SourceFile) in service.graph:
        return source_page(service, request, iri, headers)
    values = read.node(iri)
    trace = values.pop("trace")
    svg = Markup(lineage_svg(trace, lambda iri: service.href(iri) or "#", service.lineage.missing_between)) if trace.steps else None
    return render(request, "node.html", **values, svg=svg, accessed=datetime.date.today().strftime("%-d %B %Y"),
                  jsonld=jsonld, headers=headers)


def source_page(service: Service, request: Request, iri: URIRef, headers: dict[str, str]) -> HTMLResponse:
    """A source file as the corpus holds it, line by line (the pinpoints' line numbers), with the
    lines `?lines=10-15` asks for marked: where a unit's words stand in the source."""
    wanted = re.fullmatch(r"(\d+)(?:-(\d+))?", request.query_params.get("lines", ""))
    first, last = (int(wanted.group(1)), int(wanted.group(2) or wanted.group(1))) if wanted else (0, -1)
    return render(request, "source.html", **PageReader(service).source(iri, service.settings.project.corpus_dir),
                  first=first, last=last, jsonld=f"{service.local(iri)}?format=jsonld", headers=headers)


for space in SPACES:
    def route(service: ServiceDep, request: Request, path: str, format: str | None = None, _space: str = space) -> Response:
        return dereference(service, request, f"{_space}/{path}", format)
    router.add_api_route(f"/{space}/{{path:path}}", route, methods=["GET"], summary=f"Dereference an IRI under /{space}/",
                      name=f"dereference_{space}")


@router.get("/ontology", summary="The data model: a page for browsers, the ontology as Turtle for tools")
def ontology(service: ServiceDep, request: Request) -> Response:
    ontology_file = service.settings.project.ontology_dir / "coopgraph.ttl"
    if request.query_params.get("format") in {"turtle", "ttl"} or not wants_html(request):
        return FileResponse(ontology_file, media_type="text/turtle", headers={"Vary": "Accept"})
    return render(request, "data_model.html", prefixes=sorted((p, str(ns)) for p, ns in PREFIXES.items()),
                queries=service.queries, jsonld=None)


@router.get("/ontology/terms", summary="Every class and property of the ontology, documented by pyLODE")
def ontology_terms(settings: SettingsDep) -> Response:
    from coopgraph.web.ontology_reference import reference_html

    return HTMLResponse(reference_html(settings.project.ontology_dir / "coopgraph.ttl"))

