"""The reference resolver: "ICC-ASP/14/Res.3, para. 27" and its usual spellings -> a node.

Accepted: a document (symbol or slug), optionally followed by pinpoints in any order of
the usual forms: "para. 27", "paragraph 27", "operative paragraph 27", "paragraph 27 of
resolution X", "para 16 (a)", "para 16(a)", "recommendation 17", "rec 17", "footnote 3",
"preamble 2", "annex I", "annex II (g)", "item g", "clause 3", "key area 3", "article 88".
An IRI is accepted as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rdflib import Graph, Literal, URIRef

from coopgraph.errors import ReferenceNotFound
from coopgraph.terms import CG, RDFS

SYMBOL = re.compile(r"(ICC-ASP/\d+/(?:Res\.\d+|\d+(?:/(?:Add|Rev)\.\d+)*)|RC/Dec\.\d+|A/\d+/\d+)")
_PIN = re.compile(
    r"(?P<kind>operative paragraphs?|paragraphs?|paras?\.?|para\.|p\.|recommendations?|recs?\.?|footnotes?|fn\.?|"
    r"preambular paragraph|preamble|annex|items?|clauses?|key area|area|article|art\.|section|part)"
    r"\s*(?P<value>[0-9]+|[IVX]+\b|\(?[a-z]\)?(?![a-z]))\s*(?P<letter>\(?[a-z]\)(?![a-z]))?",
    re.IGNORECASE,
)
_KINDS = {
    "operative paragraph": "para", "operative paragraphs": "para", "paragraph": "para", "paragraphs": "para",
    "para": "para", "paras": "para", "para.": "para", "paras.": "para", "p.": "para",
    "recommendation": "rec", "recommendations": "rec", "rec": "rec", "recs": "rec", "rec.": "rec",
    "footnote": "footnote", "footnotes": "footnote", "fn": "footnote", "fn.": "footnote",
    "preambular paragraph": "preamble", "preamble": "preamble",
    "annex": "annex", "item": "item", "items": "item", "clause": "clause", "clauses": "clause",
    "key area": "area", "area": "area", "article": "article", "art.": "article",
    "section": "section", "part": "part",
}


@dataclass(frozen=True)
class Resolved:
    iri: URIRef
    label: str
    text: str | None


def _documents(graph: Graph, base: str) -> dict[str, URIRef]:
    """Every document id the graph knows, by identifier (symbol or slug)."""
    found: dict[str, URIRef] = {}
    for doc, identifier in graph.subject_objects(URIRef("http://purl.org/dc/terms/identifier")):
        if isinstance(doc, URIRef) and str(doc).startswith(f"{base}doc/"):
            found[str(identifier)] = doc
    return found


def parse_reference(reference: str, documents: dict[str, URIRef]) -> tuple[str, list[tuple[str, str]]]:
    """Split a reference into its document id and its pinpoints, in document order."""
    text = " ".join(reference.replace("\u00a0", " ").split())
    match = SYMBOL.search(text)
    doc_id = None
    rest = text
    if match:
        doc_id = match.group(1)
        rest = text[: match.start()] + " " + text[match.end() :]
    else:
        for candidate in sorted(documents, key=len, reverse=True):
            if candidate.lower() in text.lower():
                doc_id = candidate
                start = text.lower().index(candidate.lower())
                rest = text[:start] + " " + text[start + len(candidate) :]
                break
    if doc_id is None:
        raise ReferenceNotFound(reference, "it names no document (a symbol such as ICC-ASP/14/Res.3 or a slug)")
    rest = re.sub(r"\b(?:of|resolution|in|the|document)\b", " ", rest, flags=re.IGNORECASE)
    pins: list[tuple[str, str]] = []
    for pin in _PIN.finditer(rest):
        kind = _KINDS.get(pin.group("kind").lower().rstrip(), pin.group("kind").lower())
        value = pin.group("value").strip("()")
        pins.append((kind, value))
        if pin.group("letter"):
            pins.append(("item", pin.group("letter").strip("()")))
    leftover = _PIN.sub(" ", rest)
    if re.search(r"[A-Za-z0-9]", re.sub(r"[,;.()]", " ", leftover)):
        raise ReferenceNotFound(reference, f"cannot read {leftover.strip(' ,;.')!r}")
    order = {"annex": 0, "part": 1, "section": 2, "preamble": 3, "para": 4, "rec": 4, "area": 4, "clause": 4,
             "article": 4, "item": 5, "footnote": 6}
    pins.sort(key=lambda p: order.get(p[0], 9))
    return doc_id, pins


def resolve(graph: Graph, base: str, reference: str) -> Resolved:
    """The node a reference names, or ReferenceNotFound with the nearest labels."""
    reference = reference.strip()
    if not reference:
        raise ReferenceNotFound(reference, "the reference is empty")
    if reference.startswith(("http://", "https://")):
        iri = URIRef(reference)
    else:
        documents = _documents(graph, base)
        doc_id, pins = parse_reference(reference, documents)
        iri = URIRef(f"{base}doc/{doc_id}" + "".join(f"/{kind}/{value}" for kind, value in pins))
    label = graph.value(iri, RDFS.label)
    if label is None:
        raise ReferenceNotFound(reference, f"no node <{iri}> in the graph", nearest(graph, reference))
    text = graph.value(iri, CG.text)
    return Resolved(iri, str(label), str(text) if isinstance(text, Literal) else None)


def nearest(graph: Graph, reference: str, limit: int = 5) -> list[tuple[str, str]]:
    """The labels closest to a reference, for 'did you mean' answers."""
    labels: dict[str, str] = {}
    for node, label in graph.subject_objects(RDFS.label):
        if isinstance(node, URIRef) and "/doc/" in str(node) and "/citation/" not in str(node) and "/mandate/" not in str(node):
            labels.setdefault(str(label), str(node))
    matches = process.extract(reference, list(labels), scorer=fuzz.WRatio, limit=limit)
    return [(label, labels[label]) for label, _, _ in matches]
