"""Reads of the meetings: ready querysets and rows for the pages and the API."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils import timezone

from caunoi.core.codes import code_hash
from caunoi.territory.models import Household, Level, Unit
from caunoi.territory.selectors import in_order

from . import deadlines, policy
from .models import Attendance, Ballot, ClusterResult, Item, Meeting, Slip, Status


def meeting_list(*, area: Unit) -> QuerySet[Meeting]:
    return area.meetings.annotate(item_count=Count("items")).order_by("-starts_at", "-id")


def meeting_upcoming(*, area: Unit) -> QuerySet[Meeting]:
    return (
        area.meetings.filter(starts_at__gte=timezone.now() - datetime.timedelta(hours=3))
        .exclude(status__in=[Status.HELD, Status.NOT_HELD, Status.BALLOTED])
        .order_by("starts_at")
    )


def meeting_recorded(*, area: Unit, limit: int = 10) -> list[Meeting]:
    """Held or not held meetings, newest first, with their items (public minutes)."""
    return list(
        area.meetings.filter(status__in=[Status.HELD, Status.NOT_HELD, Status.BALLOTED])
        .prefetch_related(Prefetch("items", queryset=Item.objects.order_by("order")))
        .order_by("-starts_at")[:limit]
    )


def item_list(*, meeting: Meeting) -> list[Item]:
    items = list(meeting.items.order_by("order"))
    for item in items:
        item.meeting = meeting  # the verdicts read the meeting's counts without a query each
    return items


def household_list(*, meeting: Meeting) -> QuerySet[Household]:
    return meeting.area.households.filter(is_active=True).order_by("code")


@dataclass(frozen=True)
class Readiness:
    meeting: Meeting
    missing: list
    no_agenda: bool
    not_invited: bool

    @property
    def ready(self) -> bool:
        return not self.missing and not self.no_agenda and not self.not_invited


def meeting_readiness(*, unit: Unit, days: int | None = None) -> list[Readiness]:
    """Meetings of the areas under `unit` in the next `days` (the rule by default), each with
    what is not ready yet."""
    days = days if days is not None else policy.READINESS_DAYS.value
    now = timezone.now()
    meetings = (
        Meeting.objects.filter(
            area__path__startswith=unit.path,
            starts_at__gte=now - datetime.timedelta(hours=3),
            starts_at__lte=now + datetime.timedelta(days=days),
        )
        .exclude(status__in=[Status.HELD, Status.NOT_HELD, Status.OPEN])
        .select_related("area")
        .annotate(item_count=Count("items"))
        .order_by("starts_at")
    )
    return [Readiness(m, m.missing, m.item_count == 0, m.notice_id is None) for m in meetings]


def meeting_upcoming_for(*, user, limit: int = 5) -> list[Meeting]:
    """Coming meetings of the areas where `user` holds a mandate (a household, the head…)."""
    from caunoi.people.selectors import person_mandates

    # the person's mandates as this request already read them (the home page's other sections)
    areas = {m.unit_id for m in person_mandates(user) if m.unit and m.unit.level == Level.AREA}
    if not areas:
        return []
    return list(
        Meeting.objects.filter(area_id__in=areas, starts_at__gte=timezone.now())
        .exclude(status__in=[Status.HELD, Status.NOT_HELD])
        .select_related("area")
        .order_by("starts_at")[:limit]
    )


# ------------------------------------------------------------- for the apps a decision binds


def passed_decision_list(*, area: Unit, matters: tuple[str, ...] | None = None) -> list[Item]:
    """The area's passed decisions (of a meeting held with a quorum or decided by household
    ballot), newest first: what a fund, a campaign or a channel choice may rest on."""
    from .models import DECIDED

    items = (
        Item.objects.filter(
            meeting__area=area,
            meeting__status__in=DECIDED,
            kind=Item.Kind.DECISION,
            votes_for__isnull=False,
        )
        .select_related("meeting")
        .order_by("-meeting__starts_at", "order")
    )
    if matters:
        items = items.filter(matter__in=matters)
    return [i for i in items if i.passed]


def passed_decision_get(*, area: Unit, pk: int) -> Item | None:
    return next((i for i in passed_decision_list(area=area) if i.pk == pk), None)


def meeting_first_recorded_on(*, area: Unit) -> datetime.date | None:
    """The day of the area's first meeting recorded on Cầu Nối: decisions since then are the
    recorded meetings' own, not typed in."""
    first = (
        area.meetings.filter(status__in=[Status.HELD, Status.NOT_HELD, Status.BALLOTED])
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localtime(first).date() if first else None


# --------------------------------------------------------- regular meetings due in the year

# A meeting held with a quorum (its results may still be being typed).
WITH_QUORUM = (Status.OPEN, Status.HELD)


# `in_order`'s name and code of a row about an area
_BY_AREA = (lambda row: row.area.name, lambda row: row.area.code)


@dataclass(frozen=True)
class RegularRow:
    area: Unit
    held: int  # regular meetings held with a quorum in the year
    due: int  # due by today
    per_year: int

    @property
    def overdue(self) -> bool:
        return self.held < self.due


def _regular_held(year: int):
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    held = (
        Meeting.objects.filter(
            area=OuterRef("pk"),
            kind="regular",
            status__in=WITH_QUORUM,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .order_by()
        .values("area")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(held, output_field=IntegerField()), 0)


def meeting_list_regular(
    *, unit: Unit, year: int | None = None, today: datetime.date | None = None
) -> list[RegularRow]:
    """Each current area under `unit`: its regular meetings held with a quorum in `year` against
    those due by `today` (R-4.3), in Vietnamese order of their names; one query."""
    today = today or timezone.localdate()
    year = year or today.year
    due = deadlines.regular_due_by(year, today)
    per_year = policy.REGULAR_PER_YEAR.value
    areas = Unit.objects.filter(
        level=Level.AREA, valid_to__isnull=True, path__startswith=unit.path
    ).annotate(held_n=_regular_held(year))
    return in_order([RegularRow(a, a.held_n, due, per_year) for a in areas], *_BY_AREA)


def ballot_get(*, meeting: Meeting) -> Ballot | None:
    """The household ballot of `meeting` (the fallback when its quorum failed), if one was opened;
    the caller has access to the meeting."""
    return Ballot.objects.filter(meeting=meeting).select_related("meeting__area").first()


def slip_open_get(*, code: str) -> Slip | None:
    """Public, by its one-time code only: the unanswered slip that code opens (None for a wrong,
    used or empty code)."""
    if not code:
        return None
    return (
        Slip.objects.select_related("ballot__meeting__area")
        .filter(code_hash=code_hash(code), answered_at__isnull=True)
        .exclude(code_hash="")
        .first()
    )


def cluster_result_list(*, meeting: Meeting) -> list[ClusterResult]:
    """Each cluster's votes on `meeting`'s items (the caller has access to the meeting)."""
    return list(ClusterResult.objects.filter(item__meeting=meeting).select_related("cluster"))


@dataclass(frozen=True)
class Totals:
    """A clustered meeting's figures: its clusters' sums."""

    clusters: int
    recorded: int  # clusters whose households are recorded
    present: int
    votes: dict[int, tuple[int, int, int]] = field(default_factory=dict)

    voted: int = 0  # clusters whose votes are recorded

    @property
    def complete(self) -> bool:
        return self.clusters > 0 and self.recorded == self.clusters


def cluster_totals(meeting: Meeting) -> Totals:
    clusters = list(meeting.clusters.all())
    recorded = [c for c in clusters if c.households_present is not None]
    ticked = set(
        Attendance.objects.filter(meeting__in=recorded).values_list("household_id", flat=True)
    )
    typed = sum(
        c.households_present or 0
        for c in recorded
        if not Attendance.objects.filter(meeting=c).exists()
    )
    votes = {
        row["item_id"]: (row["f"], row["a"], row["ab"])
        for row in ClusterResult.objects.filter(cluster__part_of=meeting)
        .values("item_id")
        .annotate(f=Sum("votes_for"), a=Sum("votes_against"), ab=Sum("votes_abstained"))
        .order_by()
    }
    voted = sum(1 for c in clusters if c.status == Status.HELD)
    return Totals(len(clusters), len(recorded), len(ticked) + typed, votes, voted)
