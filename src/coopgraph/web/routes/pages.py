"""The pages a reader starts from: home, search, the comparison of two texts, the API docs."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from rdflib import URIRef

from coopgraph.errors import CoopgraphError
from coopgraph.web.negotiation import wants_html
from coopgraph.web.reader import PageReader, search_construct
from coopgraph.web.service import Service, ServiceDep, client_of
from coopgraph.web.templating import DOCS_PAGE, count_statuses, render

router = APIRouter()


# -- home, search --------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(service: ServiceDep, request: Request) -> HTMLResponse:
    return render(request, "home.html", documents=PageReader(service).documents(), triples=service.triples, queries=service.queries,
                jsonld="/dump/coopgraph.jsonld")


@router.get("/search", summary="Full-text search of every unit's text (stems, \"phrases\", prefix*), most relevant first",
         description="Words must all occur; \"quoted phrases\" occur as written; a trailing * searches a prefix. "
                     "Words match their stems (strategy, strategies). A reference such as "
                     "'ICC-ASP/14/Res.3, para. 27' goes to its unit: a browser is redirected there, and JSON "
                     "names it as `resolved`. The index is SQLite FTS5, one per version of the graph.",
         responses={200: {"content": {"application/json": {"example": {"query": "arrest strategy", "total": 7, "resolved": None, "results": [{"iri": "https://w3id.org/coopgraph/doc/ICC-ASP/14/Res.3/para/4", "label": "ICC-ASP/14/Res.3, para. 4", "href": "/doc/ICC-ASP/14/Res.3/para/4", "snippet": "Takes note of the report on arrest strategies ..."}]}}}}})
def search(service: ServiceDep, request: Request, q: Annotated[str, Query(min_length=2, max_length=200, description="words, \"phrases\", prefix*, or a reference")],
           limit: Annotated[int, Query(ge=1, le=500)] = 100,
           offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
    resolved = as_reference(service, q, client_of(request))
    if resolved is not None and wants_html(request):
        return RedirectResponse(service.href(resolved.iri) or "/", status_code=303)
    found = service.text_index().search(q, limit, offset)
    hits = [{"iri": h.iri, "href": service.href(URIRef(h.iri)), "label": h.label, "snippet": h.snippet_text(),
             "snippet_html": str(h.snippet_html()), "text": h.text} for h in found.hits]
    if wants_html(request):
        return render(request, "search.html", q=q, hits=hits, total=found.total, offset=offset, limit=limit,
                    jsonld=f"/sparql?format=jsonld&query={quote(search_construct(q))}")
    reference = None if resolved is None else {"iri": str(resolved.iri), "label": resolved.label,
                                               "href": service.href(resolved.iri)}
    return JSONResponse({"query": q, "total": found.total, "offset": offset, "resolved": reference, "results": hits})


def as_reference(service: Service, q: str, client: str) -> Any:
    """The unit a search text names, when it reads as a reference (a symbol, or a label)."""
    from coopgraph.resolve import LOOSE_SYMBOL, SYMBOL

    if not (SYMBOL.search(q) or LOOSE_SYMBOL.search(q) or re.search(r",\s*(?:para|annex|rec|footnote)", q, re.I)):
        return None
    try:
        return service.resolve(q, client)
    except CoopgraphError:
        return None



@router.get("/compare", include_in_schema=False)
def compare_page(service: ServiceDep, request: Request, a: str | None = None, b: str | None = None) -> Response:
    """Two texts side by side: the later one's units, each new, carried over, amended, restated or
    renumbered against the earlier one, with its diff; the earlier units it drops; the gap between."""
    documents = [(d["label"], d["iri"]) for d in PageReader(service).documents()]
    context: dict[str, Any] = {"documents": documents, "a": a or "", "b": b or "", "rows": None, "error": None}
    if a and b:
        try:
            client = client_of(request)
            earlier, later = service.corpus_document(a, client), service.corpus_document(b, client)
        except CoopgraphError as exc:
            context["error"] = str(exc).splitlines()[0]
            return render(request, "compare.html", status=422, **context)
        swapped = None
        first, second = service.lineage.node(str(earlier)), service.lineage.node(str(later))
        if (first.date or "") > (second.date or "9999") or (
                first.session is not None and second.session is not None and first.session > second.session):
            earlier, later = later, earlier  # the earlier text first, and the page says so
            swapped = (f"{service.label(later)} is the earlier text: it is compared as the earlier one "
                       f"and {service.label(earlier)} as the later")
        context.update(a=str(earlier), b=str(later), swapped=swapped)  # the drop-downs show what is compared
        rows = service.lineage.changes(str(earlier), str(later))
        context.update(earlier=service.label(earlier), later=service.label(later), gap=rows[0]["gap"] if rows else None,
                       note=rows[0].get("note") if rows else None, relations=bool(rows) and rows[0].get("mode") == "relations",
                       rows=[compare_row(service, row) for row in rows], counts=count_statuses(rows))
    return render(request, "compare.html", **context)


def compare_row(service: Service, row: dict[str, Any]) -> dict[str, Any]:
    edge = row.get("edge")
    return {"status": row["status"], "renumbered": row.get("renumbered"),
            "later": {"href": service.href(row["later"]), "label": service.label(URIRef(str(row["later"])))} if row["later"] else None,
            "earlier": {"href": service.href(row["earlier"]), "label": service.label(URIRef(str(row["earlier"])))} if row["earlier"] else None,
            "diff": getattr(edge, "diff", None), "confidence": getattr(edge, "confidence", None),
            "similarity": getattr(edge, "similarity", None), "inferred": getattr(edge, "inferred", None)}



@router.get("/docs", include_in_schema=False)
def docs() -> HTMLResponse:
    """The API's Swagger UI, from files this package ships (no CDN), started by a script file."""
    return HTMLResponse(DOCS_PAGE)


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    return RedirectResponse("/static/favicon.svg")

