"""The JSON API over the lineage: resolve a reference, trace a unit, compare two texts, a
mandate's timeline, a memo, the validation report."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import (
    JSONResponse,
    PlainTextResponse,
    Response,
)
from markupsafe import Markup

from coopgraph.errors import QueryError
from coopgraph.graph.serialize import jsonld_bytes
from coopgraph.lineage import render as lineage_render
from coopgraph.lineage.engine import EDGE_TYPES
from coopgraph.lineage.mandates import clause_chains, clause_chains_json
from coopgraph.lineage.timeline import timelines_for
from coopgraph.web import descriptions
from coopgraph.web.errors import status_of
from coopgraph.web.service import ServiceDep, client_of
from coopgraph.web.templating import render

router = APIRouter()


# -- API: resolve, lineage, changes, timeline, validate ----------------------------------------
@router.get("/resolve", summary="Resolve a reference such as 'ICC-ASP/14/Res.3, para. 27'",
         responses={200: {"content": {"application/json": {"example": {"iri": "https://w3id.org/coopgraph/doc/ICC-ASP/14/Res.3/para/27", "label": "ICC-ASP/14/Res.3, para. 27", "text": "Requests the Bureau ..."}}}},
                    404: {"description": "unknown reference, with the nearest matches"}})
def resolve_route(service: ServiceDep, request: Request,
                  ref: Annotated[str, Query(min_length=1, max_length=500, examples=["ICC-ASP/14/Res.3, para. 27"])],
                  format: Annotated[str, Query(pattern="^(json|jsonld)$")] = "json") -> Response:
    found = service.resolve(ref, client_of(request))
    if format == "jsonld" or "application/ld+json" in request.headers.get("accept", ""):
        return JSONResponse(descriptions.jsonld_node(service.graph, found.iri, service.base), media_type="application/ld+json")
    return JSONResponse({"iri": str(found.iri), "label": found.label, "text": found.text, "href": service.href(found.iri)})


@router.get("/lineage", summary="Where a unit came from (up) and where it went (down), with evidence")
def lineage_route(service: ServiceDep, request: Request,
                  ref: Annotated[str, Query(min_length=1, max_length=500, examples=["ICC-ASP/14/Res.3, para. 28"])],
                  direction: Annotated[str, Query(pattern="^(up|down|both)$")] = "up",
                  depth: Annotated[int | None, Query(ge=1, le=100)] = None,
                  types: Annotated[str | None, Query(description="comma-separated edge types")] = None,
                  format: Annotated[str, Query(pattern="^(json|jsonld)$")] = "json") -> Response:
    chosen = frozenset(t.strip() for t in types.split(",") if t.strip()) if types else None
    if chosen and chosen - set(EDGE_TYPES):
        return JSONResponse({"error": f"unknown edge type(s) {', '.join(sorted(chosen - set(EDGE_TYPES)))}",
                             "types": list(EDGE_TYPES)}, status_code=422)
    found = service.resolve(ref, client_of(request))
    trace = service.lineage.trace(str(found.iri), direction, depth, chosen)
    if format == "jsonld" or "application/ld+json" in request.headers.get("accept", ""):
        body = lineage_render.trace_jsonld_data(service.lineage, trace, service.context["@context"], service.iris.context)
        return JSONResponse(body, media_type="application/ld+json")
    chains = clause_chains_json(service.graph, clause_chains(service.graph, found.iri), service.lineage.gap_note)  # per clause
    return Response(lineage_render.as_json(lineage_render.trace_data(trace, chains)), media_type="application/json")


@router.get("/changes", summary="New, carried over, amended and dropped units between two documents")
def changes_route(service: ServiceDep, request: Request, from_: Annotated[str, Query(alias="from", min_length=1, max_length=500, examples=["ICC-ASP/14/Res.3"])],
                  to: Annotated[str, Query(min_length=1, max_length=500, examples=["asp15-bureau-report-cooperation annex I"])]) -> Response:
    try:
        earlier, later = service.corpus_document(from_, client_of(request)), service.corpus_document(to, client_of(request))
    except QueryError as exc:
        return JSONResponse({"error": str(exc)}, status_code=status_of(exc))
    rows = service.lineage.changes(str(earlier), str(later))
    return Response(lineage_render.as_json(lineage_render.changes_data(rows)), media_type="application/json")


@router.get("/timeline", summary="A mandate's timeline, or what became of a recommendation")
def timeline_route(service: ServiceDep, request: Request, ref: Annotated[str, Query(min_length=1, max_length=500, examples=["ICC-ASP/6/21 rec 17"])]) -> Response:
    iri = service.resolve(ref, client_of(request)).iri
    timelines = timelines_for(service.lineage, str(iri))
    if timelines is None:
        return JSONResponse({"error": f"{ref!r} is neither a recommendation nor a mandate, and issues no mandate"},
                            status_code=422)
    return Response(lineage_render.as_json([lineage_render.timeline_data(t) for t in timelines]), media_type="application/json")


@router.get("/memo", summary="A printable memo of a unit's or mandate's whole chain (Markdown or HTML)")
def memo_route(service: ServiceDep, request: Request,
               ref: Annotated[str, Query(min_length=1, max_length=500, examples=["ICC-ASP/14/Res.3 para 4"])],
               format: Annotated[str, Query(pattern="^(md|html)$")] = "html") -> Response:
    from coopgraph.lineage.memo import build_memo, memo_html, memo_markdown

    found = service.resolve(ref, client_of(request))
    document = build_memo(service.lineage, str(found.iri), service.store.version())
    if format == "md":
        return PlainTextResponse(memo_markdown(document), media_type="text/markdown; charset=utf-8")
    return render(request, "memo.html", label=document.title, body=Markup(memo_html(document)),
                markdown=f"/memo?ref={quote(str(found.iri))}&format=md")


@router.get("/validate", summary="The SHACL validation report of the served graph")
def validate_route(service: ServiceDep, request: Request, format: Annotated[str, Query(pattern="^(json|jsonld)$")] = "json") -> Response:
    from coopgraph.validate import load_shapes, to_json, validate_graph

    with service.validate_lock:
        if service.report is None:
            service.report = validate_graph(service.graph, load_shapes(service.settings.project.shapes_dir, service.base))
        report = service.report
    if format == "jsonld" or "application/ld+json" in request.headers.get("accept", ""):
        body = jsonld_bytes(report.graph, {"sh": "http://www.w3.org/ns/shacl#"})
        return Response(body, media_type="application/ld+json")
    return Response(to_json(report), media_type="application/json")

# -- dumps, context, VoID ----------------------------------------------------------------------
