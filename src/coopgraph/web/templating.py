"""The page templates and what turns data into what they show: the `marked` filter for diffs,
a SPARQL answer as a table, Swagger UI's offline files."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

if TYPE_CHECKING:
    from coopgraph.web.service import Service

HERE = Path(__file__).parent


def templates_for(service: Service) -> Jinja2Templates:
    """The page templates, with `local` (a graph IRI as this server's path) and the `marked` filter."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    from coopgraph.terms import PREFIXES

    templates.env.globals["local"] = lambda iri: service.href(iri) or ""
    templates.env.globals["prefixes"] = sorted((name, str(iri)) for name, iri in PREFIXES.items())  # predefined in every query
    templates.env.filters["marked"] = marked_html
    return templates


def render(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    """A page from its template, with the app's templates."""
    return request.app.state.templates.TemplateResponse(request, name, values, status_code=status)  # type: ignore[no-any-return]


ROWS_PER_PAGE = 50


def marked_html(diff: str | None) -> Markup:
    """A marked diff ([-deleted-] {+inserted+}) as HTML with <del> and <ins>."""
    if not diff:
        return Markup("")
    out = escape(diff)
    out = re.sub(r"\[-(.*?)-\]", r'<del>\1</del>', out)
    out = re.sub(r"\{\+(.*?)\+\}", r'<ins>\1</ins>', out)
    return Markup(out)


def results_table(body: bytes, media: str) -> dict[str, Any] | None:
    if not media.startswith("application/sparql-results+json"):
        return None
    data = json.loads(body)
    if "boolean" in data:
        return {"vars": ["answer"], "rows": [[{"value": str(data["boolean"]).lower(), "href": None}]]}
    variables = data["head"]["vars"]
    rows = []
    for binding in data["results"]["bindings"]:
        row = []
        for v in variables:
            term = binding.get(v)
            if term is None:
                row.append({"value": "", "href": None})
            elif term["type"] == "uri":  # a link only for http(s): never javascript: or data:
                safe = re.match(r"(?i)https?://", term["value"])
                row.append({"value": term["value"], "href": term["value"] if safe else None})
            else:
                row.append({"value": term["value"], "href": None})
        rows.append(row)
    return {"vars": variables, "rows": rows}


def count_statuses(rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[str(row["status"])] = counts.get(str(row["status"]), 0) + 1
    return list(counts.items())


def swagger_assets() -> Path:
    """Swagger UI's files, as the fastapi-offline package ships them."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>coopgraph API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css"><link rel="icon" href="/static/favicon.svg"></head>
<body><div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script><script src="/static/docs.js"></script></body></html>
"""
