import datetime

import pytest
from django.utils import timezone

from caunoi.core.models import AuditEntry
from caunoi.people.models import Mandate, Role
from caunoi.people.services import mandate_create, mandate_end
from caunoi.testing import get_as

pytestmark = pytest.mark.usefixtures("english")


def url(unit, prefix="xa"):
    return f"/{prefix}/{unit.code}/nhat-ky/"


def make_entries(world, n, *, unit=None, actor=None):
    unit = unit or world.area_a1
    base = timezone.now() - datetime.timedelta(days=1)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            at=base + datetime.timedelta(minutes=i),
            actor=actor or world.officer_a,
            action="territory.household.updated",
            object_type="territory.household",
            object_id=str(world.household_a1.pk),
            object_repr=f"hộ {i:03d}",
            unit=unit,
            unit_path=unit.path,
            before={"address": f"Số {i}", "members": 4},
            after={"address": f"Số {i + 1}", "members": 4},
        )
        for i in range(n)
    )


def make_mandate_entries(world, n):
    people = [world.head_a1, world.resident_a1, world.inspector_a1]
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=world.officer_a,
            action="people.mandate.created",
            object_type="people.mandate",
            object_id=str(1000 + i),
            object_repr=f"mandate {i}",
            unit=world.area_a2,
            unit_path=world.area_a2.path,
            after={"person": people[i % 3].pk, "unit": world.area_a2.pk, "role": "inspector"},
        )
        for i in range(n)
    )


@pytest.mark.django_db
def test_related_objects_are_named(world, client_for):
    AuditEntry.objects.all().delete()
    make_mandate_entries(world, 3)
    html = client_for(world.officer_a).get(url(world.commune_a)).content.decode()
    assert f"Person: {world.head_a1.full_name}" in html
    assert "Unit: Khu 4" in html
    assert "Role: Inspection board member" in html


@pytest.mark.django_db
def test_audit_page_access(world, client_for, client):
    page = url(world.commune_a)
    assert client.get(page).status_code == 302
    people = (
        "officer_a",
        "officer_b",
        "head_a1",
        "resident_a1",
        "inspector_a1",
        "district_officer",
    )
    assert get_as(client, page, world, *people) == {
        "officer_a": 200,
        "officer_b": 404,
        "head_a1": 403,
        "resident_a1": 403,
        "inspector_a1": 403,
        "district_officer": 200,
    }
    assert client_for(world.district_officer).get(url(world.district, "huyen")).status_code == 200
    assert client_for(world.province_officer).get(url(world.province, "tinh")).status_code == 200
    assert client_for(world.officer_a).get(url(world.district, "huyen")).status_code == 403
    assert client_for(world.officer_a).get(url(world.province, "tinh")).status_code == 403
    assert client_for(world.officer_a).post(page).status_code == 405


@pytest.mark.django_db
def test_audit_shows_own_ground_with_who_what_before_and_after(world, client_for):
    mandate = mandate_create(
        actor=world.officer_a,
        person=world.resident_a1,
        role=Role.DEPUTY_HEAD,
        unit=world.area_a2,
        start=datetime.date(2024, 2, 1),
    )
    mandate_end(actor=world.officer_a, mandate=mandate, end=datetime.date(2024, 6, 1))
    mandate_create(
        actor=world.officer_b,
        person=world.head_b1,
        role=Role.INSPECTOR,
        unit=world.area_b1,
        start=datetime.date(2024, 2, 1),
    )
    response = client_for(world.officer_a).get(url(world.commune_a))
    html = response.content.decode()
    rows = response.context["entries"]
    assert rows[0]["e"].action == "people.mandate.ended"  # newest first
    assert rows[0]["label"] == "Mandate ended"
    assert rows[1]["label"] == "Appointment"
    assert {"field": "Until", "before": "—", "after": "01/06/2024"} in rows[0]["changes"]
    assert "Deputy head" in html  # the role shown by its label
    assert "— → 01/06/2024" in html
    assert world.officer_a.full_name in html
    assert timezone.localtime(rows[0]["e"].at).strftime("%d/%m/%Y %H:%M") in html
    # the neighbour's writes are not on this ground
    assert not any(r["e"].unit_path.startswith(world.commune_b.path) for r in rows)
    assert world.head_b1.full_name not in html
    # the district sees both communes
    district = client_for(world.district_officer).get(url(world.district, "huyen"))
    actions = [r["e"].object_id for r in district.context["entries"]]
    assert str(Mandate.objects.get(person=world.head_b1, role=Role.INSPECTOR).pk) in actions


@pytest.mark.django_db
def test_audit_empty_state(world, client_for):
    AuditEntry.objects.all().delete()
    html = client_for(world.officer_a).get(url(world.commune_a)).content.decode()
    assert "No changes recorded on this place yet" in html


@pytest.mark.django_db
def test_audit_is_paginated_by_50(world, client_for):
    AuditEntry.objects.all().delete()
    make_entries(world, 120)
    client = client_for(world.officer_a)
    first = client.get(url(world.commune_a))
    assert len(first.context["entries"]) == 50
    assert first.context["entries"][0]["e"].object_repr == "hộ 119"
    last = client.get(url(world.commune_a) + "?trang=3")
    assert len(last.context["entries"]) == 20
    assert last.context["entries"][-1]["e"].object_repr == "hộ 000"
    assert client.get(url(world.commune_a) + "?trang=abc").status_code == 200
    assert client.get(url(world.commune_a) + "?trang=" + "9" * 500).status_code == 200


@pytest.mark.django_db
def test_audit_query_count_does_not_grow_with_entries(world, client_for, django_assert_num_queries):
    client = client_for(world.officer_a)
    AuditEntry.objects.all().delete()
    make_entries(world, 3)
    client.get(url(world.commune_a))  # warm up (session, caches)
    # session, person, mandates, unit, breadcrumbs, count, entries
    with django_assert_num_queries(7) as few:
        client.get(url(world.commune_a))
    make_entries(world, 60, actor=world.province_officer)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url(world.commune_a))
    assert len(response.context["entries"]) == 50


@pytest.mark.django_db
def test_the_change_log_shows_labels_never_raw_names(world, client_for):
    from caunoi.core.audit import ACTIONS
    from caunoi.people import audit

    AuditEntry.objects.all().delete()
    mandate_create(
        actor=world.officer_a,
        person=world.resident_a1,
        role=Role.INSPECTOR,
        unit=world.area_a2,
        start=datetime.date(2024, 2, 1),
    )
    html = client_for(world.officer_a).get(url(world.commune_a)).content.decode()
    assert "<strong>Appointment</strong>" in html
    assert "people.mandate.created" not in html
    declared = [v for v in vars(audit).values() if isinstance(v, str) and v.startswith("people.")]
    assert len(declared) == 7
    assert all(ACTIONS[name].label for name in declared)


@pytest.mark.django_db
def test_page_two_of_the_change_log_keeps_the_query_string(world, client_for):
    AuditEntry.objects.all().delete()
    make_entries(world, 60)
    html = client_for(world.officer_a).get(url(world.commune_a) + "?trang=2&x=1").content.decode()
    assert 'rel="prev" href="?trang=1&amp;x=1"' in html


def test_an_entry_naming_a_related_object_by_code_still_shows(world, client_for):
    """Read receipts of notices were once recorded with the household's code where its id
    belongs: the change log shows the code instead of failing."""
    AuditEntry.objects.create(
        action="outreach.delivery.acknowledged",
        object_type="outreach.acknowledgement",
        object_id="1",
        object_repr="Khu 3",
        unit=world.area_a1,
        unit_path=world.area_a1.path,
        after={"household": world.household_a1.code, "how": "web"},
    )
    page = client_for(world.officer_a).get(f"/xa/{world.commune_a.code}/nhat-ky/")
    assert page.status_code == 200
    assert world.household_a1.code in page.content.decode()


ODD_VALUES = [
    "08170-01-080",  # a household's code where its id belongs (the demo's read receipts once)
    10**30,  # no database integer holds it
    -1,
    3.5,
    True,
    [1, 2],
    {"id": 1},
    [[["deep"]]],
    "",
    "2026-13-45",  # looks like a date, is not one
    "x" * 5000,
]


@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_the_change_log_shows_any_stored_value(world, client_for, value):
    """Whatever a writer stored (a code for an id, a list for a choice, a number out of range),
    the change log shows the entry and does not fail."""
    fields = {"household": value, "how": value, "area": value, "note": value, "unknown": value}
    for object_type, before, after in [
        ("outreach.acknowledgement", None, fields),
        ("outreach.acknowledgement", fields, {**fields, "how": "web"}),
        ("territory.household", {"area": value, "members": value}, {"area": 1, "members": 2}),
        ("no_such_app.thing", fields, fields),
        ("outreach.acknowledgement", [value], value),  # not even an object
    ]:
        AuditEntry.objects.create(
            action="outreach.delivery.acknowledged",
            object_type=object_type,
            object_id=str(value)[:40],  # the column holds 40 (PostgreSQL enforces it)
            object_repr="Khu 3",
            unit=world.area_a1,
            unit_path=world.area_a1.path,
            before=before,
            after=after,
        )
    for prefix, unit in [
        ("xa", world.commune_a),
        ("huyen", world.district),
        ("tinh", world.province),
    ]:
        officer = {
            "xa": world.officer_a,
            "huyen": world.district_officer,
            "tinh": world.province_officer,
        }[prefix]
        page = client_for(officer).get(url(unit, prefix))
        assert page.status_code == 200, (prefix, value)
