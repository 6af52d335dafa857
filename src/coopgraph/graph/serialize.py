"""Deterministic, atomic output: same corpus in, byte-identical files out, never a partial file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from rdflib import Graph

from coopgraph.terms import PREFIXES


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def context(base: str) -> dict[str, Any]:
    """The published JSON-LD @context: prefixes, plus the base for the graph's own IRIs."""
    ctx: dict[str, Any] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    ctx["@base"] = base
    ctx["coopgraph"] = base
    # A document's JSON-LD nests its units under "hasPart" (the inverse of eli:is_part_of).
    ctx["hasPart"] = {"@reverse": "eli:is_part_of", "@container": "@set"}
    return {"@context": ctx}


def to_ntriples(graph: Graph) -> bytes:
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    return ("\n".join(sorted(line for line in lines if line.strip())) + "\n").encode("utf-8")


def to_turtle(graph: Graph) -> bytes:
    return graph.serialize(format="longturtle", encoding="utf-8")


def _canonical(value: Any) -> Any:
    """Sort JSON-LD arrays (the graph has no RDF lists) so output order is stable."""
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_canonical(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def to_jsonld(graph: Graph, base: str) -> bytes:
    ctx = context(base)
    data = json.loads(graph.serialize(format="json-ld", context=ctx["@context"], auto_compact=True))
    data = _canonical(data)
    return (json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def write_outputs(graph: Graph, out_dir: Path, base: str) -> dict[str, Path]:
    """Turtle, N-Triples, JSON-LD and the @context, each written atomically."""
    outputs = {
        "turtle": (out_dir / "coopgraph.ttl", to_turtle(graph)),
        "ntriples": (out_dir / "coopgraph.nt", to_ntriples(graph)),
        "jsonld": (out_dir / "coopgraph.jsonld", to_jsonld(graph, base)),
        "context": (out_dir / "context.jsonld", (json.dumps(context(base), sort_keys=True, indent=1) + "\n").encode()),
    }
    for path, data in outputs.values():
        write_atomically(path, data)
    return {name: path for name, (path, _) in outputs.items()}
