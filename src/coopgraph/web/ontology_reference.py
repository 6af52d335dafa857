"""The data model as a reader sees it: the reference of every class and property, generated from
`ontology/` by pyLODE, and the page around it (the diagram, the prefixes, the questions)."""

from __future__ import annotations

import functools
from pathlib import Path


@functools.cache
def reference_html(ontology_file: Path) -> str:
    """pyLODE's documentation of the ontology: one self-contained page (its styles inline, no
    script, nothing fetched), made once per server process."""
    import gc
    import warnings

    from pylode import OntPub

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        page = str(OntPub(ontology=str(ontology_file)).make_html())
        gc.collect()  # pyLODE leaves its stylesheet's file open: closed here, its warning with it
    return page
