"""Writes at once on real connections (PostgreSQL only: SQLite serialises writers)."""

import pytest

from caunoi.elections import services
from caunoi.elections.models import Election
from caunoi.meetings.models import Meeting
from caunoi.testing import build_world, run_parallel

from .conftest import arrive, ballot, candidate, households, timeline

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_officers_deciding_at_once_make_one_election():
    world = build_world()
    results = run_parallel(
        3,
        lambda: services.election_decide(actor=world.officer_a, area=world.area_a1, **timeline()),
    )
    assert sorted(kind for kind, _v in results) == ["error", "error", "ok"]
    assert Election.objects.count() == 1 and Meeting.objects.count() == 1


def test_a_count_sent_twice_at_once_is_recorded_once():
    world = build_world()
    households(world.area_a1, 10)
    e = services.election_decide(actor=world.officer_a, area=world.area_a1, **timeline())
    c = candidate(world, e)
    services.list_publish(actor=world.officer_a, election=e)
    e = arrive(e)
    results = run_parallel(
        3,
        lambda: services.election_count(
            actor=world.officer_a, election=e, votes={c.pk: 7}, **ballot(8, 8)
        ),
    )
    assert [kind for kind, _v in results] == ["ok"] * 3
    e.refresh_from_db()
    assert e.status == "elected" and e.meeting.households_present == 8
