"""A lineage trace, a change table or a timeline, printed for a memo (text) or for tools
(JSON, JSON-LD, Graphviz DOT, Mermaid)."""

from __future__ import annotations

import json
from dataclasses import asdict

from rdflib import Graph, URIRef

from coopgraph.lineage.calibration import chain
from coopgraph.lineage.engine import Edge, Lineage, Node, Step, Trace
from coopgraph.lineage.mandates import ClauseChain
from coopgraph.lineage.timeline import Timeline
from coopgraph.terms import CG, RDF, RDFS, bind_prefixes

ARROWS = {"up": "comes from", "down": "goes to"}


def _when(node: Node) -> str:
    parts = [str(node.year)] if node.year else []
    if node.session:
        parts.append(f"ASP{node.session}")
    return ", ".join(parts) or "date not stated"


def _edge_line(edge: Edge, chain: float | None = None) -> str:
    shape = f", {edge.shape_words}" if edge.shapes else ""
    similarity = f", similarity {edge.similarity:.2f}" if edge.similarity is not None else ""
    whole = f", chain {chain:.2f}" if chain is not None else ""
    return f"{edge.type}{shape} ({edge.basis}, confidence {edge.confidence:.2f}{whole}{similarity}; {edge.method})"


def trace_text(trace: Trace, width: int = 100) -> str:
    """Each step with its reference, year, edge type, confidence and the diff or evidence, drawn
    as a tree: every step under the node it was reached from."""
    root = trace.root
    lines = [f"{root.label} ({_when(root)})", f"<{root.iri}>"]
    if root.text:
        lines.append(f"  “{root.text}”")
    if not trace.steps:
        lines.append("\nNo derivation edges in this direction.")
    children: dict[str, list[Step]] = {}
    for step in trace.steps:
        parent = step.edge.later if step.direction == "up" else step.edge.earlier
        children.setdefault(parent, []).append(step)
    shown: set[tuple[str, str, str]] = set()

    def draw(parent: str, level: int, above: float = 1.0) -> None:
        for step in children.get(parent, []):
            node, edge = step.node, step.edge
            if (parent, node.iri, step.direction) in shown:
                continue
            shown.add((parent, node.iri, step.direction))
            indent = "  " * level
            whole = chain([above, edge.confidence])
            lines.append("")
            lines.append(f"{indent}{'↑' if step.direction == 'up' else '↓'} {ARROWS[step.direction]} "
                         f"{node.label} ({_when(node)}) — {_edge_line(edge, whole if level > 1 else None)}")
            lines.append(f"{indent}  <{node.iri}>")
            if edge.type in {"repeats", "amends", "restates"} and edge.diff:
                lines.append(f"{indent}  changes: {edge.evidence[0] if edge.evidence else edge.diff}")
            else:
                for evidence in edge.evidence:
                    lines.append(f"{indent}  evidence: {evidence}")
            for note in edge.footnotes:
                lines.append(f"{indent}  {note}")
            if not node.in_corpus:
                lines.append(f"{indent}  (not in the corpus: a node without text)")
            if step.gap:
                lines.append(f"{indent}  ({step.gap})")
            if node.iri != root.iri:
                draw(node.iri, level + 1, whole)

    draw(root.iri, 1)
    return "\n".join(lines)


def as_json(data: object) -> str:
    """The JSON the command line and the API write for a renderer's data (one spelling for both)."""
    return json.dumps(data, ensure_ascii=False, indent=1)


def trace_data(trace: Trace, chains: list[dict[str, object]] | None = None) -> dict[str, object]:
    """The paragraph links of the trace, and (`mandateChains`) each mandate clause's own chain."""
    body: dict[str, object] = {
        "root": asdict(trace.root), "direction": trace.direction,
        "steps": [{"depth": s.depth, "direction": s.direction, "node": asdict(s.node), "edge": asdict(s.edge), "gap": s.gap}
                  for s in trace.steps],
    }
    if chains is not None:
        body["mandateChains"] = chains
    return body


def clause_chains_text(lineage: Lineage, chains: list[ClauseChain]) -> str:
    """Each mandate clause and its own chain: only clauses that ask the same addressee."""
    lines = []
    for c in chains:
        lines.append(f"mandate: {c.verb} {c.addressee} ({c.force}, {c.status})  <{c.mandate}>")
        for direction, steps in (("↑", c.up), ("↓", c.down)):
            for s in steps:
                unit = lineage.node(str(lineage.graph.value(s.mandate, CG.issuedBy)))
                parent = s.link.later if direction == "↑" else s.link.earlier
                gap = lineage.gap_note(lineage.node(str(lineage.graph.value(parent, CG.issuedBy))).session, unit.session)
                lines.append(f"  {direction}{s.depth} {unit.label} [{s.link.relation}, {s.link.basis}, "
                             f"confidence {s.confidence:.2f}, for {', '.join(sorted(str(a).rsplit('/', 1)[-1] for a in s.actors))}]"
                             + (f" ({gap})" if gap else ""))
        if not c.up and not c.down:
            lines.append("  no earlier or later clause of the corpus asks the same addressee the same thing")
    return "\n".join(lines)


def trace_graph(lineage: Lineage, trace: Trace) -> Graph:
    """The trace as RDF: the nodes with their labels, the edges and their evidence nodes."""
    source = lineage.graph
    out = bind_prefixes(Graph())
    nodes = [trace.root] + [s.node for s in trace.steps]
    for node in nodes:
        ref = URIRef(node.iri)
        for p in (RDF.type, RDFS.label, CG.text):
            for o in source.objects(ref, p):
                out.add((ref, p, o))
    for step in trace.steps:
        edge = step.edge
        out.add((URIRef(edge.later), CG[edge.type], URIRef(edge.earlier)))
        out.add((URIRef(edge.later), CG.qualifiedDerivation, URIRef(edge.derivation)))
        for p, o in source.predicate_objects(URIRef(edge.derivation)):
            out.add((URIRef(edge.derivation), p, o))
    return out


def trace_jsonld(lineage: Lineage, trace: Trace, context: dict[str, object]) -> str:
    """Compact JSON-LD with the published context, never fetched."""
    return trace_graph(lineage, trace).serialize(format="json-ld", context=context, indent=1)


def trace_jsonld_data(lineage: Lineage, trace: Trace, context: dict[str, object], published: str) -> dict[str, object]:
    """The same JSON-LD as data, its @context given by reference (`published`), as the API serves it."""
    body: dict[str, object] = json.loads(trace_jsonld(lineage, trace, context))
    body["@context"] = published
    return body


def _short(node: Node) -> str:
    return node.label.replace('"', "'")


def trace_dot(trace: Trace) -> str:
    lines = ["digraph lineage {", "  rankdir=BT;", '  node [shape=box, fontname="Helvetica"];']
    ids = {trace.root.iri: "n0"}
    lines.append(f'  n0 [label="{_short(trace.root)}\\n{_when(trace.root)}", style=bold];')
    for index, step in enumerate(trace.steps, start=1):
        ids[step.node.iri] = f"n{index}"
        style = ", style=dashed" if not step.node.in_corpus else ""
        lines.append(f'  n{index} [label="{_short(step.node)}\\n{_when(step.node)}"{style}];')
    for step in trace.steps:
        edge = step.edge
        if edge.later in ids and edge.earlier in ids:
            dashed = ", style=dashed" if edge.inferred else ""
            lines.append(f'  {ids[edge.later]} -> {ids[edge.earlier]} [label="{edge.type} {edge.confidence:.2f}"{dashed}];')
    lines.append("}")
    return "\n".join(lines)


def trace_mermaid(trace: Trace) -> str:
    lines = ["flowchart BT"]
    ids = {trace.root.iri: "n0"}
    lines.append(f'  n0["{_short(trace.root)} ({_when(trace.root)})"]')
    for index, step in enumerate(trace.steps, start=1):
        ids[step.node.iri] = f"n{index}"
        lines.append(f'  n{index}["{_short(step.node)} ({_when(step.node)})"]')
    for step in trace.steps:
        edge = step.edge
        if edge.later in ids and edge.earlier in ids:
            arrow = "-.->" if edge.inferred else "-->"
            lines.append(f"  {ids[edge.later]} {arrow}|{edge.type} {edge.confidence:.2f}| {ids[edge.earlier]}")
    return "\n".join(lines)


def changes_text(lineage: Lineage, rows: list[dict[str, object]]) -> str:
    """The new / carried over / amended / dropped table between two documents."""
    lines = []
    if rows and rows[0].get("note"):
        lines += [f"Note: {rows[0]['note']}.", ""]
    if rows and rows[0].get("gap") and rows[0].get("mode") != "relations":
        lines += [f"Note: {rows[0]['gap']}; a unit absent from one text may have been added or dropped in between.", ""]
    elif rows and rows[0].get("gap"):
        lines += [f"Note: {rows[0]['gap']}.", ""]
    width = max([18, *(len(str(row["status"])) + (len(f", renumbered {row['renumbered']}") if row.get("renumbered") else 0)
                        for row in rows)])
    relations = bool(rows) and rows[0].get("mode") == "relations"
    lines.append(f"{'relation' if relations else 'status':{width}} {'unit':48} {'to':40} confidence / similarity" if relations
                 else f"{'status':{width}} {'later unit':48} {'earlier unit':40} confidence / similarity")
    for row in rows:
        later = lineage.node(str(row["later"])).label if row["later"] else "—"
        earlier = lineage.node(str(row["earlier"])).label if row["earlier"] else "—"
        edge = row["edge"]
        score = ""
        if isinstance(edge, Edge):
            score = f"{edge.confidence:.2f}" + (f" / {edge.similarity:.2f}" if edge.similarity is not None else "")
        status = str(row["status"]) + (f", renumbered {row['renumbered']}" if row.get("renumbered") else "")
        lines.append(f"{status:{width}} {later:48} {earlier:40} {score}")
        if isinstance(edge, Edge) and edge.type != "repeats" and edge.evidence:
            lines.append(f"{'':{width}}   {edge.evidence[0]}")
        if isinstance(edge, Edge):
            lines += [f"{'':{width}}   {note}" for note in edge.footnotes]
    counts: dict[str, int] = {}
    for row in rows:
        counts[str(row["status"])] = counts.get(str(row["status"]), 0) + 1
    lines.append("")
    lines.append(", ".join(f"{n} {status}" for status, n in counts.items()))
    return "\n".join(lines)


def changes_data(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{**{k: v for k, v in row.items() if k != "edge"},
             "edge": asdict(row["edge"]) if isinstance(row["edge"], Edge) else None} for row in rows]


def timeline_text(timeline: Timeline) -> str:
    """Events by session and, within one, by the date of the text that shows them (printed after
    the session); a text without a date is placed by its kind, and says so."""
    lines = [timeline.label, f"<{timeline.subject}>", f"status: {timeline.status} ({timeline.explanation})", ""]
    for event in timeline.events:
        when = f"ASP{event.session}" if event.session else "—"
        if event.what not in {"due", "due before"}:
            when += f" {event.date}" if event.date else " (no date: placed by the kind of text)"
        how = ""
        if event.edge_type and event.confidence is not None:
            chain = f"chain of {event.steps} links, " if event.steps > 1 else ""
            how = f" [{event.edge_type}, {event.basis}, {chain}confidence {event.confidence:.2f}]"
        elif event.basis and event.what not in {"issued", "proposed"}:
            how = f" [{event.basis}]"
        lines.append(f"  {when:17} {event.what:36} {event.label}{how}")
        if event.evidence and (event.steps or event.what != "issued"):
            lines.append(f"  {'':17} {'':36} {event.evidence[:300]}")
        if event.gap:
            lines.append(f"  {'':17} {'':36} ({event.gap})")
    return "\n".join(lines)


def timeline_data(timeline: Timeline) -> dict[str, object]:
    return asdict(timeline)


__all__ = ["as_json", "changes_data", "changes_text", "timeline_data", "timeline_text", "trace_data", "trace_dot",
           "trace_jsonld", "trace_jsonld_data", "trace_mermaid", "trace_text"]
