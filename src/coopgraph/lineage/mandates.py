"""Mandate lineage, clause by clause: which earlier mandate a mandate carries on, for one addressee.

A lawyer asks about one mandate (this addressee asked to do this thing), not a paragraph. The
paragraph links (repeats, amends, restates, a continued subject) say that two paragraphs are
versions of one text; a mandate link pairs the clauses inside them that ask the same addressee:

- two mandates are linked only along a paragraph link, and only when they ask a common actor
  (cg:commonAddressee names it); a chain is then followed only while that actor stays asked, so
  a mandate of the Court is never chained through one of the Bureau;
- where either paragraph asks that actor more than once, the pair whose actions are closest both
  ways is taken, and the evidence says so;
- a paragraph link by shared subject (not shared words) carries a mandate only when the later
  clause says it continues ("maintain", "continue") or asks what the earlier one asked.

Written into the graph at build time (cg:continuesMandate with a cg:MandateLink node of evidence),
so SPARQL, SHACL, the timeline and the memo all read the same links. Proposals taken up by an
adopted resolution are marked with cg:takenUpBy, naming the adopted mandate.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV

from coopgraph.graph.iris import owned
from coopgraph.lineage.continuity import SUBJECT_SIMILARITY, Rarity
from coopgraph.lineage.record import SUBJECT_KINDS
from coopgraph.lineage.units import text_units
from coopgraph.terms import CG, DCTERMS, ELI, RDF, RDFS, SKOS, decimal

TEXT_RELATIONS = frozenset({CG.repeats, CG.amends, CG.restates})
# Words with which a later clause says that it carries a mandate on ("maintain a facilitation").
CONTINUES = re.compile(r"\b(maintain|continu|renew|remain|updated)\w*", re.IGNORECASE)


@dataclass(frozen=True)
class MandateFacts:
    iri: URIRef
    unit: URIRef
    actors: frozenset[URIRef]
    action: str
    issued: bool
    session: int | None


@dataclass
class MandateLink:
    """`later` carries `earlier` on, for the actors in `common`, along one paragraph link."""

    later: URIRef
    earlier: URIRef
    common: frozenset[URIRef]
    relation: URIRef  # the paragraph link's type (cg:repeats, cg:amends, ...)
    derivation: URIRef  # the paragraph link's evidence node
    inferred: bool
    confidence: float
    kind: str
    similarity: float  # of the two actions
    evidence: list[str] = field(default_factory=list)


def mandate_facts(graph: Graph) -> dict[URIRef, MandateFacts]:
    facts = {}
    for mandate in graph.subjects(RDF.type, CG.Mandate):
        session = graph.value(graph.value(mandate, CG.issuedAt), CG.sessionNumber)
        facts[mandate] = MandateFacts(
            iri=mandate, unit=graph.value(mandate, CG.issuedBy),  # type: ignore[arg-type]
            actors=frozenset(graph.objects(mandate, CG.mandatedActor)),  # type: ignore[arg-type]
            action=str(graph.value(mandate, CG.action) or ""),
            issued=graph.value(mandate, CG.mandateStatus) == CG.IssuedMandate,
            session=int(session) if session is not None else None,
        )
    return facts


def _actor_names(graph: Graph, actors: Iterable[URIRef]) -> str:
    return ", ".join(sorted(str(graph.value(a, SKOS.prefLabel) or graph.value(a, RDFS.label) or str(a).rsplit("/", 1)[-1])
                            for a in actors))


def find_mandate_links(graph: Graph) -> list[MandateLink]:
    """One link per pair of clauses that the paragraph links and a common addressee join."""
    facts = mandate_facts(graph)
    by_unit: dict[URIRef, list[MandateFacts]] = defaultdict(list)
    for fact in facts.values():
        by_unit[fact.unit].append(fact)
    rarity = Rarity(text_units(graph))

    def similarity(a: MandateFacts, b: MandateFacts) -> float:
        return float(rarity.subject_similarity(a.action, b.action)[0])

    links: list[MandateLink] = []
    for node in sorted(graph.subjects(RDF.type, CG.Derivation)):
        later_unit = graph.value(predicate=CG.qualifiedDerivation, object=node)
        earlier_unit = graph.value(node, PROV.entity)
        relation = graph.value(node, CG.derivationType)
        kind = str(graph.value(node, CG.evidenceKind) or "")
        if later_unit not in by_unit or earlier_unit not in by_unit:
            continue
        by_text = relation in TEXT_RELATIONS
        stated = graph.value(node, CG.isInferred) == Literal(False)
        if not (by_text or kind in SUBJECT_KINDS or (stated and relation == CG.citesUnit)):
            continue
        confidence = float(graph.value(node, CG.confidence))  # type: ignore[arg-type]
        for later in by_unit[later_unit]:  # type: ignore[index]
            for earlier, why in _pairs(later, by_unit[earlier_unit], by_unit[later_unit], similarity):  # type: ignore[index]
                score = similarity(earlier, later)
                evidence = [why]
                if not by_text and not stated:
                    words = sorted({m.group(0).lower() for m in CONTINUES.finditer(later.action)})
                    if not words and score < SUBJECT_SIMILARITY:
                        continue  # the same subject, not the same request: the paragraph link stays, no mandate link
                    evidence.append(f"the later clause says it continues ({', '.join(words)})" if words
                                    else f"the two clauses ask the same (subject similarity {score:.2f})")
                links.append(MandateLink(
                    later=later.iri, earlier=earlier.iri, common=later.actors & earlier.actors, relation=relation,  # type: ignore[arg-type]
                    derivation=node, inferred=not stated, confidence=confidence, kind=kind, similarity=score,  # type: ignore[arg-type]
                    evidence=[e.replace("{actors}", _actor_names(graph, later.actors & earlier.actors)) for e in evidence],
                ))
    return links


def _pairs(later: MandateFacts, earlier_clauses: list[MandateFacts], later_clauses: list[MandateFacts],
           similarity: object) -> Iterator[tuple[MandateFacts, str]]:
    """The earlier clause(s) that `later` carries on: those asking a common actor; where either
    paragraph asks that actor more than once, only the mutually closest pair."""
    score = similarity  # (a, b) -> float
    candidates = [e for e in earlier_clauses if e.actors & later.actors]
    if not candidates:
        return
    rivals = [other for other in later_clauses if other.actors & later.actors]
    if len(candidates) == 1 and len(rivals) == 1:
        yield candidates[0], "the only clause of each paragraph that asks {actors}"
        return
    best = max(candidates, key=lambda e: (score(e, later), str(e.iri)))  # type: ignore[operator]
    back = max((o for o in later_clauses if o.actors & best.actors), key=lambda o: (score(best, o), str(o.iri)))  # type: ignore[operator]
    if back.iri == later.iri:
        yield best, (f"of {len(candidates)} clause(s) asking {{actors}} in the earlier paragraph and {len(rivals)} in the "
                     f"later, the two whose actions are closest (subject similarity {score(best, later):.2f})")  # type: ignore[operator]


def taken_up(graph: Graph, links: list[MandateLink]) -> dict[URIRef, URIRef]:
    """Proposed mandate -> the issued mandate that takes it up: reached from the proposal by later
    links, or by a later link from a clause the proposal restates in its own session (a mandate
    list restates the draft; the adopted resolution repeats the draft)."""
    facts = mandate_facts(graph)
    down: dict[URIRef, list[MandateLink]] = defaultdict(list)
    up: dict[URIRef, list[MandateLink]] = defaultdict(list)
    for link in links:
        down[link.earlier].append(link)
        up[link.later].append(link)
    found = {}
    for proposal in sorted(m for m, f in facts.items() if not f.issued):
        starts = {proposal: facts[proposal].actors}
        for link in up[proposal]:  # the draft clause an annexed list restates, in the same session
            if link.relation == CG.restates and facts[link.earlier].session == facts[proposal].session:
                starts[link.earlier] = link.common
        adopted = [m for m in walk(starts, down, "down") if facts[m[0]].issued]
        if adopted:
            found[proposal] = min(adopted, key=lambda m: (m[1], str(m[0])))[0]
    return found


def walk(starts: dict[URIRef, frozenset[URIRef]], edges: dict[URIRef, list[MandateLink]],
         direction: str) -> Iterator[tuple[URIRef, int, frozenset[URIRef]]]:
    """Breadth-first along mandate links, keeping only the actors every link so far shares:
    (mandate, depth, actors still asked) for each mandate reached."""
    seen = set(starts)
    queue = deque((m, 0, actors) for m, actors in starts.items())
    while queue:
        current, depth, actors = queue.popleft()
        for link in edges.get(current, []):
            other = link.later if direction == "down" else link.earlier
            still = actors & link.common
            if other in seen or not still:
                continue
            seen.add(other)
            yield other, depth + 1, still
            queue.append((other, depth + 1, still))


def qualified(graph: Graph, subject: URIRef, direct: URIRef, qualifier: URIRef, node: URIRef, kind: URIRef,
              entity: URIRef, inferred: bool) -> None:
    """One qualified relation, PROV's way: the direct edge, and the node that holds its evidence."""
    graph.add((subject, direct, entity))
    graph.add((subject, qualifier, node))
    graph.add((node, RDF.type, kind))
    graph.add((node, PROV.entity, entity))
    graph.add((node, CG.isInferred, Literal(inferred)))


def add_mandate_links(graph: Graph) -> list[MandateLink]:
    """Write the mandate links and the proposals' adoption into the graph."""
    links = find_mandate_links(graph)
    count: dict[URIRef, int] = defaultdict(int)
    for link in links:
        count[link.later] += 1
        node = URIRef(f"{link.later}/link/{count[link.later]}")
        qualified(graph, link.later, CG.continuesMandate, CG.qualifiedMandateLink, node, CG.MandateLink, link.earlier,
                  link.inferred)
        graph.add((node, CG.viaDerivation, link.derivation))
        graph.add((node, CG.derivationType, link.relation))
        graph.add((node, CG.method, Literal("clause pairing along a paragraph link: the clauses that ask a common addressee")))
        graph.add((node, CG.confidence, decimal(link.confidence, 2)))
        graph.add((node, CG.similarity, decimal(link.similarity, 4)))
        if link.kind:
            graph.add((node, CG.evidenceKind, Literal(link.kind)))
        for actor in sorted(link.common):
            graph.add((node, CG.commonAddressee, actor))
        for text in dict.fromkeys(link.evidence):
            graph.add((node, CG.evidenceText, Literal(text)))
    for proposal, adopted in taken_up(graph, links).items():
        graph.add((proposal, CG.takenUpBy, adopted))
    actors = {actor: [re.compile(str(p)) for p in graph.objects(actor, CG.namePattern)] for actor in graph.subjects(RDF.type, CG.Actor)}
    add_mandate_reports(graph, find_mandate_reports(graph, actors))  # type: ignore[arg-type]
    add_recalls(graph)
    return links


# -- reports on a mandate: stated, or shown by a report's section on its subject ------------------

_SUBMITTED = re.compile(r"(?P<what>\breport of the (?P<by>[\w ]+?)(?: on [\w ]+?)?),? submitted pursuant to (?:operative )?"
                        r"paragraph (?P<para>\d+) of resolution (?P<symbol>ICC-ASP/\d+/Res\.\d+)", re.IGNORECASE)
# A paragraph that recalls what the Assembly asked ("At its fourteenth session, the Assembly had ...
# urged the Bureau ..."): a recital of the mandate, not a report on it.
_RECITAL = re.compile(r"^(?:At its \w+ session|Operative paragraph \d+ of resolution)", re.IGNORECASE)
_COMMON_WORDS = frozenset({"cooperation", "court", "state", "states", "parties", "party", "assembly", "bureau", "with",
                           "respect", "dealing", "from", "work", "organization", "general", "findings", "background"})
MIN_SHARED_HEADING_WORDS = 2


@dataclass
class MandateReport:
    mandate: URIRef
    unit: URIRef
    inferred: bool
    words: str
    evidence: str


def find_mandate_reports(graph: Graph, lexicon_actors: dict[URIRef, list[re.Pattern[str]]]) -> list[MandateReport]:
    """Texts that report on a mandate:
    - stated: "the report of the Court on cooperation, submitted pursuant to paragraph 28 of
      resolution ICC-ASP/14/Res.3" states that the report due under that paragraph's mandate of the
      Court was submitted (the actor named before "submitted" picks the clause);
    - inferred: a section of a report whose heading shares distinctive words with a mandate the
      report's author was given at the session before; its paragraphs that do more than recite the
      mandate report on it."""
    from coopgraph.lineage.continuity import content_words, stem

    common = {stem(w) for w in _COMMON_WORDS} | _COMMON_WORDS

    def distinctive(text: str) -> set[str]:  # content words, and numbers ("66 recommendations")
        return {w for w in content_words(text) if w not in common} | set(re.findall(r"\b\d{2,}\b", text))

    facts = mandate_facts(graph)
    reports: list[MandateReport] = []
    for unit, text in sorted(graph.subject_objects(CG.text)):
        for match in _SUBMITTED.finditer(str(text)):
            paragraph = URIRef(f"{str(graph.value(predicate=DCTERMS.identifier, object=Literal(match.group('symbol'))) or '')}"
                               f"/para/{match.group('para')}")
            by = {actor for actor, patterns in lexicon_actors.items() if any(p.search(match.group("by")) for p in patterns)}
            for mandate in sorted(graph.objects(paragraph, CG.mandate)):
                if by & facts[mandate].actors:  # type: ignore[index]
                    reports.append(MandateReport(mandate, unit, False, match.group(0),  # type: ignore[arg-type]
                                                 f"“{match.group(0)}”: the text states that the report asked for was submitted"))
    for section, heading in sorted(graph.subject_objects(CG.heading)):
        if (section, RDF.type, CG.Section) not in graph:
            continue
        document = section
        while (document, RDF.type, CG.CorpusDocument) not in graph and graph.value(document, ELI.is_part_of) is not None:
            document = graph.value(document, ELI.is_part_of)  # type: ignore[assignment]
        author = graph.value(document, DCTERMS.creator)
        session = graph.value(graph.value(document, CG.session), CG.sessionNumber)
        if author is None or session is None:
            continue
        words = distinctive(str(heading))
        candidates = []
        for mandate, fact in facts.items():
            if fact.issued and fact.session == int(session) - 1 and author in fact.actors:
                shared = words & distinctive(fact.action)
                if len(shared) >= MIN_SHARED_HEADING_WORDS:
                    candidates.append((len(shared), str(mandate), mandate, shared))
        if not candidates:
            continue
        _, _, mandate, shared = max(candidates)
        for unit in sorted(graph.subjects(CG.inPart, section)):
            text = str(graph.value(unit, CG.text) or "")
            if not text or _RECITAL.search(text):
                continue
            reports.append(MandateReport(mandate, unit, True, str(heading),  # type: ignore[arg-type]
                                         f"in the report's section “{heading}”, whose heading shares the words "
                                         f"{', '.join(sorted(shared))} with the mandate; the paragraph does more than recite it"))
    return reports


def add_mandate_reports(graph: Graph, reports: list[MandateReport]) -> None:
    count: dict[URIRef, int] = defaultdict(int)
    for report in reports:
        count[report.mandate] += 1
        node = URIRef(f"{report.mandate}/report/{count[report.mandate]}")
        qualified(graph, report.mandate, CG.reportedBy, CG.qualifiedReport, node, CG.MandateReport, report.unit,
                  report.inferred)
        graph.add((node, CG.citingWords, Literal(report.words)))
        graph.add((node, CG.evidenceText, Literal(report.evidence)))


# -- recalls: a later preamble says what an earlier session asked --------------------------------

# "Recalling that at its seventh session the Assembly encouraged the Bureau to continue ..."
_RECALLED = re.compile(r"\bRecalling that at its (?P<session>\w+) session the Assembly (?P<verb>encouraged|requested|invited|"
                       r"urged|called upon|decided)\b(?P<what>[^;]*)", re.IGNORECASE)


def add_recalls(graph: Graph) -> int:
    """A preamble of an adopted resolution that recalls what a session asked an actor ("Recalling
    that at its seventh session the Assembly encouraged the Bureau to continue to work on
    cooperation ...") and an earlier mandate of that actor on the same subject: written as
    `cg:recallsMandate` with a cg:MandateRecall node (the session recalled, the words, the subject
    score). The text states what the session asked; that it is this mandate is inferred."""
    from coopgraph.lineage.continuity import Rarity as _Rarity
    from coopgraph.lineage.units import document_of
    from coopgraph.ordinals import number_of

    facts = mandate_facts(graph)
    rarity = _Rarity(text_units(graph))
    written = 0
    for unit in sorted(graph.subjects(RDF.type, CG.PreambularParagraph)):
        match = _RECALLED.search(str(graph.value(unit, CG.text) or ""))
        document = document_of(graph, unit)  # type: ignore[arg-type]
        if match is None or document is None or (document, CG.legalStatus, CG.AdoptedResolutionStatus) not in graph:
            continue
        session, what = number_of(match.group("session")), match.group("what")
        if session is None:
            continue
        for mandate, fact in sorted(facts.items()):
            names = {str(a).rsplit("/", 1)[-1].replace("-", " ") for a in fact.actors}  # "bureau"
            if fact.session is None or session <= fact.session or not any(n and n in what.lower() for n in names):
                continue
            score = float(rarity.subject_similarity(fact.action, what)[0])
            if score < SUBJECT_SIMILARITY:
                continue
            written += 1
            node = owned(unit, "recall", written)
            qualified(graph, unit, CG.recallsMandate, CG.qualifiedRecall, node, CG.MandateRecall, mandate, True)
            graph.add((node, CG.recalledSession, URIRef(f"{str(graph.value(document, CG.session)).rsplit('/', 1)[0]}/{session}")))
            graph.add((node, CG.citingWords, Literal(match.group(0).strip())))
            graph.add((node, CG.similarity, decimal(score, 4)))
            graph.add((node, CG.evidenceText, Literal(
                f"recalls: “{match.group(0).strip()}”; that it is this mandate is read from a shared subject "
                f"({score:.2f} with the mandate), not stated")))
    return written


# -- reading the stored links back ---------------------------------------------------------------

@dataclass(frozen=True)
class StoredLink:
    """A mandate link as the graph holds it."""

    later: URIRef
    earlier: URIRef
    common: frozenset[URIRef]
    relation: str  # repeats, amends, restates, buildsOn, citesUnit
    inferred: bool
    confidence: float
    evidence: tuple[str, ...]
    words: str | None  # the paragraph link's diff or evidence: what shows the two texts are versions

    @property
    def basis(self) -> str:
        return "inferred" if self.inferred else "stated"


def stored_links(graph: Graph, mandate: URIRef, direction: str) -> list[StoredLink]:
    """The links at one mandate: up, to what it carries on; down, to what carries it on."""
    nodes: list[tuple[Any, Any]]
    if direction == "up":
        nodes = [(mandate, n) for n in graph.objects(mandate, CG.qualifiedMandateLink)]
    else:
        nodes = [(later, n) for n in graph.subjects(PROV.entity, mandate) for later in graph.subjects(CG.qualifiedMandateLink, n)]
    links = []
    for later, node in nodes:
        via = graph.value(node, CG.viaDerivation)
        words = None
        if via is not None:  # the clause carried over, else the whole diff, else the evidence (as lineage shows it)
            clause = str(graph.value(via, CG.evidenceKind) or "") == "clause"
            words = (graph.value(via, CG.evidenceText) if clause else graph.value(via, CG.diff)) or graph.value(via, CG.evidenceText)
        links.append(StoredLink(
            later=later, earlier=graph.value(node, PROV.entity),  # type: ignore[arg-type]
            common=frozenset(graph.objects(node, CG.commonAddressee)),  # type: ignore[arg-type]
            relation=str(graph.value(node, CG.derivationType)).rsplit("#", 1)[-1],
            inferred=graph.value(node, CG.isInferred) != Literal(False),
            confidence=float(graph.value(node, CG.confidence) or 0),  # type: ignore[arg-type]
            evidence=tuple(sorted(str(e) for e in graph.objects(node, CG.evidenceText))),
            words=str(words) if words is not None else None,
        ))
    return sorted(links, key=lambda link: (str(link.later), str(link.earlier)))


@dataclass(frozen=True)
class ChainStep:
    mandate: URIRef
    depth: int
    actors: frozenset[URIRef]  # the addressees every link from the start to here shares
    link: StoredLink
    confidence: float  # of every link from the start to here (the product)


def mandate_chain(graph: Graph, mandate: URIRef, direction: str) -> list[ChainStep]:
    """Every mandate reached from `mandate` up (earlier versions) or down (later ones), breadth
    first, only while a common addressee remains: never through another actor's mandate."""
    start = frozenset(graph.objects(mandate, CG.mandatedActor))
    steps: list[ChainStep] = []
    seen = {mandate}
    queue = deque([(mandate, 0, start, 1.0)])
    while queue:
        current, depth, actors, above = queue.popleft()
        for link in stored_links(graph, current, direction):
            other = link.earlier if direction == "up" else link.later
            still = actors & link.common
            if other in seen or not still:
                continue
            seen.add(other)
            confidence = round(above * link.confidence, 2)
            steps.append(ChainStep(other, depth + 1, still, link, confidence))
            queue.append((other, depth + 1, still, confidence))
    return steps


@dataclass(frozen=True)
class ClauseChain:
    """One mandate clause and its own chain both ways: what `lineage` and the pages show per clause."""

    mandate: URIRef
    label: str
    addressee: str
    verb: str
    force: str
    status: str
    action: str
    up: tuple[ChainStep, ...]
    down: tuple[ChainStep, ...]


def _pref(graph: Graph, node: object) -> str:
    return str(graph.value(node, SKOS.prefLabel) or graph.value(node, RDFS.label) or str(node).rsplit("/", 1)[-1])  # type: ignore[arg-type]


def clause_chains(graph: Graph, iri: URIRef) -> list[ClauseChain]:
    """The chain of a mandate, or of each mandate clause of a unit (none for a unit without one)."""
    mandates = [iri] if (iri, RDF.type, CG.Mandate) in graph else sorted(graph.objects(iri, CG.mandate), key=str)
    return [ClauseChain(
        mandate=m, label=_pref(graph, m),  # type: ignore[arg-type]
        addressee=", ".join(sorted(_pref(graph, a) for a in graph.objects(m, CG.mandatedActor))),
        verb=_pref(graph, graph.value(m, CG.verb)), force=_pref(graph, graph.value(m, CG.normativeForce)),
        status=_pref(graph, graph.value(m, CG.mandateStatus)), action=str(graph.value(m, CG.action) or ""),
        up=tuple(mandate_chain(graph, m, "up")), down=tuple(mandate_chain(graph, m, "down")),  # type: ignore[arg-type]
    ) for m in mandates]


def clause_chains_json(graph: Graph, chains: list[ClauseChain],
                       gap: Callable[[int | None, int | None], str | None] | None = None) -> list[dict[str, object]]:
    """Plain values for JSON: each clause, and each step with the clause it reaches, its evidence and
    (with `gap`, Lineage.gap_note) the sessions the hop crosses whose texts are not in the corpus."""
    def session(m: object) -> int | None:
        number = graph.value(graph.value(m, CG.issuedAt), CG.sessionNumber)  # type: ignore[arg-type]
        return int(number) if number is not None else None

    def step(s: ChainStep, direction: str) -> dict[str, object]:
        parent = s.link.later if direction == "up" else s.link.earlier
        return {"mandate": str(s.mandate), "unit": str(graph.value(s.mandate, CG.issuedBy)), "label": _pref(graph, s.mandate),
                "depth": s.depth, "addressee": sorted(str(a) for a in s.actors), "relation": s.link.relation,
                "basis": s.link.basis, "confidence": s.confidence, "evidence": list(s.link.evidence),
                "gap": gap(session(parent), session(s.mandate)) if gap else None}
    return [{"mandate": str(c.mandate), "label": c.label, "addressee": c.addressee, "verb": c.verb, "force": c.force,
             "status": c.status, "action": c.action, "up": [step(s, "up") for s in c.up], "down": [step(s, "down") for s in c.down]}
            for c in chains]


__all__ = ["ChainStep", "ClauseChain", "clause_chains", "clause_chains_json", "MandateLink", "StoredLink", "add_mandate_links", "find_mandate_links", "mandate_chain",
           "stored_links", "taken_up", "walk"]
