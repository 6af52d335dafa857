"""The `coopgraph` command.

Exit codes: 0 success; 1 the answer is "no" (e.g. a query with no rows when --fail-empty);
2 bad input (a malformed corpus file, an unknown reference, a broken query).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from coopgraph.config import Settings
from coopgraph.errors import CoopgraphError


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
        except ValueError as exc:
            click.echo(f"coopgraph: error: {exc}", err=True)
            sys.exit(2)


@click.group(cls=Group)
@click.option("--base", envvar="COOPGRAPH_BASE", default=None, help="Base IRI of the graph (default https://w3id.org/coopgraph/).")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder holding corpus/, ontology/, queries/ (default: this checkout).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Where build writes the graph (default ROOT/build).")
@click.version_option(package_name="coopgraph")
@click.pass_context
def main(ctx: click.Context, base: str | None, root: Path | None, out: Path | None) -> None:
    """coopgraph: the ASP's texts on cooperation as a paragraph-level knowledge graph."""
    ctx.obj = Settings.from_env(base=base, root=root, out_dir=out)


@main.command()
@click.pass_context
def build(ctx: click.Context) -> None:
    """Parse the corpus and write the graph as Turtle, N-Triples and JSON-LD."""
    from coopgraph.graph.serialize import write_outputs
    from coopgraph.pipeline import build as build_graph
    from coopgraph.stats import class_counts

    settings = _settings(ctx)
    started = time.perf_counter()
    graph = build_graph(settings)
    outputs = write_outputs(graph, settings.output_dir, settings.base)
    elapsed = time.perf_counter() - started
    counts = class_counts(graph)
    click.echo(f"built {counts['triples']:,} triples in {elapsed:.2f} s")
    for name, path in outputs.items():
        click.echo(f"  {name:9} {path}")


@main.command()
@click.option("--by-document/--no-by-document", default=True, help="Also count units per document.")
@click.pass_context
def stats(ctx: click.Context, by_document: bool) -> None:
    """Counts per class and per document."""
    from coopgraph.pipeline import build as build_graph
    from coopgraph.stats import class_counts, document_counts

    graph = build_graph(_settings(ctx))
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

    from coopgraph.pipeline import build as build_graph
    from coopgraph.resolve import resolve as resolve_reference

    settings = _settings(ctx)
    found = resolve_reference(build_graph(settings), settings.base, reference)
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
@click.pass_context
def query(ctx: click.Context, query: str | None, query_file: Path | None, name: str | None,
          param: tuple[str, ...], list_queries: bool, fmt: str) -> None:
    """Run SPARQL given as an argument, a file (--file) or a named query (--name)."""
    from coopgraph.errors import QueryError
    from coopgraph.pipeline import build as build_graph
    from coopgraph.query import bind, format_result, named_queries, run

    settings = _settings(ctx)
    catalogue = named_queries(settings.queries_dir)
    if list_queries:
        for item in catalogue.values():
            params = ", ".join(f"{p} ({k})" for p, (k, _) in item.params.items())
            click.echo(f"{item.name}: {item.title}" + (f"  [params: {params}]" if params else ""))
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
        bindings = bind(catalogue[name], values)
        text = catalogue[name].text
    elif query_file:
        try:
            text = query_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{query_file}: cannot read the query ({exc})") from None
    else:
        text = query or ""
    click.echo(format_result(run(build_graph(settings), text, bindings), fmt))


if __name__ == "__main__":  # pragma: no cover
    main()
