"""Shared by the routes that answer browsers: the templates, content negotiation for HTML, and
the small readings of the graph that pages show (citation forms, a text's facts, orderings)."""

from __future__ import annotations

import datetime
import json
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from rdflib import Graph, URIRef

from coopgraph.lineage.timeline import mandate_timeline, recommendation_fate
from coopgraph.sparql.formats import choose
from coopgraph.terms import CG, DCTERMS, RDF, RDFS, SKOS

if TYPE_CHECKING:
    from coopgraph.web.service import Service

HERE = Path(__file__).parent
RDF_MEDIA = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld"}
DEREF_OFFER = ["text/html", "application/ld+json", "text/turtle", "application/n-triples"]
IRI_SPACES = ("doc", "session", "actor", "verb", "topic", "source", "graph")


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


def citation_form(graph: Graph, iri: URIRef, label: str, base: str) -> str | None:
    """A unit or document as it is usually cited: its pinpoint label, then the text's title, the
    session and the date the text gives ("ICC-ASP/14/Res.3, para. 27 (Resolution on cooperation,
    Assembly of States Parties, fourteenth session, 26 November 2015)"). None outside the corpus."""
    if not str(iri).startswith(base + "doc/"):  # the graph's own base, whatever it is (--base)
        return None
    document = iri
    for parent in graph.transitive_objects(iri, URIRef("http://data.europa.eu/eli/ontology#is_part_of")):
        if (parent, RDF.type, CG.CorpusDocument) in graph:
            document = parent
    if (document, RDF.type, CG.CorpusDocument) not in graph:
        return None
    details = [str(t) for t in (graph.value(document, DCTERMS.title),) if t is not None and str(t) not in label]
    session = graph.value(document, CG.session)
    if session is not None and graph.value(session, RDFS.label) is not None:
        details.append(str(graph.value(session, RDFS.label)))
    date = graph.value(document, DCTERMS.date)
    if date is not None:
        details.append(datetime.date.fromisoformat(str(date)).strftime("%-d %B %Y"))
    return f"{label} ({', '.join(details)})" if details else label


def document_facts(graph: Graph, iri: URIRef, label: Any) -> list[tuple[str, str]]:
    """A text's own facts, as its first lines state them: what it is, when and how it was adopted."""
    if (iri, RDF.type, CG.CorpusDocument) not in graph:
        return []
    facts = []
    for name, predicate in (("title", DCTERMS.title), ("symbol", DCTERMS.identifier), ("session", CG.session),
                            ("date", DCTERMS.date), ("adopted", CG.adoptedAtMeeting), ("adoption", CG.adoptionMethod),
                            ("legal status", CG.legalStatus)):
        value = graph.value(iri, predicate)
        if value is None:
            continue
        if isinstance(value, URIRef):
            text = str(graph.value(value, SKOS.prefLabel) or label(value))
        elif predicate == DCTERMS.date:
            text = datetime.date.fromisoformat(str(value)).strftime("%-d %B %Y")
        else:
            text = str(value)
        facts.append((name, text))
    return facts


def source_link(graph: Graph, iri: URIRef, base: str) -> dict[str, str] | None:
    """Where a unit's words stand in its source file: the file's page with those lines marked."""
    source, first, last = graph.value(iri, CG.sourceFile), graph.value(iri, CG.firstLine), graph.value(iri, CG.lastLine)
    if source is None or first is None:
        return None
    span = f"{first}-{last}" if last is not None and str(last) != str(first) else str(first)
    text = str(source)
    path = "/" + text[len(base):] if text.startswith(base) else text  # this server's path for the graph's own IRI
    return {"href": f"{path}?lines={span}#L{first}", "lines": span.replace("-", "–")}


def count_statuses(rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[str(row["status"])] = counts.get(str(row["status"]), 0) + 1
    return list(counts.items())


def document_date(graph: Graph, document: URIRef) -> str | None:
    """The date a text gives for itself, or that its parent text gives (an annex); None when none does."""
    for node in (document, *graph.transitive_objects(document, URIRef("http://data.europa.eu/eli/ontology#is_part_of"))):
        date = graph.value(node, DCTERMS.date) or graph.value(node, URIRef("http://data.europa.eu/eli/ontology#date_document"))
        if date is not None:
            return str(date)
    return None


def document_order(graph: Graph, document: URIRef) -> tuple[object, ...]:
    """Texts in the order they were written: by session, then date, then name read naturally
    (ICC-ASP/6 before ICC-ASP/14); a text of no session (the flyer) last."""
    session = graph.value(document, CG.session)
    number = graph.value(session, CG.sessionNumber) if session is not None else None
    return (int(number) if number is not None else 999, document_date(graph, document) or "", natural_key(str(document)))


def natural_key(text: str) -> tuple[object, ...]:
    """Text with its numbers read as numbers: ICC-ASP/6 before ICC-ASP/14, para. 2 before para. 10."""
    return tuple(int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text))


def search_construct(q: str) -> str:
    """The search as a CONSTRUCT (each word as a substring, case aside), so a results page links
    to its JSON-LD. SPARQL has no stemming: it finds what holds the words as typed."""
    words = re.findall(r"\w+", q.lower())
    filters = " ".join(f'FILTER(CONTAINS(LCASE(STR(?text)), {json.dumps(w)}))' for w in words)
    return (f"PREFIX cg: <{CG}> PREFIX rdfs: <{RDFS}> CONSTRUCT {{ ?unit rdfs:label ?label ; cg:text ?text }} "
            f"WHERE {{ ?unit cg:text ?text ; rdfs:label ?label . {filters} }}")


def wants_html(request: Request) -> bool:
    return accepts_html(request.headers.get("accept", ""))


def accepts_html(accept: str) -> bool:
    """Whether an Accept header prefers a page to data: a browser's."""
    return "text/html" in accept and choose(accept, ["text/html", "application/json", "application/ld+json"]) == "text/html"


def public(request: Request) -> str:
    """The server's public address, from its settings: never from the request's Host header."""
    return request.app.state.service.settings.public_url


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


def timelines_of(service: Service, iri: URIRef) -> list[Any] | None:
    graph = service.graph
    if (iri, RDF.type, CG.Recommendation) in graph:
        return [recommendation_fate(service.lineage, str(iri))]
    if (iri, RDF.type, CG.Mandate) in graph:
        return [mandate_timeline(service.lineage, str(iri))]
    mandates = sorted(str(m) for m in graph.objects(iri, CG.mandate))
    return [mandate_timeline(service.lineage, m) for m in mandates] or None

