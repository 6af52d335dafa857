"""Run SPARQL over the graph and format the results (table, JSON, CSV); named queries in queries/*.rq."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from coopgraph.errors import QueryError

_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*)$")


@dataclass
class NamedQuery:
    """A .rq file with its header: '# title:', '# description:', '# param: name (iri|literal) text'."""

    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def examples(self) -> dict[str, str]:
        """The example value each parameter's description gives ('..., e.g. VALUE')."""
        found = {}
        for name, (_, description) in self.params.items():
            if example := re.search(r"e\.g\.\s+(\S+)", description):
                found[name] = example.group(1).rstrip(".,;")
        return found


def load_named(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    query = NamedQuery(path.stem, path, text)
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            param = re.match(r"(\w+)\s*\((iri|literal|integer)\)\s*(.*)", value)
            if not param:
                raise QueryError(f"{path}: malformed '# param:' line {value!r}; write '# param: name (iri) description'")
            query.params[param.group(1)] = (param.group(2), param.group(3))
        else:
            setattr(query, key, value.strip())
    if not query.title:
        raise QueryError(f"{path}: the header lacks '# title:'")
    return query


def named_queries(folder: Path) -> dict[str, NamedQuery]:
    return {path.stem: load_named(path) for path in sorted(folder.glob("*.rq"))}


def bind(query: NamedQuery, values: dict[str, str]) -> dict[str, URIRef | Literal]:
    """Parameters as RDF terms (never pasted into the query text), checked against the header."""
    unknown = sorted(set(values) - set(query.params))
    if unknown:
        raise QueryError(f"query {query.name!r} has no parameter {', '.join(unknown)}; it takes: {', '.join(query.params) or 'none'}")
    bindings: dict[str, URIRef | Literal] = {}
    for name, value in values.items():
        kind = query.params[name][0]
        if kind == "iri":
            if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", value):
                raise QueryError(f"parameter {name!r} must be an IRI (http...), got {value!r}")
            bindings[name] = URIRef(value)
        elif kind == "integer":
            if not value.lstrip("-").isdigit():
                raise QueryError(f"parameter {name!r} must be an integer, got {value!r}")
            bindings[name] = Literal(int(value))
        else:
            bindings[name] = Literal(value)
    return bindings


def run(graph: Graph, text: str, bindings: dict[str, URIRef | Literal] | None = None) -> Result:
    """Run a query; syntax errors become QueryError with the parser's message."""
    if re.search(r"\b(?:SERVICE|LOAD|INSERT|DELETE|CLEAR|DROP|CREATE)\b", re.sub(r"#[^\n]*", "", text), re.IGNORECASE):
        raise QueryError("only read-only queries without SERVICE are allowed here")
    from coopgraph.store.memory import dataset_view, dataset_warnings_quiet

    try:
        with dataset_warnings_quiet():
            result = dataset_view(graph).query(text, initBindings=bindings or {})
            if result.type == "SELECT":
                result.bindings  # noqa: B018 - evaluate now: rdflib raises evaluation errors while iterating
        return result
    except Exception as exc:  # pyparsing and rdflib raise many exception types
        raise QueryError(f"SPARQL error: {exc}") from None


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def format_result(result: Result, fmt: str) -> str:
    if result.type == "ASK":
        return json.dumps({"boolean": bool(result.askAnswer)}) if fmt == "json" else str(bool(result.askAnswer)).lower()
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        graph = result.graph
        assert graph is not None
        return graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    names = [str(v) for v in result.vars or []]
    rows = [[_cell(row[i]) for i in range(len(names))] for row in result]
    if fmt == "json":
        return json.dumps(json.loads(result.serialize(format="json")), indent=1, ensure_ascii=False)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buffer.getvalue().rstrip("\n")
    widths = [min(60, max([len(n)] + [len(r[i]) for r in rows])) for i, n in enumerate(names)]
    lines = [" | ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)), "-+-".join("-" * w for w in widths)]
    for row in rows:
        lines.append(" | ".join((c if len(c) <= w else c[: w - 1] + "…").ljust(w) for c, w in zip(row, widths, strict=True)))
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines)
