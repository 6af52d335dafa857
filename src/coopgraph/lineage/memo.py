"""A printable memo of one unit's or mandate's whole chain, for a legal adviser's file.

Every statement in it comes with what a reader needs to check it: the exact quotation, the
pinpoint (document, paragraph, footnotes, source file and lines), the legal status of the text,
whether a link is stated by the texts or inferred, and how sure it is. Markdown for a file or an
email, HTML for the browser and the printer; both from the same sections.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from rdflib import URIRef

from coopgraph.lineage.calibration import chain
from coopgraph.lineage.engine import TEXT_TYPES, Edge, Lineage, Node, gap_sentence, session_ranges
from coopgraph.lineage.mandates import mandate_chain
from coopgraph.lineage.timeline import mandate_timeline
from coopgraph.terms import CG, ELI, RDF, RDFS, SKOS


@dataclass
class Passage:
    """One unit as the memo quotes it."""

    label: str
    iri: str
    text: str | None
    pinpoint: str
    status: str
    date: str | None = None  # the date of the text (ISO): its adoption, or the date it bears


@dataclass
class Link:
    direction: str  # "comes from" | "goes to"
    depth: int
    kind: str
    basis: str  # "stated by the texts" | "inferred from wording"
    confidence: float
    evidence: str
    passage: Passage
    chain: float = 1.0  # the confidence of every link from the memo's unit to this one
    similarity: float | None = None
    footnotes: tuple[str, ...] = ()
    gap: str | None = None  # the sessions this link crosses whose texts are not in the corpus
    missing: tuple[int, ...] = ()
    why_confidence: str | None = None  # one sentence: why this link has its confidence

    @property
    def sureness(self) -> str:
        words = f"confidence {self.confidence:.2f}"
        if self.depth > 1:
            words += f", chain of {self.depth} links {self.chain:.2f}"
        if self.similarity is not None:
            words += f"; similarity {self.similarity:.2f}"
        return words


@dataclass
class Clause:
    """One mandate clause of the memo's paragraph, as the text words it."""

    mandate: str
    addressee: str
    verb: str
    force: str
    status: str
    action: str
    deadlines: list[str]  # "sixteenth session (at), to the Assembly"
    term: str | None


@dataclass
class ChainLink:
    """One step of a mandate's own chain: the clause reached, how, and how sure."""

    direction: str  # "comes from" | "goes to"
    depth: int
    label: str
    relation: str
    addressee: str
    basis: str
    confidence: float
    evidence: str
    gap: str | None = None
    missing: tuple[int, ...] = ()


@dataclass
class Memo:
    title: str
    subject: Passage
    mandate_status: str | None = None
    mandate_explanation: str | None = None
    events: list[tuple[str, str, str, str]] = field(default_factory=list)  # when, what, where, words
    links: list[Link] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    chains: dict[str, list[ChainLink]] = field(default_factory=dict)  # per mandate clause: its own chain
    missing: set[int] = field(default_factory=set)  # every session a step crosses whose texts are not in the corpus
    made: str = ""  # the date the memo was made (ISO)
    graph_version: str | None = None  # the build of the graph it was made from

    @property
    def caveat(self) -> str | None:
        """One paragraph at the top when any step crosses sessions whose texts are not in the corpus."""
        if not self.missing:
            return None
        return (f"Caveat: some steps below cross {session_ranges(sorted(self.missing))}, whose texts are not in the corpus. "
                "What happened at those sessions is not known here: such a step links two texts that are not "
                "consecutive, and says nothing of the texts between them.")


def _document_status(lineage: Lineage, node: Node) -> str:
    graph = lineage.graph
    holder = URIRef(node.iri)
    for _ in range(8):
        status = graph.value(holder, CG.legalStatus)
        if status is not None:
            return str(graph.value(status, SKOS.prefLabel) or str(status).rsplit("#", 1)[-1])
        parent = graph.value(holder, ELI.is_part_of)
        if parent is None:
            break
        holder = parent  # type: ignore[assignment]
    return "not in the corpus" if not node.in_corpus else "not stated"


def _passage(lineage: Lineage, iri: str) -> Passage:
    graph, node = lineage.graph, lineage.node(iri)
    ref = URIRef(iri)
    where = [node.label]
    notes = sorted(str(graph.value(n, CG.number) or str(n).rsplit("/", 1)[-1]) for n in graph.objects(ref, CG.footnote))
    if notes:
        where.append("footnote" + ("s " if len(notes) > 1 else " ") + ", ".join(notes))
    source, first, last = graph.value(ref, CG.sourceFile), graph.value(ref, CG.firstLine), graph.value(ref, CG.lastLine)
    if source is not None and first is not None:
        lines = f"line {first}" if last is None or str(last) == str(first) else f"lines {first}-{last}"
        where.append(f"source {graph.value(source, RDFS.label) or source}, {lines}")
    if defect := graph.value(ref, CG.sourceDefect):
        where.append(f"source defect: {defect}")
    return Passage(node.label, iri, node.text, "; ".join(where), _document_status(lineage, node), node.date)


CLAUSES_NOTE = ("Each clause is one mandate: one addressee asked to do one thing. Its chain below follows only clauses "
                "that ask the same addressee; a paragraph that asks several addressees has one chain per clause.")
TEXT_LINKS_NOTE = ("These links join paragraphs as versions of a text; a paragraph may hold the clauses of several "
                   "addressees, so a text link is not a mandate chain (see the mandate chains above).")
SURENESS = ("Confidence is how likely a link is right: the share of links of its kind found right when checked by hand "
             "against the texts (docs/lineage-alignment.md). Similarity is how much of the wording stayed the same, "
             "from 0 to 1; a link can be sure and still changed. A chain's confidence is the product of its links'.")


def _basis(edge: Edge) -> str:
    """How the texts support a link, in a lawyer's terms."""
    if not edge.inferred:
        return "stated by the texts (a citation, a quotation or a named set)"
    if edge.type in TEXT_TYPES:
        return "inferred from shared wording (compare the quotations)"
    return "inferred from a shared subject (no shared wording or reference)"


def _label(graph: object, node: object) -> str:
    g = graph  # an rdflib graph or the store's view of one
    return str(g.value(node, SKOS.prefLabel) or g.value(node, RDFS.label) or str(node).rsplit("/", 1)[-1])  # type: ignore[attr-defined]


def _clause(graph: object, mandate: URIRef) -> Clause:
    g = graph
    deadlines = []
    for deadline in sorted(g.objects(mandate, CG.deadline), key=str):  # type: ignore[attr-defined]
        relation = ", ".join(sorted(_label(g, r) for r in g.objects(deadline, CG.dueRelation)))  # type: ignore[attr-defined]
        words = f"{g.value(deadline, CG.dueText)} ({relation})"  # type: ignore[attr-defined]
        if (recipient := g.value(deadline, CG.recipientText)) is not None:  # type: ignore[attr-defined]
            words += f", {recipient}"
        deadlines.append(words)
    term = g.value(mandate, CG["term"])  # type: ignore[attr-defined]
    return Clause(str(mandate), ", ".join(sorted(_label(g, a) for a in g.objects(mandate, CG.mandatedActor))),  # type: ignore[attr-defined]
                  _label(g, g.value(mandate, CG.verb)), _label(g, g.value(mandate, CG.normativeForce)),  # type: ignore[attr-defined]
                  _label(g, g.value(mandate, CG.mandateStatus)), str(g.value(mandate, CG.action) or ""),  # type: ignore[attr-defined]
                  deadlines, str(term) if term is not None else None)


def _chain(lineage: Lineage, mandate: URIRef) -> list[ChainLink]:
    graph = lineage.graph

    def session(m: object) -> int | None:
        return lineage.node(str(graph.value(m, CG.issuedBy))).session

    links = []
    for direction, word in (("up", "comes from"), ("down", "goes to")):
        for step in mandate_chain(graph, mandate, direction):
            unit = lineage.node(str(graph.value(step.mandate, CG.issuedBy)))
            addressee = ", ".join(sorted(_label(graph, a) for a in step.actors))
            parent = step.link.later if direction == "up" else step.link.earlier
            missing = tuple(lineage.missing_between(session(parent), unit.session))
            links.append(ChainLink(word, step.depth, unit.label, step.link.relation, addressee, step.link.basis,
                                   step.confidence, "; ".join(step.link.evidence),
                                   gap_sentence(list(missing)) if missing else None, missing))
    return links


def build_memo(lineage: Lineage, iri: str, graph_version: str | None = None) -> Memo:
    """The memo of a unit (its lineage both ways) or of a mandate (its timeline, then its unit's
    lineage); it says when it was made and from which build of the graph."""
    import datetime

    graph = lineage.graph
    ref = URIRef(iri)
    unit = iri
    memo = Memo(title="", subject=_passage(lineage, iri), made=datetime.date.today().isoformat(), graph_version=graph_version)
    if (ref, RDF.type, CG.Mandate) in graph:
        unit = str(graph.value(ref, CG.issuedBy))
        timeline = mandate_timeline(lineage, iri)
        memo.title = f"Memo: {timeline.label}"
        memo.subject = _passage(lineage, unit)
        memo.mandate_status, memo.mandate_explanation = timeline.status, timeline.explanation
        for event in timeline.events:
            when = f"ASP{event.session}" if event.session else "—"
            chain_words = f"chain of {event.steps} links, " if event.steps > 1 else ""
            how = (f" ({event.edge_type}, {event.basis}, {chain_words}confidence {event.confidence:.2f})"
                   if event.edge_type and event.confidence is not None else "")
            memo.events.append((when, event.what, event.label + how,
                                (event.evidence or "") + (f" ({event.gap})" if event.gap else "")))
            memo.missing.update(event.missing)
        memo.clauses = [_clause(graph, ref)]
        memo.chains = {iri: _chain(lineage, ref)}
    else:
        memo.title = f"Memo: {memo.subject.label}"
        for mandate in sorted(graph.objects(ref, CG.mandate), key=str):  # one chain per mandate clause
            memo.clauses.append(_clause(graph, mandate))  # type: ignore[arg-type]
            memo.chains[str(mandate)] = _chain(lineage, mandate)  # type: ignore[arg-type]
    for direction, word in (("up", "comes from"), ("down", "goes to")):
        chained = {unit: 1.0}
        for step in lineage.trace(unit, direction).steps:
            edge = step.edge
            parent = edge.later if direction == "up" else edge.earlier
            chained[step.node.iri] = chain([chained.get(parent, 1.0), edge.confidence])
            memo.links.append(Link(word, step.depth, edge.type, _basis(edge),
                                   edge.confidence, edge.words or "",
                                   _passage(lineage, step.node.iri), chained[step.node.iri], edge.similarity, edge.footnotes,
                                   step.gap, step.missing, edge.why_confidence))
            memo.missing.update(step.missing)
    for chain_links in memo.chains.values():
        for link in chain_links:
            memo.missing.update(link.missing)
    return memo


def _quote(text: str | None) -> str:
    return f"“{text}”" if text else "(no text in the corpus: a document cited, not held)"


def memo_markdown(memo: Memo) -> str:
    lines = [f"# {memo.title}", "", f"**{memo.subject.label}**  ", f"<{memo.subject.iri}>", "",
             f"> {_quote(memo.subject.text)}", "", f"- Pinpoint: {memo.subject.pinpoint}",
             f"- Legal status of the text: {memo.subject.status}",
             *([f"- Date of the text: {memo.subject.date}"] if memo.subject.date else []),
             f"- Memo made on {memo.made}" + (f" from the graph built as {memo.graph_version}" if memo.graph_version else "")]
    if memo.caveat:
        lines += ["", f"> **{memo.caveat}**"]
    if memo.clauses:
        lines += ["", "## Mandate clauses", "", CLAUSES_NOTE, "",
                  "| addressee | verb | force | status | action | deadline (relation), recipient | term |",
                  "|---|---|---|---|---|---|---|"]
        for c in memo.clauses:
            lines.append(f"| {c.addressee} | {c.verb} | {c.force} | {c.status} | {c.action.replace('|', '/')} | "
                         f"{'; '.join(c.deadlines) or '—'} | {c.term or '—'} |")
    if memo.mandate_status:
        lines += ["", f"- Mandate status: **{memo.mandate_status}**: {memo.mandate_explanation}", "", "## Timeline", "",
                  "| session | what | where | words |", "|---|---|---|---|"]
        for when, what, where, words in memo.events:
            lines.append(f"| {when} | {what} | {where} | {words.replace('|', '/')[:300]} |")
    for c in memo.clauses:
        chain_links = memo.chains.get(c.mandate, [])
        lines += ["", f"## Mandate chain: {c.verb} {c.addressee}", ""]
        if not chain_links:
            lines.append("No earlier or later clause of the corpus asks the same addressee the same thing.")
        for cl in chain_links:
            lines.append(f"- {'↑' if cl.direction == 'comes from' else '↓'} {cl.direction} {cl.label} (step {cl.depth}): "
                         f"{cl.relation}, for {cl.addressee}, {cl.basis}, confidence {cl.confidence:.2f}. {cl.evidence}"
                         + (f" ({cl.gap})" if cl.gap else ""))
    lines += ["", "## Text links (paragraph to paragraph)", "", TEXT_LINKS_NOTE, ""]
    if not memo.links:
        lines.append("No derivation edges: nothing in the corpus takes from it or gives to it.")
    for link in memo.links:
        lines += [f"### {'↑' if link.direction == 'comes from' else '↓'} {link.direction} {link.passage.label} "
                  f"(step {link.depth})", "",
                  f"- Link: {link.kind}, {link.basis}, {link.sureness}",
                  *([f"- Gap: {link.gap}"] if link.gap else []),
                  *([f"- Why this confidence: {link.why_confidence}"] if link.why_confidence else []),
                  f"- Evidence: {link.evidence}", *(f"- Footnotes: {note}" for note in link.footnotes),
                  f"- Pinpoint: {link.passage.pinpoint}",
                  f"- Legal status of the text: {link.passage.status}",
                  *([f"- Date of the text: {link.passage.date}"] if link.passage.date else []),
                  "", f"> {_quote(link.passage.text)}", ""]
    lines += ["---", "Changes are marked [-deleted-] {+inserted+}. " + SURENESS]
    return "\n".join(lines) + "\n"


def memo_html(memo: Memo) -> str:
    e = html.escape

    def diff(text: str) -> str:
        import re

        out = e(text)
        out = re.sub(r"\[-(.*?)-\]", r"<del>\1</del>", out)
        return re.sub(r"\{\+(.*?)\+\}", r"<ins>\1</ins>", out)

    parts = [f"<article class=\"memo\"><h1>{e(memo.title)}</h1>", f"<p><strong>{e(memo.subject.label)}</strong><br>"
             f"<code>{e(memo.subject.iri)}</code></p>", f"<blockquote>{e(_quote(memo.subject.text))}</blockquote>",
             *([f"<p class=\"caveat\" id=\"caveat\"><strong>{e(memo.caveat)}</strong></p>"] if memo.caveat else []),
             f"<ul><li>Pinpoint: {e(memo.subject.pinpoint)}</li><li>Legal status of the text: {e(memo.subject.status)}</li>"
             + (f"<li>Date of the text: {e(memo.subject.date)}</li>" if memo.subject.date else "")
             + f"<li id=\"made\">Memo made on {e(memo.made)}"
             + (f" from the graph built as {e(memo.graph_version)}" if memo.graph_version else "") + "</li>"]
    clause_rows = "".join(
        f"<tr><td>{e(c.addressee)}</td><td>{e(c.verb)}</td><td>{e(c.force)}</td><td>{e(c.status)}</td><td>{e(c.action)}</td>"
        f"<td>{e('; '.join(c.deadlines) or '—')}</td><td>{e(c.term or '—')}</td></tr>" for c in memo.clauses)
    clause_table = (f"<h2>Mandate clauses</h2><p>{e(CLAUSES_NOTE)}</p><table><tr><th>addressee</th><th>verb</th><th>force</th>"
                    f"<th>status</th><th>action</th><th>deadline (relation), recipient</th><th>term</th></tr>{clause_rows}</table>"
                    if memo.clauses else "")
    chains_html = "".join(
        f"<h2>Mandate chain: {e(c.verb)} {e(c.addressee)}</h2><ul>"
        + ("".join(f"<li>{'↑' if cl.direction == 'comes from' else '↓'} {e(cl.direction)} {e(cl.label)} (step {cl.depth}): "
                   f"{e(cl.relation)}, for {e(cl.addressee)}, {e(cl.basis)}, confidence {cl.confidence:.2f}. {e(cl.evidence)}"
                   + (f" <span class=\"gap\">({e(cl.gap)})</span>" if cl.gap else "") + "</li>"
                   for cl in memo.chains.get(c.mandate, []))
           or "<li>No earlier or later clause of the corpus asks the same addressee the same thing.</li>") + "</ul>"
        for c in memo.clauses)
    if memo.mandate_status:
        parts.append(f"<li>Mandate status: <strong>{e(memo.mandate_status)}</strong>: {e(memo.mandate_explanation or '')}</li></ul>")
        parts.append("<h2>Timeline</h2><table><tr><th>session</th><th>what</th><th>where</th><th>words</th></tr>")
        parts += [f"<tr><td>{e(w)}</td><td>{e(what)}</td><td>{e(where)}</td><td>{diff(words[:300])}</td></tr>"
                  for w, what, where, words in memo.events]
        parts.append("</table>")
    else:
        parts.append("</ul>")
    parts.append(clause_table + chains_html)
    parts.append(f"<h2>Text links (paragraph to paragraph)</h2><p>{e(TEXT_LINKS_NOTE)}</p>")
    if not memo.links:
        parts.append("<p>No derivation edges: nothing in the corpus takes from it or gives to it.</p>")
    for link in memo.links:
        parts.append(f"<section><h3>{'↑' if link.direction == 'comes from' else '↓'} {e(link.direction)} "
                     f"{e(link.passage.label)} (step {link.depth})</h3><ul><li>Link: {e(link.kind)}, {e(link.basis)}, "
                     f"{e(link.sureness)}</li>" + (f"<li class=\"gap\">Gap: {e(link.gap)}</li>" if link.gap else "")
                     + (f"<li class=\"why\">Why this confidence: {e(link.why_confidence)}</li>" if link.why_confidence else "")
                     + f"<li>Evidence: {diff(link.evidence)}</li>"
                     + "".join(f"<li>Footnotes: {diff(note)}</li>" for note in link.footnotes) +
                     f"<li>Pinpoint: {e(link.passage.pinpoint)}</li><li>Legal status of the text: {e(link.passage.status)}</li>"
                     + (f"<li>Date of the text: {e(link.passage.date)}</li>" if link.passage.date else "") +
                     f"</ul><blockquote>{e(_quote(link.passage.text))}</blockquote></section>")
    parts.append(f"<p class=\"note\">{e(SURENESS)}</p></article>")
    return "\n".join(parts)
