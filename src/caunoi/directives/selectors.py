"""Reads: a commune's directives, one directive's follow-up, the head's inbox, per-head figures and
the lesson-5 indicators rolled up from communes to district and province. Each a fixed number of
queries, whatever the number of rows."""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Prefetch, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from caunoi.people.access import Access
from caunoi.people.models import Mandate, Person, Role
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


def head_by_area(area_ids, day: datetime.date | None = None) -> dict[int, Person]:
    """{area id: the person heading it on `day`} (one query)."""
    rows = (
        Mandate.objects.active(on=day)
        .filter(role=Role.HEAD, unit_id__in=list(area_ids))
        .select_related("person")
    )
    return {m.unit_id: m.person for m in rows}


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
    open_items = list(base.filter(status__in=OPEN).order_by("directive__due_date", "id"))
    since = timezone.now() - datetime.timedelta(days=recent_days)
    closed = list(base.filter(status__in=CLOSED, closed_at__gte=since).order_by("-closed_at")[:20])
    return open_items, closed


def open_assignments_of_area(user, area: Unit) -> list[Assignment]:
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


def ground_list(user) -> list[Unit]:
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
        return self.on_time / self.done if self.done else None

    @property
    def median_lead(self) -> float | None:
        return statistics.median(self.leads) if self.leads else None

    @property
    def over_cap(self) -> bool:
        return self.open_items > policy.MAX_OPEN.value


def head_list(*, commune: Unit, year: int | None = None) -> list[HeadRow]:
    """Per area of the commune: open load, overdue, on-time rate, lead times received
    (4 queries)."""
    today = timezone.localdate()
    areas = area_list(commune=commune)
    heads = head_by_area([a.pk for a in areas])
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


@dataclass
class Lesson5:
    """The article's fifth lesson, measured over a set of communes for a year."""

    unit: Unit
    directives: int = 0
    below_min: int = 0
    bursts: int = 0
    assignments: int = 0
    done: int = 0
    on_time: int = 0
    peak_open: int = 0
    leads: list = field(default_factory=list)

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
        return self.on_time / self.done if self.done else None

    def add(self, other: "Lesson5") -> None:
        self.directives += other.directives
        self.below_min += other.below_min
        self.bursts += other.bursts
        self.assignments += other.assignments
        self.done += other.done
        self.on_time += other.on_time
        self.peak_open = max(self.peak_open, other.peak_open)
        self.leads.extend(other.leads)


SORTS = {
    "rushed": (lambda r: (-(r.below_min_share or 0), r.unit.name)),
    "lead": (lambda r: (r.median_lead if r.median_lead is not None else 1e9, r.unit.name)),
    "peak": (lambda r: (-r.peak_open, r.unit.name)),
    "bursts": (lambda r: (-r.bursts, r.unit.name)),
    "completion": (lambda r: (r.completion if r.completion is not None else 2, r.unit.name)),
    "name": (lambda r: r.unit.name),
}


def directive_lesson5(unit: Unit, *, year: int) -> tuple[Lesson5, list[Lesson5]]:
    """(the whole of `unit`, one row per current commune under it) for directives sent in `year`.

    Four queries whatever the size, all on directives (their counters): the communes, directives
    grouped by commune, their lead times, their recipients' completion grouped by commune."""
    start, end = _year_range(year)
    communes = list(
        Unit.objects.filter(
            level=Level.COMMUNE, path__startswith=unit.path, valid_to__isnull=True
        ).select_related("parent")
    )
    rows = {c.pk: Lesson5(unit=c) for c in communes}
    sent = Directive.objects.filter(
        path__startswith=unit.path, sent_at__gte=start, sent_at__lt=end
    ).exclude(state=Directive.State.DRAFT)
    for r in sent.values("commune_id").annotate(
        n=Count("id"),
        below=Count("id", filter=Q(below_min_lead=True)),
        burst=Count("id", filter=Q(in_burst=True)),
    ):
        row = rows.get(r["commune_id"])
        if row is not None:
            row.directives, row.below_min = r["n"], r["below"]
            row.bursts = r["burst"]
    for commune_id, lead in sent.values_list("commune_id", "lead_working_days"):
        if commune_id in rows and lead is not None:
            rows[commune_id].leads.append(lead)
    for c in (
        sent.filter(state=Directive.State.SENT)
        .values("commune_id")
        .annotate(
            n=Sum("recipients"),
            done=Sum("done_count"),
            on_time=Sum("on_time_count"),
            peak=Max("peak_open"),
        )
    ):
        row = rows.get(c["commune_id"])
        if row is not None:
            row.assignments, row.done, row.on_time = c["n"] or 0, c["done"] or 0, c["on_time"] or 0
            row.peak_open = c["peak"] or 0
    total = Lesson5(unit=unit)
    for row in rows.values():
        total.add(row)
    return total, list(rows.values())


def directive_lesson5_by_district(rows: list[Lesson5]) -> list[Lesson5]:
    """Commune rows summed per district (no query: the communes carry their parent)."""
    out: dict[int, Lesson5] = {}
    for row in rows:
        parent = row.unit.parent
        if parent is None or not parent.is_district:
            continue
        out.setdefault(parent.pk, Lesson5(unit=parent)).add(row)
    return sorted(out.values(), key=lambda r: r.unit.name)
