import datetime

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from caunoi.accounts.services import api_token_create
from caunoi.core.models import AuditEntry
from caunoi.people.models import Mandate, Person, Role
from caunoi.testing import bearer, give, make_person
from caunoi.testing import json_body as body

URL = "/api/v1/mandates"


# --------------------------------------------------------------------------- authentication


@pytest.mark.django_db
def test_anonymous_gets_401(world, client):
    response = client.get(URL)
    assert response.status_code == 401
    assert body(response)["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert client.post(URL, {}, content_type="application/json").status_code == 401


@pytest.mark.django_db
def test_session(world, client_for):
    response = client_for(world.officer_a).get(URL)
    assert response.status_code == 200
    assert body(response)["count"] == 4


@pytest.mark.django_db
def test_session_writes_need_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer_a)
    payload = appointment(world, phone="0912999000", full_name="Đỗ Văn Tâm", code="08119-04")
    response = client.post(URL, payload, content_type="application/json")
    assert response.status_code == 403
    assert body(response)["code"] == "csrf"
    assert not Person.objects.filter(phone="0912999000").exists()
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = client.post(URL, payload, content_type="application/json", HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_token_writes_need_no_csrf(world):
    _token, raw = api_token_create(actor=None, person=world.officer_a, name="sync")
    client = Client(enforce_csrf_checks=True)
    payload = appointment(world, phone="0912999000", full_name="Đỗ Văn Tâm", code="08119-04")
    assert (
        client.post(URL, payload, content_type="application/json", **bearer(raw)).status_code == 201
    )


# --------------------------------------------------------------------------------- listing


@pytest.mark.django_db
def test_commune_officer_sees_their_ground(world, client_for):
    data = body(client_for(world.officer_a).get(URL))
    assert {(m["role"], m["unit"]["code"]) for m in data["items"]} == {
        ("commune_officer", "08119"),
        ("head", "08119-03"),
        ("resident", "08119-03"),
        ("inspector", "08119-03"),
    }
    assert data["count"] == 4
    resident = next(m for m in data["items"] if m["role"] == "resident")
    assert resident["household"] == "08119-03-001"
    assert resident["person"]["full_name"] == "Bùi Thị Thảo"
    assert resident["person"]["phone"] == "0912000111"  # the officer manages mandates here
    assert resident["start"] == "2021-07-01"
    assert resident["end"] is None


@pytest.mark.django_db
def test_filters_by_unit_and_role(world, client_for):
    client = client_for(world.province_officer)
    data = body(client.get(URL + "?level=area&code=08119-03&role=head"))
    assert [(m["role"], m["person"]["full_name"]) for m in data["items"]] == [
        ("head", "Hoàng Văn Sơn")
    ]
    data = body(client.get(URL + "?level=commune&code=08122"))
    assert {m["unit"]["code"] for m in data["items"]} == {"08122", "08122-01"}
    data = body(client.get(URL + "?role=province_officer"))
    assert data["count"] == 1
    assert client.get(URL + "?role=king").status_code == 400
    response = client.get(URL + "?level=commune")
    assert response.status_code == 400
    assert body(response)["code"] == "invalid"


@pytest.mark.django_db
def test_ended_mandates_are_not_listed(world, client_for):
    Mandate.objects.filter(person=world.inspector_a1).update(end=datetime.date(2022, 1, 1))
    data = body(client_for(world.officer_a).get(URL + "?role=inspector"))
    assert data["items"] == []


@pytest.mark.django_db
def test_neighbour_officer_gets_404(world, client_for):
    response = client_for(world.officer_b).get(URL + "?level=commune&code=08119")
    assert response.status_code == 404
    assert body(response)["code"] == "not_found"
    # The same as a unit that does not exist.
    assert client_for(world.officer_b).get(URL + "?level=commune&code=99999").status_code == 404
    data = body(client_for(world.officer_b).get(URL))
    assert {m["unit"]["code"] for m in data["items"]} == {"08122", "08122-01"}


@pytest.mark.django_db
def test_resident_gets_403(world, client_for):
    client = client_for(world.resident_a1)
    response = client.get(URL + "?level=area&code=08119-03")
    assert response.status_code == 403
    assert body(response)["code"] == "forbidden"
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_head_sees_their_area_without_others_private_phones(world, client_for):
    data = body(client_for(world.head_a1).get(URL))
    assert {m["unit"]["code"] for m in data["items"]} == {"08119-03"}
    resident = next(m for m in data["items"] if m["role"] == "resident")
    assert resident["person"]["phone"] is None  # not public, and a head appoints no one
    assert client_for(world.head_a1).get(URL + "?level=commune&code=08119").status_code == 403


@pytest.mark.django_db
def test_pagination(world, client_for):
    client = client_for(world.province_officer)
    data = body(client.get(URL + "?limit=3&offset=6"))
    assert (data["count"], data["limit"], data["offset"]) == (8, 3, 6)
    assert len(data["items"]) == 2
    assert client.get(URL + "?limit=501").status_code == 400
    assert client.get(URL + "?offset=-1").status_code == 400


@pytest.mark.django_db
def test_listing_query_count_does_not_grow(world, client_for, django_assert_num_queries):
    client = client_for(world.province_officer)
    client.get(URL)  # the session is read
    # session, person, mandates of the caller, count, page
    with django_assert_num_queries(5):
        assert client.get(URL).status_code == 200
    for i in range(5):
        give(make_person(f"Khu trưởng {i}", phone=f"091200900{i}"), Role.INSPECTOR, world.area_b1)
    with django_assert_num_queries(5):
        assert body(client.get(URL))["count"] == 13


# ------------------------------------------------------------------------------- appointing


def appointment(world, **values):
    payload = {
        "level": "area",
        "code": "08119-04",
        "role": "head",
        "phone": "0912999000",
        "full_name": "Đỗ Văn Tâm",
        "start": "2025-01-01",
        "decision_number": "15/QĐ-UBND",
    }
    payload.update(values)
    return payload


@pytest.mark.django_db
def test_officer_appoints_a_head(world, client_for):
    response = client_for(world.officer_a).post(
        URL, appointment(world), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    data = body(response)
    assert data["role"] == "head"
    assert data["unit"]["code"] == "08119-04"
    assert data["person"]["full_name"] == "Đỗ Văn Tâm"
    assert data["start"] == "2025-01-01"
    mandate = Mandate.objects.get(pk=data["id"])
    assert mandate.person.phone == "0912999000"
    assert mandate.created_by == world.officer_a
    assert AuditEntry.objects.filter(action="people.mandate.created").exists()


@pytest.mark.django_db
def test_appoint_twice_is_refused(world, client_for):
    client = client_for(world.officer_a)
    assert client.post(URL, appointment(world), content_type="application/json").status_code == 201
    response = client.post(URL, appointment(world), content_type="application/json")
    assert response.status_code == 400
    data = body(response)
    assert data["code"] == "invalid"
    assert "phone" in data["errors"]  # this person already holds this role here
    assert Mandate.objects.filter(unit=world.area_a2, role=Role.HEAD).count() == 1


@pytest.mark.django_db
def test_a_retried_appointment_appoints_once(world, client_for):
    client = client_for(world.officer_a)
    key = {"HTTP_IDEMPOTENCY_KEY": "appoint-head-00001"}
    first = client.post(URL, appointment(world), content_type="application/json", **key)
    again = client.post(URL, appointment(world), content_type="application/json", **key)
    assert first.status_code == again.status_code == 201, first.content
    assert body(again) == body(first)
    assert Mandate.objects.filter(unit=world.area_a2, role=Role.HEAD).count() == 1
    assert AuditEntry.objects.filter(action="people.mandate.created").count() == 1
    other = appointment(world, phone="0912999001", full_name="Lê Văn Hùng")
    refused = client.post(URL, other, content_type="application/json", **key)
    assert refused.status_code == 422 and body(refused)["code"] == "idempotency_key_reused"
    assert not Person.objects.filter(phone="0912999001").exists()


@pytest.mark.django_db
def test_appoint_outside_the_ground_or_without_the_right(world, client_for):
    payload = appointment(world)
    response = client_for(world.officer_b).post(URL, payload, content_type="application/json")
    assert response.status_code == 404
    response = client_for(world.head_a1).post(
        URL, appointment(world, code="08119-03", role="resident"), content_type="application/json"
    )
    assert response.status_code == 403
    # The district officer sees the area but may appoint no one.
    response = client_for(world.district_officer).post(
        URL, payload, content_type="application/json"
    )
    assert response.status_code == 403
    assert body(response)["code"] == "forbidden"
    assert not Person.objects.filter(phone="0912999000").exists()


@pytest.mark.django_db
def test_appoint_bad_input_changes_nothing(world, client_for):
    client = client_for(world.officer_a)
    before = Mandate.objects.count()
    cases = [
        (appointment(world, phone="12345"), 400),
        (appointment(world, full_name="", phone="0912999001"), 400),
        (appointment(world, start="01/01/2025"), 400),
        (appointment(world, start="2025-01-01", end="2024-01-01"), 400),
        (appointment(world, role="commune_officer"), 403),  # not a role a commune officer gives
        (appointment(world, role="resident", household="08122-01-001"), 400),  # not this area's
        (appointment(world, full_name="x" * 500), 400),
        ({}, 400),
    ]
    for payload, status in cases:
        response = client.post(URL, payload, content_type="application/json")
        assert response.status_code == status, (payload, response.content)
        data = body(response)
        assert data["message"], payload
        assert data["code"], payload
    assert Mandate.objects.count() == before
    assert not Person.objects.filter(phone__in=["0912999000", "0912999001"]).exists()
    response = client.post(URL, "not json", content_type="application/json")
    assert response.status_code == 400
