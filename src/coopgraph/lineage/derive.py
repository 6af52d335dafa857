"""Find the derivation edges between units of different documents and write them, with their
evidence, into the graph.

Four kinds of evidence, strongest first:
- shared text: a unit of a later resolution repeats (verbatim) or amends (reworded) a unit of an
  earlier one; an annexed mandate list restates a paragraph of the draft it accompanies. Found by
  word alignment (rapidfuzz), one-to-one per document pair, nearest earlier document first;
- a stated reference: the unit (or its footnote) cites the earlier text or pinpoint; a report
  paragraph that cites or quotes a resolution paragraph reports on it;
- a named set: "the 66 recommendations" names the document the manifest says holds 66 of them;
- shared subject: a recommendation and a later paragraph share a distinctive run of words
  (inferred, lower confidence).
Precision over recall: an edge is written only where its evidence clears a threshold.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from difflib import SequenceMatcher

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV

from coopgraph.graph.iris import owned
from coopgraph.lineage.calibration import calibrated
from coopgraph.lineage.confidence import (
    MODEL_KINDS,
    EvidenceReader,
    kind_sentence,
    subject_confidence,
    subject_model,
    subject_sentence,
)
from coopgraph.lineage.continuity import continued_subjects
from coopgraph.lineage.record import CONTENT_KINDS, TEXT_KINDS, Derivation
from coopgraph.lineage.texts import STOPWORDS, clauses, compare, folded_words, marked_diff, word_diff, words
from coopgraph.lineage.units import TextUnit, text_units
from coopgraph.terms import CG, ELI, RDF, RDFS, decimal

# Thresholds, chosen on the hand-checked pairs (docs/lineage-alignment.md): unrelated paragraphs
# of these texts score up to 0.47 similarity; carried-over ones 0.67 and more.
AMEND_SIMILARITY = 0.6
FRAGMENT_COVERAGE = 0.8  # a shortened paragraph: most of its words, in order, come from the earlier one
FRAGMENT_MIN_WORDS = 8
RESTATE_COVERAGE = 0.65
CLAUSE_SIMILARITY = 0.65  # a clause carried into a reworded or merged paragraph
CLAUSE_MIN_WORDS = 10
QUOTE_MIN_WORDS = 8
QUOTE_COVERAGE = 0.9
SUBJECT_RUN_WORDS = 3  # a shared run of at least this many words ...
SUBJECT_CONTENT_WORDS = 3  # ... holding at least this many content words
SUBJECT_WEIGHT = 10.0  # ... whose rarity in the corpus (summed idf of its content words) is at least this


REPORT_KINDS = {"report paragraph", "sub-item"}

PROV_MAPPING = {
    CG.repeats: PROV.wasQuotedFrom,
    CG.amends: PROV.wasRevisionOf,
    CG.restates: PROV.wasDerivedFrom,
    CG.reportsOn: PROV.wasInfluencedBy,
    CG.citesUnit: PROV.wasInfluencedBy,
    CG.buildsOn: PROV.wasInfluencedBy,
}
TYPE_ORDER = [CG.repeats, CG.amends, CG.restates, CG.reportsOn, CG.citesUnit, CG.buildsOn]


# -- shared text -----------------------------------------------------------------------------

def _text_edge(earlier: TextUnit, later: TextUnit, kind: URIRef, evidence_kind: str, method: str) -> Derivation:
    """A text-alignment edge: inferred from wording (no text says where its words come from), its
    confidence calibrated for its evidence kind, its similarity kept apart as the amount of change."""
    comparison = compare(earlier.text, later.text)
    changes = word_diff(earlier.text, later.text)
    if comparison.verbatim:
        kind, evidence = (CG.repeats if kind == CG.amends else kind), [f"verbatim: the same {len(words(later.text))} words"]
        evidence_kind = "verbatim" if kind == CG.repeats else evidence_kind
    else:
        evidence = [marked_diff(earlier.text, later.text)]
    return Derivation(
        later=later.iri, earlier=earlier.iri, type=kind, confidence=calibrated(evidence_kind), method=method,
        evidence=evidence, inferred=True, similarity=comparison.similarity, coverage=comparison.coverage_of_later,
        changes=changes, diff=marked_diff(earlier.text, later.text, context=1_000_000) if changes else None,
        kind=evidence_kind,
    )


def _carried_score(earlier: TextUnit, later: TextUnit) -> tuple[float, str]:
    """How well `later` carries `earlier` over (for the matching), and the kind of evidence; 0
    when the evidence is too weak."""
    c = compare(earlier.text, later.text)
    if c.similarity >= AMEND_SIMILARITY:
        return c.similarity, "amended"
    if c.coverage_of_later >= FRAGMENT_COVERAGE and len(folded_words(later.text)) >= FRAGMENT_MIN_WORDS:
        return c.coverage_of_later * 0.9, "shortened"
    if c.coverage_of_earlier >= FRAGMENT_COVERAGE and len(folded_words(earlier.text)) >= FRAGMENT_MIN_WORDS:
        return c.coverage_of_earlier * 0.9, "expanded"  # the earlier text, in order, inside a longer one
    return 0.0, ""


def one_to_one(pairs: dict[tuple[URIRef, URIRef], float]) -> list[tuple[URIRef, URIRef, float]]:
    """The best one-to-one choice among scored (earlier, later) pairs: a maximum-weight matching."""
    graph = nx.Graph()
    for (earlier, later), score in pairs.items():
        graph.add_edge(("e", earlier), ("l", later), weight=score)
    chosen = []
    for a, b in nx.max_weight_matching(graph):
        (_, earlier), (_, later) = sorted((a, b))
        chosen.append((earlier, later, pairs[(earlier, later)]))
    return sorted(chosen, key=lambda t: (str(t[1]), str(t[0])))


def carried_over(units: list[TextUnit]) -> list[Derivation]:
    """Resolution paragraphs carried into later resolutions, nearest earlier resolution first;
    mandate lists restating the draft they accompany."""
    by_document: dict[URIRef, list[TextUnit]] = defaultdict(list)
    for unit in units:
        if unit.resolution_like and unit.session is not None:
            by_document[unit.document].append(unit)
    documents = sorted(by_document, key=lambda d: (by_document[d][0].session, str(d)))
    derivations: list[Derivation] = []
    for later_doc in documents:
        later_units = by_document[later_doc]
        session = later_units[0].session
        matched: set[URIRef] = set()
        # An annexed mandate list restates the draft resolution of the same session.
        if CG.MandateList in later_units[0].document_types:
            drafts = [u for d in documents if d != later_doc and by_document[d][0].session == session
                      and CG.DraftResolution in by_document[d][0].document_types for u in by_document[d]]
            pairs = {}
            for later in later_units:
                for earlier in drafts:
                    score = max([compare(earlier.text, later.text).coverage_of_later,
                                 *(compare(clause, later.text).similarity for clause in clauses(earlier.text))])
                    if score >= RESTATE_COVERAGE:
                        pairs[(earlier.iri, later.iri)] = score
            index = {u.iri: u for u in drafts + later_units}
            for earlier, later, score in one_to_one(pairs):
                derivations.append(_text_edge(index[earlier], index[later], CG.restates, "restated",
                                              "word alignment with the draft the list accompanies (rapidfuzz LCS)"))
                matched.add(later)
            continue
        if CG.Resolution in later_units[0].document_types:
            # An adopted resolution and the draft of its own session, from which it was negotiated:
            # aligned on their own, so that the alignment with the previous resolution stays whole.
            for draft_doc in (d for d in documents if by_document[d][0].session == session
                              and CG.DraftResolution in by_document[d][0].document_types):
                derivations += _aligned(by_document[draft_doc], later_units, set())
        earlier_docs = sorted((d for d in documents if by_document[d][0].session < session),  # type: ignore[operator]
                              key=lambda d: -by_document[d][0].session)  # type: ignore[operator]
        for earlier_doc in earlier_docs:
            derivations += _aligned(by_document[earlier_doc], later_units, matched)
    return derivations


def _aligned(earlier_units: list[TextUnit], later_units: list[TextUnit], matched: set[URIRef]) -> list[Derivation]:
    """One earlier document's paragraphs carried into a later one's, one to one, for the later
    units not yet `matched` (which this adds to): whole paragraphs first, then single clauses."""
    pairs, kinds = {}, {}
    for later in later_units:
        if later.iri in matched:
            continue
        for earlier in earlier_units:
            score, kind = _carried_score(earlier, later)
            if score:
                pairs[(earlier.iri, later.iri)], kinds[(earlier.iri, later.iri)] = score, kind
    index = {u.iri: u for u in earlier_units + later_units}
    chosen = one_to_one(pairs)
    derivations = []
    for earlier, later, _ in chosen:
        derivations.append(_text_edge(index[earlier], index[later], CG.amends, kinds[(earlier, later)],
                                      "word alignment across the corpus (rapidfuzz Indel/LCS over words)"))
        matched.add(later)
    used = {earlier for earlier, _, _ in chosen}
    derivations += _carried_clauses([u for u in later_units if u.iri not in matched],
                                    [u for u in earlier_units if u.iri not in used], matched)
    return derivations


def _carried_clauses(later_units: list[TextUnit], earlier_units: list[TextUnit], matched: set[URIRef]) -> list[Derivation]:
    """Paragraphs reworded or merged so far that only a clause survives: matched clause by clause."""
    pairs: dict[tuple[URIRef, URIRef], float] = {}
    best: dict[tuple[URIRef, URIRef], tuple[str, str]] = {}
    for later in later_units:
        for earlier in earlier_units:
            for b in clauses(later.text):
                for a in clauses(earlier.text):
                    if min(len(folded_words(a)), len(folded_words(b))) < CLAUSE_MIN_WORDS:
                        continue
                    score = compare(a, b).similarity
                    if score >= CLAUSE_SIMILARITY and score > pairs.get((earlier.iri, later.iri), 0):
                        pairs[(earlier.iri, later.iri)] = score
                        best[(earlier.iri, later.iri)] = (a, b)
    index = {u.iri: u for u in later_units + earlier_units}
    derivations = []
    for earlier, later, score in one_to_one(pairs):
        a, b = best[(earlier, later)]
        edge = _text_edge(index[earlier], index[later], CG.amends, "clause",
                          "clause alignment: one clause carried over (rapidfuzz Indel over words)")
        edge.evidence = [f"clause carried over: {marked_diff(a, b)}"]
        derivations.append(edge)
        matched.add(later)
    return derivations


# -- stated references -------------------------------------------------------------------------

_QUOTE = re.compile(r"[“\"]([^”\"]+)[”\"]")


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of `text` around [start, end)."""
    left = max(text.rfind(". ", 0, start), text.rfind("; ", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("; ", end)) if i != -1]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    return text[left + 2 if left != -1 else 0:right].strip()


def _is_resolution_paragraph(graph: Graph, node: URIRef) -> bool:
    """A numbered paragraph of a resolution, in the corpus or cited from outside it."""
    if "/para/" not in str(node):
        return False
    document = node
    while (parent := graph.value(document, ELI.is_part_of)) is not None:
        document = parent
    if (node, RDF.type, CG.Pinpoint) not in graph:
        document = graph.value(node, ELI.is_part_of) or document
        while (document, RDF.type, CG.CorpusDocument) not in graph and graph.value(document, ELI.is_part_of) is not None:
            document = graph.value(document, ELI.is_part_of)
    return any((document, RDF.type, kind) in graph for kind in (CG.Resolution, CG.DraftResolution))


def references(graph: Graph, units: list[TextUnit]) -> list[Derivation]:
    """Citation edges of the graph as lineage: the unit (or its footnote) names the earlier text."""
    index = {u.iri: u for u in units}
    derivations = []
    for citation in sorted(graph.subjects(RDF.type, CG.Citation)):
        citing = graph.value(citation, CG.citingUnit)
        target = graph.value(citation, CG.citedNode)
        words_cited = str(graph.value(citation, CG.citedText))
        via_footnote = citing not in index
        unit_iri = graph.value(citing, CG.footnoteOf) if via_footnote else citing
        if unit_iri not in index or target is None:
            continue
        unit = index[unit_iri]  # type: ignore[index]
        if str(target).startswith(str(unit.document) + "/") or target == unit.document:
            continue  # a document citing itself is not lineage
        text = str(graph.value(citing, CG.text) or "")
        start, end = int(graph.value(citation, CG.spanStart)), int(graph.value(citation, CG.spanEnd))
        where = f"footnote: {text}" if via_footnote else _sentence(text, start, end)
        if via_footnote and (defect := graph.value(citing, CG.sourceDefect)) is not None:
            where += f" (a source defect: {defect})"  # shown with the link, never followed silently
        reports = unit.is_report and unit.kind in REPORT_KINDS and _is_resolution_paragraph(graph, target)
        by = graph.value(citation, CG.identifiedBy)  # named by title or description: the text refers, the manifest identifies
        kind = f"citation by {by or 'symbol'}" + (" in a report" if reports else "")
        derivations.append(Derivation(
            later=unit.iri, earlier=target, type=CG.reportsOn if reports else CG.citesUnit,  # type: ignore[arg-type]
            confidence=calibrated(kind), kind=kind, citing_words=words_cited,
            method=("citation in a report paragraph" if reports else "citation") + (f" by {by}" if by is not None else ""),
            evidence=[f"cites '{words_cited}'" + (f" (identified by its {by}, as corpus/manifest.toml records)" if by else "")
                      + f": {where}"],
        ))
        for holder in graph.objects(target, CG.reproduces):  # the cited annex reproduces a corpus document's units
            derivations.append(Derivation(
                later=unit.iri, earlier=holder, type=CG.citesUnit, confidence=calibrated("reproduces"),  # type: ignore[arg-type]
                kind="reproduces", citing_words=words_cited,
                method="a named set: the cited annex reproduces them (corpus/manifest.toml, as the texts state)",
                evidence=[f"cites '{words_cited}', which reproduces {graph.value(holder, RDFS.label) or holder}: {where}"],
            ))
    for unit in units:
        if not unit.is_report:
            continue
        for match in _QUOTE.finditer(unit.text):
            quote = match.group(1)
            if len(folded_words(quote)) < QUOTE_MIN_WORDS:
                continue
            if unit.kind not in REPORT_KINDS:
                continue
            sources = [u for u in units if u.resolution_like and u.session is not None and unit.session is not None
                       and u.session < unit.session and compare(u.text, quote).coverage_of_later >= QUOTE_COVERAGE]
            if len(sources) == 1:
                derivations.append(Derivation(
                    later=unit.iri, earlier=sources[0].iri, type=CG.reportsOn, confidence=calibrated("quotation"),
                    kind="quotation", citing_words=f"“{quote}”",
                    method="quotation in a report paragraph", evidence=[f"quotes: “{quote}”"],
                    coverage=compare(sources[0].text, quote).coverage_of_later,
                ))
    return derivations


_NUMBER_WORDS = {"sixty-six": 66}


def named_sets(graph: Graph, units: list[TextUnit]) -> list[Derivation]:
    """'the 66 recommendations' names the document the manifest says holds 66 recommendations."""
    holders: dict[int, list[URIRef]] = defaultdict(list)
    for document, node in graph.subject_objects(CG.statedCount):
        if graph.value(node, CG.countedClass) == CG.Recommendation:
            holders[int(graph.value(node, CG["count"]))].append(document)  # type: ignore[arg-type]
    derivations = []
    pattern = re.compile(r"\b(\d+|sixty-six) recommendations\b", re.IGNORECASE)
    for unit in units:
        for match in pattern.finditer(unit.text):
            said = match.group(1).lower()
            number = int(said) if said.isdigit() else _NUMBER_WORDS[said]
            for document in holders.get(number, []):
                if document == unit.document:
                    continue
                derivations.append(Derivation(
                    later=unit.iri, earlier=document, type=CG.citesUnit, confidence=calibrated("named set"),
                    kind="named set", citing_words=match.group(0),
                    method="a named set: the manifest states which document holds that many recommendations",
                    evidence=[f"names '{match.group(0)}': {_sentence(unit.text, match.start(), match.end())}"],
                ))
                break
    return derivations


# -- shared subject (inferred) -------------------------------------------------------------------

def shared_subject(units: list[TextUnit], taken: set[URIRef]) -> list[Derivation]:
    """A recommendation and the later resolution paragraph that shares its most distinctive run of
    words: the paragraph builds on the recommendation (inferred). Only the earliest session that
    takes it up is linked; later versions follow by carry-over."""
    tokens = {u.iri: folded_words(u.text) for u in units}
    document_frequency: dict[str, int] = defaultdict(int)
    for unit in units:
        for word in set(tokens[unit.iri]):
            document_frequency[word] += 1
    idf = {word: math.log(len(units) / count) for word, count in document_frequency.items()}
    recommendations = [u for u in units if u.kind == "recommendation"]
    later = [u for u in units if u.resolution_like and u.session and u.iri not in taken]
    runs = {u.iri: _runs(tokens[u.iri]) for u in recommendations + later}  # a quick test before the exact one
    derivations = []
    for rec in recommendations:
        candidates = []
        for unit in later:
            if rec.session is None or unit.session is None or unit.session <= rec.session:
                continue
            if runs[rec.iri].isdisjoint(runs[unit.iri]):
                continue  # no run of SUBJECT_RUN_WORDS words in common, so no candidate
            run = _longest_shared(tokens[rec.iri], tokens[unit.iri])
            content = {w for w in run if w not in STOPWORDS}
            weight = sum(idf[w] for w in content)
            if len(run) >= SUBJECT_RUN_WORDS and len(content) >= SUBJECT_CONTENT_WORDS and weight >= SUBJECT_WEIGHT:
                candidates.append((unit.session, -weight, unit.position, unit, run, weight))
        if not candidates:
            continue
        _, _, _, unit, run, weight = min(candidates, key=lambda c: (c[0], c[1], c[2], str(c[3].iri)))
        derivations.append(Derivation(
            later=unit.iri, earlier=rec.iri, type=CG.buildsOn, inferred=True, kind="recommendation taken up",
            confidence=calibrated("recommendation taken up"),
            method="shared distinctive words (inferred: same subject, not a quotation)",
            evidence=[f"shares the words '{' '.join(run)}' (distinctiveness {weight:.1f})"],
            coverage=compare(rec.text, unit.text).coverage_of_later,
        ))
    return derivations


def _runs(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + SUBJECT_RUN_WORDS]) for i in range(len(tokens) - SUBJECT_RUN_WORDS + 1)}


def _longest_shared(a: list[str], b: list[str]) -> list[str]:
    """The longest run of words both hold (the earliest in `a`, then in `b`, when several are as long)."""
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return a[match.a:match.a + match.size]


# -- all of it -----------------------------------------------------------------------------------

def derive(graph: Graph) -> list[Derivation]:
    """Every derivation edge the evidence supports, in a stable order."""
    units = text_units(graph)
    derivations = carried_over(units)
    matched, used = {d.later for d in derivations}, {d.earlier for d in derivations}
    derivations += continued_subjects(graph, units, matched, used, {(d.earlier, d.later) for d in derivations})
    derivations += references(graph, units)
    derivations += named_sets(graph, units)
    derivations += shared_subject(units, matched)
    unique: dict[tuple[URIRef, URIRef, URIRef], Derivation] = {}
    for d in derivations:
        key = (d.later, d.earlier, d.type)
        if key not in unique:
            unique[key] = d
            continue
        kept = unique[key]
        strongest = d if d.confidence > kept.confidence else kept
        other = kept if strongest is d else d
        strongest.evidence = strongest.evidence + [e for e in other.evidence if e not in strongest.evidence]
        methods = list(dict.fromkeys([*strongest.method.split("; "), *other.method.split("; ")]))  # each reason once
        strongest.method = "; ".join(methods)
        unique[key] = strongest
    for d in unique.values():
        d.evidence = list(dict.fromkeys(d.evidence))  # each distinct reason once
    found = sorted(unique.values(), key=lambda d: (str(d.later), TYPE_ORDER.index(d.type), str(d.earlier)))
    mark_splits_and_merges(found, {u.iri: u for u in units})
    compare_footnotes(graph, found)
    explain_confidence(graph, units, found)
    return found


def explain_confidence(graph: Graph, units: list[TextUnit], derivations: list[Derivation]) -> None:
    """Each edge's confidence, and why in one sentence: a link by subject from its own evidence
    (coopgraph.lineage.confidence), every other from the hand checks of its kind."""
    known = {u.iri for u in units}
    reader = EvidenceReader(graph, units) if subject_model() is not None else None
    for d in derivations:
        scored = subject_confidence(reader.evidence(d.earlier, d.later)) if (
            reader is not None and d.kind in MODEL_KINDS and d.earlier in known and d.later in known) else None
        if reader is not None and scored is not None:
            d.confidence = scored
            d.confidence_basis = subject_sentence(reader.evidence(d.earlier, d.later), scored)
        else:
            d.confidence_basis = kind_sentence(d.kind or "unknown", d.confidence)




def mark_splits_and_merges(derivations: list[Derivation], units: dict[URIRef, TextUnit]) -> None:
    """A unit whose content went into two or more units of one later document was split; a unit
    that takes content from two or more units of one earlier document merges them."""
    content = [d for d in derivations if d.kind in CONTENT_KINDS and d.earlier in units and d.later in units]
    by_earlier: dict[tuple[URIRef, URIRef], list[Derivation]] = defaultdict(list)
    by_later: dict[tuple[URIRef, URIRef], list[Derivation]] = defaultdict(list)
    for d in content:
        by_earlier[(d.earlier, units[d.later].document)].append(d)
        by_later[(d.later, units[d.earlier].document)].append(d)
    for group in by_earlier.values():
        if len(group) > 1:
            for d in group:
                d.shapes.add(CG.SplitDerivation)
    for group in by_later.values():
        if len(group) > 1:
            for d in group:
                d.shapes.add(CG.MergeDerivation)


def _footnotes(graph: Graph, unit: URIRef) -> list[tuple[str, str]]:
    """(printed number, text) of the unit's footnotes, in marker order."""
    notes = sorted(graph.objects(unit, CG.footnote), key=lambda n: int(graph.value(n, CG.markerOffset) or 0))
    return [(str(graph.value(n, CG.number) or str(n).rsplit("/", 1)[-1]), str(graph.value(n, CG.text) or "")) for n in notes]


def compare_footnotes(graph: Graph, derivations: list[Derivation]) -> None:
    """Footnote texts compared between versions like paragraphs, in marker order: a changed
    'as at' date or a new reference is a change of the unit too."""
    for d in derivations:
        if d.kind not in TEXT_KINDS:
            continue  # two versions of one text, not paragraphs that only share a subject
        earlier, later = _footnotes(graph, d.earlier), _footnotes(graph, d.later)
        defect = graph.value(d.later, CG.sourceDefect) or graph.value(d.earlier, CG.sourceDefect)
        suffix = f" (a source defect: {defect})" if defect else ""
        for position in range(max(len(earlier), len(later))):  # compared marker by marker, named as printed
            number_a, a = earlier[position] if position < len(earlier) else ("", "")
            number_b, b = later[position] if position < len(later) else ("", "")
            if a == b:
                continue
            if not a:
                d.footnote_diffs.append(f"footnote {number_b} added: {b}{suffix}")
            elif not b:
                d.footnote_diffs.append(f"footnote {number_a} removed: {a}{suffix}")
            else:
                printed = number_b if number_a == number_b else f"{number_a} (now {number_b})"
                d.footnote_diffs.append(f"footnote {printed}: {marked_diff(a, b, context=1_000_000)}")


def draft_links(graph: Graph, derivations: list[Derivation]) -> set[tuple[URIRef, URIRef]]:
    """(adopted resolution, draft) pairs: the adopted text takes paragraphs, word for word or
    amended, from a draft resolution of its own session."""
    units = {u.iri: u for u in text_units(graph)}
    pairs = set()
    for d in derivations:
        later, earlier = units.get(d.later), units.get(d.earlier)
        if (later is not None and earlier is not None and d.kind in CONTENT_KINDS and later.session == earlier.session
                and CG.Resolution in later.document_types and CG.DraftResolution in earlier.document_types):
            pairs.add((later.document, earlier.document))
    return pairs


def add_derivations(graph: Graph, derivations: list[Derivation]) -> None:
    """Write the edges and their qualified evidence nodes into the graph."""
    for adopted, draft in sorted(draft_links(graph, derivations)):
        graph.add((adopted, CG.adoptedFrom, draft))
        graph.add((adopted, PROV.wasRevisionOf, draft))
    count: dict[URIRef, int] = defaultdict(int)
    for d in derivations:
        count[d.later] += 1
        node = owned(d.later, "derivation", count[d.later])
        graph.add((d.later, d.type, d.earlier))
        graph.add((d.later, PROV_MAPPING[d.type], d.earlier))
        graph.add((d.later, CG.qualifiedDerivation, node))
        graph.add((node, RDF.type, CG.Derivation))
        graph.add((node, PROV.entity, d.earlier))
        graph.add((node, CG.derivationType, d.type))
        graph.add((node, CG.confidence, decimal(d.confidence, 2)))
        if d.confidence_basis:
            graph.add((node, CG.confidenceBasis, Literal(d.confidence_basis)))
        graph.add((node, CG.method, Literal(d.method)))
        graph.add((node, CG.isInferred, Literal(d.inferred)))
        if d.kind:
            graph.add((node, CG.evidenceKind, Literal(d.kind)))
        if d.citing_words:
            graph.add((node, CG.citingWords, Literal(d.citing_words)))
        for shape in sorted(d.shapes):
            graph.add((node, RDF.type, shape))
        for text in d.footnote_diffs:
            graph.add((node, CG.footnoteDiff, Literal(text)))
        for text in d.evidence:
            graph.add((node, CG.evidenceText, Literal(text)))
        if d.similarity is not None:
            graph.add((node, CG.similarity, decimal(d.similarity, 4)))
        if d.coverage is not None:
            graph.add((node, CG.coverage, decimal(d.coverage, 4)))
        if d.diff:
            graph.add((node, CG.diff, Literal(d.diff)))
        for change in d.changes:
            if change.deleted:
                graph.add((node, CG.deletedWords, Literal(change.deleted)))
            if change.inserted:
                graph.add((node, CG.insertedWords, Literal(change.inserted)))
