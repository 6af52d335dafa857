"""The check's verdict as the endpoint gives it: the checked query, or (status, message), the status
from the server's one table (coopgraph.web.errors)."""

from __future__ import annotations

from coopgraph.errors import QueryError
from coopgraph.sparql.check import CheckedQuery, check
from coopgraph.web.errors import status_of


def verdict(text: str, own_graphs: set[str], lexical: bool = False) -> CheckedQuery | tuple[int, str]:
    try:
        return check(text, own_graphs, lexical=lexical)
    except QueryError as refusal:
        return status_of(refusal), str(refusal)
