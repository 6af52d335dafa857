"""Named queries (queries/*.rq): their header (title, description, typed parameters) and their
parameters bound as RDF terms, never pasted into the text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef

from coopgraph.errors import ParameterError, QueryError

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
        raise ParameterError(f"query {query.name!r} has no parameter {', '.join(unknown)}; it takes: {', '.join(query.params) or 'none'}")
    bindings: dict[str, URIRef | Literal] = {}
    for name, value in values.items():
        kind = query.params[name][0]
        if kind == "iri":
            if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", value):
                raise ParameterError(f"parameter {name!r} must be an IRI (http...), got {value!r}")
            bindings[name] = URIRef(value)
        elif kind == "integer":
            if not value.lstrip("-").isdigit():
                raise ParameterError(f"parameter {name!r} must be an integer, got {value!r}")
            bindings[name] = Literal(int(value))
        else:
            bindings[name] = Literal(value)
    return bindings
