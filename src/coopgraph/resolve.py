"""The reference resolver: "ICC-ASP/14/Res.3, para. 27" and its usual spellings -> a node.

Accepted: every label coopgraph prints ("ICC-ASP/14/Res.3, para. 27", "ASP15 Bureau report on
cooperation, annex I, para. 31", a mandate's label), as it is; and a document (symbol, slug or
title), optionally followed by pinpoints in any order of the usual forms: "para. 27",
"paragraph 27", "operative paragraph 27", "OP 27", "op. 27", "paragraph 27 of resolution X",
"para 16 (a)", "para 16(a)", "subparagraph (a)", "PP3", "preambular paragraph 3", "preamble 2",
"recommendation 17", "rec 17", "footnote 3", "annex I", "annex II (g)", "item (14)", "clause 3",
"key area 3", "article 88". A symbol mistyped in the usual ways ("ICC-ASP/14/Res3",
"ICC ASP 14 Res 3") is read as the symbol; a reference that still names nothing gets the
nearest labels. An IRI is accepted as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from rapidfuzz import fuzz, process
from rdflib import Graph, Literal, URIRef

from coopgraph.errors import ReferenceNotFound
from coopgraph.graph.iris import Iris
from coopgraph.terms import CG, DCTERMS, RDFS

SYMBOL = re.compile(r"(ICC-ASP/\d+/(?:Res\.\d+|\d+(?:/(?:Add|Rev)\.\d+)*)|RC/Dec\.\d+|A/\d+/\d+)")
# the same symbols as people mistype them: spaces or no slash, "Res3", "Res 3", "res.3"
LOOSE_SYMBOL = re.compile(r"\bICC[-\s]*ASP\s*[/\s]\s*(\d+)\s*[/\s]\s*(?:(Res)\.?\s*(\d+)|(\d+))\b", re.IGNORECASE)
_PIN = re.compile(
    r"\b(?P<kind>operative paragraphs?|subparagraphs?|sub-paragraphs?|paragraphs?|paras?\.?|para\.|p\.|op\.?|"
    r"recommendations?|recs?\.?|footnotes?|fn\.?|preambular paragraphs?|pp\.?|preamble|annex|items?|clauses?|"
    r"key area|area|article|art\.|section|part)"
    r"\s*(?P<value>\(?[0-9]+\)?|[IVX]+\b|\(?[a-z]\)?(?![a-z]))\s*(?P<letter>\(?[a-z]\)(?![a-z]))?",
    re.IGNORECASE,
)
_KINDS = {
    "operative paragraph": "para", "operative paragraphs": "para", "paragraph": "para", "paragraphs": "para",
    "para": "para", "paras": "para", "para.": "para", "paras.": "para", "p.": "para", "op": "para", "op.": "para",
    "subparagraph": "item", "subparagraphs": "item", "sub-paragraph": "item", "sub-paragraphs": "item",
    "preambular paragraphs": "preamble", "pp": "preamble", "pp.": "preamble",
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
    """Every document the graph knows, by identifier (symbol or slug), label and title."""
    found: dict[str, URIRef] = {}
    for doc, identifier in graph.subject_objects(DCTERMS.identifier):
        if isinstance(doc, URIRef) and Iris(base).in_space(doc, "doc"):
            found[str(identifier)] = doc
            for name in (*graph.objects(doc, RDFS.label), *graph.objects(doc, DCTERMS.title)):
                found.setdefault(str(name), doc)
    return found


def _said(text: str) -> str:
    """A label as compared: case, spaces and a closing full stop do not matter."""
    return " ".join(text.replace("\u00a0", " ").split()).casefold().rstrip(" .")


_LABELS: WeakKeyDictionary[Graph, dict[str, URIRef]] = WeakKeyDictionary()


def _labels(graph: Graph, base: str) -> dict[str, URIRef]:
    """Every node under doc/ by the label coopgraph prints for it (kept per graph)."""
    if graph not in _LABELS:
        index: dict[str, URIRef] = {}
        for node, label in graph.subject_objects(RDFS.label):
            if isinstance(node, URIRef) and Iris(base).in_space(node, "doc"):
                index.setdefault(_said(str(label)), node)
        _LABELS[graph] = index
    return _LABELS[graph]


def _symbol_as_written(text: str) -> str:
    """The text with a mistyped ICC-ASP symbol written as the symbol ("ICC-ASP/14/Res3" -> "ICC-ASP/14/Res.3")."""
    def canonical(match: re.Match[str]) -> str:
        session, res, number, plain = match.groups()
        return f"ICC-ASP/{session}/Res.{number}" if res else f"ICC-ASP/{session}/{plain}"
    return text if SYMBOL.search(text) else LOOSE_SYMBOL.sub(canonical, text, count=1)


def parse_reference(reference: str, documents: dict[str, URIRef]) -> tuple[str, list[tuple[str, str]]]:
    """Split a reference into its document id and its pinpoints, in document order."""
    text = _symbol_as_written(" ".join(reference.replace("\u00a0", " ").split()))
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


# A reference is a symbol and a pinpoint, or an IRI: well under this. Longer text is refused before
# any matching, whose cost grows with the text (64 KB cost seconds of CPU).
MAX_REFERENCE = 500


def resolve(graph: Graph, base: str, reference: str) -> Resolved:
    """The node a reference names, or ReferenceNotFound with the nearest labels."""
    reference = reference.strip()
    if not reference:
        raise ReferenceNotFound(reference, "the reference is empty")
    if len(reference) > MAX_REFERENCE:
        raise ReferenceNotFound(reference[:60] + "…", f"a reference is at most {MAX_REFERENCE} characters; this one has "
                                f"{len(reference)}")
    if reference.startswith(("http://", "https://")):
        iri = URIRef(reference)
    elif _said(reference) in _labels(graph, base):
        iri = _labels(graph, base)[_said(reference)]
    else:
        documents = _documents(graph, base)
        try:
            doc_id, pins = parse_reference(reference, documents)
        except ReferenceNotFound as exc:
            raise ReferenceNotFound(reference, exc.reason, nearest(graph, reference)) from None
        document = documents.get(doc_id, Iris(base).doc(doc_id))
        iri = URIRef(str(document) + "".join(f"/{kind}/{value}" for kind, value in pins))
    label = graph.value(iri, RDFS.label)
    if label is None:
        raise ReferenceNotFound(reference, f"no node <{iri}> in the graph", nearest(graph, reference))
    text = graph.value(iri, CG.text)
    return Resolved(iri, str(label), str(text) if isinstance(text, Literal) else None)


def nearest(graph: Graph, reference: str, limit: int = 5) -> list[tuple[str, str]]:
    """The labels closest to a reference, for 'did you mean' answers (none for a text longer than
    any reference: matching it would cost time and suggest nothing)."""
    if len(reference) > MAX_REFERENCE:
        return []
    labels: dict[str, str] = {}
    for node, label in graph.subject_objects(RDFS.label):
        if isinstance(node, URIRef) and "/doc/" in str(node) and "/citation/" not in str(node) and "/mandate/" not in str(node):
            labels.setdefault(str(label), str(node))
    matches = process.extract(reference, list(labels), scorer=fuzz.WRatio, limit=limit)
    return [(label, labels[label]) for label, _, _ in matches]


def resolve_parameter(graph: Graph, base: str, name: str, example: str, value: str) -> URIRef:
    """A named query's IRI parameter as a person types it, read as the node of the kind its example
    names: an actor by its name ("bureau", "the Court"), a session ("ASP15", "15", "fifteenth
    session"), a text, unit or mandate by its reference ("ICC-ASP/14/Res.3 para 28": the paragraph's
    one mandate where a mandate is wanted). What names no node of the graph is refused with the
    closest names, never answered with an empty result."""
    from coopgraph.errors import ParameterError
    from coopgraph.ordinals import number_of
    from coopgraph.terms import SKOS

    value = value.strip()
    space = Iris(base).relative(example).split("/", 1)[0] if example.startswith(base) else ""
    if value.startswith(("http://", "https://")):
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", value):
            raise ParameterError(f"parameter {name!r} must be an IRI (http...), got {value!r}")
        iri = URIRef(value)
        if (iri, None, None) not in graph and (None, None, iri) not in graph:
            raise ParameterError(f"parameter {name!r}: <{value}> is no node of the graph")
    elif space == "actor":
        names = {str(label).lower(): actor for actor, label in graph.subject_objects(SKOS.prefLabel)
                 if Iris(base).in_space(actor, "actor")}
        names.update({str(actor).rsplit("/", 1)[-1].replace("-", " "): actor for actor in names.values()})
        wanted = re.sub(r"^the\s+", "", value.lower()).replace("-", " ")
        found = names.get(wanted) or next((a for n, a in names.items() if n.endswith(wanted) or wanted in n.split(", ")), None)
        if found is None:
            close = [n for n, _, _ in process.extract(wanted, list(names), scorer=fuzz.WRatio, limit=5)]
            raise ParameterError(f"parameter {name!r}: no actor is named {value!r}; the closest: {', '.join(close)}")
        iri = found  # type: ignore[assignment]
    elif space == "session":
        match = re.fullmatch(r"(?i)(?:ASP\s*|session\s*)?(\d+)|(?i:the\s+)?(\w+(?:-\w+)?)\s+session", value)
        number = (int(match.group(1)) if match.group(1) else number_of(match.group(2))) if match else None
        iri = Iris(base).asp_session(number or 0)
        if number is None or (iri, None, None) not in graph:
            raise ParameterError(f"parameter {name!r}: {value!r} names no session of the graph; write ASP15, 15 or "
                             "'fifteenth session'")
    else:
        try:
            iri = resolve(graph, base, value).iri
        except ReferenceNotFound as exc:
            raise ParameterError(f"parameter {name!r}: {str(exc).splitlines()[0]}") from None
    if "/mandate/" in example and "/mandate/" not in str(iri):
        mandates = sorted(graph.objects(iri, CG.mandate), key=str)
        if len(mandates) != 1:
            listed = "; ".join(f"{graph.value(m, RDFS.label)} <{m}>" for m in mandates) or "none"
            raise ParameterError(f"parameter {name!r}: {value!r} is a paragraph with {len(mandates)} mandates, and a "
                             f"mandate is wanted: give one of them ({listed})")
        iri = mandates[0]  # type: ignore[assignment]
    return iri
