"""SPARQLWrapper's whole matrix: every query form, every return format it offers for that form,
and GET, POST form and POST direct. One definition for the test against coopgraph
(tests/test_clients.py) and the benchmark against its peers (bench/peers.py)."""

from __future__ import annotations

import warnings
from typing import Any

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
METHODS = ("GET", "POST form", "POST direct")


def matrix() -> list[tuple[str, str, str]]:
    """(query form, return format, method) for every case; "default" is SPARQLWrapper's own choice."""
    from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML

    formats = {"SELECT": ("default", JSON, XML, CSV, TSV), "ASK": ("default", JSON, XML, CSV, TSV),
               "CONSTRUCT": ("default", XML, RDFXML, TURTLE, N3, JSONLD),
               "DESCRIBE": ("default", XML, RDFXML, TURTLE, N3, JSONLD)}
    return [(form, fmt, method) for form in FORMS for fmt in formats[form] for method in METHODS]


def ask(url: str, query: str, fmt: str, method: str) -> tuple[Any, Any]:
    """One case: SPARQLWrapper set up as its users do, and (the raw result, what convert() gives)."""
    from SPARQLWrapper import POST, POSTDIRECTLY, URLENCODED, SPARQLWrapper

    client = SPARQLWrapper(url)
    client.setQuery(query)
    if fmt != "default":
        client.setReturnFormat(fmt)
    if method != "GET":
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED if method == "POST form" else POSTDIRECTLY)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SPARQLWrapper warns of formats it does not parse itself
        result = client.query()
        return result, result.convert()
