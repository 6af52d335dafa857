"""A synthetic archive in coopgraph's own vocabulary, for benchmarks and load tests.

Sessions x resolutions x paragraphs with realistic text lengths; from one session to the next
each resolution's paragraphs are carried over verbatim or amended, renumbered, some dropped and
some added, so lineage chains run as long as there are sessions (20-40); paragraphs issue
mandates due at a later session and cite earlier resolutions. Deterministic for a given seed.
Written as sorted-free N-Triples, streamed, so 10M triples need little memory.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

CG = "https://w3id.org/coopgraph/ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
PART_OF = "<http://data.europa.eu/eli/ontology#is_part_of>"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
WORDS = ("cooperation court states parties assembly arrest surrender warrants witnesses relocation enforcement "
         "sentences assets freezing seizure victims reparations legislation implementing focal point national "
         "authorities bureau report session facilitation consultations organizations united nations security "
         "council referrals support diplomatic political voluntary agreements interim release requests timely "
         "effective recommendations review implementation mechanism coordinating feasibility study").split()
VERBS = ("Requests", "Urges", "Invites", "Encourages", "Calls upon", "Welcomes", "Recalls", "Emphasizes")
ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth".split()
TRIPLES_PER_PARAGRAPH = 16  # measured on the output, for sizing


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


def generate(base: str, sessions: int, resolutions: int, paragraphs: int, seed: int = 7) -> Iterator[str]:
    """N-Triples lines of the archive."""
    rng = random.Random(seed)
    iri = lambda path: f"<{base}{path}>"  # noqa: E731
    for number in range(1, sessions + 1):
        yield f"{iri(f'session/ASP/{number}')} {RDF_TYPE} <{CG}Session> ."
        yield f"{iri(f'session/ASP/{number}')} <{CG}sessionNumber> {_typed(number, 'integer')} ."
    for r in range(1, resolutions + 1):
        previous: list[tuple[str, str]] = []  # (paragraph IRI path, text) of the last session's version
        for s in range(1, sessions + 1):
            doc = f"doc/SYN/{s}/Res.{r}"
            yield f"{iri(doc)} {RDF_TYPE} <{CG}Resolution> ."
            yield f"{iri(doc)} {RDF_TYPE} <{CG}CorpusDocument> ."
            yield f"{iri(doc)} {LABEL} {_lit(f'SYN/{s}/Res.{r}')} ."
            yield f"{iri(doc)} <{CG}session> {iri(f'session/ASP/{s}')} ."
            yield f"{iri(doc)} <http://purl.org/dc/terms/date> {_typed(f'{2001 + s}-11-26', 'date')} ."
            current: list[tuple[str, str]] = []
            # About 4% dropped each session and new ones inserted anywhere; the first paragraph of each
            # resolution is always carried, so the longest chains run through every session.
            sources = previous[:1] + [p for p in previous[1:] if rng.random() > 0.04]
            while len(sources) < paragraphs:  # new paragraphs fill up to the size
                sources.insert(rng.randrange(1 if sources else 0, len(sources) + 1), ("", ""))
            for position, (source, old_text) in enumerate(sources[:paragraphs], start=1):
                path = f"{doc}/para/{position}"
                if old_text and rng.random() < 0.7:
                    text, kind = old_text, "repeats"
                elif old_text:
                    words = old_text.split()
                    words[rng.randrange(len(words))] = rng.choice(WORDS)
                    text, kind = " ".join(words), "amends"
                else:
                    length = rng.randint(25, 90)
                    text, kind = f"{rng.choice(VERBS)} " + " ".join(rng.choice(WORDS) for _ in range(length)) + ";", ""
                yield f"{iri(path)} {RDF_TYPE} <{CG}OperativeParagraph> ."
                yield f"{iri(path)} {LABEL} {_lit(f'SYN/{s}/Res.{r}, para. {position}')} ."
                yield f"{iri(path)} {PART_OF} {iri(doc)} ."
                yield f"{iri(path)} <{CG}number> {_lit(str(position))} ."
                yield f"{iri(path)} <{CG}firstLine> {_typed(position * 3, 'integer')} ."
                yield f"{iri(path)} <{CG}text> {_lit(text)}@en ."
                if kind:
                    node = f"{path}/derivation/1"
                    yield f"{iri(path)} <{CG}{kind}> {iri(source)} ."
                    yield f"{iri(path)} <{CG}qualifiedDerivation> {iri(node)} ."
                    yield f"{iri(node)} {RDF_TYPE} <{CG}Derivation> ."
                    yield f"{iri(node)} <{PROV}entity> {iri(source)} ."
                    yield f"{iri(node)} <{CG}derivationType> <{CG}{kind}> ."
                    yield f"{iri(node)} <{CG}confidence> {_typed('1.0' if kind == 'repeats' else '0.9', 'decimal')} ."
                    yield f"{iri(node)} <{CG}method> {_lit('synthetic')} ."
                    yield f"{iri(node)} <{CG}evidenceText> {_lit('verbatim' if kind == 'repeats' else 'one word changed')} ."
                    yield f"{iri(node)} <{CG}isInferred> {_typed('false', 'boolean')} ."
                if text.startswith(("Requests", "Invites", "Urges")) and s < sessions:
                    mandate = f"{path}/mandate/1"
                    yield f"{iri(mandate)} {RDF_TYPE} <{CG}Mandate> ."
                    yield f"{iri(mandate)} <{CG}issuedBy> {iri(path)} ."
                    yield f"{iri(path)} <{CG}mandate> {iri(mandate)} ."
                    yield f"{iri(mandate)} <{CG}dueAt> {iri(f'session/ASP/{s + 1}')} ."
                    yield f"{iri(mandate)} {LABEL} {_lit(f'SYN/{s}/Res.{r}, para. {position}: mandate')} ."
                if s > 1 and position % 10 == 0:
                    cited = f"doc/SYN/{s - 1}/Res.{r}"
                    yield f"{iri(path)} <{CG}cites> {iri(cited)} ."
                current.append((path, text))
            previous = current


def write(path: Path, base: str, target_triples: int, sessions: int = 30, seed: int = 7) -> int:
    """Write the archive to an N-Triples file (atomically); the number of triples."""
    s, r, p = plan(target_triples, sessions)
    tmp = path.with_suffix(path.suffix + ".tmp")
    count = 0
    with tmp.open("w", encoding="utf-8") as handle:
        for line in generate(base, s, r, p, seed):
            handle.write(line + "\n")
            count += 1
    tmp.replace(path)
    return count
