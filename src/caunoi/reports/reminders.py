"""Reminders before a commendation deadline (lesson 5: commend in time), in-app: a row the
commune's and the deciding level's commendation pages show. At most one per commune, year and
kind, so running `reminders_send` twice a day reminds nobody twice."""

from __future__ import annotations

import datetime

from django.utils import timezone

from caunoi.core.workdays import add_working_days

from . import policy
from .models import CommendationReminder, Proposal


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Create the reminders due today; returns how many were new."""
    from caunoi.territory.models import Level, Unit

    from .services import propose_deadline

    today = today or timezone.localdate()
    soon = add_working_days(today, policy.REMIND_DAYS.value)
    rows = [
        CommendationReminder(
            commune_id=p.commune_id, year=p.year, kind="decide", proposal=p, due=p.decide_by
        )
        for p in Proposal.objects.filter(
            state=Proposal.State.PENDING, decide_by__lte=soon, decide_by__gte=today
        )
    ]
    year = today.year - 1
    due = propose_deadline(year)
    if today <= due <= soon:
        proposed = Proposal.objects.filter(year=year).values("commune_id")
        communes = (
            Unit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True)
            .exclude(pk__in=proposed)
            .values_list("pk", flat=True)
        )
        rows += [
            CommendationReminder(commune_id=pk, year=year, kind="propose", due=due)
            for pk in communes.iterator()
        ]
    before = CommendationReminder.objects.count()
    CommendationReminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return CommendationReminder.objects.count() - before


def reminders_for(commune_ids: list[int] | None, *, today: datetime.date | None = None):
    """The reminders not yet past, of these communes (None: all)."""
    today = today or timezone.localdate()
    qs = CommendationReminder.objects.filter(due__gte=today).select_related("commune")
    if commune_ids is not None:
        qs = qs.filter(commune_id__in=commune_ids)
    return qs
