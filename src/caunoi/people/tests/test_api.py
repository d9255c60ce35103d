"""The head register over the API (people/api.py): the rows in the one list shape, the figures
on their own path, the same access as the register page."""

import json

import pytest

from caunoi.accounts.services import api_token_create
from caunoi.people import services
from caunoi.people.models import Mandate, Role

from .test_register import PROFILE, TERM  # a head's profile and term, as the register's tests

pytestmark = pytest.mark.django_db


@pytest.fixture
def get(client):
    def get(person, path):
        _token, raw = api_token_create(actor=None, person=person, name="t")
        response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {raw}")
        return response, json.loads(response.content)

    return get


def test_register_rows_and_figures(world, get):
    services.head_profile_save(
        actor=world.officer_a,
        mandate=Mandate.objects.get(person=world.head_a1, role=Role.HEAD),
        profile=PROFILE,
        term=TERM,
        phone_public=False,
    )
    response, rows = get(world.province_officer, "/api/v1/heads/commune/08119")
    assert response.status_code == 200
    assert (rows["count"], rows["limit"], rows["offset"]) == (2, 100, 0)
    by_area = {row["area"]: row for row in rows["items"]}
    assert list(by_area) == ["08119-03", "08119-04"]
    assert by_area["08119-03"]["head"] == "Hoàng Văn Sơn"
    assert by_area["08119-03"]["birth_year"] == 1958
    assert by_area["08119-03"]["party_member"] is True
    assert by_area["08119-03"]["commune"] == "08119"
    assert [a["code"] for a in by_area["08119-04"]["alerts"]] == ["vacant"]
    assert by_area["08119-04"]["head"] is None and by_area["08119-04"]["term_state"] == ""
    _, page = get(world.province_officer, "/api/v1/heads/commune/08119?limit=1&offset=1")
    assert [row["area"] for row in page["items"]] == ["08119-04"]
    response, figures = get(world.province_officer, "/api/v1/heads/commune/08119/figures")
    assert response.status_code == 200
    assert (figures["areas"], figures["heads"], figures["vacant"]) == (2, 1, 1)
    assert figures["party_share"] == 1.0


@pytest.mark.parametrize(
    "path", ["/api/v1/heads/commune/08119", "/api/v1/heads/commune/08119/figures"]
)
def test_register_access(world, get, path):
    assert get(world.officer_a, path)[0].status_code == 200
    assert get(world.officer_b, path)[0].status_code == 404
    assert get(world.head_a1, path)[0].status_code == 403
