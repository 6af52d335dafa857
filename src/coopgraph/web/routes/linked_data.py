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

from coopgraph.errors import ReferenceNotFound
from coopgraph.lineage.calibration import chain
from coopgraph.lineage.mandates import clause_chains
from coopgraph.lineage.timeline import mandate_timeline, recommendation_fate
from coopgraph.resolve import nearest
from coopgraph.sparql.formats import FORMAT_PARAM, choose
from coopgraph.terms import CG, PREFIXES, RDF, RDFS
from coopgraph.web import linked_data
from coopgraph.web.rendering import (
    DEREF_OFFER,
    IRI_SPACES,
    RDF_MEDIA,
    citation_form,
    document_facts,
    public,
    render,
    source_link,
    wants_html,
)
from coopgraph.web.service import Service, ServiceDep, SettingsDep, client_of
from coopgraph.web.svg import lineage_svg

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
    graph = linked_data.void_description(service.graph, service.base, public(request))
    return Response(graph.serialize(format=RDF_MEDIA[media]), media_type=media)

# -- linked data: every IRI under its own path ----------------------------------------------
def dereference(service: Service, request: Request, path: str, format: str | None) -> Response:
    iri = service.iri_of(path)
    if not linked_data.exists(service.graph, iri):
        with service.matching(client_of(request)):  # the nearest names cost by what the path is
            suggestions = nearest(service.graph, path.replace("doc/", "", 1).replace("/", " "))
        raise ReferenceNotFound(str(iri), "no such node in the graph", suggestions)
    offered = {"html": "text/html", **{k: v for k, v in FORMAT_PARAM.items() if v in DEREF_OFFER}}
    media = offered.get(format or "") if format else choose(request.headers.get("accept"), DEREF_OFFER)
    if media is None:
        return PlainTextResponse(f"cannot give <{iri}> as {format or request.headers.get('accept')}; "
                                 f"offered: {', '.join(DEREF_OFFER)}", status_code=406)
    headers = {"Vary": "Accept", "Link": f'<{service.local(iri)}?format=jsonld>; rel="alternate"; type="application/ld+json"'}
    if media == "application/ld+json":
        inline = request.query_params.get("context") == "inline"
        if (iri, RDF.type, CG.CorpusDocument) in service.graph:
            body = linked_data.document_tree(service.graph, iri, service.base, inline)
        else:
            body = linked_data.jsonld_node(service.graph, iri, service.base, inline)
        headers["Link"] += f', <{public(request)}context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'
        return JSONResponse(body, media_type=media, headers=headers)
    if media != "text/html":
        return Response(linked_data.rdf_bytes(linked_data.description(service.graph, iri), RDF_MEDIA[media]),
                        media_type=media, headers=headers)
    return page(service, request, iri, headers)


def page(service: Service, request: Request, iri: URIRef, headers: dict[str, str]) -> HTMLResponse:
    graph = service.graph
    types = {service.label(t) if (t, RDFS.label, None) in graph else str(t).rsplit("#", 1)[-1]
             for t in graph.objects(iri, RDF.type)}
    if (iri, RDF.type, CG.Mandate) in graph:
        timeline = mandate_timeline(service.lineage, str(iri))
        return render(request, "timeline.html", iri=iri, label=service.label(iri), timeline=timeline,
                    jsonld=f"{service.local(iri)}?format=jsonld",
                    action=graph.value(iri, CG.action), issued_by=graph.value(iri, CG.issuedBy), headers=headers,
                    issued=(iri, CG.mandateStatus, CG.IssuedMandate) in graph)
    if (iri, RDF.type, CG.SourceFile) in graph:
        return source_page(service, request, iri, headers)
    parts = sorted(((graph.value(c, CG.firstLine) or 0, c) for c in graph.subjects(URIRef("http://data.europa.eu/eli/ontology#is_part_of"), iri)),
                   key=lambda x: (int(x[0]), str(x[1])))
    children = [{"href": service.href(c), "label": service.label(c), "number": graph.value(c, CG.number),
                 "text": str(graph.value(c, CG.text) or graph.value(c, CG.heading) or "")} for _, c in parts]
    footnotes = [{"href": service.href(f), "number": graph.value(f, CG.number), "text": str(graph.value(f, CG.text) or "")}
                 for f in sorted(graph.objects(iri, CG.footnote), key=str)]
    cites = [{"href": service.href(graph.value(c, CG.citedNode)), "label": service.label(graph.value(c, CG.citedNode)),
              "words": str(graph.value(c, CG.citedText))} for c in sorted(graph.objects(iri, CG.citation), key=str)]
    cited_by = [{"href": service.href(s), "label": service.label(s)} for s in sorted(set(graph.subjects(CG.cites, iri)), key=str)]
    mandates = [{"href": service.href(c.mandate), "label": service.label(c.mandate), "action": c.action, "addressee": c.addressee,
                 "verb": c.verb, "force": c.force, "status": c.status,
                 "steps": [{"direction": d, "depth": st.depth, "href": service.href(st.mandate),
                            "label": service.label(graph.value(st.mandate, CG.issuedBy)), "relation": st.link.relation,
                            "basis": st.link.basis, "confidence": st.confidence, "evidence": "; ".join(st.link.evidence),
                            "gap": service.lineage.gap_note(
                                service.lineage.node(str(graph.value(st.link.later if d == "up" else st.link.earlier, CG.issuedBy))).session,
                                service.lineage.node(str(graph.value(st.mandate, CG.issuedBy))).session)}
                           for d, steps in (("up", c.up), ("down", c.down)) for st in steps]}
                for c in clause_chains(graph, iri)]
    trace = service.lineage.trace(str(iri), "both")
    predecessors = [e for e in service.lineage.edges(str(iri), "up", frozenset({"repeats", "amends", "restates"}))]
    diffs = [{"href": service.href(e.earlier), "label": service.label(URIRef(e.earlier)), "type": e.type,
              "confidence": e.confidence, "similarity": e.similarity, "diff": e.diff, "footnotes": e.footnotes,
              "verbatim": e.type == "repeats" and not e.diff} for e in predecessors]
    chained: dict[str, float] = {str(iri): 1.0}
    steps = []
    for s in trace.steps:
        parent = s.edge.later if s.direction == "up" else s.edge.earlier
        chained[s.node.iri] = chain([chained.get(parent, 1.0), s.edge.confidence])
        steps.append({"href": service.href(s.node.iri), "label": s.node.label, "type": s.edge.type, "direction": s.direction,
                      "depth": s.depth, "confidence": s.edge.confidence, "chain": chained[s.node.iri],
                      "similarity": s.edge.similarity, "inferred": s.edge.inferred, "shape": s.edge.shape_words,
                      "evidence": s.edge.words or "", "gap": s.gap})
    properties = [(str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1], o) for p, o in sorted(graph.predicate_objects(iri), key=lambda x: (str(x[0]), str(x[1])))
                  if p not in {CG.text, RDFS.label}]
    props = [{"name": name, "value": str(o), "href": service.href(o) if isinstance(o, URIRef) else None,
              "label": service.label(o) if isinstance(o, URIRef) else str(o)} for name, o in properties]
    svg = Markup(lineage_svg(trace, lambda iri: service.href(iri) or "#", service.lineage.missing_between)) if trace.steps else None
    return render(request, "node.html", iri=iri, label=service.label(iri), types=sorted(types),
                citation=citation_form(graph, iri, service.label(iri), service.base), accessed=datetime.date.today().strftime("%-d %B %Y"),
                fate=recommendation_fate(service.lineage, str(iri)) if (iri, RDF.type, CG.Recommendation) in graph else None,
                source=source_link(graph, iri, service.base), facts=document_facts(graph, iri, service.label),
                text=graph.value(iri, CG.text), heading=graph.value(iri, CG.heading), children=children,
                footnotes=footnotes, cites=cites, cited_by=cited_by, mandates=mandates, diffs=diffs, steps=steps,
                svg=svg, props=props, is_document=(iri, RDF.type, CG.CorpusDocument) in graph,
                jsonld=f"{service.local(iri)}?format=jsonld", headers=headers)


def source_page(service: Service, request: Request, iri: URIRef, headers: dict[str, str]) -> HTMLResponse:
    """A source file as the corpus holds it, line by line (the pinpoints' line numbers), with the
    lines `?lines=10-15` asks for marked: where a unit's words stand in the source."""
    name = str(iri).rsplit("/", 1)[-1]
    path = service.settings.project.corpus_dir / name
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() and "/" not in name else []
    wanted = re.fullmatch(r"(\d+)(?:-(\d+))?", request.query_params.get("lines", ""))
    first, last = (int(wanted.group(1)), int(wanted.group(2) or wanted.group(1))) if wanted else (0, -1)
    units = sorted(((int(graph_line), s) for s in service.graph.subjects(CG.sourceFile, iri)
                    for graph_line in [service.graph.value(s, CG.firstLine) or 0]), key=lambda x: x[0])
    starts = {line: [{"href": service.href(s), "label": service.label(s)} for n, s in units if n == line] for line, _ in units}
    return render(request, "source.html", iri=iri, label=service.label(iri), lines=lines, first=first, last=last,
                starts=starts, jsonld=f"{service.local(iri)}?format=jsonld", headers=headers)


for space in IRI_SPACES:
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
    from coopgraph.web.data_model import reference_html

    return HTMLResponse(reference_html(settings.project.ontology_dir / "coopgraph.ttl"))

