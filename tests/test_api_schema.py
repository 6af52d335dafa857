"""Schema-driven: schemathesis generates requests for every route of the OpenAPI schema against
the running server; none may answer 500."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings


def test_no_route_answers_with_a_server_error(server):
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    tried: list[str] = []
    for operation in operations:

        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            response = case.call(timeout=30)
            tried.append(f"{case.method} {case.path}")
            # 503 answers a query stopped at its time limit (with Retry-After): a limit, not a fault.
            if response.status_code == 503:
                assert "limit" in response.text and response.headers.get("retry-after")
            else:
                assert response.status_code < 500, f"{case.method} {case.formatted_path} {case.query}: {response.text[:300]}"

        check()
    assert len(tried) >= 3 * len(operations)
