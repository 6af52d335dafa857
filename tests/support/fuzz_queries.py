"""Queries made of the pieces on which a lexer and a SPARQL engine may disagree: '<' and '>' (an
IRI's brackets, or less-than and greater-than), '#' (a comment, or part of an IRI), the four
quotings of strings and their escapes, line ends, brackets and keywords. The differential tests
(tests/test_sparql_lexer.py, bench/lexer_fuzz.py) ask Oxigraph what it does with each and hold the
check to it."""

from __future__ import annotations

from hypothesis import strategies as st

PIECES = (
    "1", "2", "?x", "?y", ")", "(", "<", "<=", ">", ">=", "=", "&&", "#", "#>", '"""', "'''", '"', "'", "\n", "\r", " ",
    '\\"', "\\'", "\\u0022", "<http://e/a#b>", "<a'b>", "<2#>", "<2'>", "FILTER(", "BIND(", " AS ?y)", "true", ".",
    "{", "}", "[", "]", ",", ";", "ex:a", "SERVICE", "FROM", "{S}", "{S}", "{F}",
)
SKELETONS = (
    "SELECT * WHERE {{ BIND(1 AS ?x) {body} }}",
    "SELECT * WHERE {{ FILTER({body}) }}",
    "SELECT ({body} AS ?z) WHERE {{ }}",
    "SELECT * {body} WHERE {{ ?s ?p ?o }}",
    "PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p ?o . {body} }}",
)


def fill(skeleton: str, pieces: list[str], service_url: str, graph: str) -> str:
    body = "".join(pieces)
    body = body.replace("{S}", f"SERVICE <{service_url}> {{ ?a ?b ?c }}").replace("{F}", f"FROM <{graph}>")
    return skeleton.format(body=body)


def queries(service_url: str, graph: str) -> st.SearchStrategy[str]:
    """A query of one skeleton, its body up to 14 pieces drawn from PIECES."""
    return st.builds(lambda skeleton, pieces: fill(skeleton, pieces, service_url, graph),
                     st.sampled_from(SKELETONS), st.lists(st.sampled_from(PIECES), min_size=1, max_size=14))


# Shaped cases: an expression in which '<' follows an operand, an IRI-like run holding '#' or "'",
# then an opener that one reading takes for a string or a comment, then a service or a FROM, then
# a closer; each part drawn from the forms the grammar allows there.
OPERANDS = ("1", "?x", "STR(?x)", "(?x)", '"a"', "2.5", "true", "?x+1")
LESS = ("<", "<=")
RUNS = ("2#", "2'", "'", "#", "a#b", "3'", "?y#", "'a", "2 #", "ex:a#")
GREATER = (">", ">=", "")
OPENERS = ('"""', "'''", '"', "'", "#", "")
ENDS = ("\n", "\r", " ", "\r\n", "")
CLOSERS = ('#"""', "#'''", '"""', "'''", "#'", '#"', "")


def shaped(service_url: str, graph: str) -> st.SearchStrategy[str]:
    def build(operand: str, less: str, run: str, greater: str, opener: str, end: str, closer: str, where: int,
              value: str, ending: str) -> str:
        expression = f"{operand}{less}{run}{greater}{opener}{end}"
        service = f"SERVICE <{service_url}> {{ ?a ?b ?c }}"
        if where == 0:
            return f"SELECT * WHERE {{ BIND({value} AS ?x) FILTER({expression} ) {service} {closer}{ending}}}"
        if where == 1:
            return f"SELECT ({expression} AS ?z) FROM <{graph}>{ending} WHERE {{ ?s ?p ?o }} {closer}"
        return f"SELECT * WHERE {{ BIND({value} AS ?x) BIND(({expression}) AS ?w) {service} {closer}{ending}}}"
    return st.builds(build, st.sampled_from(OPERANDS), st.sampled_from(LESS), st.sampled_from(RUNS),
                     st.sampled_from(GREATER), st.sampled_from(OPENERS), st.sampled_from(ENDS), st.sampled_from(CLOSERS),
                     st.integers(0, 2), st.sampled_from(("1", '"1"', "true", "0")), st.sampled_from(("\n", " ", "")))
