"""The data model as a reader sees it: the reference of every class and property, generated from
`ontology/` by pyLODE, and the page around it (the diagram, the prefixes, the questions)."""

from __future__ import annotations

import functools
from pathlib import Path


@functools.cache
def reference_html(ontology_file: Path) -> str:
    """pyLODE's documentation of the ontology: one self-contained page (its styles inline, no
    script, nothing fetched), made once per server process."""
    from pylode import OntPub

    return str(OntPub(ontology=str(ontology_file)).make_html())
