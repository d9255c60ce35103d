"""Reads about questions and reports: ready querysets, scoped through the access layer."""

import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from caunoi.core.text import query_terms
from caunoi.people.access import Access
from caunoi.territory.models import Unit

from . import permissions as perms
from .models import GROUND_FIELD, Category, Event, Level, Notification, Request, Status

LIST_FIELDS = ("area", "area__parent", "category")


def request_for(user, pk: int) -> tuple[Request, bool]:
    """The request `pk` if `user` may see it whole (the asker, or staff of its ground), with whether
    they are staff there; 404 for anyone else, whatever exists."""
    req = (
        Request.objects.select_related("area", "area__parent", "category", "author")
        .filter(pk=pk)
        .first()
    )
    if req is None:
        raise Http404
    staff = Access.for_user(user).can(perms.VIEW, req.area)
    if staff or (user.is_authenticated and req.author_id == user.pk):
        return req, staff
    raise Http404


def public_request(pk: int) -> Request:
    req = (
        Request.objects.public()
        .select_related("area", "area__parent", "category")
        .filter(pk=pk)
        .first()
    )
    if req is None:
        raise Http404
    return req


def ground_requests(ground: Unit, *, status: str = "", level: str = "", overdue: bool = False):
    """Requests on `ground` (the caller has checked the permission), newest first."""
    qs = Request.objects.on_ground(ground).select_related(*LIST_FIELDS)
    if level:
        qs = qs.filter(level=level)
    if overdue:  # the most overdue first
        return qs.overdue().order_by("due_date", "id")
    if status == Status.OPEN:  # the most urgent first
        return qs.filter(status=status).order_by("due_date", "id")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def page_of(qs, start: int, stop: int) -> list:
    """Rows `start:stop` of an ordered queryset: the ids first, on the request table alone (so the
    planner walks the date-ordered index whatever the joins), then those rows with their joins."""
    ids = list(qs.values_list("pk", flat=True)[start:stop])
    found = {r.pk: r for r in qs.filter(pk__in=ids).order_by()}
    return [found[i] for i in ids if i in found]


def my_requests(person):
    return (
        Request.objects.filter(author=person).select_related(*LIST_FIELDS).order_by("-created_at")
    )


def waiting_for(person) -> list[Request]:
    """Open requests a head or commune officer must act on now, most urgent first."""
    acc = Access.for_user(person)
    commune_paths, answer_paths = acc.paths(perms.COMMUNE), acc.paths(perms.ANSWER)
    if not commune_paths and not answer_paths:
        return []
    units = {u.path: u for u in Unit.objects.filter(path__in=commune_paths + answer_paths)}
    q = Q(pk__in=[])
    for path in commune_paths:
        if path in units:
            q |= Q(**{f"{GROUND_FIELD[units[path].level]}_id": units[path].pk})
    for path in answer_paths:
        if path in units:
            q |= Q(**{f"{GROUND_FIELD[units[path].level]}_id": units[path].pk}, level=Level.HEAD)
    return list(
        Request.objects.filter(q, status=Status.OPEN, hidden=False)
        .select_related(*LIST_FIELDS)
        .order_by("due_date", "id")[:20]
    )


def unread_notifications(person):
    return list(
        Notification.objects.filter(person=person, read_at__isnull=True)
        .select_related("request")
        .order_by("-at")[:10]
    )


def public_answers(unit: Unit, *, q: str = "", faq: bool = False, limit: int = 20):
    qs = Request.objects.public()
    if unit.pk:
        qs = qs.on_ground(unit)
    for term in query_terms(q):
        qs = qs.filter(search_key__contains=f" {term}")
    if faq:
        qs = qs.filter(faq=True)
    return list(
        qs.select_related(*LIST_FIELDS)
        .prefetch_related("photos")
        .order_by("-answered_at", "-id")[:limit]
    )


def commune_categories(commune: Unit, *, active_only=True):
    qs = Category.objects.filter(commune=commune)
    return qs.filter(is_active=True) if active_only else qs


# --- Statistics ---------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    total: int = 0
    overdue: int = 0
    reopened: int = 0
    answered: int = 0
    hours: dict = field(default_factory=lambda: {Level.HEAD: [], Level.COMMUNE: []})

    @property
    def reopen_rate(self):
        return self.reopened / self.answered if self.answered else None

    def median(self, level):
        values = self.hours[level]
        return statistics.median(values) / 24 if values else None

    @property
    def median_head(self):
        return self.median(Level.HEAD)

    @property
    def median_commune(self):
        return self.median(Level.COMMUNE)


def statistics_for(ground: Unit, *, since=None) -> dict:
    """Volume by category, median days to answer per level, overdue counts and reopen rate, in
    total, per category, and per area (its head) in a commune or per commune above it. Grouped on
    the request table's own columns (no join), names looked up afterwards."""
    base = Request.objects.on_ground(ground)
    if since:
        base = base.filter(created_at__gte=since)
    today = timezone.localdate()
    per_unit_level = 4 if ground.level >= 3 else 3
    unit_field = "area_id" if per_unit_level == 4 else "commune_id"
    rows = base.values("category_id", unit_field).annotate(
        total=Count("id"),
        overdue=Count("id", filter=Q(status=Status.OPEN, due_date__lt=today)),
        reopened=Count("id", filter=Q(reopen_count__gt=0)),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
    )
    rows = list(rows)
    names = dict(
        Category.objects.filter(pk__in={r["category_id"] for r in rows}).values_list("pk", "name")
    )
    total = Row("")
    by_category: dict[str, Row] = {}
    by_unit: dict[int, Row] = {}
    for r in rows:
        name = names.get(r["category_id"], "?")
        for row in (
            total,
            by_category.setdefault(name, Row(name)),
            by_unit.setdefault(r[unit_field], Row("")),
        ):
            row.total += r["total"]
            row.overdue += r["overdue"]
            row.reopened += r["reopened"]
            row.answered += r["answered"]
    answers = Event.objects.filter(
        kind=Event.Kind.ANSWERED, **{f"request__{GROUND_FIELD[ground.level]}_id": ground.pk}
    )
    if since:
        answers = answers.filter(request__created_at__gte=since)
    for level, hours, category_id, unit_id in answers.values_list(
        "level", "hours", "request__category_id", f"request__{unit_field}"
    ):
        if hours is None:
            continue
        for row in (total, by_category.get(names.get(category_id)), by_unit.get(unit_id)):
            if row is not None:
                row.hours[level].append(hours)
    units = dict(Unit.objects.filter(pk__in=list(by_unit)).values_list("pk", "name"))
    heads = {}
    if per_unit_level == 4:  # each area's current head, by name
        from caunoi.territory.selectors import area_head_mandates

        heads = {k: m.person.full_name for k, m in area_head_mandates(list(by_unit)).items()}
    for key, row in by_unit.items():
        row.label = " — ".join(filter(None, [units.get(key, "?"), heads.get(key)]))
    return {
        "total": total,
        "by_category": sorted(by_category.values(), key=lambda r: (-r.total, r.label)),
        "by_unit": sorted(by_unit.values(), key=lambda r: r.label),
        "unit_level": per_unit_level,
    }
