"""Reads: a commune's directives, one directive's follow-up, the head's inbox, per-head figures and
the lesson-5 indicators rolled up from communes to district and province. Each a fixed number of
queries, whatever the number of rows."""

import datetime
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Aggregate,
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Prefetch,
    Q,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from caunoi.people.access import Access
from caunoi.people.models import Person
from caunoi.people.selectors import mandate_list_of_heads
from caunoi.territory import rollup
from caunoi.territory.models import Level, Unit

from . import permissions, policy
from .models import CLOSED, OPEN, Assignment, Directive, Reminder, Report, Status


def _year_range(year: int):
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def area_list(*, commune: Unit) -> list[Unit]:
    """The commune's current residential areas, by code."""
    return list(
        Unit.objects.filter(parent=commune, level=Level.AREA, valid_to__isnull=True).order_by(
            "code"
        )
    )


def assignment_open_counts(area_ids) -> dict[int, int]:
    """{area id: open assignments of sent, not withdrawn directives} (one query)."""
    rows = (
        Assignment.objects.open()
        .filter(area_id__in=list(area_ids))
        .values("area_id")
        .annotate(n=Count("id"))
    )
    return {r["area_id"]: r["n"] for r in rows}


def directive_list(*, commune: Unit, today: datetime.date | None = None):
    """The commune's directives, newest first, each with its counts `n`, `n_done`, `n_unread`,
    `n_overdue` (one query)."""
    today = today or timezone.localdate()
    return (
        Directive.objects.filter(commune=commune)
        .select_related("commune")
        .annotate(
            n=Count("assignments"),
            n_done=Count("assignments", filter=Q(assignments__status=Status.DONE)),
            n_unread=Count("assignments", filter=Q(assignments__status=Status.UNREAD)),
            n_overdue=Count(
                "assignments",
                filter=Q(assignments__status__in=OPEN, due_date__lt=today, state="sent"),
            ),
        )
        .order_by(F("sent_at").desc(nulls_first=True), "-id")
    )


def assignment_list(*, directive: Directive) -> list[Assignment]:
    """Every recipient with its head, reports and evidence (three queries)."""
    return list(
        directive.assignments.select_related("area", "head")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=Report.objects.select_related("by").prefetch_related("files"),
            )
        )
        .order_by("area__code")
    )


@dataclass
class DirectiveSummary:
    total: int
    done: int
    cannot: int
    unread: list
    late: list
    completion: float | None


def directive_summary(directive: Directive, assignments: list[Assignment]) -> DirectiveSummary:
    today = timezone.localdate()
    total = len(assignments)
    done = sum(a.status == Status.DONE for a in assignments)
    live = directive.state == Directive.State.SENT
    return DirectiveSummary(
        total=total,
        done=done,
        cannot=sum(a.status == Status.CANNOT for a in assignments),
        unread=[a for a in assignments if live and a.status == Status.UNREAD],
        late=[a for a in assignments if live and a.status in OPEN and directive.due_date < today],
        completion=done / total if total else None,
    )


# --- The head -----------------------------------------------------------------------------------


def assignment_inbox(user, *, recent_days: int = 30):
    """(open assignments by due date, recently closed ones) on the areas the user works for."""
    acc = Access.for_user(user)
    # Heads and deputies hold WORK on areas: the last id of each such path is the area's.
    area_ids = [int(p.strip("/").split("/")[-1]) for p in acc.paths(permissions.WORK) if p]
    base = (
        Assignment.objects.live()
        .filter(area_id__in=area_ids)
        .select_related("directive", "area", "head")
    )
    since = timezone.now() - datetime.timedelta(days=recent_days)
    # one query for both lists (the inbox is a head's most read page)
    rows = list(
        base.filter(Q(status__in=OPEN) | Q(status__in=CLOSED, closed_at__gte=since)).order_by(
            "directive__due_date", "id"
        )
    )
    open_items = [a for a in rows if a.status in OPEN]
    closed = sorted(
        (a for a in rows if a.status not in OPEN), key=lambda a: a.closed_at, reverse=True
    )[:20]
    return open_items, closed


def assignment_list_open_of_area(user, area: Unit) -> list[Assignment]:
    """The open tasks of `area` that `user` works on (what a notice from it may carry out)."""
    if not Access.for_user(user).can(permissions.WORK, area):
        return []
    return list(
        Assignment.objects.live()
        .filter(area=area, status__in=OPEN)
        .select_related("directive")
        .order_by("directive__due_date", "id")
    )


def reminder_unread(assignments) -> dict[int, list[Reminder]]:
    """{assignment id: its unread reminders}."""
    rows = Reminder.objects.filter(assignment__in=assignments, read_at__isnull=True)
    out: dict[int, list[Reminder]] = {}
    for r in rows:
        out.setdefault(r.assignment_id, []).append(r)
    return out


def unit_list_followed(user) -> list[Unit]:
    """The communes, districts and provinces whose tasks `user` follows through a mandate there
    (none for someone who follows everywhere: they have no ground of their own)."""
    paths = Access.for_user(user).paths(permissions.FOLLOW)
    if not paths or "" in paths:
        return []
    return list(
        Unit.objects.filter(
            path__in=paths, level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]
        ).order_by("level", "code")
    )


# --- Per head -----------------------------------------------------------------------------------


@dataclass
class HeadRow:
    area: Unit
    head: Person | None
    open_items: int = 0
    overdue: int = 0
    done: int = 0
    on_time: int = 0
    leads: list = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        """Done by the due date, over the tasks whose due date has come: those done and those
        still open past it (two overdue and two done on time is 50%, not 100%)."""
        due = self.done + self.overdue
        return self.on_time / due if due else None

    @property
    def median_lead(self) -> float | None:
        return statistics.median(self.leads) if self.leads else None

    @property
    def over_cap(self) -> bool:
        return self.open_items > policy.MAX_OPEN.value


def head_list_late(rows: list[HeadRow]) -> list[HeadRow]:
    """The heads with overdue tasks, most overdue first: whom the commune should call today."""
    return sorted((r for r in rows if r.overdue), key=lambda r: (-r.overdue, r.area.code))


def head_list(*, commune: Unit, year: int | None = None) -> list[HeadRow]:
    """Per area of the commune: open load, overdue, on-time rate, lead times received
    (4 queries)."""
    today = timezone.localdate()
    areas = area_list(commune=commune)
    heads = {pk: m.person for pk, m in mandate_list_of_heads(areas).items()}
    rows = {a.pk: HeadRow(area=a, head=heads.get(a.pk)) for a in areas}
    live = Assignment.objects.live().filter(commune=commune)
    if year:
        start, end = _year_range(year)
        live_year = live.filter(directive__sent_at__gte=start, directive__sent_at__lt=end)
    else:
        live_year = live
    for r in live.values("area_id").annotate(
        open_n=Count("id", filter=Q(status__in=OPEN)),
        overdue=Count("id", filter=Q(status__in=OPEN, directive__due_date__lt=today)),
    ):
        if r["area_id"] in rows:
            rows[r["area_id"]].open_items = r["open_n"]
            rows[r["area_id"]].overdue = r["overdue"]
    for area_id, done_day, due, lead, status in live_year.annotate(
        done_day=TruncDate("closed_at")
    ).values_list(
        "area_id", "done_day", "directive__due_date", "directive__lead_working_days", "status"
    ):
        row = rows.get(area_id)
        if row is None:
            continue
        if lead is not None:
            row.leads.append(lead)
        if status == Status.DONE:
            row.done += 1
            if done_day is not None and done_day <= due:
                row.on_time += 1
    return list(rows.values())


# --- Lesson 5 -----------------------------------------------------------------------------------


class LeadTimes(Aggregate):
    """Every lead time of the group, as a tuple of working days (a median needs them all; no
    database here has one): GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL, nulls left out."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def __init__(self, expression, **extra):
        super().__init__(Cast(expression, TextField()), Value(","), **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra_context)

    def convert_value(self, value, expression, connection):
        return tuple(int(n) for n in value.split(",")) if value else ()


@dataclass(frozen=True)
class Lesson5:
    """The article's fifth lesson, over the directives sent in a year on a ground (one line of the
    roll-up: the figures below, computed by the database)."""

    directives: int
    below_min: int
    bursts: int
    assignments: int
    done: int
    on_time: int
    due: int  # tasks whose due date has come (done, or still open past it; "cannot" left out)
    peak_open: int
    leads: tuple[int, ...] | None  # None where the ground has no directive at all

    @property
    def below_min_share(self) -> float | None:
        return self.below_min / self.directives if self.directives else None

    @property
    def median_lead(self) -> float | None:
        return statistics.median(self.leads) if self.leads else None

    @property
    def completion(self) -> float | None:
        return self.done / self.assignments if self.assignments else None

    @property
    def on_time_rate(self) -> float | None:
        """Done by the due date, over the tasks whose due date has come, as on the commune's
        page of its heads (`HeadRow.on_time_rate`): two overdue and two done on time is 50%."""
        return self.on_time / self.due if self.due else None


# Over directives sent (and perhaps withdrawn since) in the year; the heads' work only over those
# still standing. The counters are kept on the directive by the services.
_STANDING = Q(state=Directive.State.SENT)


def lesson5_figures(today: datetime.date | None = None) -> dict[str, Any]:
    """The figures of `Lesson5` as database aggregates, on `today` (the tasks due by then: all
    those of a directive past its due date but the ones that cannot be done; those done of the
    others)."""
    today = today or timezone.localdate()
    due = Case(
        When(due_date__lt=today, then=F("recipients") - F("cannot_count")),
        default=F("done_count"),
        output_field=IntegerField(),
    )
    return {
        "directives": Count("id"),
        "below_min": Count("id", filter=Q(below_min_lead=True)),
        "bursts": Count("id", filter=Q(in_burst=True)),
        "assignments": Sum("recipients", filter=_STANDING, default=0),
        "done": Sum("done_count", filter=_STANDING, default=0),
        "on_time": Sum("on_time_count", filter=_STANDING, default=0),
        "due": Sum(due, filter=_STANDING, default=0),
        "peak_open": Max("peak_open", filter=_STANDING, default=0),
        "leads": LeadTimes("lead_working_days"),
    }


@dataclass(frozen=True)
class Lesson5Report:
    total: rollup.Line[Lesson5]
    districts: list[rollup.Line[Lesson5]]  # none in two-level Vietnam
    communes: list[rollup.Line[Lesson5]]


def directive_lesson5(
    unit: Unit, *, year: int, districts: bool = False, communes: bool = True
) -> Lesson5Report:
    """Lesson 5 for `unit` (a commune, district or province) and directives sent in `year`, with
    a line for every current district (`districts`) and commune (`communes`) on its ground, the
    commune itself for a commune. On the directives' level keys: one query for the total, one for
    the units and one per level of lines, whatever the size and whether the province has
    districts."""
    start, end = _year_range(year)
    sent = Directive.objects.filter(sent_at__gte=start, sent_at__lt=end).exclude(
        state=Directive.State.DRAFT
    )
    total = rollup.rollup(sent, unit, figures=lesson5_figures(), row=Lesson5, children=False).total
    wanted = {Level.DISTRICT: districts, Level.COMMUNE: communes}
    levels = [level for level, yes in wanted.items() if yes]
    lines = rollup.rollup_down(sent, unit, levels, figures=lesson5_figures(), row=Lesson5)
    return Lesson5Report(total, lines.get(Level.DISTRICT, []), lines.get(Level.COMMUNE, []))


Order = Callable[[rollup.Line[Lesson5]], Any]


def _name(line: rollup.Line[Lesson5]) -> str:
    return line.unit.name if line.unit else ""


def _by(figure: Callable[[Lesson5], Any]) -> Order:
    """Lines in the order of a figure, then of their unit's name."""
    return lambda line: (figure(line.figures), _name(line))


SORTS: dict[str, Order] = {
    "rushed": _by(lambda f: -(f.below_min_share or 0)),
    "lead": _by(lambda f: f.median_lead if f.median_lead is not None else 1e9),
    "peak": _by(lambda f: -f.peak_open),
    "bursts": _by(lambda f: -f.bursts),
    "completion": _by(lambda f: f.completion if f.completion is not None else 2),
    "name": _name,
}


@dataclass
class FairCounts:
    """An area's tasks of a year split by the lead time the commune gave: those it handed out
    below the minimum lead time (rushed) are shown apart and never count against the head."""

    assigned: int = 0
    done: int = 0
    on_time: int = 0
    rushed: int = 0  # every task given below the minimum lead time, due or not
    rushed_done: int = 0
    rushed_on_time: int = 0

    @property
    def on_time_rate(self) -> float | None:
        """On time among the tasks given with a fair lead time (done or overdue)."""
        return self.on_time / self.assigned if self.assigned else None


def head_fair_counts(*, commune: Unit, year: int) -> dict[int, FairCounts]:
    """{area id: FairCounts} for the tasks the commune sent in `year` (one grouped query)."""
    start, end = _year_range(year)
    today = timezone.localdate()
    live = (
        Assignment.objects.live()
        .filter(commune=commune, directive__sent_at__gte=start, directive__sent_at__lt=end)
        .annotate(done_day=TruncDate("closed_at"))
    )
    # The tasks whose due date has come: done, or still open past it (tasks still in time wait;
    # those the head reported cannot be done are left out, as in `HeadRow.on_time_rate`).
    due = Q(directive__due_date__lt=today, status__in=OPEN) | Q(status=Status.DONE)
    on_time = Q(status=Status.DONE, done_day__lte=F("directive__due_date"))
    out: dict[int, FairCounts] = {}
    rows = (
        live.order_by()
        .values("area_id", "directive__below_min_lead")
        .annotate(
            sent=Count("id"),
            assigned=Count("id", filter=due),
            done=Count("id", filter=Q(status=Status.DONE)),
            on_time=Count("id", filter=on_time),
        )
    )
    for r in rows:
        counts = out.setdefault(r["area_id"], FairCounts())
        if r["directive__below_min_lead"]:
            counts.rushed += r["sent"]
            counts.rushed_done += r["done"]
            counts.rushed_on_time += r["on_time"]
        else:
            counts.assigned += r["assigned"]
            counts.done += r["done"]
            counts.on_time += r["on_time"]
    return out
