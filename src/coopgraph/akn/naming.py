"""The AKN profile as data (profile.toml) and the one rule between a unit's IRI and its eId: each
"{segment}/{value}" of the unit's path below its document is "{label}_{value}", joined by "__"."""

from __future__ import annotations

import datetime
import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coopgraph.errors import CoopgraphError

PROFILE_FILE = Path(__file__).with_name("profile.toml")
AKN_MEDIA = "application/akn+xml"


class AknError(CoopgraphError):
    """A text or a file that cannot be written or read as coopgraph's AKN."""


@dataclass(frozen=True)
class Element:
    segment: str  # the unit IRI's segment ("para")
    element: str  # the AKN element ("paragraph")
    label: str  # the eId label ("para")
    name: str | None = None  # the @name of a generic element (hcontainer, container)
    valueless: bool = False  # a segment with no value after it ("colophon")
    kind: str | None = None  # the unit kind the text parsers give it (coopgraph.corpus.records.Unit.kind)
    kind_in: tuple[tuple[str, str], ...] = ()  # (document @name, kind) where the kind differs there

    def kind_within(self, document_name: str) -> str | None:
        """The unit kind of this element inside a document element of that @name."""
        return dict(self.kind_in).get(document_name, self.kind)


@functools.cache
def profile() -> dict[str, Any]:
    return tomllib.loads(PROFILE_FILE.read_text(encoding="utf-8"))


@functools.cache
def elements() -> dict[str, Element]:
    return {segment: Element(segment, e["element"], e["label"], e.get("name"), e.get("valueless", False),
                             e.get("kind"), tuple(e.get("kind_in", {}).items()))
            for segment, e in profile()["elements"].items()}


def element_named(tag: str, name: str | None) -> Element | None:
    """The profile's element for an AKN element (a generic one by its @name), if it has one."""
    for element in elements().values():
        if element.element == tag and (element.name is None or element.name == name):
            return element
    return None


@functools.cache
def by_label() -> dict[str, Element]:
    found = {e.label: e for e in elements().values()}
    assert len(found) == len(elements()), "eId labels must be unique for the rule to read both ways"
    return found


def _walk(path: str) -> list[tuple[Element, str | None]]:
    """The unit path read as (element, value) pairs."""
    parts, out, i = path.split("/"), [], 0
    while i < len(parts):
        element = elements().get(parts[i])
        if element is None:
            raise AknError(f"no AKN element is chosen for the segment {parts[i]!r} of {path!r} (add it to {PROFILE_FILE.name})")
        if element.valueless:
            out.append((element, None))
            i += 1
        else:
            if i + 1 >= len(parts):
                raise AknError(f"the segment {parts[i]!r} of {path!r} has no value")
            out.append((element, parts[i + 1]))
            i += 2
    return out


def eid_of(path: str) -> str:
    """The eId of the unit at `path` below its document ("annex/I/para/3" -> "att_I__para_3")."""
    return "__".join(element.label if value is None else f"{element.label}_{value}" for element, value in _walk(path))


def last_element(path: str) -> Element:
    """The AKN element of the unit at `path` (its last segment's)."""
    return _walk(path)[-1][0]


def path_of(eid: str) -> str:
    """The unit path an eId names: the rule read backwards ("att_I__para_3" -> "annex/I/para/3")."""
    out = []
    for part in eid.split("__"):
        label, _, value = part.partition("_")
        element = by_label().get(label)
        if element is None or (not value) != element.valueless:
            raise AknError(f"the eId {eid!r} does not follow coopgraph's rule: {part!r} is no known label with a value")
        out += [element.segment] if element.valueless else [element.segment, value]
    return "/".join(out)


def number_segment(identifier: str) -> str:
    """A document's number in an AKN IRI: its symbol or slug with "/" written "-"."""
    return identifier.replace("/", "-")


DATE_IN_TEXT = re.compile(r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b")


def latest_date_stated(texts: list[str]) -> str | None:
    """The latest full date the texts write ("30 March 2007" -> 2007-03-30): for a text that gives
    no date of its own, the day on or after which it was written, as its own words establish."""
    found = [datetime.datetime.strptime(m.group(0), "%d %B %Y").date().isoformat() for t in texts for m in DATE_IN_TEXT.finditer(t)]
    return max(found) if found else None
