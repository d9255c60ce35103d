"""The 500s a fuzzer found from outside (issue 13, item 5), each pinned: API offsets of 2^63 or
more, ids beyond BIGINT, Open311's impossible dates and non-ASCII digits, and statuses the
OpenAPI schema did not declare."""

import pytest

from caunoi.accounts.services import api_token_create

pytestmark = pytest.mark.django_db
HUGE = str(2**63)


@pytest.fixture
def bearer(world):
    _, raw = api_token_create(actor=None, person=world.officer_a, name="edges")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("offset", [HUGE, str(2**64), "9" * 30])
@pytest.mark.parametrize(
    "url,signed_in",
    [("/api/v1/funds/1/entries", False), ("/api/v1/mandates", True), ("/api/v1/directives", True)],
)
def test_offsets_beyond_bigint_are_refused(client, bearer, url, signed_in, offset):
    extra = bearer if signed_in else {}
    response = client.get(url, {"offset": offset}, **extra)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"


def test_largest_offset_is_an_empty_page(client, bearer):
    response = client.get("/api/v1/mandates", {"offset": str(2**63 - 1)}, **bearer)
    assert response.status_code == 200 and response.json()["items"] == []


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/funds/{HUGE}/entries",
        f"/api/v1/funds/{HUGE}/verify",
        f"/api/v1/funds/1/entries/{HUGE}",
    ],
)
def test_api_ids_beyond_bigint_are_not_found(client, world, url):
    assert client.get(url).status_code in (400, 404)


@pytest.mark.parametrize(
    "url",
    [f"/khu/08119-01/quy/{HUGE}/", f"/hoi-dap/{HUGE}/", f"/hoi-dap/{'9' * 40}/"],
)
def test_page_ids_beyond_bigint_are_not_found(client, world, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "2026-02-30T00:00:00"},
        {"start_date": "2026-13-01T00:00:00"},
        {"end_date": "0001-01-01T00:00:00"},
        {"start_date": "9999-12-31T23:59:59"},
        {"page": "²"},
        {"page_size": "³"},
        {"page": "9" * 5000},
        {"service_request_id": "1180591620717411303424"},
        {"service_request_id": "١٢"},
    ],
)
def test_open311_parameters_never_500(client, world, query):
    response = client.get("/open311/v2/requests.json", query)
    assert response.status_code in (200, 400), (query, response.status_code)


def test_open311_one_request_beyond_bigint_is_unknown(client, world):
    assert client.get("/open311/v2/requests/1180591620717411303424.json").status_code == 404
    assert client.get("/open311/v2/requests/١٢.json").status_code == 404


def test_schema_declares_what_the_handlers_answer(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert "400" in paths["/api/v1/units"]["get"]["responses"]
    assert "400" in paths["/api/v1/funds/{fund_id}/entries"]["get"]["responses"]
    assert "404" in paths["/api/v1/funds/{fund_id}/entries"]["get"]["responses"]
    for gateway in ("/api/v1/outreach/sms-replies", "/api/v1/outreach/sms-status"):
        assert {"400", "401"} <= set(paths[gateway]["post"]["responses"])
