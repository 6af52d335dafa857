"""A new text into the corpus: what it is, read from the text itself, and its manifest entry.

`coopgraph add FILE` reads the facts an adopted resolution prints at its head ("Resolution
ICC-ASP/15/Res.5", "Adopted at the 11th plenary meeting, on 24 November 2016, by consensus",
the title under the symbol), each with the line it came from. A fact the text does not give is
never guessed: the user supplies it (--symbol, --session, --date, --title), or nothing is added.
The entry is appended to manifest.toml and the text copied beside it, both atomically; a build
that fails puts both back as they were.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from coopgraph.errors import CoopgraphError, CorpusError
from coopgraph.files import write_atomically
from coopgraph.ordinals import number_of

SYMBOL = re.compile(r"\b(ICC-ASP/(\d+)/Res\.\d+)\b")
# The symbol as a heading: alone, after "Resolution", or before the title; not one a paragraph cites.
HEADING = re.compile(r"^(?:Resolution\s+)?(ICC-ASP/(\d+)/Res\.\d+)(?=$|\s+[A-Z])")
ADOPTED = re.compile(r"Adopted at the (\d+(?:st|nd|rd|th) plenary meeting), on (\d{1,2} [A-Z][a-z]+ \d{4}), (by [a-z ]+?)\s*$")
HEAD_LINES = 20  # the facts stand at the head of the text


class IntakeError(CoopgraphError):
    """The text cannot go in as it is: the message names the flag that supplies what is missing."""


@dataclass
class Facts:
    """What the text states about itself, each with where it says so."""

    kind: str | None = None
    symbol: str | None = None
    session: int | None = None
    date: str | None = None
    title: str | None = None
    adopted: dict[str, str] = field(default_factory=dict)
    stated_in: dict[str, str] = field(default_factory=dict)
    annexes: list[dict[str, str]] = field(default_factory=list)  # of a report: its annexes that are texts of their own
    shape: str | None = None  # the parser that reads it, when not the one of its kind's plain text
    name: str | None = None  # the name a text without a symbol gives itself (an AKN FRBRnumber)

    @property
    def id(self) -> str:
        """The symbol; for a report that prints none, a name made of what it states (session and title)."""
        if self.symbol:
            if not re.fullmatch(r"[A-Za-z0-9][\w.\-]*(?:/[\w.\-]+)*", self.symbol):
                raise CorpusError(f"the symbol {self.symbol!r} cannot name a document in an IRI: a symbol is letters, "
                                  "digits, '.', '-' and '/' (such as ICC-ASP/15/Res.5); check --symbol or the text's heading")
            return self.symbol
        if self.name:
            if not re.fullmatch(r"[a-z0-9][a-z0-9\-]*", self.name):
                raise CorpusError(f"the name {self.name!r} cannot name a document in an IRI: lower-case letters, digits and '-'")
            return self.name
        author = "court" if (self.title or "").startswith("Report of the Court") else "bureau"
        subject = re.sub(r"^Report of the (Bureau|Court) on ", "", self.title or "").strip()
        subject = re.sub(r"[^A-Za-z0-9]+", "-", subject).strip("-")  # only what an IRI segment carries as it is
        if not subject:
            raise CorpusError(f"the title {self.title!r} gives no name for the document; pass --title with words "
                              "(such as 'Report of the Bureau on cooperation')")
        return f"asp{self.session}-{author}-report-{subject}"


def read_facts(text: str) -> Facts:
    """The facts of an adopted resolution, read from the head of its text."""
    facts = Facts()
    lines = [line.strip().replace("*", "") for line in text.splitlines()[:HEAD_LINES]]
    end = next((i for i, line in enumerate(lines) if line.startswith("The Assembly of States Parties")), len(lines))
    lines = lines[:end]  # the head: what stands above "The Assembly of States Parties,"
    for number, line in enumerate(lines, start=1):
        if facts.symbol is None and (match := HEADING.match(line)):
            facts.symbol, facts.session = match.group(1), int(match.group(2))
            facts.stated_in["symbol"] = f"line {number}: '{line}'"
        if not facts.adopted and (match := ADOPTED.search(line)):
            meeting, day, method = match.groups()
            facts.date = datetime.datetime.strptime(day, "%d %B %Y").date().isoformat()
            facts.adopted = {"meeting": meeting, "date": facts.date, "method": method, "text": line}
            facts.stated_in["adopted"] = f"line {number}"
    if facts.symbol:
        for number, line in enumerate(lines, start=1):
            if line.startswith(facts.symbol) and not line.lower().startswith("resolution"):
                rest = line[len(facts.symbol):].strip()
                title = rest or (lines[number] if number < len(lines) else "")
                if title and not SYMBOL.search(title) and not ADOPTED.search(title):
                    facts.title = title
                    facts.stated_in["title"] = f"line {number + (0 if rest else 1)}: '{title}'"
                    break
    if facts.symbol and facts.adopted:
        facts.kind = "resolution"
    elif not facts.symbol:
        _read_report(text, facts)
    return facts


REPORT = re.compile(r"^(Report of the (?:Bureau|Court) on [a-z][a-z ]*?)\s*(?:\*|$)")
DATE_LINE = re.compile(r"^(\d{1,2} [A-Z][a-z]+ \d{4})$")
SESSION_LINE = re.compile(r"^([A-Z][a-z]+(?:-[a-z]+)?) session$")
ANNEX_LINE = re.compile(r"^Annex ([IVX]+)$")
ANNEX_KINDS = (("Draft resolution", "draft-resolution"), ("Mandates", "mandate-list"))


def _read_report(text: str, facts: Facts) -> None:
    """A Bureau report's facts: its title, "Distr.", its date and session heading, and its annexes
    that are texts of their own (a draft resolution, a list of mandates), by their titles."""
    lines = [line.strip() for line in text.splitlines()]
    head = lines[:HEAD_LINES]
    if not any(line.startswith("Distr.") or "Distr.:" in line for line in head):
        return
    for number, line in enumerate(head, start=1):
        if facts.title is None and (match := REPORT.match(line)):
            facts.title, facts.stated_in["title"] = match.group(1), f"line {number}"
        if facts.date is None and (match := DATE_LINE.match(line)):
            facts.date = datetime.datetime.strptime(match.group(1), "%d %B %Y").date().isoformat()
            facts.stated_in["date"] = f"line {number}"
        if facts.session is None and (match := SESSION_LINE.match(line)) and number_of(match.group(1)):
            facts.session = number_of(match.group(1))
            facts.stated_in["session"] = f"line {number}: '{line}'"
    for index, line in enumerate(lines):
        if (match := ANNEX_LINE.match(line)) and index > HEAD_LINES:
            title = next((t for t in lines[index + 1:index + 4] if t), "")
            kind = next((k for start, k in ANNEX_KINDS if title.startswith(start)), None)
            if kind:
                facts.annexes.append({"number": match.group(1), "title": title, "type": kind})
    if facts.title:
        facts.kind = "report"


def q(value: str) -> str:
    """A TOML basic string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def entry_for(facts: Facts, file_name: str) -> str:
    """The manifest entry, in the manifest's own layout."""
    if facts.shape == "akn":
        return akn_entry_for(facts, file_name)
    if facts.kind == "report":
        where = "; ".join(f"{k} {v}" for k, v in facts.stated_in.items())
        lines = ["", "[[document]]", f"id = {q(facts.id)}", f"title = {q(facts.title or '')}",
                 f"short = {q(f'ASP{facts.session} Bureau report on ' + (facts.title or '').removeprefix('Report of the Bureau on '))}",
                 'type = "report"', f"session = {facts.session}", f"date = {q(facts.date or '')}", f"file = {q(file_name)}",
                 'shape = "bureau-report"', f"stated_in = {q(where)}"]
        for annex in facts.annexes:
            lines += ["", "  [[document.annex]]", f"  number = {q(annex['number'])}", f"  title = {q(annex['title'])}",
                      f"  type = {q(annex['type'])}", f"  session = {facts.session}"]
        return "\n".join(lines + [""])

    adopted = ", ".join(f"{k} = {q(v)}" for k, v in facts.adopted.items())
    where = "; ".join(f"{k} {v}" for k, v in facts.stated_in.items())
    return "\n".join([
        "", "[[document]]", f"id = {q(facts.symbol or '')}", f"symbol = {q(facts.symbol or '')}", f"title = {q(facts.title or '')}",
        'type = "resolution"', f"session = {facts.session}", f"date = {q(facts.date or '')}", f"adopted = {{ {adopted} }}",
        f"file = {q(file_name)}", 'shape = "resolution"', f"stated_in = {q(where)}", "",
    ])


def akn_entry_for(facts: Facts, file_name: str) -> str:
    """The entry of a text in AKN: only the facts it states, each key written once."""
    keys = {"id": facts.id, "symbol": facts.symbol, "title": facts.title, "type": facts.kind, "session": facts.session,
            "date": facts.date}
    lines = ["", "[[document]]"] + [f"{k} = {v if isinstance(v, int) else q(v)}" for k, v in keys.items() if v]
    if facts.adopted:
        lines.append(f"adopted = {{ {', '.join(f'{k} = {q(v)}' for k, v in facts.adopted.items() if v)} }}")
    lines += [f"file = {q(file_name)}", 'shape = "akn"', f"stated_in = {q('; '.join(f'{k} {v}' for k, v in facts.stated_in.items()))}"]
    for annex in facts.annexes:
        lines += ["", "  [[document.annex]]"] + [f"  {k} = {q(annex[k])}" for k in ("number", "title", "type")]
        if annex.get("session"):
            lines.append(f"  session = {annex['session']}")
    return "\n".join(lines + [""])


def file_name_for(facts: Facts) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", facts.id.lower()).strip("-")
    words = re.sub(r"[^a-z0-9]+", "-", (facts.title or "").lower()).strip("-")[:80].strip("-")
    extension = "xml" if facts.shape == "akn" else "txt"
    return "_".join(part for part in (slug, words, (facts.date or "")[:4]) if part) + f".{extension}"


def complete(facts: Facts, symbol: str | None, session: int | None, date: str | None, title: str | None) -> Facts:
    """The facts with what the user supplied; refuses, naming the flag, what is still missing."""
    if symbol:
        match = SYMBOL.fullmatch(symbol)
        if not match:
            raise IntakeError(f"--symbol {symbol!r} is not an Assembly resolution symbol such as ICC-ASP/15/Res.5")
        facts.symbol, facts.stated_in["symbol"] = symbol, "given with --symbol"
        facts.session = facts.session or int(match.group(2))
    if session:
        facts.session, facts.stated_in["session"] = session, "given with --session"
    if date:
        try:
            facts.date = datetime.date.fromisoformat(date).isoformat()
        except ValueError:
            raise IntakeError(f"--date {date!r} is not a date such as 2016-11-24") from None
        facts.adopted.setdefault("date", facts.date)
    if title:
        facts.title, facts.stated_in["title"] = title, "given with --title"
    if facts.shape == "akn" and facts.kind not in {None, "resolution"}:  # a report or a flyer in AKN: what it names itself by
        missing = [flag for flag, value in (("--title", facts.title),) if not value]
        if facts.kind == "report" and not facts.session:
            missing.append("--session")
        if missing:
            raise IntakeError(f"the AKN text does not state its {', '.join(m.removeprefix('--') for m in missing)}; give "
                              f"{', '.join(missing)} to add it. Nothing was added")
        return facts
    if facts.kind == "report":
        missing = [flag for flag, value in (("--session", facts.session), ("--date", facts.date), ("--title", facts.title))
                   if not value]
        if missing:
            raise IntakeError(f"the report does not state its {', '.join(m.removeprefix('--') for m in missing)} in its "
                              f"first {HEAD_LINES} lines; give {', '.join(missing)} to add it. Nothing was added")
        return facts
    missing = [flag for flag, value in (("--symbol", facts.symbol), ("--session", facts.session), ("--date", facts.date),
                                        ("--title", facts.title)) if not value]
    if missing:
        raise IntakeError(f"the text does not state its {', '.join(m.removeprefix('--') for m in missing)} where an "
                          f"Assembly resolution prints them (its first {HEAD_LINES} lines); give "
                          f"{', '.join(missing)} to add it. Nothing was added")
    if not facts.adopted:
        raise IntakeError("the text does not say it was adopted ('Adopted at the ... plenary meeting, on ..., by ...'): "
                          "`add` takes adopted resolutions; for a report or a draft, write its manifest entry (README, "
                          "'Adding a document'). Nothing was added")
    facts.kind = "resolution"
    return facts


def add_to_corpus(corpus: Path, source: Path, facts: Facts) -> tuple[Path, str]:
    """Copy the text into the corpus and append its entry; returns the copy and the manifest's previous text."""
    manifest = corpus / "manifest.toml"
    before = manifest.read_text(encoding="utf-8")
    current = tomllib.loads(before)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    for document in current.get("document", []):
        if facts.id in {document.get("id"), document.get("symbol")}:
            raise IntakeError(f"{facts.id} is already in the corpus (file {document.get('file')}); "
                              f"`coopgraph remove {facts.id}` takes it out first")
        existing = corpus / document.get("file", "")
        if existing.is_file() and hashlib.sha256(existing.read_bytes()).hexdigest() == digest:
            raise IntakeError(f"this text is already in the corpus as {document.get('id')} ({document.get('file')})")
    name = file_name_for(facts)
    target = corpus / name
    if target.exists():
        raise IntakeError(f"{target} exists already; remove it or rename the text")
    tmp = target.with_name(f".{name}.tmp")
    shutil.copyfile(source, tmp)
    tmp.replace(target)
    write_atomically(manifest, (before.rstrip("\n") + "\n" + entry_for(facts, name)).encode("utf-8"))
    try:
        tomllib.loads(manifest.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:  # never leave a manifest that does not read
        restore(corpus, target, before)
        raise IntakeError(f"the new manifest entry would not read ({exc}); nothing was added") from None
    return target, before


def restore(corpus: Path, added: Path | None, manifest_text: str) -> None:
    """Put the corpus back as it was before an addition."""
    write_atomically(corpus / "manifest.toml", manifest_text.encode("utf-8"))
    if added is not None:
        added.unlink(missing_ok=True)


def remove_from_corpus(corpus: Path, doc_id: str) -> str:
    """Take a document's entry out of the manifest and its text out of the corpus; its file name."""
    manifest = corpus / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    blocks = re.split(r"(?m)^(?=\[\[)", text)
    kept, removed, skipping = [], None, False
    for block in blocks:
        if block.startswith("[[document]]"):
            table = tomllib.loads(block)["document"][0]
            skipping = table.get("id") == doc_id
            if skipping:
                removed = table.get("file")
                continue
        elif skipping and block.startswith("[[document."):
            continue  # an annex or count of the removed document
        else:
            skipping = False
        kept.append(block)
    if removed is None:
        known = [d.get("id") for d in tomllib.loads(text).get("document", [])]
        raise IntakeError(f"no document {doc_id!r} in {manifest}; the corpus holds: {', '.join(known)}")
    write_atomically(manifest, ("".join(kept).rstrip("\n") + "\n").encode("utf-8"))  # the blank line `add` put before the entry goes too
    (corpus / removed).unlink(missing_ok=True)
    return removed
