"""The pipeline: corpus text -> parse -> RDF graph -> lineage -> SHACL validation -> the files
-> the store -> the search index. `build` makes the graph in memory; `build_all` runs every step,
as `coopgraph build`, `add`, `remove` and `serve --rebuild` do, and reports each as it goes."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

from coopgraph.akn.export import annotate as annotate_akn
from coopgraph.config import Settings
from coopgraph.corpus.parse import parse_corpus
from coopgraph.graph.build import build_graph
from coopgraph.graph.entailment import materialise, super_properties
from coopgraph.graph.lexicon import load_lexicon
from coopgraph.lineage.derive import add_derivations, derive
from coopgraph.lineage.mandates import add_mandate_links


def build(settings: Settings, lineage: bool = True) -> Graph:
    """The graph of the whole corpus, in memory, with its derivation edges."""
    manifest, documents = parse_corpus(settings.corpus_dir)
    lexicon = load_lexicon(settings.ontology_dir, settings.base)
    graph = build_graph(manifest, documents, lexicon, settings.base)
    annotate_akn(graph, settings.base)  # each unit's eId and AKN IRI, by the rule its AKN export follows
    if lineage:
        add_derivations(graph, derive(graph))
        add_mandate_links(graph)  # clause by clause, along the paragraph links just written
    materialise(graph, super_properties(settings.ontology_dir))  # last: the derivations' edges have theirs too
    return graph


@dataclass
class BuildReport:
    """What a whole build did: the graph, its validation, the files written, the store loaded."""

    graph: Graph
    seconds: float
    validation: Any = None  # coopgraph.validate.Report, or None when not validated
    outputs: dict[str, Path] = field(default_factory=dict)
    loaded: int = 0
    store: str = ""
    index: Path | None = None


def build_all(settings: Settings, allow_invalid: bool = False, validate: bool = True,
              say: Callable[[str], None] = lambda _: None, warn: Callable[[str], None] = lambda _: None) -> BuildReport:
    """Every step of a build, each reported through `say` (and problems through `warn`) as it ends:
    the graph, proved by the shapes (ValidationFailed, and nothing written, when it does not conform
    and `allow_invalid` is not given), written to the output folder, loaded into the store, indexed
    for search."""
    from coopgraph import text_index
    from coopgraph.errors import ValidationFailed
    from coopgraph.graph.serialize import write_outputs
    from coopgraph.stats import class_counts
    from coopgraph.validate import format_text, load_shapes, validate_graph

    started = time.perf_counter()
    graph = build(settings)
    report = BuildReport(graph, time.perf_counter() - started)
    say(f"built {class_counts(graph)['triples']:,} triples in {report.seconds:.2f} s")
    if validate:
        report.validation = validate_graph(graph, load_shapes(settings.shapes_dir, settings.base))
        if report.validation.conforms:
            say(f"validated: {report.validation.summary()}")
        else:
            warn(format_text(report.validation, limit=50))
            if not allow_invalid:
                raise ValidationFailed(
                    f"the graph does not conform to the shapes ({report.validation.counts['Violation']} violations); "
                    f"nothing was written to {settings.output_dir}. Fix the corpus or the manifest, "
                    "or pass --allow-invalid to write it anyway"
                )
            warn("coopgraph: warning: writing a graph that does not conform (--allow-invalid)")
    report.outputs = write_outputs(graph, settings.output_dir, settings.base)
    for name, path in report.outputs.items():
        say(f"  {name:9} {path}")
    store = settings.open_store()
    started = time.perf_counter()
    report.loaded, report.store = store.load(report.outputs["ntriples"]), store.describe()
    say(f"loaded {report.loaded:,} triples into {report.store} in {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    report.index = text_index.for_store(store, settings.output_dir).path
    say(f"  search    {report.index} ({time.perf_counter() - started:.2f} s)")
    store.close()
    return report


__all__ = ["BuildReport", "build", "build_all"]
