"""Read the corpus: the manifest, then each source file through the parser for its shape."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coopgraph.corpus.akn_document import parse_akn
from coopgraph.corpus.bureau_report import parse_bureau_report
from coopgraph.corpus.clean import Line, read_lines, vocabulary
from coopgraph.corpus.flyer import parse_flyer
from coopgraph.corpus.footnotes import check_footnote_markers
from coopgraph.corpus.manifest import DocumentEntry, Manifest, load_manifest
from coopgraph.corpus.records import ParsedDocument
from coopgraph.corpus.resolution import parse_resolution
from coopgraph.errors import CorpusError

Parser = Callable[[DocumentEntry, list[Line], frozenset[str]], ParsedDocument]

PARSERS: dict[str, Parser] = {
    "resolution": parse_resolution,
    "bureau-report": parse_bureau_report,  # a Bureau report, in either layout (read from its text)
    "bureau-report-2016": parse_bureau_report,  # former names, kept so that older manifests still read
    "bureau-report-2007": parse_bureau_report,
    "flyer": parse_flyer,
    "akn": parse_akn,  # a text in Akoma Ntoso 3.0, whichever its kind: its markup says what each part is
}

MAX_SOURCE_BYTES = 5_000_000


def read_source(path: Path) -> str:
    """A source file's text; refuses binary, non-UTF-8, empty and oversized files by name."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"cannot read: {exc.strerror}", path) from None
    if len(data) > MAX_SOURCE_BYTES:
        raise CorpusError(f"{len(data):,} bytes is more than a source document may hold ({MAX_SOURCE_BYTES:,})", path)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise CorpusError("contains a NUL byte: is this a binary file?", path, line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CorpusError(f"is not UTF-8 (byte {data[exc.start]:#04x})", path, line) from None
    if not text.strip():
        raise CorpusError("is empty", path)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_corpus(corpus_dir: Path) -> tuple[Manifest, list[ParsedDocument]]:
    """Every document of the manifest, parsed; the first malformed one stops the build."""
    manifest = load_manifest(corpus_dir / "manifest.toml")
    texts = {entry.id: read_source(corpus_dir / entry.file) for entry in manifest.documents}
    documents = []
    for entry in manifest.documents:
        # Broken words are rejoined against the vocabulary of the *other* documents, so a
        # fragment that extraction produced in this one never counts as a word.
        vocab = vocabulary(text for doc_id, text in texts.items() if doc_id != entry.id)
        try:
            document = PARSERS[entry.shape](entry, read_lines(texts[entry.id]), vocab)
        except CorpusError as exc:
            if exc.path is None:
                raise CorpusError(exc.message, corpus_dir / entry.file, exc.line) from None
            raise
        if not document.notes_at_markers:
            check_footnote_markers(document)  # one rule for every document read from its layout
        documents.append(document)
    return manifest, documents
