"""The `coopgraph` command.

Exit codes: 0 success; 1 the graph does not conform to the shapes; 2 bad input (a malformed
corpus file, an unknown reference, a broken query, a setting out of range); 3 `serve` cannot
listen; 70 an internal error (a fault of coopgraph, not of the input: please report it); 74 a
file cannot be written.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rdflib import Graph, URIRef

from coopgraph.config import Settings
from coopgraph.errors import CoopgraphError

if TYPE_CHECKING:
    from coopgraph.lineage.engine import Lineage
    from coopgraph.store import Store


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj  # type: ignore[no-any-return]


class Group(click.Group):
    """Turns every CoopgraphError into its message and exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except CoopgraphError as exc:
            click.echo(f"coopgraph: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # a fault of the program, not of the input
            click.echo(f"coopgraph: internal error: {exc}; this is a fault of coopgraph, not of your input: "
                       "please report it with the command you ran", err=True)
            sys.exit(70)  # EX_SOFTWARE
        except BrokenPipeError:  # the reader went away (`coopgraph ... | head`): nothing to say
            sys.stderr.close()
            sys.exit(141)
        except OSError as exc:  # a full disk, a file-size limit, a folder that cannot be written
            click.echo(f"coopgraph: error: {exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}; "
                       "the previous outputs are left as they were", err=True)
            sys.exit(74)  # EX_IOERR


@click.group(cls=Group)
@click.option("--base", envvar="COOPGRAPH_BASE", default=None, help="Base IRI of the graph (default https://w3id.org/coopgraph/).")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder holding corpus/, ontology/, shapes/, queries/ (default: this checkout, or the copy the "
                   "installed package ships). Also COOPGRAPH_HOME.")
@click.option("--corpus", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="The corpus folder (manifest.toml and the texts); default ROOT/corpus. Also COOPGRAPH_CORPUS.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Where build writes the graph (default: ROOT/build in a checkout, ./build when installed). "
                   "Also COOPGRAPH_OUT.")
@click.option("--store", default=None,
              help="Where the graph lives: memory, oxigraph:PATH (default: oxigraph in OUT/store) or sparql:URL "
                   "(any SPARQL 1.1 server, e.g. Virtuoso). Also COOPGRAPH_STORE.")
@click.version_option(package_name="coopgraph")
@click.pass_context
def main(ctx: click.Context, base: str | None, root: Path | None, corpus: Path | None, out: Path | None,
         store: str | None) -> None:
    """coopgraph: the ASP's texts on cooperation as a paragraph-level knowledge graph."""
    ctx.obj = Settings.from_env(base=base, root=root, corpus=corpus, out_dir=out, store=store)


@main.command()
@click.option("--allow-invalid", is_flag=True, help="Write the graph even if it violates the shapes (the report is still printed).")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation (faster; the graph is not proven whole).")
@click.pass_context
def build(ctx: click.Context, allow_invalid: bool, no_validate: bool) -> None:
    """Parse the corpus, validate the graph, and write it as Turtle, N-Triples and JSON-LD."""
    _build(_settings(ctx), allow_invalid, no_validate)


def _build(settings: Settings, allow_invalid: bool = False, no_validate: bool = False) -> Graph:
    """The whole build (coopgraph.pipeline.build_all), each step reported on the terminal."""
    from coopgraph.pipeline import build_all
    from coopgraph.progress import working

    with working("building the graph") as work:  # each step's own line says what is done
        return build_all(settings, allow_invalid, not no_validate, say=work.note,
                         warn=lambda text: work.note(text, err=True)).graph


def serve_options(command: Any) -> Any:
    """The flags of `serve`, one per setting declared in coopgraph.web.settings (with its variable and
    default in the help): a setting added there is a flag here and a row of the README's table."""
    from coopgraph.web.settings import SETTINGS, env_name, flag_name, shown_default

    for item in reversed(SETTINGS):
        kind = type(item.default) if item.default is not dataclasses.MISSING else int
        low, high = item.metadata["low"], item.metadata["high"]
        option_type: Any = ((click.IntRange(min=low, max=high) if kind is int else click.FloatRange(min=low, max=high))
                            if low is not None else kind)
        command = click.option(flag_name(item), item.name, type=option_type, default=None,
                               help=f"{item.metadata['what']} (default {shown_default(item)}; {env_name(item)})")(command)
    return command


def _index_texts(store: object, settings: Settings, say: Callable[[str], Any] = click.echo) -> None:
    """The full-text index of the graph just loaded, beside the store (coopgraph.text_index)."""
    from coopgraph import text_index

    started = time.perf_counter()
    index = text_index.for_store(store, settings.output_dir)
    say(f"  search    {index.path} ({time.perf_counter() - started:.2f} s)")


def _check_port_free(host: str, port: int) -> None:
    """Fail at once, with what to do, when the address is taken: before building or starting workers."""
    import errno
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: a closing socket does not count
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno in {errno.EADDRINUSE, errno.EACCES}:
                from coopgraph.errors import PortInUse

                why = "is already in use (another server, or coopgraph serve running already?)" if exc.errno == errno.EADDRINUSE \
                    else "needs privileges this user lacks"
                raise PortInUse(f"port {port} on {host} {why}; choose another with --port PORT or COOPGRAPH_PORT") from None
            raise


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--symbol", default=None, help="The document symbol, when the text does not print it (ICC-ASP/15/Res.5).")
@click.option("--session", type=int, default=None, help="The Assembly session, when the text does not state it.")
@click.option("--date", default=None, help="The adoption date (YYYY-MM-DD), when the text does not state it.")
@click.option("--title", default=None, help="The title, when the text does not print it under the symbol.")
@click.pass_context
def add(ctx: click.Context, file: Path, symbol: str | None, session: int | None, date: str | None, title: str | None) -> None:
    """Add an adopted resolution or a Bureau report to the corpus from its plain text, or any text
    from its Akoma Ntoso 3.0 XML (coopgraph's export or another producer's): read what it is from
    the text (symbol, session, adoption, title; a report's date, session heading and its annexes
    that are texts of their own), write its manifest entry, build, validate, and say what it holds
    and how it links to the texts already there. Nothing is guessed: a fact the text does not
    state must be given (--symbol, --session, --date, --title)."""
    from coopgraph.corpus.akn_document import facts_of_akn, is_akn
    from coopgraph.corpus.intake import IntakeError, add_to_corpus, complete, read_facts, restore

    settings = _settings(ctx)
    corpus = settings.corpus_dir
    if not os.access(corpus, os.W_OK):
        raise IntakeError(f"the corpus folder {corpus} cannot be written (the installed package's own copy?); "
                          "give --corpus DIR with a corpus of your own")
    data = file.read_bytes()
    if is_akn(data):
        found = facts_of_akn(data, str(file))
    else:
        try:
            found = read_facts(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise IntakeError(f"{file} is not UTF-8 text (byte {exc.start}); save it as plain UTF-8 text") from None
    facts = complete(found, symbol, session, date, title)
    added, before = add_to_corpus(corpus, file, facts)
    what = {"resolution": "adopted resolution", "report": "Bureau report"}.get(facts.kind or "", (facts.kind or "text").replace("-", " "))
    annexes = "".join(f"; annex {a['number']}: {a['type'].replace('-', ' ')}" for a in facts.annexes)
    click.echo(f"{facts.id}: {what}{f' of session {facts.session}' if facts.session else ''}, {facts.date or 'undated'}, \"{facts.title}\"{annexes} -> {added.name}")
    try:
        graph = _build(settings)
    except BaseException:
        restore(corpus, added, before)
        click.echo(f"coopgraph: the build failed; {facts.id} was taken out again and the corpus is as it was", err=True)
        raise
    click.echo(_added_summary(graph, settings.base, facts.id))


def _added_summary(graph: Graph, base: str, doc_id: str) -> str:
    """What a new document holds, and its links to the documents already in the corpus."""
    from collections import Counter

    from coopgraph.graph.iris import Iris
    from coopgraph.lineage.units import document_of
    from coopgraph.terms import CG, PROV, RDF, RDFS

    document = f"{Iris(base).doc(doc_id)}/"
    units = [u for u in graph.subjects(CG.text, None) if str(u).startswith(document)]  # with its annexes
    kinds = Counter(str(t).rsplit("#", 1)[-1] for u in units for t in graph.objects(u, RDF.type))
    mandates = [m for u in units for m in graph.objects(u, CG.mandate)]
    citations = [c for u in units for c in graph.objects(u, CG.citation)]
    links: Counter[tuple[str, str]] = Counter()
    for unit in units:
        for node in graph.objects(unit, CG.qualifiedDerivation):
            earlier = graph.value(node, PROV.entity)
            other = document_of(graph, earlier) if earlier is not None else None  # type: ignore[arg-type]
            label = str(graph.value(other if other is not None else earlier, RDFS.label) or other or earlier)
            links[(label, str(graph.value(node, CG.derivationType)).rsplit("#", 1)[-1])] += 1
    lines = [f"units: {', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}", f"mandates: {len(mandates)}",
             f"citations: {len(citations)}", "links to the corpus:"]
    lines += [f"  {n:3} {kind:9} -> {label}" for (label, kind), n in sorted(links.items(), key=lambda x: (-x[1], x[0]))] or ["  none"]
    return "\n".join(lines)


@main.command()
@click.argument("out_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--triples", type=click.IntRange(min=1_000), default=1_000_000, show_default=True,
              help="About how many triples to write.")
@click.option("--sessions", type=click.IntRange(min=2, max=60), default=30, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
@click.pass_context
def synthetic(ctx: click.Context, out_file: Path, triples: int, sessions: int, seed: int) -> None:
    """Write a synthetic archive of resolutions (N-Triples), shaped as the real graph is: the graphs
    the benchmarks load (bench/peers.py, bench/stores.py), for anyone to load with `coopgraph load`."""
    from coopgraph.progress import working
    from coopgraph.synthetic import write

    started = time.monotonic()
    with working(f"writing {out_file.name}", total=triples) as work:
        count = write(out_file, _settings(ctx).base, triples, sessions=sessions, seed=seed, progress=work.advance)
    click.echo(f"wrote {count:,} triples to {out_file} in {time.monotonic() - started:.1f} s")


@main.command()
@click.argument("doc_id")
@click.pass_context
def remove(ctx: click.Context, doc_id: str) -> None:
    """Take a document (by its id, e.g. ICC-ASP/15/Res.5) out of the corpus, its manifest entry and
    its text, and rebuild the graph without it."""
    from coopgraph.corpus.intake import remove_from_corpus

    removed = remove_from_corpus(_settings(ctx).corpus_dir, doc_id)
    click.echo(f"removed {doc_id} ({removed}); rebuilding the graph without it")
    ctx.invoke(build, allow_invalid=False, no_validate=False)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text",
              help="text: grouped by focus node; json or turtle: the machine-readable report.")
@click.option("--only", is_flag=True, help="Validate the FILES alone, not merged with the built graph.")
@click.option("--max-size", type=int, default=20, show_default=True, help="Largest graph file accepted, in MB.")
@click.option("--limit", type=int, default=200, show_default=True, help="Most results shown in the text report.")
@click.option("--engine", type=click.Choice(["turbo", "pyshacl"]), default=None,
              help="SHACL engine: turbo (fast, default) or pyshacl (the reference); also COOPGRAPH_SHACL_ENGINE.")
@click.option("--akn", is_flag=True, help="FILES are Akoma Ntoso: check them against the OASIS schema and coopgraph's profile.")
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], fmt: str, only: bool, max_size: int, limit: int,
             engine: str | None, akn: bool) -> None:
    """Validate the built graph, or FILES (Turtle, N-Triples, JSON-LD) merged with it, against the shapes;
    with --akn, FILES are Akoma Ntoso 3.0 XML checked against the schema and the profile.

    Exit 0: conforms (warnings and notes allowed); 1: violations; 2: unreadable input.
    """
    if akn:
        _validate_akn(files)
        return
    from coopgraph.graph.iris import Iris
    from coopgraph.graph.serialize import context
    from coopgraph.graphfile import read_graph_file
    from coopgraph.progress import working
    from coopgraph.validate import engine_from_env, format_text, load_shapes, to_json, to_turtle, validate_file, validate_graph

    settings = _settings(ctx)
    shapes = load_shapes(settings.shapes_dir, settings.base)
    contexts = {Iris(settings.base).context: context(settings.base)["@context"]}
    with working("validating " + (", ".join(path.name for path in files) or "the built graph")):
        if only and len(files) == 1 and (engine or engine_from_env()) == "turbo":  # large archives: no rdflib read
            report = validate_file(files[0], shapes, settings.base, max_size * 1_048_576, contexts)
        else:
            extra = [read_graph_file(path, settings.base, contexts=contexts, max_bytes=max_size * 1_048_576)
                     for path in files]
            graph = Graph() if only and files else _built_graph(settings)
            for part in extra:
                graph += part
            report = validate_graph(graph, shapes, engine)
    if fmt == "json":
        click.echo(to_json(report))
    elif fmt == "turtle":
        click.echo(to_turtle(report))
    else:
        click.echo(format_text(report, limit=limit))
    if not report.conforms:
        sys.exit(1)


def _validate_akn(files: tuple[Path, ...]) -> None:
    from coopgraph.akn.check import check_file
    from coopgraph.akn.naming import AknError

    if not files:
        raise AknError("give the AKN files to check: coopgraph validate --akn FILE...")
    failed = False
    for path in files:
        problems = check_file(path)
        failed = failed or bool(problems)
        click.echo(f"{path}: " + ("valid (OASIS AKN 3.0 schema and coopgraph's profile)" if not problems else f"{len(problems)} problem(s)"))
        for problem in problems:
            click.echo(f"  {problem}")
    if failed:
        sys.exit(1)


@main.command()
@click.argument("reference", required=False)
@click.option("--format", "fmt", type=click.Choice(["akn"]), default="akn", show_default=True,
              help="akn: Akoma Ntoso 3.0 XML (OASIS LegalDocML), checked against its schema before it is written.")
@click.option("--all", "everything", is_flag=True, help="Every text of the corpus, one file each, into --to (a folder).")
@click.option("--to", "target", type=click.Path(path_type=Path), default=None,
              help="The file (one text) or folder (--all) to write; one text goes to standard output without it.")
@click.pass_context
def export(ctx: click.Context, reference: str | None, fmt: str, everything: bool, target: Path | None) -> None:
    """Write a corpus text (REFERENCE: its symbol or name, e.g. ICC-ASP/14/Res.3), or --all of them, as
    Akoma Ntoso 3.0: every unit with its eId (the rule in the README), footnotes, citations as refs,
    annexes as attachments. Nothing invalid is written: each file is checked first (exit 1 if not)."""
    from coopgraph.akn.check import check_bytes
    from coopgraph.akn.export import export_document, exportable
    from coopgraph.akn.naming import AknError, number_segment
    from coopgraph.files import write_atomically
    from coopgraph.graph.iris import Iris
    from coopgraph.resolve import resolve as resolve_reference

    settings = _settings(ctx)
    if everything == (reference is not None):
        raise AknError("give one text (REFERENCE) or --all, not both and not neither")
    graph = _graph(settings)
    documents = exportable(graph) if everything else [resolve_reference(graph, settings.base, str(reference)).iri]
    for document in documents:
        data = export_document(graph, settings.base, URIRef(document))
        problems = check_bytes(data, str(document), graph, URIRef(document))
        if problems:
            raise AknError(f"the AKN of <{document}> does not pass its checks, so it is not written:\n  " + "\n  ".join(problems[:20]))
        if everything:
            folder = target or settings.output_dir / "akn"
            name = number_segment(Iris(settings.base).relative(str(document))[len("doc/"):]) + ".xml"
            write_atomically(folder / name, data)
            click.echo(f"  {folder / name}")
        elif target is not None:
            write_atomically(target, data)
            click.echo(f"wrote {target}")
        else:
            click.echo(data.decode("utf-8"), nl=False)


def _graph(settings: Settings) -> Graph:
    """The graph in the store, or, when nothing is built yet, the graph built from the corpus now."""
    return _store(settings).graph()


def _store(settings: Settings) -> Store:
    """The store, or, when nothing is built yet, an in-memory store of the graph built from the corpus now."""
    from coopgraph.pipeline import build as build_graph
    from coopgraph.store.memory import MemoryStore

    store = settings.open_store()
    if store.is_loaded():
        return store
    click.echo(f"coopgraph: note: nothing built in {store.describe()}; using the graph built from the corpus now", err=True)
    return MemoryStore.holding(build_graph(settings), settings.base)


def _built_graph(settings: Settings) -> Graph:
    """The graph `build` wrote, or, when there is none yet, the graph built from the corpus now."""
    from coopgraph.graphfile import read_graph_file
    from coopgraph.pipeline import build as build_graph

    built = settings.output_dir / "coopgraph.nt"
    if built.is_file():
        return read_graph_file(built, settings.base, max_bytes=1 << 40)
    click.echo(f"coopgraph: note: no built graph at {built}; validating the graph built from the corpus now", err=True)
    return build_graph(settings)


@main.command()
@click.option("--by-document/--no-by-document", default=True, help="Also count units per document.")
@click.pass_context
def stats(ctx: click.Context, by_document: bool) -> None:
    """Counts per class and per document."""
    from coopgraph.stats import class_counts, document_counts

    graph = _graph(_settings(ctx))
    for name, count in class_counts(graph).items():
        click.echo(f"{name:22} {count:>7,}")
    if by_document:
        click.echo("")
        for doc, counter in document_counts(graph).items():
            parts = ", ".join(f"{cls} {n}" for cls, n in sorted(counter.items()))
            click.echo(f"{doc}: {parts}")


@main.command()
@click.argument("reference")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def resolve(ctx: click.Context, reference: str, fmt: str) -> None:
    """Print the IRI, label and text of a reference such as "ICC-ASP/14/Res.3, para. 27"."""
    import json

    from coopgraph.resolve import resolve as resolve_reference

    settings = _settings(ctx)
    found = resolve_reference(_graph(settings), settings.base, reference)
    if fmt == "json":
        click.echo(json.dumps({"iri": str(found.iri), "label": found.label, "text": found.text}, ensure_ascii=False, indent=1))
    else:
        click.echo(f"{found.label}\n<{found.iri}>")
        if found.text:
            click.echo(f"\n{found.text}")


@main.command()
@click.argument("query", required=False)
@click.option("--file", "-f", "query_file", type=click.Path(path_type=Path, dir_okay=False), help="Read the query from a file.")
@click.option("--name", "-n", help="Run a named query from queries/ (see --list).")
@click.option("--param", "-p", multiple=True, help="A named query's parameter, NAME=VALUE.")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@click.option("--timeout", type=click.FloatRange(min=0.1), envvar="COOPGRAPH_QUERY_TIMEOUT", default=10.0, show_default=True,
              help="Seconds the query may run before it is stopped, as on the endpoint.")
@click.pass_context
def query(ctx: click.Context, query: str | None, query_file: Path | None, name: str | None,
          param: tuple[str, ...], list_queries: bool, fmt: str, timeout: float) -> None:
    """Run SPARQL given as an argument, a file (--file) or a named query (--name)."""
    from coopgraph.errors import QueryError
    from coopgraph.sparql.named import bind, named_queries

    settings = _settings(ctx)
    catalogue = named_queries(settings.queries_dir)
    if list_queries:
        for entry in catalogue.values():
            params = ", ".join(f"{p} ({k})" for p, (k, _) in entry.params.items())
            click.echo(f"{entry.name}: {entry.title}" + (f"  [params: {params}]" if params else ""))
        return
    sources = [s for s in (query, query_file, name) if s]
    if len(sources) != 1:
        raise QueryError("give exactly one of: a query argument, --file FILE, or --name NAME")
    bindings = {}
    if name:
        if name not in catalogue:
            raise QueryError(f"no named query {name!r}; there are: {', '.join(catalogue)}")
        values = {}
        for item in param:
            if "=" not in item:
                raise QueryError(f"--param takes NAME=VALUE, got {item!r}")
            key, value = item.split("=", 1)
            values[key] = value
        from coopgraph.resolve import resolve_parameter

        named = catalogue[name]
        graph = _graph(settings) if any(named.params.get(k, ("",))[0] == "iri" for k in values) else None
        values = {k: (str(resolve_parameter(graph, settings.base, k, named.examples.get(k, ""), v))
                      if graph is not None and named.params.get(k, ("",))[0] == "iri" else v) for k, v in values.items()}
        bindings = bind(named, values)
        text = named.text
    elif query_file:
        try:
            text = query_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{query_file}: cannot read the query ({exc})") from None
    else:
        text = query or ""
    store = _store(settings)
    click.echo(_answer_within(store, text, bindings, fmt, timeout))


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def format_rows(rows: Any, fmt: str) -> str:
    """An answer as the command line prints it: a table, CSV, or the standard JSON results
    (Turtle or JSON-LD for CONSTRUCT and DESCRIBE)."""
    import csv
    import io
    import json

    from coopgraph.sparql.formats import serialize_ask, serialize_rows
    from coopgraph.terms import bind_prefixes

    if rows.kind == "ASK":
        return serialize_ask(bool(rows.boolean), "json").decode() if fmt == "json" else str(bool(rows.boolean)).lower()
    if rows.kind == "GRAPH":
        assert rows.graph is not None
        return bind_prefixes(rows.graph).serialize(format="json-ld" if fmt == "json" else "turtle")
    if fmt == "json":
        return json.dumps(json.loads(serialize_rows(rows.variables, rows.rows, "json", None)), indent=1, ensure_ascii=False)
    cells = [[_cell(value) for value in row] for row in rows.rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(rows.variables)
        writer.writerows(cells)
        return buffer.getvalue().rstrip("\n")
    names = rows.variables
    widths = [min(60, max([len(n)] + [len(r[i]) for r in cells])) for i, n in enumerate(names)]
    lines = [" | ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)), "-+-".join("-" * w for w in widths)]
    for row in cells:
        lines.append(" | ".join((c if len(c) <= w else c[: w - 1] + "…").ljust(w) for c, w in zip(row, widths, strict=True)))
    lines.append(f"({len(cells)} rows)")
    return "\n".join(lines)


def _answer_within(store: Store, text: str, bindings: dict[str, Any], fmt: str, timeout: float) -> str:
    """The query answered in a child process, as the endpoint's workers answer it: without network
    (a local store), stopped at `timeout`, and an engine that crashes is said so, not a silent exit."""
    import multiprocessing
    import signal

    from coopgraph.errors import QueryError
    from coopgraph.sparql.check import run

    def answer(conn: Any) -> None:
        try:
            if not store.queries_reach_network:  # a local store needs no network: leave it, as the server's query workers do
                from coopgraph.sparql.sandbox import isolate_network

                isolate_network()  # where namespaces are not allowed, the query check alone refuses SERVICE
            conn.send(("ok", format_rows(run(store, text, bindings), fmt)))
        except CoopgraphError as exc:
            conn.send(("error", exc))
        except BaseException as exc:  # reported in the parent, which says it is a fault of the program
            conn.send(("fault", f"{exc}"))

    parent, child = multiprocessing.get_context("fork").Pipe(duplex=False)
    worker = multiprocessing.get_context("fork").Process(target=answer, args=(child,), daemon=True)
    worker.start()
    child.close()
    if not parent.poll(timeout):
        worker.kill()
        worker.join(5)
        raise QueryError(f"the query ran longer than {timeout:g} s and was stopped; make it cheaper, or give --timeout "
                         "to allow it more time")
    try:
        kind, value = parent.recv()
    except EOFError:
        worker.join(5)
        crashed = worker.exitcode == -signal.SIGSEGV
        raise QueryError("the query crashed the query engine (a query nested far deeper than queries need ends this way)"
                         if crashed else f"the query stopped the process that answered it (exit {worker.exitcode})") from None
    worker.join(5)
    if kind == "error":
        raise value  # type: ignore[misc]
    if kind == "fault":
        raise ValueError(value)  # a fault of the program: the command says so (exit 70)
    return str(value)


def _lineage_and_node(settings: Settings, reference: str) -> tuple[Lineage, str]:
    from coopgraph.lineage.engine import Lineage
    from coopgraph.resolve import resolve as resolve_reference

    graph = _graph(settings)
    found = resolve_reference(graph, settings.base, reference)
    return Lineage(graph), str(found.iri)


@main.command()
@click.argument("reference")
@click.option("--direction", type=click.Choice(["up", "down", "both"]), default="up", show_default=True,
              help="up: where it came from; down: where it went.")
@click.option("--depth", type=click.IntRange(min=1), default=None, help="How many steps to follow (default: all).")
@click.option("--types", default=None,
              help="Edge types to follow, comma-separated: repeats, amends, restates, reportsOn, citesUnit, buildsOn.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Leave out edges less sure than this.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonld", "dot", "mermaid"]), default="text")
@click.pass_context
def lineage(ctx: click.Context, reference: str, direction: str, depth: int | None, types: str | None,
            min_confidence: float, fmt: str) -> None:
    """Where a unit came from (--direction up) and where it went (down), step by step with evidence.

    REFERENCE is anything `resolve` accepts ("ICC-ASP/14/Res.3, para. 27") or an IRI.
    """
    from coopgraph.errors import QueryError
    from coopgraph.graph.serialize import context
    from coopgraph.lineage import render
    from coopgraph.lineage.engine import EDGE_TYPES

    settings = _settings(ctx)
    chosen = None
    if types:
        chosen = frozenset(t.strip() for t in types.split(",") if t.strip())
        unknown = sorted(chosen - set(EDGE_TYPES))
        if unknown:
            raise QueryError(f"--types: unknown edge type(s) {', '.join(unknown)}; choose from {', '.join(EDGE_TYPES)}")
    from coopgraph.lineage.mandates import clause_chains, clause_chains_json
    from coopgraph.terms import CG, RDF

    engine, iri = _lineage_and_node(settings, reference)
    trace = engine.trace(iri, direction, depth, chosen)
    trace.steps = [s for s in trace.steps if s.edge.confidence >= min_confidence]
    chains = clause_chains(engine.graph, URIRef(iri))
    if fmt == "json":
        click.echo(render.as_json(render.trace_data(trace, clause_chains_json(engine.graph, chains, engine.gap_note))))
    elif fmt == "jsonld":
        click.echo(render.trace_jsonld(engine, trace, context(settings.base)["@context"]))
    elif fmt == "dot":
        click.echo(render.trace_dot(trace))
    elif fmt == "mermaid":
        click.echo(render.trace_mermaid(trace))
    else:
        text = render.trace_text(trace)
        if chains:  # a mandate, or a paragraph that holds mandates: one chain per clause, apart from the text links
            head = ("Mandate chains (one per clause; a chain follows only clauses that ask the same addressee):\n"
                    + render.clause_chains_text(engine, chains))
            mandate = (URIRef(iri), RDF.type, CG.Mandate) in engine.graph
            text = head if mandate else head + "\n\nText links (paragraph to paragraph):\n" + text
        click.echo(text)


@main.command()
@click.argument("reference")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the memo to this file (written whole, or not at all) instead of printing it.")
@click.pass_context
def memo(ctx: click.Context, reference: str, fmt: str, out_file: Path | None) -> None:
    """A printable memo of a unit's or mandate's whole chain: the quotations, diffs, pinpoints
    (symbol, paragraph, footnotes, source lines), legal status, stated or inferred, and confidence."""
    from coopgraph.lineage.memo import build_memo, memo_html, memo_markdown

    settings = _settings(ctx)
    engine, iri = _lineage_and_node(settings, reference)
    store = settings.open_store()
    document = build_memo(engine, iri, store.version() if store.is_loaded() else None)
    text = memo_html(document) if fmt == "html" else memo_markdown(document)
    if fmt == "html":
        text = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + document.title.replace("<", "&lt;")
                + "</title></head><body>" + text + "</body></html>\n")
    if out_file is None:
        click.echo(text, nl=False)
        return
    from coopgraph.files import write_atomically

    write_atomically(out_file, text.encode("utf-8"))
    click.echo(f"wrote {out_file}", err=True)


@main.command()
@click.argument("earlier")
@click.argument("later")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def changes(ctx: click.Context, earlier: str, later: str, fmt: str) -> None:
    """Which units of LATER are new, carried over, amended or restated from EARLIER, and which of
    EARLIER's units were dropped. Both are documents (or annexed documents, "asp15-bureau-report-cooperation annex I")."""
    from coopgraph.errors import ReferenceNotFound
    from coopgraph.lineage import render
    from coopgraph.resolve import resolve as resolve_reference
    from coopgraph.terms import CG, RDF

    engine, earlier_iri = _lineage_and_node(_settings(ctx), earlier)
    later_iri = str(resolve_reference(engine.graph, _settings(ctx).base, later).iri)
    for reference, iri in ((earlier, earlier_iri), (later, later_iri)):
        if (URIRef(iri), RDF.type, CG.CorpusDocument) not in engine.graph:
            raise ReferenceNotFound(reference, f"<{iri}> is not a document of the corpus; give a document or an annexed document")
    rows = engine.changes(earlier_iri, later_iri)
    click.echo(render.as_json(render.changes_data(rows)) if fmt == "json" else render.changes_text(engine, rows))


@main.command()
@click.argument("reference")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def timeline(ctx: click.Context, reference: str, fmt: str) -> None:
    """A mandate's timeline (issued, renewed, reported on, due, status) or what became of a
    recommendation. REFERENCE is a mandate, a paragraph that issues mandates, or a recommendation."""

    from coopgraph.errors import ReferenceNotFound
    from coopgraph.lineage import render
    from coopgraph.lineage.timeline import timelines_for

    engine, iri = _lineage_and_node(_settings(ctx), reference)
    timelines = timelines_for(engine, iri)
    if timelines is None:
        raise ReferenceNotFound(reference, f"<{iri}> is neither a recommendation nor a mandate, and issues no mandate")
    if fmt == "json":
        click.echo(render.as_json([render.timeline_data(t) for t in timelines]))
    else:
        click.echo("\n\n".join(render.timeline_text(t) for t in timelines))


@main.command()
@serve_options
@click.option("--log-level", type=click.Choice(["debug", "info", "warning"]), default="info")
@click.option("--rebuild", is_flag=True, help="Build the graph anew before serving it (after making sure the port is free).")
@click.pass_context
def serve(ctx: click.Context, log_level: str, rebuild: bool, **given: Any) -> None:
    """Serve the graph: SPARQL endpoint, linked data, lineage API and the browser UI.

    Builds the graph first when there is none in the output folder, or always with --rebuild; a port
    that is taken is refused before anything is built (a running server's store is left alone).
    """
    import logging

    import uvicorn

    from coopgraph.store import StoreError
    from coopgraph.web.app import create_app
    from coopgraph.web.settings import ServeSettings

    settings = ServeSettings.from_env(_settings(ctx), **given)
    _check_port_free(settings.host, settings.port)
    if rebuild:
        ctx.invoke(build, allow_invalid=False, no_validate=False)
    store = settings.project.open_store()
    if not store.is_loaded():
        if settings.project.store is not None:  # a store the user named: say so rather than build into it
            raise StoreError(f"the store {store.describe()} holds no graph: run `coopgraph --store "
                             f"{settings.project.store_spec} build` (or `load FILE.nt`) first")
        click.echo(f"coopgraph: no built graph in {store.describe()}; building it now", err=True)
        ctx.invoke(build, allow_invalid=False, no_validate=False)
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from coopgraph.sparql.sandbox import query_isolation
    from coopgraph.web.connections import uvicorn_options

    isolation = query_isolation(settings.project.store_spec)
    click.echo(f"coopgraph: query workers {'run without network' if isolation is None else 'are NOT isolated from the network: ' + isolation}",
               err=True)
    if store.writable_by_queries():
        click.echo("coopgraph: WARNING: the store's SPARQL user may write (it accepted an update): a query the check "
                   "misses could change or replace the graph. Serve through a read-only user (Virtuoso: a user with "
                   "SPARQL_SELECT and neither SPARQL_UPDATE nor SPARQL_SPONGE; see the README).", err=True)
    options = uvicorn_options(settings)
    if settings.workers == 1:
        app = create_app(settings)
        click.echo(f"coopgraph: serving {store.describe()} on http://{settings.host}:{settings.port}/", err=True)
        uvicorn.run(app, log_level=log_level, access_log=False, **options)
        return
    store = settings.project.open_store()
    store.version()  # fail here, clearly, rather than in every server process
    click.echo(f"coopgraph: serving {store.describe()} on http://{settings.host}:{settings.port}/ "
               f"with {settings.workers} server processes", err=True)
    store.close()
    os.environ.update(settings.environment())
    uvicorn.run("coopgraph.web.app:app_from_environment", factory=True, workers=settings.workers,
                log_level=log_level, access_log=False, **options)


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.pass_context
def load(ctx: click.Context, file: Path) -> None:
    """Load an N-Triples FILE into the store as its corpus graph, replacing the previous one whole.

    For archives built elsewhere (or the synthetic ones of bench/); `build` loads its own graph.
    """
    from coopgraph.progress import working

    settings = _settings(ctx)
    store = settings.open_store()
    started = time.perf_counter()
    with working(f"loading {file.name}") as work:
        count = store.load(file)
        work.note(f"loaded {count:,} triples into {store.describe()} in {time.perf_counter() - started:.2f} s")
        work.describe("indexing the texts for search")
        _index_texts(store, settings, work.note)
    store.close()


if __name__ == "__main__":  # pragma: no cover
    main()
