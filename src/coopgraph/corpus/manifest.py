"""The corpus manifest (`corpus/manifest.toml`): what each source file is, in facts its text states."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coopgraph.errors import ManifestError

DOCUMENT_TYPES = {"resolution", "draft-resolution", "report", "flyer"}
SHAPES = {"resolution", "bureau-report", "bureau-report-2016", "bureau-report-2007", "flyer", "akn"}


@dataclass(frozen=True)
class AnnexEntry:
    """An annex that is a document in its own right (a draft resolution, a mandate list)."""

    number: str
    title: str
    type: str
    session: int | None


@dataclass(frozen=True)
class StatedCount:
    """How many units of one kind the texts say a document holds ("the 66 recommendations")."""

    unit: str
    value: int
    stated_in: str


@dataclass(frozen=True)
class DocumentEntry:
    """One source document of the corpus."""

    id: str
    title: str
    type: str
    file: str
    shape: str
    symbol: str | None = None
    short: str | None = None
    session: int | None = None
    date: str | None = None
    adopted: dict[str, str] = field(default_factory=dict)
    publisher: str | None = None
    stated_in: str | None = None
    annexes: tuple[AnnexEntry, ...] = ()
    counts: tuple[StatedCount, ...] = ()
    blocks: tuple[dict[str, Any], ...] = ()
    named_as: tuple[NamedAs, ...] = ()

    @property
    def label(self) -> str:
        return self.symbol or self.short or self.title


@dataclass(frozen=True)
class NamedAs:
    """Words by which the texts refer to a document without its symbol (its title, or a
    description such as "the flyer prepared by the Court"), and where they do."""

    words: str
    stated_in: str
    by: str = "description"  # title | description


@dataclass(frozen=True)
class Reproduction:
    """A part of a cited document that reproduces a corpus document's units (the 2007 omnibus
    resolution's annex II holds the recommendations of the Bureau's report), as the texts state."""

    pinpoint: tuple[str, ...]
    document: str
    stated_in: str


@dataclass(frozen=True)
class ExternalEntry:
    """A cited document outside the corpus, with the facts the corpus states about it."""

    id: str
    type: str
    title: str | None = None
    session: int | None = None
    date: str | None = None
    adopted: dict[str, str] = field(default_factory=dict)
    stated_in: str | None = None
    named_as: tuple[NamedAs, ...] = ()
    reproduces: tuple[Reproduction, ...] = ()


@dataclass(frozen=True)
class SessionEntry:
    """Facts the texts state about one session."""

    key: str
    number: int | None = None
    title: str | None = None
    place: str | None = None
    dates: str | None = None
    stated_in: str | None = None


@dataclass(frozen=True)
class Manifest:
    """The whole manifest, plus the folder it lives in."""

    folder: Path
    documents: tuple[DocumentEntry, ...]
    externals: tuple[ExternalEntry, ...]
    sessions: tuple[SessionEntry, ...]

    def document(self, doc_id: str) -> DocumentEntry:
        for entry in self.documents:
            if entry.id == doc_id:
                return entry
        raise KeyError(doc_id)


def _require(table: dict[str, Any], key: str, where: str) -> Any:
    if key not in table:
        raise ManifestError(f"{where} lacks the key {key!r}")
    return table[key]


def load_manifest(path: Path) -> Manifest:
    """Read and check the manifest; every problem names the entry and what to fix."""
    if not path.is_file():
        raise ManifestError(f"no corpus manifest at {path}; the corpus folder must hold manifest.toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: not valid TOML: {exc}") from None

    documents = []
    seen: set[str] = set()
    for index, table in enumerate(data.get("document", []), start=1):
        where = f"{path.name}: document #{index}"
        doc_id = _require(table, "id", where)
        where = f"{path.name}: document {doc_id!r}"
        if doc_id in seen:
            raise ManifestError(f"{where} is listed twice")
        seen.add(doc_id)
        doc_type = _require(table, "type", where)
        if doc_type not in DOCUMENT_TYPES:
            raise ManifestError(f"{where}: type {doc_type!r} is not one of {sorted(DOCUMENT_TYPES)}")
        shape = _require(table, "shape", where)
        if shape not in SHAPES:
            raise ManifestError(f"{where}: shape {shape!r} is not one of {sorted(SHAPES)}")
        file = _require(table, "file", where)
        if not (path.parent / file).is_file():
            raise ManifestError(f"{where}: source file {file!r} is not in {path.parent}")
        annexes = tuple(
            AnnexEntry(a["number"], a["title"], a["type"], a.get("session")) for a in table.get("annex", [])
        )
        counts = []
        for count in table.get("count", []):
            value = _require(count, "value", f"{where}: count")
            if not isinstance(value, int) or value < 1:
                raise ManifestError(f"{where}: a count's value must be a positive integer, got {value!r}")
            counts.append(StatedCount(_require(count, "unit", f"{where}: count"), value,
                                      _require(count, "stated_in", f"{where}: count")))
        documents.append(
            DocumentEntry(
                id=doc_id,
                title=_require(table, "title", where),
                type=doc_type,
                file=file,
                shape=shape,
                symbol=table.get("symbol"),
                short=table.get("short"),
                session=table.get("session"),
                date=table.get("date"),
                adopted=dict(table.get("adopted", {})),
                publisher=table.get("publisher"),
                stated_in=table.get("stated_in"),
                annexes=annexes,
                counts=tuple(counts),
                blocks=tuple(table.get("block", [])),
                named_as=_named_as(table, where),
            )
        )
    if not documents:
        raise ManifestError(f"{path}: the manifest lists no [[document]]")
    externals = tuple(
        ExternalEntry(
            id=_require(t, "id", f"{path.name}: external #{i}"),
            type=t.get("type", "document"),
            title=t.get("title"),
            session=t.get("session"),
            date=t.get("date"),
            adopted=dict(t.get("adopted", {})),
            stated_in=t.get("stated_in"),
            named_as=_named_as(t, f"{path.name}: external #{i}"),
            reproduces=tuple(Reproduction(tuple(_require(r, "pinpoint", f"{path.name}: external #{i} reproduces")),
                                          _require(r, "document", f"{path.name}: external #{i} reproduces"),
                                          _require(r, "stated_in", f"{path.name}: external #{i} reproduces"))
                             for r in t.get("reproduces", [])),
        )
        for i, t in enumerate(data.get("external", []), start=1)
    )
    sessions = tuple(
        SessionEntry(
            key=_require(t, "key", f"{path.name}: session #{i}"),
            number=t.get("number"),
            title=t.get("title"),
            place=t.get("place"),
            dates=t.get("dates"),
            stated_in=t.get("stated_in"),
        )
        for i, t in enumerate(data.get("session", []), start=1)
    )
    return Manifest(path.parent, tuple(documents), externals, sessions)


def _named_as(table: dict[str, Any], where: str) -> tuple[NamedAs, ...]:
    """The [[...named_as]] entries of a document: words, by (title or description), stated_in."""
    found = []
    for item in table.get("named_as", []):
        by = item.get("by", "description")
        if by not in {"title", "description"}:
            raise ManifestError(f"{where}: named_as 'by' must be title or description, got {by!r}")
        found.append(NamedAs(_require(item, "words", f"{where}: named_as"), _require(item, "stated_in", f"{where}: named_as"), by))
    return tuple(found)
