"""Deterministic, atomic output: same corpus in, byte-identical files out, never a partial file.

N-Triples (sorted lines) is the file every store loads. The Turtle and JSON-LD dumps are written
from it by Oxigraph's serializers, which take milliseconds where rdflib's take seconds; the
JSON-LD dump is in expanded form (any JSON-LD processor reads it; the per-IRI JSON-LD the server
gives is compacted with the published @context)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import Graph

from coopgraph.files import write_atomically
from coopgraph.terms import PREFIXES


def context(base: str) -> dict[str, Any]:
    """The published JSON-LD @context: prefixes, plus the base for the graph's own IRIs."""
    ctx: dict[str, Any] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    ctx["@base"] = base
    ctx["coopgraph"] = base
    # A document's JSON-LD nests its units under "hasPart" (the inverse of eli:is_part_of).
    ctx["hasPart"] = {"@reverse": "eli:is_part_of", "@container": "@set"}
    return {"@context": ctx}


def in_one_order(value: Any, ordered: bool = False) -> Any:
    """JSON-LD with every set's values in one order. rdflib sorts a node's keys, but writes a set's
    values (a node's types, the objects of one property) in the order of its hashed sets, which
    changes with each process: one IRI's JSON-LD had another body, and so another ETag, after each
    restart. A set is sorted by its values' JSON; an @list keeps its order, which is its meaning."""
    if isinstance(value, list):
        items = [in_one_order(item) for item in value]
        return items if ordered else sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, dict):
        return {key: in_one_order(item, ordered=key == "@list") for key, item in value.items()}
    return value


def compact_jsonld(graph: Graph, ctx: dict[str, Any]) -> Any:
    """A graph as compact JSON-LD with this @context (rdflib's compaction), in one order."""
    return in_one_order(json.loads(graph.serialize(format="json-ld", context=ctx, auto_compact=True)))


def jsonld_bytes(graph: Graph, ctx: dict[str, Any]) -> bytes:
    """`compact_jsonld` as the bytes of an answer, written as rdflib writes JSON-LD."""
    return json.dumps(compact_jsonld(graph, ctx), indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8")


def to_ntriples(graph: Graph) -> bytes:
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    return ("\n".join(sorted(line for line in lines if line.strip())) + "\n").encode("utf-8")


def to_turtle(ntriples: bytes) -> bytes:
    """Turtle with the project's prefixes, subjects in sorted order, from sorted N-Triples."""
    import pyoxigraph as ox

    triples = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={p: str(ns) for p, ns in PREFIXES.items()})
    head: list[str] = []
    body: list[str] = []
    for line in text.decode("utf-8").splitlines(keepends=True):
        (head if line.startswith("@prefix ") and not body else body).append(line)
    return ("".join(sorted(head)) + "\n" + "".join(body)).encode("utf-8")  # prefix order is the serializer's own


def to_jsonld(ntriples: bytes) -> bytes:
    """Expanded JSON-LD, one object per subject in sorted order, from sorted N-Triples."""
    import pyoxigraph as ox

    return ox.serialize(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.JSON_LD) + b"\n"


def write_outputs(graph: Graph, out_dir: Path, base: str) -> dict[str, Path]:
    """Turtle, N-Triples, JSON-LD and the @context, each written atomically."""
    ntriples = to_ntriples(graph)
    outputs = {
        "turtle": (out_dir / "coopgraph.ttl", to_turtle(ntriples)),
        "ntriples": (out_dir / "coopgraph.nt", ntriples),
        "jsonld": (out_dir / "coopgraph.jsonld", to_jsonld(ntriples)),
        "context": (out_dir / "context.jsonld", (json.dumps(context(base), sort_keys=True, indent=1) + "\n").encode()),
    }
    for path, data in outputs.values():
        write_atomically(path, data)
    return {name: path for name, (path, _) in outputs.items()}
