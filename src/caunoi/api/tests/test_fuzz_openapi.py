"""schemathesis on the API's OpenAPI schema, in-process (WSGI), bounded: every operation gets a few
generated cases without a token and with one; any 5xx or an answer the schema does not declare
fails (issue 13). Run with `FUZZ_EXAMPLES=200` for a deeper pass."""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from caunoi.accounts.services import api_token_create

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
CHECKS = (not_a_server_error, status_code_conformance, response_schema_conformance)
CASES: dict[str, int] = {}


@pytest.fixture
def api_schema(db, client):
    loaded = schemathesis.openapi.from_dict(client.get("/api/v1/openapi.json").json())
    # cases are called in-process, on the test database, through a handler made now (its
    # middleware reads the tests' settings: plain HTTP)
    loaded.app = WSGIHandler()
    # as Django's test client does: a request must not close the test database's connection
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield loaded
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _fuzz(api_schema, headers) -> int:
    """Every operation of the schema, EXAMPLES generated cases each; the number of cases run."""
    count = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @BOUNDED
        def run(case):
            nonlocal count
            count += 1
            case.call_and_validate(
                headers={"Accept-Encoding": "identity", **headers}, checks=CHECKS
            )

        run()
    return count


def test_api_without_a_token(api_schema, world):
    CASES["anonymous"] = _fuzz(api_schema, {})
    print(f"schemathesis: {CASES['anonymous']} cases without a token")
    assert CASES["anonymous"] >= 50


def test_api_with_a_token(api_schema, world):
    _, raw = api_token_create(actor=None, person=world.officer_a, name="fuzz")
    CASES["token"] = _fuzz(api_schema, {"Authorization": f"Bearer {raw}"})
    print(f"schemathesis: {CASES['token']} cases with a token")
    assert CASES["token"] >= 50
