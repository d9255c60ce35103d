"""MEETINGS_REGULAR_PER_YEAR (R-4.3): regular meetings due by a day, the areas behind on the
commune's readiness page, and the "regular meetings held with quorum" indicator of the province's
report and the head's scorecard."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from caunoi.core.indicators import REGISTRY
from caunoi.meetings import deadlines, selectors
from caunoi.meetings.models import Meeting, Status
from caunoi.reports.scorecards import MEASURES
from caunoi.testing import plan_meeting

pytestmark = pytest.mark.django_db

D = datetime.date


def _past(world, area, day, *, status=Status.HELD, kind="regular"):
    m = plan_meeting(world, area=area, kind="regular", actor=world.head_a1)
    Meeting.objects.filter(pk=m.pk).update(
        starts_at=timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 19)),
        status=status,
        kind=kind,
    )
    return m


def test_regular_meetings_due_by_a_day(settings):
    assert deadlines.regular_deadlines(2026) == [D(2026, 6, 30), D(2026, 12, 31)]
    assert deadlines.regular_due_by(2026, D(2026, 6, 30)) == 0
    assert deadlines.regular_due_by(2026, D(2026, 7, 1)) == 1
    assert deadlines.regular_due_by(2026, D(2027, 1, 1)) == 2
    assert deadlines.regular_due_by(2027, D(2026, 12, 1)) == 0
    settings.MEETINGS_REGULAR_PER_YEAR = 4
    assert deadlines.regular_deadlines(2026)[0] == D(2026, 3, 31)
    assert deadlines.regular_due_by(2026, D(2026, 10, 1)) == 3


def test_areas_behind_are_overdue_on_the_readiness_page(world, households, client_for, monkeypatch):
    year = timezone.localdate().year
    _past(world, world.area_a1, D(year, 1, 10))  # held with quorum
    _past(world, world.area_a1, D(year, 1, 20), status=Status.NOT_HELD)  # no quorum: not held
    rows = {
        r.area.pk: r
        for r in selectors.meeting_list_regular(unit=world.commune_a, today=D(year, 12, 1))
    }
    assert rows[world.area_a1.pk].held == 1 and rows[world.area_a1.pk].due == 1
    assert not rows[world.area_a1.pk].overdue
    assert rows[world.area_a2.pk].held == 0 and rows[world.area_a2.pk].overdue
    late = selectors.meeting_list_regular(unit=world.commune_a, today=D(year + 1, 1, 2), year=year)
    assert all(r.overdue for r in late)  # two due by the year's end, one held at most
    # The page reads today's date: on 1 December one regular meeting is due, whatever day the
    # test runs (in January to June none would be, and nothing would be overdue).
    read_date = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, timezone=None: (
            D(year, 12, 1) if value is None else read_date(value, timezone)
        ),
    )
    page = client_for(world.officer_a).get(
        reverse("meetings:readiness", args=["xa", world.commune_a.code])
    )
    html = page.content.decode()
    assert page.context["year"] == year and deadlines.regular_due_by(year, D(year, 12, 1)) == 1
    assert world.area_a2.name in html and 'data-overdue="yes"' in html
    assert html.count('data-overdue="yes"') == 1  # area_a1 held its one
    assert "Regular community meetings a year" in html  # the rule, with its basis
    neighbour = client_for(world.officer_b).get(
        reverse("meetings:readiness", args=["xa", world.commune_a.code])
    )
    assert neighbour.status_code == 404


def test_indicator_regular_meetings_held_with_quorum(world, households):
    year = 2025
    _past(world, world.area_a1, D(year, 6, 10))
    _past(world, world.area_a1, D(year, 12, 10))
    _past(world, world.area_a1, D(year, 12, 20))  # a third: counts at most two
    _past(world, world.area_a2, D(year, 6, 1), status=Status.OPEN)  # quorum, results pending
    _past(world, world.area_a2, D(year, 12, 1), status=Status.BALLOTED)  # no quorum
    _past(world, world.area_a2, D(year, 12, 2), kind="extraordinary")  # not regular
    _past(world, world.area_b1, D(year, 6, 1))  # the other commune's
    table = REGISTRY["meetings.regular"].compute(world.commune_a, year)
    areas = table.total["areas"]
    assert table.total["held"] == 4 and table.total["areas_met"] == 1
    assert table.total["held_share"] == pytest.approx(3 / (2 * areas))
    lines = {line.unit.pk: line.values for line in table.lines}
    assert lines[world.area_a1.pk]["held_share"] == 1.0
    assert lines[world.area_a2.pk]["held_share"] == 0.5
    one = REGISTRY["meetings.regular"].compute(world.area_a2, year, children=False)
    assert one.total["held_share"] == 0.5 and one.lines == []
    assert 2025 in REGISTRY["meetings.regular"].years(world.commune_a)


def test_the_scorecard_knows_the_measure():
    key = "meetings.regular:held_share"
    assert key in MEASURES
    indicator, _sep, column = key.partition(":")
    assert REGISTRY[indicator].lesson == 3
    assert str(REGISTRY[indicator].label) == "Regular meetings held with quorum"


def test_the_areas_come_in_vietnamese_order(world):
    from caunoi.territory.models import Unit

    Unit.objects.filter(pk=world.area_a1.pk).update(name="Khu 10")
    Unit.objects.filter(pk=world.area_a2.pk).update(name="Khu 2")
    rows = selectors.meeting_list_regular(unit=world.commune_a, today=D(2026, 12, 1))
    names = [r.area.name for r in rows]
    assert names.index("Khu 2") < names.index("Khu 10")  # by value, not by code or as text
