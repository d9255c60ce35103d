"""Issue 12, item 2: "Rushed" means too little warning, nothing else; the on-time share counts the
overdue tasks; working days follow the official calendar (Tết, holidays, the Saturdays worked in
exchange for a day off); an amended due date changes the warning the heads had."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from caunoi.core.workdays import add_working_days, is_working_day, working_days_between
from caunoi.directives import selectors, services
from caunoi.directives.models import Directive, Status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = datetime.date


@pytest.mark.parametrize(
    "day, working",
    [
        (D(2026, 2, 13), True),  # the Friday before Tết
        (D(2026, 2, 16), False),  # Tết: 29th of the last month …
        (D(2026, 2, 20), False),  # … to the 4th day of the new year
        (D(2026, 2, 23), True),
        (D(2026, 8, 22), True),  # a Saturday worked in exchange for Monday 31/08
        (D(2026, 8, 31), False),
        (D(2025, 4, 26), True),  # a Saturday worked in exchange for Friday 02/05
        (D(2025, 5, 2), False),
        (D(2026, 3, 8), False),  # a plain Sunday
        (D(2026, 9, 2), False),  # National Day
    ],
)
def test_the_official_calendar(day, working):
    assert is_working_day(day) is working


def test_lead_times_across_tet_weekends_and_a_day_off():
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1  # over Tết
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 8)) == 4  # due on a Sunday
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 7)) == 4  # due on a Saturday
    assert working_days_between(D(2026, 8, 21), D(2026, 8, 24)) == 2  # the Saturday counts
    assert add_working_days(D(2026, 8, 28), 1) == D(2026, 9, 3)  # 31/08, 01–02/09 are off
    assert add_working_days(D(2026, 2, 15), 0) == D(2026, 2, 23)


def _page(client, world):
    url = reverse("directives:ground", args=["xa", world.commune_a.code])
    return client.get(url).content.decode()


def test_a_task_with_enough_warning_is_not_called_rushed_when_heads_are_busy(
    world, head_a2, make_directive, settings, client_for
):
    settings.DIRECTIVE_MAX_OPEN_PER_HEAD = 1
    make_directive(areas=[world.area_a1])
    busy = make_directive(areas=[world.area_a1], due=add_working_days(timezone.localdate(), 15))
    assert busy.over_cap and not busy.below_min_lead
    assert not busy.rushed and busy.overloads
    html = _page(client_for(world.officer_a), world)
    assert "Rushed</span>" not in html and "Heads over the limit" in html
    detail = client_for(world.officer_a).get(
        reverse("directives:detail", args=[world.commune_a.code, busy.pk])
    )
    assert "Sent rushed" not in detail.content.decode()
    assert "Sent although some heads were over the limit of open tasks" in detail.content.decode()


def test_a_task_with_too_little_warning_is_rushed(world, make_directive, client_for):
    d = make_directive(areas=[world.area_a1], due=add_working_days(timezone.localdate(), 2))
    assert d.rushed and not d.overloads
    assert "Rushed</span>" in _page(client_for(world.officer_a), world)


def test_the_on_time_share_counts_overdue_tasks(world, make_directive):
    today = timezone.localdate()
    for _ in range(2):
        d = make_directive(areas=[world.area_a1])
        a = d.assignments.get()
        services.assignment_complete(actor=world.head_a1, assignment=a, note="Xong")
    for _ in range(2):
        d = make_directive(areas=[world.area_a1])
        Directive.objects.filter(pk=d.pk).update(due_date=today - datetime.timedelta(days=3))
    (row,) = [r for r in selectors.head_list(commune=world.commune_a) if r.area == world.area_a1]
    assert row.overdue == 2 and row.done == 2 and row.on_time == 2
    assert row.on_time_rate == 0.5  # two on time out of four whose due date has come


def test_lesson5_counts_on_time_as_the_heads_page_does(world, make_directive):
    """The roll-up's "done on time" share is over the tasks due so far (done, or open past the
    due date), as the commune's page of its heads: not over the tasks done only (2 overdue and 2
    done on time showed 100%). A task not yet due waits; one that cannot be done is left out."""
    today = timezone.localdate()
    for _ in range(2):
        d = make_directive(areas=[world.area_a1])
        services.assignment_complete(
            actor=world.head_a1, assignment=d.assignments.get(), note="Xong"
        )
    for _ in range(2):
        d = make_directive(areas=[world.area_a1])
        Directive.objects.filter(pk=d.pk).update(due_date=today - datetime.timedelta(days=3))
    make_directive(areas=[world.area_a1])  # open, still in time: not counted yet
    d = make_directive(areas=[world.area_a1])
    services.assignment_decline(actor=world.head_a1, assignment=d.assignments.get(), reason="Không")
    Directive.objects.filter(pk=d.pk).update(due_date=today - datetime.timedelta(days=3))
    total = selectors.directive_lesson5(world.commune_a, year=today.year).total.figures
    assert (total.done, total.on_time, total.due) == (2, 2, 4)
    assert total.on_time_rate == 0.5
    (row,) = [r for r in selectors.head_list(commune=world.commune_a) if r.area == world.area_a1]
    assert row.on_time_rate == total.on_time_rate
    fair = selectors.head_fair_counts(commune=world.commune_a, year=today.year)[world.area_a1.pk]
    assert fair.on_time_rate == 0.5


def test_an_amended_due_date_changes_the_warning(world, make_directive):
    today = timezone.localdate()
    d = make_directive(areas=[world.area_a1], due=add_working_days(today, 2))
    assert d.below_min_lead and d.lead_working_days == 2
    d = services.directive_amend(
        actor=world.officer_a, directive=d, title=d.title, body=d.body,
        due_date=add_working_days(today, 15),
    )  # fmt: skip
    assert d.lead_working_days == 15 and not d.below_min_lead and not d.rushed
    d = services.directive_amend(
        actor=world.officer_a, directive=d, title=d.title, body=d.body,
        due_date=add_working_days(today, 3),
    )  # fmt: skip
    # Brought forward: the heads have the warning from the amendment on.
    assert d.lead_working_days == 3 and d.below_min_lead and d.rushed


def test_bringing_a_due_date_forward_counts_from_the_amendment(world, make_directive):
    sent_day = D(2027, 3, 1)  # a Monday
    d = make_directive(areas=[world.area_a1], due=D(2027, 3, 29), send=False)
    d = services.directive_send(
        actor=world.officer_a, directive=d, reason="",
        now=timezone.make_aware(datetime.datetime.combine(sent_day, datetime.time(9))),
    )  # fmt: skip
    assert d.lead_working_days == 20 and not d.rushed
    d = services.directive_amend(
        actor=world.officer_a, directive=d, title=d.title, body=d.body,
        due_date=D(2027, 3, 23), today=D(2027, 3, 19),
    )  # fmt: skip
    assert d.lead_working_days == 2 and d.rushed  # told on Friday 19/03, due Tuesday 23/03


def test_a_done_task_keeps_its_on_time_count_when_the_due_date_moves(world, make_directive):
    d = make_directive(areas=[world.area_a1])
    services.assignment_complete(actor=world.head_a1, assignment=d.assignments.get(), note="Xong")
    d = services.directive_amend(
        actor=world.officer_a, directive=d, title="Khác", body=d.body, due_date=d.due_date
    )
    d.refresh_from_db()
    assert d.done_count == 1 and d.on_time_count == 1
    assert d.assignments.get().status == Status.DONE
