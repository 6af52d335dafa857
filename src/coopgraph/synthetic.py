"""A synthetic archive in coopgraph's own vocabulary, for benchmarks and load tests.

Sessions x resolutions x paragraphs with realistic text lengths; from one session to the next
each resolution's paragraphs are carried over verbatim or amended, renumbered, some dropped and
some added, so lineage chains run as long as there are sessions (20-40); paragraphs issue
mandates due at a later session to actors of the actor list, and cite earlier resolutions with the
citing words at their span. Each unit carries what the graph builder states about a real one
(verbs, source lines, adoption, evidence), and the vocabulary comes first, so the archive
conforms to the shapes. Deterministic for a given seed. Streamed as N-Triples, so 10M triples
need little memory.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from coopgraph.config import Settings
from coopgraph.graph.lexicon import Lexicon, load_lexicon
from coopgraph.lineage.calibration import calibrated

CG = "https://w3id.org/coopgraph/ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
PART_OF = "<http://data.europa.eu/eli/ontology#is_part_of>"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
CITATION = re.compile(r"as stated in (SYN/[0-9]+/Res\.[0-9]+)")
WORDS = ("cooperation court states parties assembly arrest surrender warrants witnesses relocation enforcement "
         "sentences assets freezing seizure victims reparations legislation implementing focal point national "
         "authorities bureau report session facilitation consultations organizations united nations security "
         "council referrals support diplomatic political voluntary agreements interim release requests timely "
         "effective recommendations review implementation mechanism coordinating feasibility study").split()
VERBS = ("Requests", "Urges", "Invites", "Encourages", "Calls upon", "Welcomes", "Recalls", "Emphasizes")
TRIPLES_PER_PARAGRAPH = 25  # measured on the output, for sizing


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _typed(value: object, kind: str) -> str:
    return f'"{value}"^^<{XSD}{kind}>'


def plan(target_triples: int, sessions: int = 30, resolutions: int | None = None) -> tuple[int, int, int]:
    """Sessions, resolutions per session and paragraphs per resolution for about `target_triples`."""
    paragraphs_total = max(1, target_triples // TRIPLES_PER_PARAGRAPH)
    resolutions = resolutions or max(1, round((paragraphs_total / sessions) / 60))
    per_resolution = max(5, paragraphs_total // (sessions * resolutions))
    return sessions, resolutions, per_resolution


def generate(base: str, sessions: int, resolutions: int, paragraphs: int, seed: int = 7,
             lexicon: Lexicon | None = None) -> Iterator[str]:
    """N-Triples lines of the archive: the vocabulary, then session after session of resolutions,
    with what the graph builder states about each unit, so the archive conforms to the shapes."""
    rng = random.Random(seed)
    lexicon = lexicon or load_lexicon(Settings(base=base).ontology_dir, base)
    iri = lambda path: f"<{base}{path}>"  # noqa: E731
    verbs = {word: next(v for v in lexicon.verbs if word.lower() in v.forms) for word in VERBS}
    actors = [f"<{a.iri}>" for a in lexicon.actors]
    yield from sorted(line for line in lexicon.graph.serialize(format="nt").splitlines() if line.strip())
    for number in range(1, sessions + 1):
        yield f"{iri(f'session/ASP/{number}')} {RDF_TYPE} <{CG}Session> ."
        yield f"{iri(f'session/ASP/{number}')} <{CG}sessionNumber> {_typed(number, 'integer')} ."
        yield f"{iri(f'session/ASP/{number}')} {LABEL} {_lit(f'Assembly of States Parties, session {number}')}@en ."
    for r in range(1, resolutions + 1):
        previous: list[tuple[str, str]] = []  # (paragraph IRI path, text) of the last session's version
        for s in range(1, sessions + 1):
            doc = f"doc/SYN/{s}/Res.{r}"
            source = iri(f"source/syn-{s}-res-{r}.txt")
            date = _typed(f"{2001 + s}-11-26", "date")
            yield f"{iri(doc)} {RDF_TYPE} <{CG}Resolution> ."
            yield f"{iri(doc)} {RDF_TYPE} <{CG}CorpusDocument> ."
            yield f"{iri(doc)} {LABEL} {_lit(f'SYN/{s}/Res.{r}')}@en ."
            yield f"{iri(doc)} <{DCT}identifier> {_lit(f'SYN/{s}/Res.{r}')} ."
            yield f"{iri(doc)} <{DCT}title> {_lit(f'Resolution {r} of session {s}')}@en ."
            yield f"{iri(doc)} <{CG}session> {iri(f'session/ASP/{s}')} ."
            yield f"{iri(doc)} <{DCT}date> {date} ."
            yield f"{iri(doc)} <{DCT}dateAccepted> {date} ."
            yield f"{iri(doc)} <{CG}adoptedAtMeeting> {_lit('plenary meeting')} ."
            yield f"{iri(doc)} <{CG}legalStatus> <{CG}AdoptedResolutionStatus> ."
            yield f"{iri(doc)} <{CG}adoptionMethod> {_lit('by consensus')} ."
            yield f"{iri(doc)} <{CG}sourceFile> {source} ."
            yield f"{source} {RDF_TYPE} <{CG}SourceFile> ."
            yield f"{source} {LABEL} {_lit(f'syn-{s}-res-{r}.txt')} ."
            current: list[tuple[str, str]] = []
            # About 4% dropped each session and new ones inserted anywhere; the first paragraph of each
            # resolution is always carried, so the longest chains run through every session.
            sources = previous[:1] + [p for p in previous[1:] if rng.random() > 0.04]
            while len(sources) < paragraphs:  # new paragraphs fill up to the size
                sources.insert(rng.randrange(1 if sources else 0, len(sources) + 1), ("", ""))
            for position, (earlier, old_text) in enumerate(sources[:paragraphs], start=1):
                path = f"{doc}/para/{position}"
                if old_text and rng.random() < 0.7:
                    text, kind = old_text, "repeats"
                elif old_text:
                    words = old_text.split()
                    words[rng.randrange(2, len(words))] = rng.choice(WORDS)  # the leading verb ("Calls upon") stays
                    text, kind = " ".join(words), "amends"
                else:
                    length = rng.randint(25, 90)
                    text = f"{rng.choice(VERBS)} " + " ".join(rng.choice(WORDS) for _ in range(length))
                    if s > 1 and rng.random() < 0.1:  # some new paragraphs cite last session's resolution
                        text += f", as stated in SYN/{s - 1}/Res.{r}"
                    text, kind = text + ";", ""
                verb = verbs[next(v for v in VERBS if text.startswith(v))]
                yield f"{iri(path)} {RDF_TYPE} <{CG}OperativeParagraph> ."
                yield f"{iri(path)} {LABEL} {_lit(f'SYN/{s}/Res.{r}, para. {position}')}@en ."
                yield f"{iri(path)} {PART_OF} {iri(doc)} ."
                yield f"{iri(path)} <{CG}number> {_lit(str(position))} ."
                yield f"{iri(path)} <{CG}firstLine> {_typed(position * 3, 'integer')} ."
                yield f"{iri(path)} <{CG}lastLine> {_typed(position * 3 + 2, 'integer')} ."
                yield f"{iri(path)} <{CG}sourceFile> {source} ."
                yield f"{iri(path)} <{CG}text> {_lit(text)}@en ."
                yield f"{iri(path)} <{CG}operativeVerb> <{verb.iri}> ."
                yield f"{iri(path)} <{CG}leadingVerb> <{verb.iri}> ."
                yield f"{iri(path)} <{CG}normativeForce> <{verb.force}> ."
                if kind:
                    node = f"{path}/derivation/1"
                    yield f"{iri(path)} <{CG}{kind}> {iri(earlier)} ."
                    yield f"{iri(path)} <{CG}qualifiedDerivation> {iri(node)} ."
                    yield f"{iri(node)} {RDF_TYPE} <{CG}Derivation> ."
                    yield f"{iri(node)} <{PROV}entity> {iri(earlier)} ."
                    yield f"{iri(node)} <{CG}derivationType> <{CG}{kind}> ."
                    evidence_kind = "verbatim" if kind == "repeats" else "amended"
                    yield f"{iri(node)} <{CG}confidence> {_typed(f'{calibrated(evidence_kind):.2f}', 'decimal')} ."
                    yield f"{iri(node)} <{CG}method> {_lit('synthetic')} ."
                    yield f"{iri(node)} <{CG}evidenceText> {_lit('verbatim' if kind == 'repeats' else 'one word changed')} ."
                    yield f"{iri(node)} <{CG}isInferred> {_typed('true', 'boolean')} ."  # read from wording
                    yield f"{iri(node)} <{CG}evidenceKind> {_lit(evidence_kind)} ."
                if verb.gives_mandate and s < sessions:
                    mandate = f"{path}/mandate/1"
                    actor = rng.choice(actors)
                    yield f"{iri(mandate)} {RDF_TYPE} <{CG}Mandate> ."
                    yield f"{iri(mandate)} <{CG}mandateStatus> <{CG}IssuedMandate> ."  # a resolution's, adopted
                    yield f"{iri(mandate)} {LABEL} {_lit(f'SYN/{s}/Res.{r}, para. {position}: {verb.label}')}@en ."
                    yield f"{iri(path)} <{CG}mandate> {iri(mandate)} ."
                    yield f"{iri(mandate)} <{CG}issuedBy> {iri(path)} ."
                    yield f"{iri(mandate)} <{CG}verb> <{verb.iri}> ."
                    yield f"{iri(mandate)} <{CG}normativeForce> <{verb.force}> ."
                    yield f"{iri(mandate)} <{CG}action> {_lit(text.rstrip(';'))}@en ."
                    yield f"{iri(mandate)} <{CG}mandatedActor> {actor} ."
                    yield f"{iri(mandate)} <{CG}issuedAt> {iri(f'session/ASP/{s}')} ."
                    yield f"{iri(mandate)} <{CG}dueAt> {iri(f'session/ASP/{s + 1}')} ."
                    yield f"{iri(mandate)} <{CG}dueText> {_lit(f'session {s + 1}')} ."
                if (cited := CITATION.search(text)) is not None:
                    citation = f"{path}/citation/1"
                    target = iri(f"doc/{cited.group(1)}")
                    yield f"{iri(path)} <{CG}cites> {target} ."
                    yield f"{iri(path)} <{CG}citation> {iri(citation)} ."
                    yield f"{iri(citation)} {RDF_TYPE} <{CG}Citation> ."
                    yield f"{iri(citation)} <{CG}citingUnit> {iri(path)} ."
                    yield f"{iri(citation)} <{CG}citedNode> {target} ."
                    yield f"{iri(citation)} <{CG}citedText> {_lit(cited.group(1))} ."
                    yield f"{iri(citation)} <{CG}spanStart> {_typed(cited.start(1), 'integer')} ."
                    yield f"{iri(citation)} <{CG}spanEnd> {_typed(cited.end(1), 'integer')} ."
                current.append((path, text))
            previous = current


def write(path: Path, base: str, target_triples: int, sessions: int = 30, seed: int = 7,
          progress: Callable[[int], object] = lambda _: None) -> int:
    """Write the archive to an N-Triples file (atomically); the number of triples. `progress` is
    told of every 10,000 written."""
    s, r, p = plan(target_triples, sessions)
    tmp = path.with_suffix(path.suffix + ".tmp")
    count = 0
    with tmp.open("w", encoding="utf-8") as handle:
        for line in generate(base, s, r, p, seed):
            handle.write(line + "\n")
            count += 1
            if count % 10_000 == 0:
                progress(10_000)
    tmp.replace(path)
    return count
