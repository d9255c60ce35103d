"""The head keeps the household list of the area: list, add, edit — with access and bad input."""

import unicodedata

import pytest

from caunoi.core.models import AuditEntry
from caunoi.territory.models import Household
from caunoi.territory.services import household_create
from caunoi.testing import get_as

# Whatever these tests do to households, every area keeps its true household count.
# Messages are asserted in English (the msgids); test_i18n keeps the Vietnamese complete.
pytestmark = pytest.mark.usefixtures("counts_stay_true", "english")


def add_url(world):
    return f"/khu/{world.area_a1.code}/ho/them/"


FORM = {
    "representative_name": "Trần Văn Tú",
    "address": "Số 12, ngõ 3",
    "representative_phone": "0912 345 678",
    "members": "4",
}


@pytest.mark.django_db
def test_head_adds_a_household_with_the_next_code(world, client_for):
    response = client_for(world.head_a1).post(add_url(world), FORM)
    assert response.status_code == 302
    household = Household.objects.get(representative_name="Trần Văn Tú")
    assert household.code == "08119-03-002" and household.area == world.area_a1
    assert household.representative_phone == "0912345678" and household.members == 4
    entry = AuditEntry.objects.get(action="territory.household.created", object_id=household.pk)
    assert entry.actor == world.head_a1


@pytest.mark.django_db
def test_double_submission_adds_one_household(world, client_for):
    client = client_for(world.head_a1)
    client.post(add_url(world), FORM)
    response = client.post(add_url(world), FORM)
    assert response.status_code == 200
    assert "already on the list" in response.content.decode()
    assert Household.objects.filter(representative_name="Trần Văn Tú").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"representative_name": ""}, "Write the name of the head of household."),
        ({"members": "0"}, "Write the number of members, from 1 to 99."),
        ({"members": "abc"}, "Write the number of members, from 1 to 99."),
        ({"representative_phone": "12345"}, "Enter a Vietnamese phone number"),
        ({"address": "x" * 10_000}, "at most 200 characters"),
    ],
)
def test_bad_input_changes_nothing(world, client_for, change, message):
    before = Household.objects.count()
    response = client_for(world.head_a1).post(add_url(world), {**FORM, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Household.objects.count() == before


@pytest.mark.django_db
def test_nfd_text_is_stored_as_nfc(world, client_for):
    nfd = {k: unicodedata.normalize("NFD", v) for k, v in FORM.items()}
    client_for(world.head_a1).post(add_url(world), nfd)
    household = Household.objects.get(code="08119-03-002")
    assert household.representative_name == "Trần Văn Tú"
    assert household.address == "Số 12, ngõ 3"


@pytest.mark.django_db
def test_access_to_the_household_pages(world, client, client_for):
    edit = f"/khu/{world.area_a1.code}/ho/{world.household_a1.code}/sua/"
    people = ("officer_a", "head_a1", "resident_a1", "inspector_a1", "officer_b", "head_b1")
    expected = dict(zip(people, (200, 200, 403, 403, 404, 404), strict=True))
    for url in (add_url(world), edit):
        assert get_as(client, url, world, *people) == expected, url
    # someone else's household through this area's address
    other = f"/khu/{world.area_a1.code}/ho/{world.household_b1.code}/sua/"
    assert client_for(world.head_a1).get(other).status_code == 404
    assert client_for(world.head_a1).delete(add_url(world)).status_code == 405


@pytest.mark.django_db
def test_edit_is_audited_before_and_after(world, client_for):
    url = f"/khu/{world.area_a1.code}/ho/{world.household_a1.code}/sua/"
    data = {
        "representative_name": "Bùi Thị Thảo",
        "address": "Số 1, Khu 3",
        "representative_phone": "0912000111",
        "members": "6",
    }
    assert client_for(world.head_a1).post(url, data).status_code == 302
    world.household_a1.refresh_from_db()
    assert world.household_a1.members == 6
    entry = AuditEntry.objects.get(action="territory.household.updated")
    assert entry.before["members"] == 4 and entry.after["members"] == 6


@pytest.mark.django_db
def test_list_pages_and_query_count_stays_flat(world, client_for, django_assert_max_num_queries):
    client = client_for(world.head_a1)
    url = f"/khu/{world.area_a1.code}/ho/"
    client.get(url)  # warm the session
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for i in range(60):
        household_create(
            actor=None, area=world.area_a1, representative_name=f"Hộ {i}", address=f"Số {i}"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 61
    assert len(response.context["page"].object_list) == 50
    assert 'rel="next" href="?trang=2"' in response.content.decode()  # core/_pager.html
    assert client.get(url, {"trang": 2}).context["page"].number == 2
    assert client.get(url, {"trang": "abc"}).status_code == 200
