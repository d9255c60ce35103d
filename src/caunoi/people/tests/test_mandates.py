import datetime
import unicodedata

import pytest

from caunoi.core.models import AuditEntry
from caunoi.people.models import Mandate, Person, Role
from caunoi.testing import get_as

pytestmark = pytest.mark.usefixtures("english")


def url(unit, prefix="xa"):
    return f"/{prefix}/{unit.code}/can-bo/"


def end_url(unit, mandate, prefix="xa"):
    return f"/{prefix}/{unit.code}/can-bo/{mandate.pk}/ket-thuc/"


def appoint_data(unit, **extra):
    data = {
        "unit": unit.pk,
        "role": Role.HEAD,
        "phone": "0977 123 456",
        "full_name": "Trịnh Văn Đức",
        "start": "01/02/2024",
        "decision_number": "12/QĐ-UBND",
        "decision_date": "25/01/2024",
    }
    data.update(extra)
    return data


def counts():
    return Mandate.objects.count(), Person.objects.count(), AuditEntry.objects.count()


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_commune_page_access(world, client_for, client):
    page = url(world.commune_a)
    assert client.get(page).status_code == 302  # signed out: to the sign-in page
    people = ("officer_a", "officer_b", "head_a1", "resident_a1", "district_officer")
    assert get_as(client, page, world, *people, "province_officer") == {
        "officer_a": 200,
        "officer_b": 404,
        "head_a1": 403,
        "resident_a1": 403,
        "district_officer": 403,
        "province_officer": 200,
    }
    assert client_for(world.officer_a).put(page).status_code == 405
    assert client_for(world.officer_a).get("/xa/99999/can-bo/").status_code == 404


@pytest.mark.django_db
def test_province_and_district_pages_access(world, client_for):
    assert client_for(world.province_officer).get(url(world.province, "tinh")).status_code == 200
    assert client_for(world.province_officer).get(url(world.district, "huyen")).status_code == 200
    assert client_for(world.officer_a).get(url(world.province, "tinh")).status_code == 403
    assert client_for(world.officer_a).get(url(world.district, "huyen")).status_code == 403
    assert client_for(world.district_officer).get(url(world.district, "huyen")).status_code == 403


@pytest.mark.django_db
def test_commune_page_lists_heads_officers_and_gaps(world, client_for):
    response = client_for(world.officer_a).get(url(world.commune_a))
    html = response.content.decode()
    assert world.head_a1.full_name in html  # head of Khu 3
    assert world.officer_a.full_name in html  # officer of the commune
    assert "No head appointed" in html  # Khu 4
    assert world.head_b1.full_name not in html  # the neighbour's head
    assert world.resident_a1.full_name not in html  # residents are not listed
    # the officer may end the head's mandate, not their own
    assert end_url(world.commune_a, Mandate.objects.get(person=world.head_a1)) in html
    assert end_url(world.commune_a, Mandate.objects.get(person=world.officer_a)) not in html
    # the form offers only the commune's areas and the roles a commune officer gives
    form = response.context["form"]
    assert {u.pk for u in form.fields["unit"].queryset} == {world.area_a1.pk, world.area_a2.pk}
    assert {v for v, _ in form.fields["role"].choices} == {
        Role.HEAD,
        Role.DEPUTY_HEAD,
        Role.INSPECTOR,
        Role.TREASURER,
        Role.RESIDENT,
    }
    assert 'type="tel"' in html


@pytest.mark.django_db
def test_empty_state_when_nobody_holds_a_role(world, client_for):
    Mandate.objects.filter(person__in=[world.officer_b, world.head_b1]).delete()
    response = client_for(world.province_officer).get(url(world.commune_b))
    html = response.content.decode()
    assert "Nobody holds a role on this place yet" in html
    assert "No head appointed" in html


# --- Appointing ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_officer_appoints_a_new_person_as_head(world, client_for):
    client = client_for(world.officer_a)
    nfd_name = unicodedata.normalize("NFD", "  Trịnh   Văn Đức ")
    response = client.post(
        url(world.commune_a), appoint_data(world.area_a2, full_name=nfd_name), follow=True
    )
    assert response.redirect_chain[-1][0] == url(world.commune_a)
    mandate = Mandate.objects.get(unit=world.area_a2, role=Role.HEAD)
    assert mandate.person.full_name == "Trịnh Văn Đức"
    assert mandate.person.phone == "0977123456"
    assert mandate.start == datetime.date(2024, 2, 1)
    assert mandate.decision_date == datetime.date(2024, 1, 25)
    assert mandate.decision_number == "12/QĐ-UBND"
    assert mandate.created_by == world.officer_a
    html = response.content.decode()
    assert "Trịnh Văn Đức is now head of residential area of Khu 4." in html
    entry = AuditEntry.objects.get(action="people.mandate.created", object_id=str(mandate.pk))
    assert entry.actor == world.officer_a
    assert entry.unit_path == world.area_a2.path
    assert entry.after["role"] == Role.HEAD
    assert AuditEntry.objects.filter(action="people.person.created").count() == 1


@pytest.mark.django_db
def test_existing_phone_reuses_the_person(world, client_for):
    client = client_for(world.officer_a)
    before = Person.objects.count()
    response = client.post(
        url(world.commune_a),
        appoint_data(world.area_a1, role=Role.INSPECTOR, phone="0912000111", full_name=""),
    )
    assert response.status_code == 302
    assert Person.objects.count() == before
    assert Mandate.objects.filter(
        person=world.resident_a1, role=Role.INSPECTOR, unit=world.area_a1
    ).exists()


@pytest.mark.django_db
def test_second_head_is_refused_with_the_service_message(world, client_for):
    before = counts()
    response = client_for(world.officer_a).post(url(world.commune_a), appoint_data(world.area_a1))
    assert response.status_code == 200
    assert "already has a head of residential area" in response.content.decode()
    assert counts() == before  # not even the new person


@pytest.mark.django_db
def test_one_deputy_per_area(world, client_for):
    client = client_for(world.officer_a)
    data = appoint_data(world.area_a1, role=Role.DEPUTY_HEAD)
    assert client.post(url(world.commune_a), data).status_code == 302
    other = appoint_data(world.area_a1, role=Role.DEPUTY_HEAD, phone="0977000999")
    response = client.post(url(world.commune_a), other)
    assert response.status_code == 200
    assert "already has a deputy head" in response.content.decode()
    assert Mandate.objects.filter(unit=world.area_a1, role=Role.DEPUTY_HEAD).count() == 1


@pytest.mark.django_db
def test_double_submission_appoints_once(world, client_for):
    client = client_for(world.officer_a)
    data = appoint_data(world.area_a1, role=Role.INSPECTOR)
    assert client.post(url(world.commune_a), data).status_code == 302
    response = client.post(url(world.commune_a), data)
    assert response.status_code == 200
    assert "already holds this role here" in response.content.decode()
    assert Mandate.objects.filter(unit=world.area_a1, role=Role.INSPECTOR).count() == 2  # +Mai


@pytest.mark.django_db
def test_forged_unit_outside_the_ground_is_not_found(world, client_for):
    before = counts()
    client = client_for(world.officer_a)
    for unit in (world.area_b1, world.commune_b, world.province):
        response = client.post(url(world.commune_a), appoint_data(unit))
        assert response.status_code == 404
    # someone else's page with one's own unit: not found either
    response = client.post(url(world.commune_b), appoint_data(world.area_a2))
    assert response.status_code == 404
    assert counts() == before


@pytest.mark.django_db
def test_role_above_ones_own_is_refused(world, client_for):
    before = counts()
    response = client_for(world.officer_a).post(
        url(world.commune_a), appoint_data(world.commune_a, role=Role.COMMUNE_OFFICER)
    )
    # the commune itself is not offered to a commune officer: nothing they may appoint there
    assert response.status_code == 404
    response = client_for(world.officer_a).post(
        url(world.commune_a), appoint_data(world.area_a2, role=Role.COMMUNE_OFFICER)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert counts() == before


@pytest.mark.django_db
def test_province_officer_appoints_commune_officers(world, client_for):
    client = client_for(world.province_officer)
    data = appoint_data(world.commune_a, role=Role.COMMUNE_OFFICER, phone="0977000001")
    assert client.post(url(world.commune_a), data).status_code == 302
    data = appoint_data(world.commune_b, role=Role.COMMUNE_LEADER, phone="0977000002")
    assert client.post(url(world.district, "huyen"), data).status_code == 302
    data = appoint_data(world.district, role=Role.DISTRICT_OFFICER, phone="0977000003")
    assert client.post(url(world.province, "tinh"), data).status_code == 302
    assert set(
        Mandate.objects.filter(person__phone__startswith="0977").values_list("role", "unit")
    ) == {
        (Role.COMMUNE_OFFICER, world.commune_a.pk),
        (Role.COMMUNE_LEADER, world.commune_b.pk),
        (Role.DISTRICT_OFFICER, world.district.pk),
    }


@pytest.mark.django_db
def test_role_on_the_wrong_level_is_refused(world, client_for):
    before = counts()
    data = appoint_data(world.district, role=Role.PROVINCE_OFFICER)
    response = client_for(world.province_officer).post(url(world.province, "tinh"), data)
    assert response.status_code == 200
    assert "held on another level" in response.content.decode()
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value, message",
    [
        ("full_name", "Đ" * 5000, "at most 120 characters"),
        ("full_name", "", "Enter the person"),
        ("phone", "9" * 5000, "10 digits"),
        ("phone", "", "Enter your phone number"),
        ("start", "31/02/2024", "dd/mm/yyyy"),
        ("start", "", "required"),
        ("decision_number", "x" * 5000, "at most 80"),
    ],
)
def test_bad_input_is_refused_cleanly(world, client_for, field, value, message):
    before = counts()
    response = client_for(world.officer_a).post(
        url(world.commune_a), appoint_data(world.area_a2, **{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


# --- Ending -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_end_mandate_confirms_then_ends_once(world, client_for):
    client = client_for(world.officer_a)
    mandate = Mandate.objects.get(person=world.head_a1)
    page = client.get(end_url(world.commune_a, mandate))
    assert page.status_code == 200
    assert world.head_a1.full_name in page.content.decode()
    assert Mandate.objects.get(pk=mandate.pk).end is None  # GET changes nothing
    response = client.post(end_url(world.commune_a, mandate), {"end": "15/03/2024"}, follow=True)
    assert response.redirect_chain[-1][0] == url(world.commune_a)
    assert Mandate.objects.get(pk=mandate.pk).end == datetime.date(2024, 3, 15)
    assert "ends on 15/03/2024" in response.content.decode()
    entry = AuditEntry.objects.get(action="people.mandate.ended")
    assert entry.before["end"] is None and entry.after["end"] == "2024-03-15"
    # a second click: a clear message, nothing more written
    response = client.post(end_url(world.commune_a, mandate), {"end": "15/03/2024"}, follow=True)
    assert "already ended" in response.content.decode()
    assert AuditEntry.objects.filter(action="people.mandate.ended").count() == 1
    # now the area needs a new head: appointing one works
    data = appoint_data(world.area_a1, start="15/03/2024")
    assert client.post(url(world.commune_a), data).status_code == 302


@pytest.mark.django_db
def test_end_before_start_is_refused(world, client_for):
    mandate = Mandate.objects.get(person=world.head_a1)
    response = client_for(world.officer_a).post(
        end_url(world.commune_a, mandate), {"end": "01/01/2020"}
    )
    assert response.status_code == 200
    assert "after the start date" in response.content.decode()
    assert Mandate.objects.get(pk=mandate.pk).end is None


@pytest.mark.django_db
def test_end_mandate_access(world, client_for):
    mandate = Mandate.objects.get(person=world.head_a1)
    own = Mandate.objects.get(person=world.officer_a)
    neighbour = Mandate.objects.get(person=world.head_b1)
    assert client_for(world.officer_b).get(end_url(world.commune_a, mandate)).status_code == 404
    assert client_for(world.officer_b).post(end_url(world.commune_b, mandate)).status_code == 404
    assert client_for(world.officer_a).get(end_url(world.commune_a, neighbour)).status_code == 404
    assert client_for(world.head_a1).get(end_url(world.commune_a, mandate)).status_code == 403
    assert client_for(world.officer_a).get(end_url(world.commune_a, own)).status_code == 403
    assert client_for(world.officer_a).put(end_url(world.commune_a, mandate)).status_code == 405
    assert not Mandate.objects.filter(end__isnull=False).exists()


@pytest.mark.django_db
def test_a_double_click_with_one_key_appoints_once_and_lands_on_the_page(world, client_for):
    client = client_for(world.officer_a)
    data = appoint_data(world.area_a2, submission="s" * 24)
    first = client.post(url(world.commune_a), data)
    again = client.post(url(world.commune_a), data)
    assert first.status_code == again.status_code == 302
    assert again.url == first.url == url(world.commune_a)
    assert Mandate.objects.filter(unit=world.area_a2, role=Role.HEAD).count() == 1


@pytest.mark.django_db
def test_a_refused_appointment_frees_its_key(world, client_for):
    client = client_for(world.officer_a)
    refused = client.post(url(world.commune_a), appoint_data(world.area_a1, submission="r" * 24))
    assert refused.status_code == 200  # Khu 3 has a head
    assert 'name="submission" value="' + "r" * 24 + '"' in refused.content.decode()
    fixed = client.post(url(world.commune_a), appoint_data(world.area_a2, submission="r" * 24))
    assert fixed.status_code == 302
    assert Mandate.objects.filter(unit=world.area_a2, role=Role.HEAD).exists()


@pytest.mark.django_db
def test_the_appointment_door(world):
    """The API appoints through `permissions.appointment_check` (the service checks nothing)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from caunoi.people.permissions import appointment_check

    assert appointment_check(user=world.officer_a, role=Role.HEAD, unit=world.area_a2)
    with pytest.raises(PermissionDenied):
        appointment_check(user=world.officer_a, role=Role.COMMUNE_OFFICER, unit=world.commune_a)
    with pytest.raises(PermissionDenied):
        appointment_check(user=world.district_officer, role=Role.HEAD, unit=world.area_a2)
    with pytest.raises(PermissionDenied):
        appointment_check(user=world.head_a1, role=Role.RESIDENT, unit=world.area_a1)
    with pytest.raises(Http404):
        appointment_check(user=world.officer_b, role=Role.HEAD, unit=world.area_a2)


@pytest.mark.django_db
def test_pages_of_a_retired_unit_that_write_are_not_found(world, client_for):
    import datetime as dt

    world.commune_b.valid_to = dt.date(2025, 7, 1)
    world.commune_b.save()
    mandate = Mandate.objects.get(person=world.head_b1)
    client = client_for(world.province_officer)
    assert client.get(url(world.commune_b)).status_code == 404
    assert client.get(end_url(world.commune_b, mandate)).status_code == 404
