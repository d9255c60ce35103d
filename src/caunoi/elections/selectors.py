"""Reads of the elections: an area's elections, the commune's election status per area (with the
head register's term end and alerts), the recognition's due date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from caunoi.people.selectors import RegisterRow, register_rows
from caunoi.territory.models import Unit

from . import deadlines
from .models import Election, Leaving


def election_list(*, area: Unit) -> QuerySet[Election]:
    return Election.objects.filter(area=area).select_related("winner", "meeting")


@dataclass
class StatusRow:
    register: RegisterRow
    election: Election | None
    leaving: Leaving | None
    overdue: bool

    @property
    def area(self) -> Unit:
        return self.register.area


def election_status_rows(commune: Unit, *, today: datetime.date | None = None) -> list[StatusRow]:
    """Every current area of the commune: its head's term end and alerts (people's register) and
    its latest election (3 queries)."""
    today = today or timezone.localdate()
    rows = register_rows(commune, today=today)
    latest: dict[int, Election] = {}
    for e in (
        Election.objects.filter(area__path__startswith=commune.path)
        .select_related("winner")
        .order_by("area_id", "-round", "-election_day", "-id")
    ):
        latest.setdefault(e.area_id, e)
    leaving: dict[int, Leaving] = {}
    for lv in Leaving.objects.filter(area__path__startswith=commune.path).order_by("-id"):
        leaving.setdefault(lv.area_id, lv)
    for r in rows:  # the register's "no election decided" alert reads the real elections
        last = latest.get(r.area.pk)
        if last is not None and r.vacant_since and last.decided_on >= r.vacant_since:
            r.alerts = [a for a in r.alerts if a[0] != "no_election"]
    return [
        StatusRow(
            register=r,
            election=latest.get(r.area.pk),
            leaving=leaving.get(r.area.pk),
            overdue=bool(
                latest.get(r.area.pk)
                and deadlines.recognition_overdue(latest[r.area.pk], today=today)
            ),
        )
        for r in rows
    ]


def next_round_get(election: Election) -> Election | None:
    """The re-election decided after `election` failed, if any."""
    return Election.objects.filter(previous=election).first()
