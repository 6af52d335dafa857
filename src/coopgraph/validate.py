"""SHACL validation of the graph, and its report in words a legal adviser can act on.

The shapes live in `shapes/*.ttl`, one file per concern; relative IRIs in them resolve
against the graph's base IRI, like the vocabularies'.

Two engines run the same shapes: pyshacl-turbo (Rust, the default: about 0.15 s on the real
graph) and pySHACL (pure Python, the reference implementation: about 1.5-2 s). The test
suite checks that both report exactly the same findings.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.plugins.sparql import prepareQuery

from coopgraph.errors import GraphFileError
from coopgraph.terms import PREFIXES


class PreparedQueryGraph(Graph):
    """A graph that parses each SPARQL text once.

    pyshacl runs a SPARQL constraint's query once per focus node, as text; parsing it
    every time costs more than evaluating it. Same text, same parsed query.
    """

    _prepared: dict[str, Any] = {}

    def query(self, query_object: Any, processor: Any = "sparql", result: Any = "sparql", initNs: Any = None,
              initBindings: Any = None, use_store_provided: bool = True, **kwargs: Any) -> Any:
        if isinstance(query_object, str) and processor == "sparql":
            prepared = PreparedQueryGraph._prepared.get(query_object)
            if prepared is None:
                prepared = PreparedQueryGraph._prepared[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


ENGINES = ("turbo", "pyshacl")
DEFAULT_ENGINE = "turbo"


def engine_from_env() -> str:
    """The engine named by COOPGRAPH_SHACL_ENGINE, else the default."""
    engine = os.environ.get("COOPGRAPH_SHACL_ENGINE", DEFAULT_ENGINE)
    if engine not in ENGINES:
        raise GraphFileError(f"COOPGRAPH_SHACL_ENGINE={engine!r}: choose one of {', '.join(ENGINES)}")
    return engine


SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


def load_shapes(shapes_dir: Path, base: str) -> Graph:
    """Every shapes file of the folder, as one shapes graph."""
    files = sorted(shapes_dir.glob("*.ttl"))
    if not files:
        raise GraphFileError(f"{shapes_dir}: no shapes files (*.ttl); the shapes folder of the checkout is needed")
    graph = Graph()
    for path in files:
        try:
            graph.parse(path, format="turtle", publicID=base)
        except Exception as exc:  # rdflib raises many parser exception types
            raise GraphFileError(f"{path}: not valid Turtle: {exc}") from None
    return graph


@dataclass(frozen=True)
class Finding:
    """One validation result, with the names a reader needs."""

    severity: str
    focus: str
    focus_label: str
    shape: str
    shape_name: str
    message: str
    path: str | None = None
    value: str | None = None
    component: str | None = None


@dataclass
class Report:
    """The outcome of one validation."""

    findings: list[Finding]
    graph: Graph
    triples: int
    shapes: int
    seconds: float
    engine: str = DEFAULT_ENGINE
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.counts = {name: sum(1 for f in self.findings if f.severity == name) for name in SEVERITY_ORDER}

    @property
    def conforms(self) -> bool:
        """No violations; warnings and notes do not break conformance."""
        return self.counts["Violation"] == 0

    def summary(self) -> str:
        verdict = "conforms" if self.conforms else "does not conform"
        return (f"{verdict}: {self.counts['Violation']} violations, {self.counts['Warning']} warnings, "
                f"{self.counts['Info']} notes ({self.triples:,} triples, {self.shapes} shapes, {self.engine}, {self.seconds:.2f} s)")


_DISPLAY = Graph(bind_namespaces="core")
for _prefix, _namespace in PREFIXES.items():
    _DISPLAY.bind(_prefix, _namespace, replace=True)


def _short(node: object) -> str:
    """A term as a reader knows it: cg:text, dct:date, or the literal's words."""
    if isinstance(node, URIRef):
        try:
            return _DISPLAY.namespace_manager.normalizeUri(node)
        except Exception:  # not every IRI has a prefix form
            return f"<{node}>"
    if isinstance(node, Literal):
        return str(node)
    if isinstance(node, BNode):
        return "[path]"
    return str(node)


def _label(node: object, data: Graph) -> str:
    for predicate in (RDFS.label, SKOS.prefLabel):
        label = data.value(node, predicate)  # type: ignore[arg-type]
        if label is not None:
            return str(label)
    return str(node)


def _shape_name(shape: object, shapes: Graph) -> tuple[str, str]:
    """The named node shape a (possibly anonymous property) shape belongs to."""
    owner = shape
    if isinstance(shape, BNode):
        parent = shapes.value(None, SH.property, shape)
        if parent is not None:
            owner = parent
    name = shapes.value(owner, SH.name)  # type: ignore[arg-type]
    return str(owner), str(name) if name is not None else _short(owner)


def count_shapes(shapes: Graph) -> int:
    return len(set(shapes.subjects(RDF.type, SH.NodeShape)))


def findings_of(report_graph: Graph, data: Graph, shapes: Graph) -> list[Finding]:
    findings = []
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
        focus = report_graph.value(result, SH.focusNode)
        shape = report_graph.value(result, SH.sourceShape)
        shape_iri, shape_name = _shape_name(shape, shapes)
        messages = sorted(str(m) for m in report_graph.objects(result, SH.resultMessage))
        path = report_graph.value(result, SH.resultPath)
        value = report_graph.value(result, SH.value)
        component = report_graph.value(result, SH.sourceConstraintComponent)
        findings.append(Finding(
            severity=SEVERITIES.get(report_graph.value(result, SH.resultSeverity), "Violation"),  # type: ignore[arg-type]
            focus=str(focus),
            focus_label=_label(focus, data),
            shape=shape_iri,
            shape_name=shape_name,
            message=messages[0] if messages else "does not conform",
            path=_short(path) if path is not None else None,
            value=_short(value) if value is not None else None,
            component=_short(component) if component is not None else None,
        ))
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.focus_label, f.focus, f.shape_name, f.message, f.value or ""))
    return findings


def validate_graph(data: Graph | Any, shapes: Graph, engine: str | None = None) -> Report:
    """Validate with the chosen engine (no inference: the graph states what it means). `data` is an
    rdflib Graph, or for pyshacl-turbo also a pyoxigraph Store, which it validates without rdflib."""
    engine = engine or engine_from_env()
    if engine not in ENGINES:
        raise GraphFileError(f"unknown SHACL engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if not isinstance(data, Graph) and engine != "turbo":
        raise TypeError("only pyshacl-turbo validates a pyoxigraph Store")
    started = time.perf_counter()
    options: dict[str, Any] = dict(inference="none", abort_on_first=False, allow_infos=True, allow_warnings=True)
    try:
        if engine == "turbo":
            from pyshacl_turbo import validate as turbo_validate

            _, report_graph, _ = turbo_validate(data, shacl_graph=shapes, **options)
        else:
            from pyshacl import validate as pyshacl_validate

            if not isinstance(data, PreparedQueryGraph):
                prepared = PreparedQueryGraph(namespace_manager=data.namespace_manager)
                prepared += data
                data = prepared
            _, report_graph, _ = pyshacl_validate(data, shacl_graph=shapes, meta_shacl=False, advanced=False,
                                                  js=False, debug=False, **options)
    except Exception as exc:  # the engines raise parser, runtime and their own error types
        raise GraphFileError(f"the shapes cannot be used ({engine}): {broken_constraints(shapes) or exc}") from None
    seconds = time.perf_counter() - started
    if not isinstance(report_graph, Graph):
        raise GraphFileError(f"the shapes cannot be used: {report_graph}")
    findings = findings_of(report_graph, data if isinstance(data, Graph) else _labels(data, report_graph), shapes)
    return Report(findings, report_graph, len(data), count_shapes(shapes), seconds, engine)


def validate_file(path: Path, shapes: Graph, base: str, max_bytes: int, contexts: dict[str, Any] | None = None) -> Report:
    """Validate one graph file alone with pyshacl-turbo, without reading it into rdflib.

    rdflib takes about 35 s to read a million triples; Oxigraph's in-memory store takes about 4,
    and pyshacl-turbo validates a pyoxigraph store directly (its documented input). The labels the
    report names focus nodes by come from the same store. JSON-LD, and files Oxigraph refuses,
    are read by rdflib as usual (`contexts` as read_graph_file takes them), so a malformed file
    gets the same clear error either way.
    """
    import pyoxigraph as ox

    from coopgraph.graphfile import detect_format, read_graph_file, read_text

    def through_rdflib() -> Report:
        return validate_graph(read_graph_file(path, base, contexts=contexts, max_bytes=max_bytes), shapes, "turbo")

    text = read_text(path, max_bytes)
    fmt = detect_format(path, text)
    if fmt not in {"nt", "turtle"}:
        return through_rdflib()
    store = ox.Store()
    try:
        store.bulk_load(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.TURTLE,
                        base_iri=base if fmt == "turtle" else None)
    except (SyntaxError, ValueError, OSError):
        return through_rdflib()  # rdflib names the line and column of what is wrong, in our words
    if len(store) == 0:
        return through_rdflib()  # an empty file is refused with its usual message
    return validate_graph(store, shapes, "turbo")


def _labels(store: Any, report_graph: Graph) -> Graph:
    """The labels of the report's focus nodes, read from a pyoxigraph store: all `findings_of` needs of the data."""
    import pyoxigraph as ox

    labels = Graph()
    for focus in set(report_graph.objects(None, SH.focusNode)):
        if not isinstance(focus, URIRef):
            continue
        for predicate in (RDFS.label, SKOS.prefLabel):
            for quad in store.quads_for_pattern(ox.NamedNode(str(focus)), ox.NamedNode(str(predicate)), None):
                if isinstance(quad.object, ox.Literal):
                    labels.add((focus, predicate, Literal(quad.object.value)))
    return labels


def broken_constraints(shapes: Graph) -> str:
    """Which SPARQL constraints do not parse, named by their shape, to point at the broken text."""
    prefixes = "".join(f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
                       for d in shapes.objects(None, SH.declare))
    problems = []
    for owner, constraint in shapes.subject_objects(SH.sparql):
        text = shapes.value(constraint, SH.select) or shapes.value(constraint, SH.ask)
        try:
            prepareQuery(prefixes + str(text))
        except Exception as exc:  # pyparsing's error carries the line and column
            name = shapes.value(owner, SH.name) or _short(owner)
            problems.append(f"the SPARQL of shape '{name}' <{owner}> does not parse: {exc}")
    return "; ".join(sorted(problems))


def format_text(report: Report, limit: int | None = None) -> str:
    """The readable report: results grouped by focus node, then by shape."""
    lines: list[str] = []
    current = None
    shown = report.findings if limit is None else report.findings[:limit]
    for finding in shown:
        if finding.focus != current:
            current = finding.focus
            if lines:
                lines.append("")
            lines.append(f"{finding.focus_label}  <{finding.focus}>")
        where = f" [{finding.path}]" if finding.path else ""
        value = f" (value: {finding.value})" if finding.value and finding.value not in finding.message else ""
        lines.append(f"  {finding.severity:<9} {finding.shape_name}: {finding.message}{where}{value}")
    if limit is not None and len(report.findings) > limit:
        lines.append(f"\n... and {len(report.findings) - limit} more results (see --format json)")
    if lines:
        lines.append("")
    lines.append(report.summary())
    return "\n".join(lines)


def to_json(report: Report) -> str:
    return json.dumps({
        "conforms": report.conforms,
        "violations": report.counts["Violation"],
        "warnings": report.counts["Warning"],
        "infos": report.counts["Info"],
        "triples": report.triples,
        "shapes": report.shapes,
        "seconds": round(report.seconds, 3),
        "results": [asdict(f) for f in report.findings],
    }, ensure_ascii=False, indent=1)


def to_turtle(report: Report) -> str:
    report.graph.bind("sh", SH)
    return report.graph.serialize(format="turtle")


__all__ = ["Finding", "Report", "format_text", "load_shapes", "to_json", "to_turtle", "validate_file", "validate_graph"]
