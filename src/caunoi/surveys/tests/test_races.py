"""Parallel answers on real connections (PostgreSQL only: SQLite serialises writers)."""

import datetime

import pytest

from caunoi.surveys import services
from caunoi.surveys.models import Ballot, Response, Tally
from caunoi.territory.models import Unit
from caunoi.testing import build_world, run_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _campaign(world):
    today = datetime.date.today()
    return services.campaign_create(
        actor=None,
        unit=world.province,
        form=services.form_builtin(),
        title="Song song",
        start=today,
        end=today,
    )


def test_one_household_answering_twice_at_once_counts_once():
    world = build_world()
    campaign = _campaign(world)
    ((_hh, code),) = services.invitations_issue(actor=None, campaign=campaign, area=world.area_a1)
    results = run_parallel(
        4, lambda: services.response_submit_code(code=code, raw={"danh_gia": "rat_tot"})
    )
    assert sorted(kind for kind, _v in results) == ["error", "error", "error", "ok"]
    assert Response.objects.count() == 1 and Ballot.objects.count() == 1


def test_many_households_at_once_all_count_in_the_tallies():
    world = build_world()
    campaign = _campaign(world)
    households = [world.household_a1]
    for i in range(5):
        households.append(
            Unit.objects.get(pk=world.area_a1.pk).households.create(
                code=f"{world.area_a1.code}-9{i}", representative_name=f"Hộ {i}"
            )
        )
    pending = list(households)

    def answer():
        household = pending.pop()
        return services.response_submit_household(
            campaign=campaign, household=household, raw={"danh_gia": "hieu_qua"}
        )

    results = run_parallel(len(households), answer)
    assert [kind for kind, _v in results] == ["ok"] * len(households)
    assert Tally.objects.get(question="", area=world.area_a1).count == len(households)
    assert Tally.objects.get(question="danh_gia", choice="hieu_qua").count == len(households)
