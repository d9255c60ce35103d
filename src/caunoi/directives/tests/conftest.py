import datetime
import functools

import pytest
from django.utils import timezone

from caunoi.directives.models import Assignment, Directive, Status
from caunoi.people.models import Role
from caunoi.testing import appoint, send_directive


@pytest.fixture
def head_a2(world):
    return appoint("Phan Thị Lan", "0912000005", Role.HEAD, world.area_a2)


def far_due(days: int = 30) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def directive_counters() -> dict[int, tuple]:
    """{directive id: (recipients, done, on time, peak open, cannot)} recounted from the
    assignments."""
    out: dict[int, list] = {}
    rows = Assignment.objects.exclude(directive__state=Directive.State.DRAFT).values_list(
        "directive_id", "status", "closed_at", "directive__due_date", "open_before"
    )
    for d_id, status, closed, due, before in rows:
        row = out.setdefault(d_id, [0, 0, 0, 0, 0])
        row[0] += 1
        if status == Status.DONE:
            row[1] += 1
            row[2] += timezone.localtime(closed).date() <= due
        row[3] = max(row[3], before + 1)
        row[4] += status == Status.CANNOT
    return {k: tuple(v) for k, v in out.items()}


def directive_counter_drift() -> dict[int, tuple]:
    """{directive id: (kept, recounted)} for every sent directive whose counters are wrong."""
    real = directive_counters()
    drift = {}
    for d in Directive.objects.exclude(state=Directive.State.DRAFT):
        kept = (d.recipients, d.done_count, d.on_time_count, d.peak_open, d.cannot_count)
        if kept != real.get(d.pk, (0, 0, 0, 0, 0)):
            drift[d.pk] = (kept, real.get(d.pk))
    return drift


@pytest.fixture(autouse=True)
def counters_stay_true(db):
    """After every test here, each directive's kept counters are what its assignments say."""
    yield
    assert directive_counter_drift() == {}


@pytest.fixture
def make_directive(world):
    """`send_directive` on the test world, sent as urgent ("khẩn") unless `reason` says."""
    return functools.partial(send_directive, world, reason="khẩn")
