"""The parser's output: plain records, independent of RDF.

A parser turns one source text into a `ParsedDocument`: a flat list of `Unit`s (paragraphs,
recommendations, items, footnotes, annexes, parts, sections) whose `path` is the unit's place
in the IRI scheme (``("annex", "I", "para", "32")``). The graph builder is the only consumer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Path_ = tuple[str, ...]


@dataclass
class Emphasis:
    """A span the source marks in italics (``*Requests*``), with its offset in the clean text."""

    text: str
    start: int


@dataclass
class Unit:
    """One citable piece of a document, with its verbatim clean text and provenance."""

    kind: str
    path: Path_
    lines: tuple[int, int]
    text: str = ""
    number: str | None = None
    position: int | None = None
    heading: str | None = None
    parent: Path_ = ()
    emphasis: list[Emphasis] = field(default_factory=list)
    footnote_refs: list[tuple[Path_, int]] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)
    defects: list[str] = field(default_factory=list)  # what is wrong with the source here (cg:sourceDefect), each stated once

    @property
    def key(self) -> str:
        return "/".join(self.path)


@dataclass
class ParsedDocument:
    """All units of one document, in reading order."""

    doc_id: str
    source_file: str
    units: list[Unit]
    header: dict[str, str] = field(default_factory=dict)
    notes_at_markers: bool = False  # footnotes linked by the markup (AKN), not placed by page from the layout

    def unit(self, *path: str) -> Unit:
        for unit in self.units:
            if unit.path == tuple(path):
                return unit
        raise KeyError("/".join(path))

    def of_kind(self, kind: str) -> list[Unit]:
        return [unit for unit in self.units if unit.kind == kind]
