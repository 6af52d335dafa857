"""Errors as HTTP statuses, in one place: the app's exception handlers, the routes and the query
workers (which are handed `status_of` by the server that starts them) all read this table."""

from __future__ import annotations

from coopgraph.errors import (
    CoopgraphError,
    ParameterError,
    QueryForbidden,
    QuerySyntaxError,
    ReferenceNotFound,
)

# the most specific class that matches wins: the table is read in the order of each error's classes
STATUS: dict[type[BaseException], int] = {
    QuerySyntaxError: 400,  # the query cannot be read
    QueryForbidden: 403,  # the query asks for what this endpoint does not do
    ParameterError: 400,  # a parameter names nothing, or is not of the kind declared: the message names the closest
    ReferenceNotFound: 404,
    CoopgraphError: 400,  # any other error of the user's input
}


def status_of(error: BaseException) -> int:
    """The HTTP status of an error coopgraph raises on purpose (500 for anything else: a bug)."""
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500
