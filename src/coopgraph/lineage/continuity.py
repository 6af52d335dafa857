"""Paragraphs that carry a subject on across sessions when their words no longer align: the
resolutions of the sessions between are missing, so a paragraph of 2015 may be the fifth
rewording of one of 2009. Two kinds of evidence, both inferred and marked so:

- shared subject: the two paragraphs share their most distinctive content words (weighted by
  rarity in the corpus), and each is the other's best match;
- a shared pinpoint: both paragraphs cite the same annex or paragraph of a third text (such as
  "annex II" of the 2007 resolution), and no other paragraph of either document does.

Only paragraphs that word alignment left unmatched are considered, one-to-one per document pair.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from rdflib import Graph, URIRef

from coopgraph.lineage.calibration import calibrated
from coopgraph.lineage.record import Derivation
from coopgraph.lineage.texts import STOPWORDS, clauses, compare, folded_words
from coopgraph.lineage.units import TextUnit
from coopgraph.terms import CG, ELI, RDF, RDFS

# Tuned on the 2009 -> 2015 pair only (tests/data/alignment-8-res2-to-14-res3.toml); the other
# hand-checked pairs are held out (docs/lineage-alignment.md). Unrelated paragraphs of 2009 and
# 2015 that are each other's best match score up to 0.21; the continued ones 0.24 and more.
SUBJECT_SIMILARITY = 0.23
MIN_CONTENT_WORDS = 3
# The other part of a split or merge scores at least this share of the part already linked.
PART_RATIO = 0.9

# Words that say nothing about a paragraph's subject in this corpus.
_FUNCTION_WORDS = STOPWORDS | {"inter", "alia", "including", "well", "further"}
# The verbs of the resolution formula: they say how the Assembly speaks, not of what.
_FORMULA_VERBS = frozenset("""note notes noting takes recalls recalling welcomes welcoming emphasizes emphasizing
stresses stressing underlines acknowledges recognizes recognizing reaffirms reaffirming expresses appreciates
commends notes encourages invites urges requests calls upon decides endorses appeals""".split())
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ed", "es", "s")


def stem(word: str) -> str:
    """A crude English stem, enough to meet 'relocation' and 'relocations', 'encourages' and 'encouraging'."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=65_536)
def content_words(text: str) -> frozenset[str]:
    words = (w for w in folded_words(text) if w.isalpha() and len(w) > 2 and w not in _FUNCTION_WORDS and w not in _FORMULA_VERBS)
    return frozenset(s for s in map(stem, words) if s not in _FUNCTION_WORDS)


class Rarity:
    """Inverse document frequency of content words over every unit of the corpus."""

    def __init__(self, units: Iterable[TextUnit]):
        counts: dict[str, int] = defaultdict(int)
        total = 0
        for unit in units:
            total += 1
            for word in content_words(unit.text):
                counts[word] += 1
        self.idf = {word: math.log(total / count) for word, count in counts.items()}

    def weighted_dice(self, a: frozenset[str], b: frozenset[str]) -> float:
        """Shared words' weight over both texts' weight: 1 when the same rare words, 0 when none."""
        total = sum(self.idf.get(w, 0.0) for w in a) + sum(self.idf.get(w, 0.0) for w in b)
        return 2 * sum(self.idf.get(w, 0.0) for w in a & b) / total if total else 0.0

    def subject_similarity(self, earlier: str, later: str) -> tuple[float, str, str]:
        """The best of the whole paragraphs and of any two clauses, with the texts that scored it."""
        best = (self.weighted_dice(content_words(earlier), content_words(later)), earlier, later)
        for a in clauses(earlier):
            for b in clauses(later):
                wa, wb = content_words(a), content_words(b)
                if min(len(wa), len(wb)) < MIN_CONTENT_WORDS:
                    continue
                score = self.weighted_dice(wa, wb)
                if score > best[0]:
                    best = (score, a, b)
        return best


def _pinpoints(graph: Graph, units: list[TextUnit]) -> dict[URIRef, set[URIRef]]:
    """The pinpoints (annexes, paragraphs of other texts) each unit cites, itself or in its footnotes."""
    index = {u.iri for u in units}
    cited: dict[URIRef, set[URIRef]] = defaultdict(set)
    for citation in graph.subjects(RDF.type, CG.Citation):
        citing = graph.value(citation, CG.citingUnit)
        target = graph.value(citation, CG.citedNode)
        unit = citing if citing in index else graph.value(citing, CG.footnoteOf)
        if unit in index and target is not None and graph.value(target, ELI.is_part_of) is not None:
            cited[unit].add(target)  # type: ignore[index]
    return cited


def continued_subjects(graph: Graph, units: list[TextUnit], matched: set[URIRef], used: set[URIRef],
                       text_links: set[tuple[URIRef, URIRef]]) -> list[Derivation]:
    """Inferred links between paragraphs of different sessions that word alignment left unmatched:
    `matched` holds the later units that already have a text edge, `used` the earlier ones. First
    shared pinpoints, then mutual best matches by subject, then the rest of a split or a merge: an
    unmatched paragraph whose best match is already linked in the same pair of documents."""
    rarity = Rarity(units)
    pinpoints = _pinpoints(graph, units)
    paragraphs = [u for u in units if u.session is not None and (  # resolutions, drafts and proposed language
        (u.resolution_like and u.kind in {"preambular paragraph", "operative paragraph", "sub-item"})
        or u.kind == "operative paragraph")]
    by_document: dict[URIRef, list[TextUnit]] = defaultdict(list)
    for unit in paragraphs:
        by_document[unit.document].append(unit)
    later_docs = [d for d, us in by_document.items() if us[0].resolution_like and CG.MandateList not in us[0].document_types]
    derivations: list[Derivation] = []
    for later_doc in sorted(later_docs, key=str):
        session = by_document[later_doc][0].session
        earlier_docs = sorted((d for d in by_document if by_document[d][0].session < session),  # type: ignore[operator]
                              key=lambda d: -by_document[d][0].session)  # type: ignore[operator]
        for earlier_doc in earlier_docs[:1]:  # the nearest earlier text only: the chain goes on from there
            derivations += _pair(graph, rarity, pinpoints, by_document[earlier_doc], by_document[later_doc], matched, used,
                                 text_links)
    return derivations


def _pair(graph: Graph, rarity: Rarity, pinpoints: dict[URIRef, set[URIRef]], earlier_all: list[TextUnit],
          later_all: list[TextUnit], matched: set[URIRef], used: set[URIRef],
          text_links: set[tuple[URIRef, URIRef]]) -> list[Derivation]:
    earlier_units = [u for u in earlier_all if u.iri not in used]
    later_units = [u for u in later_all if u.iri not in matched]
    index = {u.iri: u for u in earlier_all + later_all}
    found: list[Derivation] = []

    def link(e: URIRef, lu: URIRef, kind: str, evidence: list[str]) -> None:
        found.append(Derivation(
            later=lu, earlier=e, type=CG.buildsOn, inferred=True, kind=kind, confidence=calibrated(kind),
            method="same subject across sessions (inferred from shared distinctive words or a shared pinpoint)",
            evidence=evidence, similarity=compare(index[e].text, index[lu].text).similarity,
            coverage=compare(index[e].text, index[lu].text).coverage_of_later,
        ))

    for (e, lu), target in sorted(_shared_pinpoints(pinpoints, earlier_units, later_units).items()):
        link(e, lu, "shared pinpoint", [f"both cite {graph.value(target, RDFS.label) or target}, and no other "
                                       "paragraph of either text does"])
        matched.add(lu)
        used.add(e)
    scores = {(e.iri, lu.iri): rarity.subject_similarity(e.text, lu.text) for e in earlier_all for lu in later_all}

    def evidence(e: URIRef, lu: URIRef, how: str) -> list[str]:
        score, a, b = scores[(e, lu)]
        words = sorted(content_words(a) & content_words(b), key=lambda w: (-rarity.idf.get(w, 0.0), w))
        return [f"shares the distinctive words {', '.join(words[:8])} (weighted overlap {score:.2f}; {how})"]

    def best(unit: URIRef, others: list[URIRef], earlier_side: bool) -> tuple[float, URIRef | None]:
        ranked = [(scores[(unit, o) if earlier_side else (o, unit)][0], o) for o in others]
        return max(ranked, key=lambda t: (t[0], str(t[1])), default=(0.0, None))

    free_e = [u.iri for u in earlier_units if u.iri not in used]
    free_l = [u.iri for u in later_units if u.iri not in matched]
    mutual = []
    for lu in free_l:
        score, e = best(lu, free_e, earlier_side=False)
        if e is not None and score >= SUBJECT_SIMILARITY and best(e, free_l, earlier_side=True)[1] == lu:
            mutual.append((e, lu))
    pair_links = {(e, lu) for e, lu in text_links if e in index and lu in index}
    for e, lu in mutual:
        link(e, lu, "shared subject", evidence(e, lu, "each is the other's best match"))
        matched.add(lu)
        used.add(e)
        pair_links.add((e, lu))
    # The rest of a split or a merge: a paragraph left over whose best match is linked already.
    linked_l = {lu for _, lu in pair_links}
    linked_e = {e for e, _ in pair_links}
    all_e, all_l = [u.iri for u in earlier_all], [u.iri for u in later_all]

    def other_part(unit: URIRef, earlier_side: bool) -> URIRef | None:
        """The linked paragraph a leftover one is the other part of (a merge, seen from the earlier
        side; a split, from the later), when it scores near the part already linked."""
        others, linked_others, rivals = ((all_l, linked_l, [x for x in all_e if x not in linked_e]) if earlier_side
                                         else (all_e, linked_e, [x for x in all_l if x not in linked_l]))
        score, other = best(unit, others, earlier_side)
        if other not in linked_others or score < SUBJECT_SIMILARITY or best(other, rivals, not earlier_side)[1] != unit:
            return None
        already = max(scores[(x, y)][0] for x, y in pair_links if (y if earlier_side else x) == other)
        return other if score >= PART_RATIO * already else None

    for e in [x for x in all_e if x not in used]:
        if (lu := other_part(e, earlier_side=True)) is not None:
            link(e, lu, "merged subject", evidence(e, lu, "merged: this paragraph's best match already continues another"))
            used.add(e)
    for lu in [x for x in all_l if x not in matched]:
        if (e := other_part(lu, earlier_side=False)) is not None:
            link(e, lu, "split subject", evidence(e, lu, "split: this paragraph's best match already continues in another"))
            matched.add(lu)
    return found


def _shared_pinpoints(pinpoints: dict[URIRef, set[URIRef]], earlier: list[TextUnit],
                      later: list[TextUnit]) -> dict[tuple[URIRef, URIRef], URIRef]:
    """(earlier, later) pairs that alone in their documents cite the same pinpoint."""
    found = {}
    for target in {t for u in earlier + later for t in pinpoints.get(u.iri, ())}:
        if re.search(r"/(annex|para|article)/", str(target)) is None:
            continue
        citing_earlier = [u.iri for u in earlier if target in pinpoints.get(u.iri, ())]
        citing_later = [u.iri for u in later if target in pinpoints.get(u.iri, ())]
        if len(citing_earlier) == 1 and len(citing_later) == 1:
            found[(citing_earlier[0], citing_later[0])] = target
    return found
