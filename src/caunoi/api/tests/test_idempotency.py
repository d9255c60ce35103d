"""One rule for retried API writes (`caunoi.core.api.once`): every write that makes or records
something takes an optional Idempotency-Key, declared in the OpenAPI schema with the 422 it may
answer; two concurrent requests with one key record once. Runs on both databases (the suite's
SQLite test database is a file; PostgreSQL with DATABASE_URL)."""

import json

import pytest
from django.test import Client

from caunoi.accounts.services import api_token_create
from caunoi.core.api import IDEMPOTENCY_HEADER
from caunoi.funds.models import Contribution
from caunoi.meetings.models import Meeting
from caunoi.meetings.tests.test_api import plan
from caunoi.testing import BANK, bearer, build_world, decide, make_fund, run_parallel

# Every POST of the API that makes or records something (the state changes that are not retried
# writes, a withdrawal or an approval, are refused the second time instead).
WRITES = {
    "/api/v1/directives",
    "/api/v1/directives/{pk}/amend",
    "/api/v1/assignments/{pk}/acknowledge",
    "/api/v1/assignments/{pk}/progress",
    "/api/v1/assignments/{pk}/complete",
    "/api/v1/assignments/{pk}/decline",
    "/api/v1/funds/{fund_id}/contributions",
    "/api/v1/funds/{fund_id}/expenses",
    "/api/v1/funds/{fund_id}/entries/{seq}/reverse",
    "/api/v1/meetings/areas/{code}",
    "/api/v1/meetings/{meeting_id}/items",
    "/api/v1/meetings/{meeting_id}/attendance",
    "/api/v1/meetings/{meeting_id}/results",
    "/api/v1/meetings/{meeting_id}/cluster-votes",
    "/api/v1/meetings/{meeting_id}/ballot/slips",
    "/api/v1/meetings/{meeting_id}/ballot/close",
    "/api/v1/outreach/sms-replies",
    "/api/v1/outreach/sms-status",
    "/api/v1/mandates",
}


@pytest.mark.django_db
def test_the_schema_declares_the_key_and_its_422_on_every_write(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    taking = set()
    for path, item in paths.items():
        post = item.get("post")
        if post and any(p["name"] == IDEMPOTENCY_HEADER for p in post.get("parameters", ())):
            header = next(p for p in post["parameters"] if p["name"] == IDEMPOTENCY_HEADER)
            assert header["in"] == "header" and header["required"] is False
            assert header["schema"]["type"] == "string" and "pattern" in header["schema"]
            assert "422" in post["responses"]
            taking.add(path)
    assert taking == WRITES


def _twins(url: str, body: dict, raw: str, key: str) -> list[tuple[str, object]]:
    def post():
        r = Client().post(
            url,
            json.dumps(body),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
            **bearer(raw),
        )
        return r.status_code, r.json()

    return run_parallel(2, post)


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_double_contribution_is_recorded_once():
    world = build_world()
    fund = make_fund(world, decide(world, 120, 150), **BANK)
    _token, raw = api_token_create(actor=None, person=world.head_a1, name="test")
    body = {"household": world.household_a1.code, "amount": 100_000, "paid_on": "2026-03-01"}
    results = _twins(f"/api/v1/funds/{fund.pk}/contributions", body, raw, "double-contrib-0001")
    assert [status for _ok, (status, _body) in results] == [201, 201], results
    assert results[0][1][1] == results[1][1][1]  # the same receipt, twice
    assert Contribution.objects.filter(fund=fund).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_double_meeting_is_planned_once():
    world = build_world()
    _token, raw = api_token_create(actor=None, person=world.head_a1, name="test")
    url = f"/api/v1/meetings/areas/{world.area_a1.code}"
    results = _twins(url, plan(), raw, "double-meeting-0001")
    assert [status for _ok, (status, _body) in results] == [201, 201], results
    assert Meeting.objects.filter(area=world.area_a1).count() == 1
