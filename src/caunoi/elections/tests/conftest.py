import datetime

import pytest
from django.utils import timezone

from caunoi.elections import services
from caunoi.elections.models import Election
from caunoi.meetings.models import Meeting
from caunoi.territory.models import Unit

ELIGIBLE = ["residence", "health", "conduct", "ability"]


@pytest.fixture(autouse=True)
def _english(english):
    """Messages are asserted by their English msgids."""


def households(area, n: int) -> None:
    """The area's kept household count (the denominator of the quorum and of the win)."""
    Unit.objects.filter(pk=area.pk).update(household_count=n)
    area.refresh_from_db()


def timeline(day: datetime.date | None = None, **kw) -> dict:
    day = day or timezone.localdate() + datetime.timedelta(days=25)
    base = {
        "reason": "term_end",
        "decision_number": "125/QĐ-UBND",
        "decided_on": timezone.localdate(),
        "team_on": day - datetime.timedelta(days=12),
        "list_due_on": day - datetime.timedelta(days=15),
        "notice_on": day - datetime.timedelta(days=8),
        "election_day": day,
        "team_leader": "Nguyễn Văn Tổ",
        "team_members": "Trần Thị Một\nLê Văn Hai",
        "place": "Nhà văn hóa Khu 3",
        "at": datetime.time(8, 0),
    }
    base.update(kw)
    return base


def decide(world, **kw) -> Election:
    return services.election_decide(
        actor=kw.pop("actor", world.officer_a), area=kw.pop("area", world.area_a1), **timeline(**kw)
    )


def candidate(world, election, name="Hoàng Văn Sơn", phone="0912000001", **kw):
    kw.setdefault("birth_year", 1970)
    kw.setdefault("nominated", "ctmt")
    kw.setdefault("eligibility", ELIGIBLE)
    return services.candidate_add(
        actor=world.officer_a, election=election, full_name=name, phone=phone, **kw
    )


def arrive(election: Election) -> Election:
    """The election day has come (moved to today, the meeting an hour ago)."""
    today = timezone.localdate()
    shift = election.election_day - today
    Election.objects.filter(pk=election.pk).update(
        election_day=today,
        decided_on=election.decided_on - shift,
        team_on=election.team_on - shift,
        notice_on=election.notice_on - shift,
        list_due_on=election.list_due_on - shift,
        published_on=election.published_on - shift if election.published_on else None,
    )
    Meeting.objects.filter(pk=election.meeting_id).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    election.refresh_from_db()
    election.meeting.refresh_from_db()
    return election


def ready(world, n_households=310, names=("Hoàng Văn Sơn", "Vũ Thị Lan")) -> Election:
    """An election with its published list, on its day."""
    households(world.area_a1, n_households)
    e = decide(world)
    for i, name in enumerate(names):
        candidate(world, e, name=name, phone=f"091200090{i}")
    services.list_publish(actor=world.officer_a, election=e)
    return arrive(e)


def ballot(present, valid, invalid=0, **kw):
    kw.setdefault("counting_board", "Ông A\nBà B\nÔng C")
    kw.setdefault("board_for", present)
    return {
        "households_present": present,
        "method": "ballot",
        "ballots_issued": valid + invalid,
        "ballots_returned": valid + invalid,
        "ballots_valid": valid,
        "ballots_invalid": invalid,
        **kw,
    }
