"""A fund rests on a decision its meeting passed on Cầu Nối; a typed decision is only for one made
before Cầu Nối recorded the area's meetings."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from caunoi.core.submissions import new_key
from caunoi.funds import services
from caunoi.funds.models import Decision
from caunoi.meetings import services as meetings
from caunoi.meetings.models import Meeting
from caunoi.testing import add_household, decide, make_fund, plan_meeting, record_results

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world):
    for i in range(2, 11):
        add_household(world.area_a1, i)
    world.area_a1.refresh_from_db()
    m = plan_meeting(
        world,
        title="Họp khu",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        place="Nhà văn hóa",
    )
    meetings.item_add(
        actor=world.head_a1, meeting=m, title="Lập Quỹ khuyến học", kind="decision", matter="fund"
    )
    meetings.item_add(
        actor=world.head_a1, meeting=m, title="Làm đường", kind="decision", matter="infrastructure"
    )
    Meeting.objects.filter(pk=m.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    meetings.attendance_record(actor=world.head_a1, meeting=m, households_present=8)
    first, second = m.items.order_by("order")
    record_results(
        m, actor=world.head_a1, votes=8, results={first.pk: (7, 1, 0), second.pk: (5, 3, 0)}
    )
    m.refresh_from_db()
    return m


def test_fund_founded_by_the_meetings_decision(world, held, client_for):
    passed, failed = held.items.order_by("order")
    with pytest.raises(ValidationError):
        services.decision_from_meeting(actor=world.head_a1, area=world.area_a1, item_pk=failed.pk)
    client = client_for(world.head_a1)
    page = client.get(reverse("funds:decision_from_meeting", args=[world.area_a1.code]))
    assert (
        "Lập Quỹ khuyến học" in page.content.decode() and "Làm đường" not in page.content.decode()
    )
    r = client.post(
        reverse("funds:decision_from_meeting", args=[world.area_a1.code]),
        {"item_pk": passed.pk, "submission": new_key()},
    )
    assert r.status_code == 302
    decision = Decision.objects.get()
    assert decision.meeting_item == passed and decision.households_in_favour == 7
    assert decision.households_total == 10 and decision.passed and not decision.is_typed
    again = services.decision_from_meeting(
        actor=world.head_a1, area=world.area_a1, item_pk=passed.pk
    )
    assert again == decision
    fund = make_fund(world, decision)
    assert fund.decision.meeting_item.meeting == held
    area = client.get(reverse("funds:area", args=[world.area_a1.code])).content.decode()
    assert "From the minutes of the meeting recorded on Cầu Nối" in area
    assert (
        client_for(world.officer_b)
        .get(reverse("funds:decision_from_meeting", args=[world.area_a1.code]))
        .status_code
        == 404
    )


def test_typed_decision_only_before_the_first_recorded_meeting(world, held):
    with pytest.raises(ValidationError) as exc:
        decide(world, 8, 10, number="09/NQ", date=timezone.localdate(), subject="Thu quỹ")
    assert "since" in str(exc.value)
    old = decide(world, 8, 10, date=datetime.date(2024, 1, 5), subject="Quỹ cũ")
    assert old.is_typed
