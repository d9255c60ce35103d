"""The area's choice of notice channels points to the meeting decision that made it (R-5.2): the
head picks the passed decision; a typed reference is kept only for choices made before the area's
first meeting recorded on Cầu Nối, and old typed ones stay readable, marked as such."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from caunoi.core.submissions import new_key
from caunoi.meetings import services
from caunoi.outreach import services as outreach
from caunoi.outreach.models import ChannelDecision
from caunoi.testing import plan_meeting, record_results

from .conftest import begin

pytestmark = pytest.mark.django_db


def _held(world, *, votes_for):
    meeting = plan_meeting(world, title="Họp khu bàn cách thông báo")
    item = services.item_add(
        actor=world.head_a1,
        meeting=meeting,
        title="Dùng Zalo và SMS để thông báo cho các hộ",
        kind="decision",
        matter="channels",
    )
    other = services.item_add(
        actor=world.head_a1, meeting=meeting, title="Lập quỹ", kind="decision", matter="fund"
    )
    begin(meeting)
    services.attendance_record(actor=world.head_a1, meeting=meeting, households_present=8)
    record_results(
        meeting,
        actor=world.head_a1,
        votes=8,
        results={item.pk: (votes_for, 0, 0), other.pk: (8, 0, 0)},
    )
    return meeting, item, other


def test_a_channel_rests_on_the_meetings_passed_decision(world, households):
    typed = outreach.channel_decision_record(  # before Cầu Nối: typed, and still readable
        actor=world.head_a1,
        area=world.area_a1,
        channel="sms",
        decision="Biên bản họp khu dân cư ngày 12/03/2022",
        decided_on=datetime.date(2022, 3, 12),
    )
    meeting, item, other = _held(world, votes_for=7)
    assert typed.is_typed
    chosen = outreach.channel_decision_record(
        actor=world.head_a1, area=world.area_a1, channel="zalo", item_pk=item.pk
    )
    assert chosen.meeting_item == item and not chosen.is_typed
    assert chosen.decided_on <= datetime.date.today()
    assert "Item 1 of the meeting of" in chosen.decision and meeting.title in chosen.decision
    # Not a decision on channels, not passed, another area's: refused, nothing recorded.
    for pk in (other.pk, 10**9):
        with pytest.raises(ValidationError) as exc:
            outreach.channel_decision_record(
                actor=world.head_a1, area=world.area_a1, channel="email", item_pk=pk
            )
        assert "item_pk" in exc.value.message_dict
    with pytest.raises(ValidationError):
        outreach.channel_decision_record(
            actor=world.head_a1, area=world.area_b1, channel="email", item_pk=item.pk
        )
    # Since the area's meetings are recorded here, a typed reference after that day is refused.
    with pytest.raises(ValidationError) as exc:
        outreach.channel_decision_record(
            actor=world.head_a1,
            area=world.area_a1,
            channel="email",
            decision="Biên bản giấy",
            decided_on=datetime.date.today(),
        )
    assert "recorded on Cầu Nối since" in str(exc.value)
    assert not ChannelDecision.objects.filter(channel="email").exists()


def test_a_decision_that_did_not_pass_chooses_nothing(world, households):
    _meeting, item, _other = _held(world, votes_for=5)  # 5 of 10 households: not more than half
    with pytest.raises(ValidationError):
        outreach.channel_decision_record(
            actor=world.head_a1, area=world.area_a1, channel="zalo", item_pk=item.pk
        )
    assert not ChannelDecision.objects.exists()


def test_the_head_picks_the_decision_on_the_channels_page(world, households, client_for):
    _meeting, item, _other = _held(world, votes_for=7)
    client = client_for(world.head_a1)
    page = reverse("outreach:channels", args=[world.area_a1.code])
    pick = reverse("outreach:channel_from_meeting", args=[world.area_a1.code])
    assert pick in client.get(page).content.decode()
    form = client.get(pick).content.decode()
    assert "Dùng Zalo và SMS" in form and "Lập quỹ" not in form
    body = {"channel": "zalo", "item_pk": str(item.pk), "submission": new_key()}
    assert client.post(pick, body).status_code == 302
    client.post(pick, body)  # twice: once
    row = ChannelDecision.objects.get()
    assert row.meeting_item == item
    listed = client.get(page).content.decode()
    assert item.meeting.get_absolute_url() in listed
    bad = client.post(pick, {"channel": "zalo", "item_pk": "abc", "submission": new_key()})
    assert bad.status_code == 200 and ChannelDecision.objects.count() == 1


def test_channel_pick_access(world, households, client_for):
    pick = reverse("outreach:channel_from_meeting", args=[world.area_a1.code])
    assert client_for(world.head_a1).get(pick).status_code == 200
    assert client_for(world.officer_b).get(pick).status_code == 404
    assert client_for(world.resident_a1).get(pick).status_code == 403
