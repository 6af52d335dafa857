"""Parsed documents -> one RDF graph: documents, units, footnotes, verbs, mandates, citations, topics."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from coopgraph.corpus.manifest import DocumentEntry, ExternalEntry, Manifest
from coopgraph.corpus.records import ParsedDocument, Unit
from coopgraph.errors import ManifestError
from coopgraph.graph.analysis import ORDINALS, find_addressees, find_mandates, find_topics, find_verbs
from coopgraph.graph.citations import ROME_STATUTE, Reference, find_references
from coopgraph.graph.iris import Iris, owned
from coopgraph.graph.lexicon import Lexicon
from coopgraph.terms import CG, DCTERMS, ELI, RDF, RDFS, bind_prefixes

UNIT_CLASSES = {
    "preamble": CG.PreambularParagraph,
    "operative": CG.OperativeParagraph,
    "clause": CG.OperativeParagraph,
    "item": CG.SubItem,
    "report-paragraph": CG.ReportParagraph,
    "recommendation": CG.Recommendation,
    "mandate-item": CG.MandateItem,
    "list-item": CG.ListItem,
    "footnote": CG.Footnote,
    "annex": CG.Annex,
    "part": CG.Part,
    "section": CG.Section,
    "key-area": CG.KeyArea,
    "flyer-section": CG.FlyerSection,
    "flyer-title": CG.FlyerSection,
    "flyer-colophon": CG.FlyerSection,
}
DOCUMENT_CLASSES = {
    "resolution": CG.Resolution,
    "draft-resolution": CG.DraftResolution,
    "mandate-list": CG.MandateList,
    "proposed-language": CG.ProposedLanguage,
    "report": CG.Report,
    "flyer": CG.Flyer,
    "treaty": CG.Treaty,
}
# What each kind of text is in law (ontology: cg:LegalStatusScheme); a resolution counts as
# adopted only when the manifest records the adoption its text states.
LEGAL_STATUS = {
    "draft-resolution": CG.DraftResolutionStatus,
    "mandate-list": CG.ProposedLanguageStatus,
    "proposed-language": CG.ProposedLanguageStatus,
    "report": CG.ReportStatus,
    "flyer": CG.InformationMaterialStatus,
}
VERB_KINDS = {"preamble", "operative", "clause", "item", "mandate-item"}
MANDATE_KINDS = {"operative", "clause", "mandate-item"}
ADDRESSEE_GROUPS = {
    "Recommendations to the Court": ("court",),
    "Recommendations to States Parties": ("states-parties",),
    "Recommendations to States Parties and the Court": ("states-parties", "court"),
}
_PIN_WORDS = {
    "para": "para. {}",
    "rec": "recommendation {}",
    "preamble": "preambular paragraph {}",
    "footnote": "footnote {}",
    "annex": "annex {}",
    "part": "part {}",
    "section": "section {}",
    "area": "key area {}",
    "clause": "clause {}",
    "article": "article {}",
    "mandate": "mandate {}",
}
ORDINAL_WORDS = {number: word for word, number in ORDINALS.items()}


def pinpoint_label(path: tuple[str, ...]) -> str:
    """("para", "16", "item", "a") -> "para. 16 (a)"; ("annex", "I", "para", "32") -> "annex I, para. 32"."""
    parts: list[str] = []
    index = 0
    while index < len(path):
        kind = path[index]
        value = path[index + 1] if index + 1 < len(path) else ""
        if kind == "item":
            text = f"({value})"
            if parts:
                parts[-1] += f" {text}" if re.search(r"\d$", parts[-1]) else f", item {text}"
            else:
                parts.append(f"item {text}")
            index += 2
            continue
        if kind in {"title", "colophon", "appendix"}:
            parts.append(kind)
            index += 1
            continue
        parts.append(_PIN_WORDS.get(kind, kind + " {}").format(value))
        index += 2
    return ", ".join(parts)


STRUCTURAL_KINDS = {"part", "section"}


def numbering_scope(document: ParsedDocument, unit: Unit) -> tuple[str, ...]:
    """The parent a unit is numbered within: parts and sections are skipped, since a report
    numbers its paragraphs across them; they stay reachable by cg:inPart."""
    parent = unit.parent
    if unit.kind in STRUCTURAL_KINDS:
        return parent
    while len(parent) >= 2 and parent[-2] in STRUCTURAL_KINDS:
        parent = document.unit(*parent).parent
    return parent


class GraphBuilder:
    """Builds the graph for one manifest and its parsed documents; one instance per build."""

    def __init__(self, manifest: Manifest, documents: list[ParsedDocument], lexicon: Lexicon, base: str):
        self.manifest = manifest
        self.documents = documents
        self.lexicon = lexicon
        self.iris = Iris(base)
        self.graph = bind_prefixes(Graph())
        self.graph.bind("coopgraph", base)
        self.entries = {entry.id: entry for entry in manifest.documents}
        self.externals = {entry.id: entry for entry in manifest.externals}
        self.unit_iris: set[URIRef] = set()
        self.actor_iris = {actor.iri for actor in lexicon.actors}
        # the words by which texts name a document without its symbol, longest first
        entries: list[DocumentEntry | ExternalEntry] = [*manifest.documents, *manifest.externals]
        self.named_as = tuple(sorted(((n.words, entry.id, n.by) for entry in entries for n in entry.named_as),
                                     key=lambda n: -len(n[0])))

    # -- small helpers -------------------------------------------------------------
    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.graph.add((s, p, o))

    def text(self, s: URIRef, p: URIRef, value: str) -> None:
        self.add(s, p, Literal(value, lang="en"))

    def integer(self, s: URIRef, p: URIRef, value: int) -> None:
        self.add(s, p, Literal(value, datatype=XSD.integer))

    # -- the build ------------------------------------------------------------------
    def build(self) -> Graph:
        self.graph += self.lexicon.graph
        for actor in self.lexicon.actors:  # labelled as every other node is, for the tools that read rdfs:label
            self.text(actor.iri, RDFS.label, actor.label)
        self.add_sessions()
        for document in self.documents:
            self.unit_iris.update(self.iris.unit(document.doc_id, unit.path) for unit in document.units)
        for document in self.documents:
            entry = self.entries[document.doc_id]
            self.add_document(entry, document)
            for unit in document.units:
                self.add_unit(entry, document, unit)
            self.add_citations(entry, document)
            self.flag_contradicting_footnotes(entry, document)
        for external in self.manifest.externals:
            self.add_external(external.id)
        return self.graph

    def add_sessions(self) -> None:
        facts = {s.key: s for s in self.manifest.sessions}
        # every session up to the latest any text of the corpus belongs to or names (not a fixed range)
        latest = max([16, *(e.session or 0 for e in self.manifest.documents), *(e.session or 0 for e in self.manifest.externals),
                      *(a.session or 0 for e in self.manifest.documents for a in e.annexes)])
        for number in range(1, latest + 1):
            self.add_session(number)
        review = self.iris.session("RC/2010")
        self.add(review, RDF.type, CG.Session)
        self.text(review, RDFS.label, "Review Conference of the Rome Statute")
        for key, fact in facts.items():
            iri = self.iris.session(key)
            if fact.place:
                self.add(iri, URIRef("https://schema.org/location"), Literal(fact.place))
            if fact.dates:
                self.add(iri, DCTERMS.temporal, Literal(fact.dates))
            if fact.stated_in:
                self.add(iri, CG.statedIn, Literal(fact.stated_in))

    def add_session(self, number: int) -> URIRef:
        iri = self.iris.asp_session(number)
        if (iri, RDF.type, CG.Session) not in self.graph:
            self.add(iri, RDF.type, CG.Session)
            self.integer(iri, CG.sessionNumber, number)
            word = ORDINAL_WORDS.get(number)
            self.text(iri, RDFS.label, f"Assembly of States Parties, {word} session" if word else f"Assembly of States Parties, session {number}")
        return iri

    def doc_label(self, entry: DocumentEntry) -> str:
        return entry.label

    def add_document(self, entry: DocumentEntry, document: ParsedDocument) -> None:
        iri = self.iris.doc(entry.id)
        source = self.iris.source(entry.file)
        self.add(iri, RDF.type, CG.CorpusDocument)
        self.add(iri, RDF.type, DOCUMENT_CLASSES[entry.type])
        self.text(iri, DCTERMS.title, entry.title)
        self.text(iri, RDFS.label, self.doc_label(entry))
        self.add(iri, DCTERMS.identifier, Literal(entry.id))
        if entry.symbol:
            self.add(iri, ELI.id_local, Literal(entry.symbol))
        if entry.session:
            self.add(iri, CG.session, self.iris.asp_session(entry.session))
        if entry.date:
            self.add(iri, DCTERMS.date, Literal(entry.date, datatype=XSD.date))
            self.add(iri, ELI.date_document, Literal(entry.date, datatype=XSD.date))
        if entry.adopted:
            self.add(iri, CG.adoptedAtMeeting, Literal(entry.adopted["meeting"]))
            self.add(iri, CG.adoptionMethod, Literal(entry.adopted["method"]))
            self.add(iri, DCTERMS.dateAccepted, Literal(entry.adopted["date"], datatype=XSD.date))
        if entry.publisher:
            self.add(iri, DCTERMS.publisher, self.iris.actor("court"))
        if entry.type == "report" and (author := re.match(r"Report of the (.+?)(?: on |$)", entry.title)):
            for actor in self.lexicon.actors:  # the author its title names: "Report of the Bureau on cooperation"
                if any(pattern.fullmatch(author.group(1)) for pattern in actor.patterns):
                    self.add(iri, DCTERMS.creator, actor.iri)
        if entry.stated_in:
            self.add(iri, CG.statedIn, Literal(entry.stated_in))
        for count in entry.counts:
            if count.unit not in UNIT_CLASSES:
                raise ManifestError(f"manifest: document {entry.id!r}: count of unknown unit kind {count.unit!r}; "
                                    f"use one of {sorted(UNIT_CLASSES)}")
            node = owned(iri, "count", count.unit)
            self.add(iri, CG.statedCount, node)
            self.add(node, RDF.type, CG.StatedCount)
            self.add(node, CG.countedClass, UNIT_CLASSES[count.unit])
            self.integer(node, CG["count"], count.value)
            self.add(node, CG.statedIn, Literal(count.stated_in))
        self.add(iri, CG.sourceFile, source)
        self.add(source, RDF.type, CG.SourceFile)
        self.add(source, RDFS.label, Literal(entry.file))
        self.add(iri, CG.legalStatus, legal_status(entry.type, bool(entry.adopted)))
        for annex in entry.annexes:
            annex_iri = self.iris.unit(entry.id, ("annex", annex.number))
            self.add(annex_iri, RDF.type, DOCUMENT_CLASSES[annex.type])
            self.add(annex_iri, RDF.type, CG.CorpusDocument)
            self.add(annex_iri, CG.legalStatus, legal_status(annex.type, False))
            self.text(annex_iri, DCTERMS.title, annex.title)
            if annex.session:
                self.add(annex_iri, CG.session, self.iris.asp_session(annex.session))

    def issues(self, entry: DocumentEntry, unit: Unit) -> bool:
        """Whether the unit's clauses issue mandates: only an adopted resolution's do, and not
        those of an annex the manifest lists as a text of its own (a draft, a list of proposals)."""
        if any(unit.path[:2] == ("annex", annex.number) for annex in entry.annexes):
            return False
        return legal_status(entry.type, bool(entry.adopted)) == CG.AdoptedResolutionStatus

    def session_of(self, entry: DocumentEntry, unit: Unit) -> int | None:
        for annex in entry.annexes:
            if unit.path[:2] == ("annex", annex.number) and annex.session:
                return annex.session
        return entry.session

    def add_unit(self, entry: DocumentEntry, document: ParsedDocument, unit: Unit) -> None:
        iri = self.iris.unit(entry.id, unit.path)
        self.add(iri, RDF.type, UNIT_CLASSES[unit.kind])
        self.text(iri, RDFS.label, f"{self.doc_label(entry)}, {pinpoint_label(unit.path)}")
        scope = numbering_scope(document, unit)
        self.add(iri, ELI.is_part_of, self.iris.unit(entry.id, scope))
        if scope != unit.parent:
            self.add(iri, CG.inPart, self.iris.unit(entry.id, unit.parent))
        if unit.text:
            self.text(iri, CG.text, unit.text)
        if unit.heading:
            self.text(iri, CG.heading, unit.heading)
        if unit.number:
            self.add(iri, CG.number, Literal(unit.number))
        if unit.position is not None:
            self.integer(iri, CG.position, unit.position)
        if unit.attrs.get("placeholder"):
            self.add(iri, CG.isPlaceholder, Literal(True))
        for defect in unit.defects:
            self.add(iri, CG.sourceDefect, Literal(defect))
        self.add(iri, CG.sourceFile, self.iris.source(document.source_file))
        self.integer(iri, CG.firstLine, unit.lines[0])
        self.integer(iri, CG.lastLine, unit.lines[1])
        for path, offset in unit.footnote_refs:
            note = self.iris.unit(entry.id, path)
            self.add(iri, CG.footnote, note)
            self.add(note, CG.footnoteOf, iri)
            self.integer(note, CG.markerOffset, offset)
        if cluster := unit.attrs.get("cluster"):
            self.add(iri, CG.cluster, self.iris.cluster(cluster))
        if unit.kind == "recommendation":
            self.add_addressees(iri, unit)
        if unit.kind in VERB_KINDS and unit.text:
            self.add_verbs_and_mandates(entry, unit, iri)
        if unit.text and unit.kind not in {"list-item", "flyer-colophon", "flyer-title"}:
            for topic, words in find_topics(unit.text, self.lexicon):
                tag = owned(iri, "topic", topic.iri.rsplit("/", 1)[-1])
                self.add(iri, DCTERMS.subject, topic.iri)
                self.add(iri, CG.topicTag, tag)
                self.add(tag, RDF.type, CG.TopicTag)
                self.add(tag, CG.topic, topic.iri)
                self.add(tag, CG.matchedWords, Literal("; ".join(words)))

    def add_addressees(self, iri: URIRef, unit: Unit) -> None:
        group = unit.attrs.get("addressees")
        if group:
            self.add(iri, CG.addresseeGroup, Literal(group))
            for slug in ADDRESSEE_GROUPS.get(group, ()):
                self.add(iri, CG.addressee, self.iris.actor(slug))
            return
        for actor in find_addressees(unit.text, self.lexicon):
            self.add(iri, CG.addressee, actor.iri)

    def add_verbs_and_mandates(self, entry: DocumentEntry, unit: Unit, iri: URIRef) -> None:
        uses = find_verbs(unit.text, self.lexicon)
        for use in uses:
            self.add(iri, CG.operativeVerb, use.verb.iri)
        if uses and uses[0].start == 0:
            self.add(iri, CG.leadingVerb, uses[0].verb.iri)
        if uses and (force := uses[0].verb.force) is not None:
            self.add(iri, CG.normativeForce, force)  # the force of the clause that opens the unit
        if unit.kind not in MANDATE_KINDS:
            return
        session = self.session_of(entry, unit)
        status = CG.IssuedMandate if self.issues(entry, unit) else CG.ProposedMandate
        for number, finding in enumerate(find_mandates(unit.text, uses, self.lexicon, session), start=1):
            mandate = owned(iri, "mandate", number)
            self.add(mandate, RDF.type, CG.Mandate)
            self.add(mandate, CG.mandateStatus, status)
            who = ", ".join(actor.label for actor in finding.actors)
            self.text(mandate, RDFS.label, f"{self.doc_label(entry)}, {pinpoint_label(unit.path)}: {finding.verb.label} {who}")
            self.add(iri, CG.mandate, mandate)
            self.add(mandate, CG.issuedBy, iri)
            self.add(mandate, CG.verb, finding.verb.iri)
            if finding.verb.force is not None:
                self.add(mandate, CG.normativeForce, finding.verb.force)
            if finding.term:
                self.add(mandate, CG["term"], Literal(finding.term))
            self.text(mandate, CG.action, finding.action)
            for actor in finding.actors:
                self.add(mandate, CG.mandatedActor, actor.iri)
            if session:
                self.add(mandate, CG.issuedAt, self.iris.asp_session(session))
            for index, due in enumerate(finding.due_sessions, start=1):
                if due.key.startswith("ASP/"):
                    self.add_session(int(due.key.removeprefix("ASP/")))  # a session named as a deadline exists too
                session_iri = self.iris.session(due.key)
                self.add(mandate, CG.dueAt, session_iri)
                self.add(mandate, CG.dueText, Literal(due.words))
                deadline = URIRef(f"{mandate}/deadline/{index}")  # the session, its words and their relation
                self.add(mandate, CG.deadline, deadline)
                self.add(deadline, RDF.type, CG.Deadline)
                self.add(deadline, CG.dueAt, session_iri)
                self.add(deadline, CG.dueText, Literal(due.words))
                self.add(deadline, CG.dueRelation, CG.DueBefore if due.before else CG.DueAt)
                if finding.recurrence:
                    self.add(deadline, CG.dueRelation, CG.DueRecurring)
                self.add(deadline, CG.isInferred, Literal(due.inferred))
                if due.recipient is not None:
                    self.add(deadline, CG.recipient, due.recipient.iri)
                    self.add(deadline, CG.recipientText, Literal(due.recipient_words))
            if finding.recurrence:
                self.add(mandate, CG.recurrence, Literal(finding.recurrence))

    _ANNEX_BEFORE_MARKER = re.compile(r"\bannex (I|II|III|IV|V) (?:of|to) the (?:report|resolution|document|study)\b[^.;:]*$")

    def pinpoint_from_text(self, note: URIRef, ref: Reference) -> Reference:
        """A footnote that gives a bare symbol for words that name a part of it ("the study in annex
        II of the report of the Bureau on cooperation to the thirteenth session³", footnote 3
        "ICC-ASP/13/29"): the citation keeps the annex the text names."""
        body, offset = self.graph.value(note, CG.footnoteOf), self.graph.value(note, CG.markerOffset)
        if ref.pinpoint or body is None or offset is None:
            return ref
        text = str(self.graph.value(body, CG.text) or "")
        before = text[max(0, int(offset) - 200):int(offset)]
        if match := self._ANNEX_BEFORE_MARKER.search(before):
            return Reference(ref.doc_id, ("annex", match.group(1)), ref.words, ref.start, ref.end, ref.by)
        return ref

    def flag_contradicting_footnotes(self, entry: DocumentEntry, document: ParsedDocument) -> None:
        """A footnote whose marker follows a symbol in the text and that names another document of
        the same kind ("(ICC-ASP/14/Res.3),¹" with footnote 1 "ICC-ASP/13/Res.3, adopted ...") is a
        defect of the source: the graph keeps both citations as printed and says so on the footnote,
        and on every "Ibid." that leans on it, instead of following either silently."""
        graph = self.graph
        defective: set[URIRef] = set()
        for unit in document.units:
            if unit.kind == "footnote":
                continue
            iri = self.iris.unit(entry.id, unit.path)
            body = [(int(graph.value(c, CG.spanEnd)), str(graph.value(c, CG.citedText)))  # type: ignore[arg-type]
                    for c in graph.objects(iri, CG.citation)]
            for path, offset in unit.footnote_refs:
                note = self.iris.unit(entry.id, path)
                before = [words for end, words in body if 0 <= offset - end <= 3]
                first = min(graph.objects(note, CG.citation), key=lambda c: int(graph.value(c, CG.spanStart)), default=None)  # type: ignore[arg-type]
                if not before or first is None:
                    continue
                said, noted = _symbol(before[-1]), _symbol(str(graph.value(first, CG.citedText)))
                if said and noted and said != noted and said.rsplit("/", 1)[-1][:3] == noted.rsplit("/", 1)[-1][:3]:
                    number = path[-1]
                    self.add(note, CG.sourceDefect, Literal(
                        f"footnote {number} names {noted} where the text it annotates names {said}: the two contradict "
                        f"each other, and neither is taken for the other"))
                    defective.add(note)
        previous: URIRef | None = None
        for unit in document.units:
            if unit.kind != "footnote":
                continue
            note = self.iris.unit(entry.id, unit.path)
            if unit.text.lstrip().lower().startswith("ibid") and previous in defective:
                self.add(note, CG.sourceDefect, Literal(
                    "“Ibid.” refers to the footnote before it, whose symbol contradicts the text it annotates"))
                defective.add(note)
            previous = note

    # -- citations --------------------------------------------------------------------
    def target(self, doc_id: str, pinpoint: tuple[str, ...]) -> URIRef:
        """The node a reference points at; outside the corpus, a node without text."""
        if doc_id in self.entries:
            iri = self.iris.unit(doc_id, pinpoint)
            return iri if iri in self.unit_iris else self.iris.doc(doc_id)
        doc = self.add_external(doc_id)
        if not pinpoint:
            return doc
        iri = self.iris.unit(doc_id, pinpoint)
        if (iri, RDF.type, CG.Pinpoint) not in self.graph:
            self.add(iri, RDF.type, CG.Pinpoint)
            label = "Rome Statute" if doc_id == ROME_STATUTE else doc_id
            self.text(iri, RDFS.label, f"{label}, {pinpoint_label(pinpoint)}")
            parent = self.iris.unit(doc_id, pinpoint[:-2]) if len(pinpoint) > 2 else doc
            if len(pinpoint) > 2:
                self.target(doc_id, pinpoint[:-2])
            self.add(iri, ELI.is_part_of, parent)
        return iri

    def add_external(self, doc_id: str) -> URIRef:
        iri = self.iris.doc(doc_id)
        if (iri, RDF.type, CG.ExternalDocument) in self.graph:
            return iri
        self.add(iri, RDF.type, CG.ExternalDocument)
        fact = self.externals.get(doc_id)
        kind = fact.type if fact else ("resolution" if "/Res." in doc_id else None)
        if kind in DOCUMENT_CLASSES:
            self.add(iri, RDF.type, DOCUMENT_CLASSES[kind])
        self.add(iri, DCTERMS.identifier, Literal(doc_id))
        if doc_id != ROME_STATUTE:
            self.add(iri, ELI.id_local, Literal(doc_id))
        described = fact is not None and not fact.title and fact.named_as and "/" not in doc_id
        label = (fact.title if fact and fact.title and doc_id == ROME_STATUTE
                 else fact.named_as[0].words if described and fact else doc_id)  # named only by a description: its words
        self.text(iri, RDFS.label, label)
        if fact:
            if fact.title:
                self.text(iri, DCTERMS.title, fact.title)
            if fact.session:
                self.add(iri, CG.session, self.iris.asp_session(fact.session))
            if fact.date:
                self.add(iri, DCTERMS.date, Literal(fact.date, datatype=XSD.date))
            if fact.adopted:
                self.add(iri, CG.adoptedAtMeeting, Literal(fact.adopted["meeting"]))
                self.add(iri, CG.adoptionMethod, Literal(fact.adopted["method"]))
                self.add(iri, DCTERMS.dateAccepted, Literal(fact.adopted["date"], datatype=XSD.date))
            if fact.stated_in:
                self.add(iri, CG.statedIn, Literal(fact.stated_in))
            for copy in fact.reproduces:  # after the document node exists: target() comes back here
                part = self.target(doc_id, copy.pinpoint)
                self.add(part, CG.reproduces, self.iris.doc(copy.document))
                self.add(part, CG.statedIn, Literal(copy.stated_in))
        return iri

    def add_citations(self, entry: DocumentEntry, document: ParsedDocument) -> None:
        previous: dict[tuple[str, ...], str | None] = {}
        for unit in document.units:
            texts: Iterable[str] = [t for t in (unit.text, unit.heading) if t]
            if unit.kind == "flyer-colophon":
                continue
            iri = self.iris.unit(entry.id, unit.path)
            scope = unit.parent if unit.kind == "footnote" else ("body",)
            count = 0
            for text in texts:
                references = find_references(text, previous.get(scope) if unit.kind == "footnote" else None,
                                             self.named_as)
                if unit.kind == "footnote":
                    references = [self.pinpoint_from_text(iri, ref) for ref in references]
                for ref in references:
                    count += 1
                    citation = owned(iri, "citation", count)
                    target = self.target(ref.doc_id, ref.pinpoint)
                    self.add(iri, CG.cites, target)
                    self.add(iri, CG.citation, citation)
                    self.add(citation, RDF.type, CG.Citation)
                    self.add(citation, CG.citingUnit, iri)
                    self.add(citation, CG.citedNode, target)
                    self.add(citation, CG.citedText, Literal(ref.words))
                    if ref.by != "symbol":  # named by its title or a description, not its symbol
                        self.add(citation, CG.identifiedBy, Literal(ref.by))
                    self.integer(citation, CG.spanStart, ref.start)
                    self.integer(citation, CG.spanEnd, ref.end)
                if unit.kind == "footnote":
                    docs = [r.doc_id for r in references if r.doc_id != ROME_STATUTE]
                    if docs:
                        previous[scope] = docs[-1]


_SYMBOL = re.compile(r"[A-Z]+(?:-[A-Z]+)*/\d+/[\w.]+(?:/[\w.]+)*")


def _symbol(words: str) -> str | None:
    match = _SYMBOL.match(words)
    return match.group(0) if match else None


def legal_status(kind: str, adopted: bool) -> URIRef:
    """The legal status of a text of the manifest's `type`, with or without stated adoption."""
    if kind == "resolution":
        return CG.AdoptedResolutionStatus if adopted else CG.AdoptionNotStatedStatus
    return LEGAL_STATUS.get(kind, CG.ReportStatus)


def build_graph(manifest: Manifest, documents: list[ParsedDocument], lexicon: Lexicon, base: str) -> Graph:
    """The whole graph of the corpus."""
    return GraphBuilder(manifest, documents, lexicon, base).build()


__all__ = ["GraphBuilder", "build_graph", "pinpoint_label"]
