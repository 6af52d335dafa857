"""What a unit's words say: its operative verbs, the mandates it gives, its topics.

Each finder returns plain data with the exact words that justify it, so the graph can
show a reader why.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from coopgraph.graph.lexicon import Actor, Lexicon, Topic, Verb
from coopgraph.ordinals import ORDINALS as ORDINAL_WORDS

ORDINALS = {word: number for number, word in enumerate(ORDINAL_WORDS, start=1)}  # one table: coopgraph.ordinals
_ORDINAL_SESSION = re.compile(r"\b(" + "|".join(sorted(ORDINALS, key=len, reverse=True)) + r") session\b")
_RELATIVE_SESSION = re.compile(r"\bnext (?:regular )?session\b")
_REVIEW_CONFERENCE = re.compile(r"\bReview Conference\b")
_RECURRENCE = re.compile(r"\bannually thereafter\b|\bevery year\b")
_RELATIVE_CLAUSE = re.compile(r"\b(?:that|which|who|in which|on which)\b")
_PASSIVE_AGENT = re.compile(r"\s*that\b[^;:]*?\bbe\s+\w+(?:\s+\w+)?\b[^;:]*?\bby\s+((?:such\s+|the\s+)?[\w -]+)")
_INCLUDING = re.compile(r",?\s+(?:including|in particular|notably)\b")
_TERM = re.compile(r"\bfor a (?:further )?period of [\w-]+ (?:years?|months?)\b|\bfor (?:one|two|three|four|five) years?\b")
_TO = re.compile(r"\bto\s+(?:the\s+)?")
_BEFORE = re.compile(r"\b(?:in advance of|before|prior to|ahead of|no later than)\s+(?:(?:the|its)\s+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class VerbUse:
    verb: Verb
    words: str
    start: int


@dataclass(frozen=True)
class DueSession:
    """A session a clause names for the mandate, with the relation the words give it."""

    key: str  # ASP/16, RC/2010
    words: str  # as printed: "sixteenth session", "next regular session"
    before: bool  # "well in advance of", "before", "prior to": due before the session, not at it
    inferred: bool  # the session is counted from the issuing one ("next regular session"), not printed
    recipient: Actor | None = None  # to whom the delivery goes: "to the Bureau in advance of ..."
    recipient_words: str | None = None


@dataclass
class MandateFinding:
    verb: Verb
    actors: list[Actor]
    action: str
    due_sessions: list[DueSession] = field(default_factory=list)
    recurrence: str | None = None
    term: str | None = None  # "for a period of two years"


def find_verbs(text: str, lexicon: Lexicon) -> list[VerbUse]:
    """Verbs at clause starts (text start, after ',', ';', 'and', 'also'): the operative verbs."""
    forms = sorted(((form, verb) for verb in lexicon.verbs for form in verb.forms), key=lambda fv: -len(fv[0]))
    alternatives = "|".join(re.escape(form) for form, _ in forms)
    pattern = re.compile(rf"(?:^|(?<=[,;:] )|(?<=\band )|(?<=\balso ))({alternatives})\b", re.IGNORECASE)
    by_form = {form.lower(): verb for form, verb in forms}
    uses = []
    for match in pattern.finditer(text):
        words = match.group(1)
        uses.append(VerbUse(by_form[words.lower()], words, match.start(1)))
    return uses


def _actors_in(segment: str, lexicon: Lexicon) -> list[Actor]:
    """Actors named in a segment, longest names first, without overlaps, in text order."""
    taken: list[tuple[int, int, Actor]] = []
    candidates = []
    for actor in lexicon.actors:
        for pattern in actor.patterns:
            for match in pattern.finditer(segment):
                candidates.append((match.start(), match.end(), actor))
    for start, end, actor in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0])):
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, actor))
    seen: list[Actor] = []
    for _, _, actor in sorted(taken, key=lambda t: t[0]):
        if actor not in seen:
            seen.append(actor)
    return seen


def _addressees(after: str, verb: Verb, lexicon: Lexicon) -> list[Actor]:
    """Who a mandating verb asks, as the clause states it:
    - "requests the Bureau to ...": the actors between the verb and 'to';
    - "decides to ...": the Assembly itself, for a verb with which the Assembly binds itself;
    - "recommends that ... the following issues be dealt with ... by such facilitation": the agent
      of the passive clause."""
    if passive := _PASSIVE_AGENT.match(after):
        return _actors_in(passive.group(1), lexicon)
    to = re.search(r"\bto\b", after[1:] if after.startswith(" to ") else after)
    if not to:
        return []
    addressee = (after[1:] if after.startswith(" to ") else after)[: to.start()]
    if not addressee.strip() and verb.binds_assembly:
        return [actor for actor in lexicon.actors if str(actor.iri).endswith("/actor/assembly")]
    addressee = _RELATIVE_CLAUSE.split(addressee)[0]
    # "all stakeholders, including civil society organizations": the group is asked, the rest are examples
    group = _INCLUDING.split(addressee)[0]
    return _actors_in(group, lexicon) or _actors_in(addressee, lexicon)


def find_mandates(text: str, uses: list[VerbUse], lexicon: Lexicon, issuing_session: int | None) -> list[MandateFinding]:
    """Each mandating verb followed by an addressee and 'to ...' is a mandate."""
    findings = []
    for index, use in enumerate(uses):
        if not use.verb.gives_mandate:
            continue
        end = uses[index + 1].start if index + 1 < len(uses) else len(text)
        clause = text[use.start : end].rstrip(" ,;").removesuffix(" and").removesuffix(", and").rstrip(" ,;")
        after = clause[len(use.words) :]
        actors = _addressees(after, use.verb, lexicon)
        if not actors:
            continue
        finding = MandateFinding(use.verb, actors, clause)

        def due(key: str, match: re.Match[str], inferred: bool = False) -> DueSession:
            before = bool(_BEFORE.search(clause, 0, match.start()))
            recipient, words = _recipient(clause, match, lexicon)
            return DueSession(key, match.group(0), before, inferred, recipient, words)

        for match in _ORDINAL_SESSION.finditer(clause):
            number = ORDINALS[match.group(1)]
            if issuing_session is None or number >= issuing_session:
                finding.due_sessions.append(due(f"ASP/{number}", match))
        for match in _REVIEW_CONFERENCE.finditer(clause):
            finding.due_sessions.append(due("RC/2010", match))
        if issuing_session is not None:
            for match in _RELATIVE_SESSION.finditer(clause):
                finding.due_sessions.append(due(f"ASP/{issuing_session + 1}", match, inferred=True))
        finding.due_sessions.sort(key=lambda d: clause.find(d.words))
        if match := _RECURRENCE.search(clause):
            finding.recurrence = match.group(0)
        if match := _TERM.search(clause):
            finding.term = match.group(0)
        findings.append(finding)
    return findings


_SESSION_WORDS = re.compile("|".join(p.pattern for p in (_ORDINAL_SESSION, _RELATIVE_SESSION, _REVIEW_CONFERENCE)))


def _recipient(clause: str, due: re.Match[str], lexicon: Lexicon) -> tuple[Actor | None, str | None]:
    """To whom a delivery goes: the actor of the last "to (the) X" between the previous deadline
    and this one ("to the Bureau in advance of the Review Conference and to the Assembly at its
    tenth session"), else one right after the session's words ("to the fifteenth session of the
    Assembly"). None where the clause names no recipient."""
    start = 0
    for other in _SESSION_WORDS.finditer(clause, 0, due.start()):
        start = other.end()
    found: tuple[Actor | None, str | None] = (None, None)
    for to in _TO.finditer(clause, start, due.start()):
        for actor in lexicon.actors:
            for pattern in actor.patterns:
                named = pattern.match(clause, to.end())
                if named:
                    found = (actor, clause[to.start():named.end()])
    if found[0] is None:
        after = re.match(r"\s+of\s+(?:the\s+)?", clause[due.end():])
        if after:
            at = due.end() + after.end()
            for actor in lexicon.actors:
                for pattern in actor.patterns:
                    if named := pattern.match(clause, at):
                        return actor, clause[due.end():named.end()].strip()
    return found


@functools.cache
def _keyword(keyword: str) -> re.Pattern[str]:
    """A keyword's pattern, compiled once: there are more keywords than re's own cache holds."""
    return re.compile(rf"\b{re.escape(keyword.lower())}")


def find_topics(text: str, lexicon: Lexicon) -> list[tuple[Topic, list[str]]]:
    """Topics whose keywords occur in the text, with the keywords found."""
    found = []
    lowered = text.lower()
    for topic in lexicon.topics:
        # the plain substring test first: most keywords are absent, and it is far cheaper than the pattern
        words = sorted({k for k in topic.keywords if k.lower() in lowered and _keyword(k).search(lowered)})
        if words:
            found.append((topic, words))
    return found


def find_addressees(text: str, lexicon: Lexicon) -> list[Actor]:
    """The subject of a recommendation: the actors named before 'should', 'could' or 'may'."""
    match = re.search(r"\b(?:should|could|may)\b", text)
    if not match:
        return []
    return _actors_in(text[: match.start()], lexicon)
