"""Reads about questions and reports: ready querysets. Scoped reads take a unit or a person the
caller got through the access layer (`permissions`); the public ones say so."""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from caunoi.core import redact
from caunoi.core.text import query_terms, slug
from caunoi.people import selectors as people_selectors
from caunoi.people.access import Access
from caunoi.territory import rollup
from caunoi.territory.models import Level, Unit

from . import permissions as perms
from .models import (
    ApiClient,
    Category,
    Event,
    Notification,
    Photo,
    Request,
    Status,
    Tier,
    key_hash,
)

LIST_FIELDS = ("area", "area__parent", "category")


class IdsFirst:
    """An ordered queryset as the page kit's paginator slices it: the page's ids first, on the
    request table alone (so the planner walks the date-ordered index whatever the joins), then
    those rows with their joins."""

    def __init__(self, queryset: QuerySet):
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        ids = list(self.queryset.values_list("pk", flat=True)[index])
        found = {r.pk: r for r in self.queryset.filter(pk__in=ids).order_by()}
        return [found[i] for i in ids if i in found]


def request_public_get(pk: int) -> Request:
    """Public: an answered request its asker allowed to be shown, not hidden; 404 otherwise."""
    req = (
        Request.objects.public()
        .select_related("area", "area__parent", "category")
        .filter(pk=pk)
        .first()
    )
    if req is None:
        raise Http404
    return req


def photo_public_get(pk: int) -> Photo:
    """Public: a photo shown with its request's public page; 404 otherwise."""
    photo = (
        Photo.objects.filter(pk=pk, public=True, request__in=Request.objects.public())
        .select_related("request")
        .first()
    )
    if photo is None:
        raise Http404
    return photo


def request_list(ground: Unit, *, status: str = "", tier: str = "", overdue: bool = False):
    """Requests on `ground` (checked by the caller), newest first, for `paginate`."""
    qs = Request.objects.on_ground(ground).select_related(*LIST_FIELDS)
    if tier:
        qs = qs.filter(level=tier)
    if overdue:  # the most overdue first
        qs = qs.overdue().order_by("due_date", "id")
    elif status == Status.OPEN:  # the most urgent first
        qs = qs.filter(status=status).order_by("due_date", "id")
    elif status:
        qs = qs.filter(status=status).order_by("-created_at", "-id")
    else:
        qs = qs.order_by("-created_at", "-id")
    return IdsFirst(qs)


def request_list_asked_by(person) -> QuerySet[Request]:
    return (
        Request.objects.filter(author=person)
        .select_related(*LIST_FIELDS)
        .order_by("-created_at", "-id")
    )


def ask_area_list(person) -> list[Unit]:
    """The current areas where `person` is a resident: where their "ask the head" goes."""
    areas = {
        h.area.pk: h.area
        for h in people_selectors.household_list_represented(person)
        if h.area.is_current and h.is_active
    }
    return list(areas.values())


def request_waiting_list(person) -> list[Request]:
    """Open requests a head or commune officer must act on now, most urgent first."""
    acc = Access.for_user(person)
    commune_paths, answer_paths = acc.paths(perms.COMMUNE), acc.paths(perms.ANSWER)
    if not commune_paths and not answer_paths:
        return []
    units = {u.path: u for u in Unit.objects.filter(path__in=commune_paths + answer_paths)}
    q = Q(pk__in=[])
    # Each at its own tier: the commune's questions once sent up, a head's while with the head
    # (a commune officer also holds ANSWER, but a question still with its head is not theirs yet).
    for path in commune_paths:
        if path in units:
            q |= Q(
                **{f"{rollup.key_field(units[path].level)}_id": units[path].pk}, level=Tier.COMMUNE
            )
    for path in answer_paths:
        if path in units and path not in commune_paths:
            q |= Q(**{f"{rollup.key_field(units[path].level)}_id": units[path].pk}, level=Tier.HEAD)
    return list(
        Request.objects.filter(q, status=Status.OPEN, hidden=False)
        .select_related(*LIST_FIELDS)
        .order_by("due_date", "id")[:20]
    )


def notification_unread_list(person) -> list[Notification]:
    return list(
        Notification.objects.filter(person=person, read_at__isnull=True)
        .select_related("request")
        .order_by("-at")[:10]
    )


def request_public_list(unit: Unit | None, *, q: str = "", faq: bool = False, limit: int = 20):
    """Public: the answers shown on `unit` and below it (everywhere without one)."""
    qs = Request.objects.public()
    if unit is not None:
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


def unit_public_get(pk: int | None) -> Unit | None:
    """Public: any unit (today's or retired) by its id, to narrow a search of the public answers
    to it; None for no id (`core.params.db_id` gives None for what cannot be one)."""
    return None if pk is None else Unit.objects.filter(pk=pk).first()


def category_list(commune: Unit, *, active_only=True) -> QuerySet[Category]:
    qs = Category.objects.filter(commune=commune)
    return qs.filter(is_active=True) if active_only else qs


# --- Open311 (public: what any client may read, plus what its own api_key posted) ---------------


def api_client_get(key: str) -> ApiClient | None:
    return ApiClient.objects.filter(key_hash=key_hash(key), is_active=True).first()


def open311_jurisdiction_get(code: str) -> Unit | None:
    """Public: the province, district or commune of that code (the highest, if codes repeat)."""
    return Unit.objects.filter(code=code, level__lte=Level.COMMUNE).order_by("level").first()


def category_public_list(*, within: Unit | None = None) -> QuerySet[Category]:
    """Public: the categories in use (Open311 services), in `within` if given."""
    qs = Category.objects.filter(is_active=True).select_related("commune")
    if within is not None:
        qs = qs.filter(commune__path__startswith=within.path)
    return qs.order_by("commune__code", "order", "name")


def shared_code(name: str) -> str:
    """The Open311 service code of a category name across communes: "Đường, ngõ xóm" →
    "duong-ngo-xom" (each commune keeps its own category; this code names them all)."""
    return slug(name)


def category_shared_list(*, within: Unit | None = None) -> list[dict]:
    """Public: one service per category name in use in `within` (or everywhere): what a client
    shows before it knows the commune, instead of each name once per commune."""
    rows: dict[str, dict] = {}
    for name, group, description in (
        category_public_list(within=within)
        .order_by("name", "group", "description")
        .values_list("name", "group", "description")
        .distinct()
    ):
        code = shared_code(name)
        if code and code not in rows:
            rows[code] = {"code": code, "name": name, "group": group, "description": description}
    return list(rows.values())


def category_shared_names(code: str) -> list[str]:
    """Public: the category names (in use) whose shared code is `code`."""
    names = Category.objects.filter(is_active=True).values_list("name", flat=True).distinct()
    return [n for n in names if shared_code(n) == code]


def category_for_area(*, code: str, area: Unit) -> Category | None:
    """Public: the category of `area`'s commune meant by a commune's service code or by a
    shared one."""
    qs = category_public_list().filter(commune_id=area.parent_id)
    return qs.filter(code=code).first() or qs.filter(name__in=category_shared_names(code)).first()


def open311_area_get(code: str) -> Unit | None:
    """Public: the current residential area of that code."""
    return Unit.objects.filter(code=code, level=Level.AREA, valid_to__isnull=True).first()


def open311_changeset(since: datetime.datetime) -> datetime.datetime:
    """When the Open311 service list last changed: the latest category change, or `since` (the
    API's own last change) when that is later."""
    latest = Category.objects.aggregate(at=Max("updated_at"))["at"]
    return max(since, latest) if latest else since


def category_areas(category: Category) -> QuerySet[Unit]:
    """Public: the current residential areas a category's questions may be about."""
    return Unit.objects.filter(
        parent_id=category.commune_id, level=Level.AREA, valid_to__isnull=True
    ).order_by("code")


def request_open311_list(client: ApiClient | None) -> QuerySet[Request]:
    """Public: what Open311 lists, newest first: the requests their askers allowed to be public,
    and those `client` posted itself; hidden ones never. Only the columns the items show."""
    q = Q(public=True)
    if client is not None:
        q |= Q(client=client)
    return (
        Request.objects.filter(q, hidden=False)
        .select_related("category", "area", "commune")
        .only(
            *("pk", "client_id", "status", "level", "reopen_count", "due_date", "answer"),
            "public_answer",
            *("text", "public_text", "created_at", "updated_at", "place", "lat", "long"),
            "media_url",
            *("category__code", "category__name", "category__handler"),
            *("area__code", "area__name", "commune__name"),
        )
        .order_by("-created_at", "-id")
    )


def request_open311_page(qs: QuerySet[Request], *, page: int, size: int) -> list[Request]:
    """The spec's own paging (page, page_size), ids first like the officers' lists."""
    return IdsFirst(qs)[(page - 1) * size : page * size]


def photo_public_first(requests: list[Request]) -> dict[int, int]:
    """Public: each request's first public photo (its id), in one query."""
    photos: dict[int, int] = {}
    for request_id, photo_id in (
        Photo.objects.filter(request_id__in=[r.pk for r in requests], public=True)
        .order_by("-id")
        .values_list("request_id", "id")
    ):
        photos[request_id] = photo_id
    return photos


def request_token_get(token: str) -> Request | None:
    """Public: the spec's token lookup gives only the request's id back."""
    return Request.objects.filter(token=token).only("pk", "token").first()


# --- Statistics ---------------------------------------------------------------------------------


@dataclass
class Row:
    """The figures of a line of the statistics (the ground, a category or a unit): the counts
    come from the roll-up, the answer times are added from the answers' events."""

    total: int = 0
    overdue: int = 0
    reopened: int = 0
    answered: int = 0
    label: str = ""
    hours: dict[str, list[float]] = field(default_factory=dict)  # by tier

    @property
    def reopen_rate(self):
        return self.reopened / self.answered if self.answered else None

    def median(self, level):
        values = self.hours.get(level)
        return statistics.median(values) / 24 if values else None

    @property
    def median_head(self):
        return self.median(Tier.HEAD)

    @property
    def median_commune(self):
        return self.median(Tier.COMMUNE)


def request_statistics(ground: Unit, *, since=None) -> dict:
    """Volume by category, median days to answer per level, overdue counts and reopen rate, in
    total, per category, and per area (its head) in a commune or per commune above it: one
    roll-up grouped on the request table's own columns (the statistics' covering indexes), names
    looked up afterwards. Units without a question are left out."""
    base = Request.objects.all()
    if since:
        base = base.filter(created_at__gte=since)
    today = timezone.localdate()
    per_area = ground.is_commune or ground.is_area  # a commune's areas (their heads), or communes
    figures = rollup.rollup(
        base,
        ground,
        figures={
            "total": Count("id"),
            "overdue": Count("id", filter=Q(status=Status.OPEN, due_date__lt=today)),
            "reopened": Count("id", filter=Q(reopen_count__gt=0)),
            "answered": Count("id", filter=Q(answered_at__isnull=False)),
        },
        row=Row,
        level=None if per_area else Level.COMMUNE,
        by="category_id",
    )
    lines = figures.children
    if ground.is_area:  # an area's one line: the area itself, with its head
        own = figures.total.figures
        lines = [rollup.Line(ground, Row(own.total, own.overdue, own.reopened, own.answered))]
    by_unit = {ln.unit.pk: ln.figures for ln in lines if ln.unit is not None and ln.figures.total}
    for line in lines:
        line.figures.label = line.unit.name if line.unit is not None else ""
    names = dict(Category.objects.filter(pk__in=list(figures.by)).values_list("pk", "name"))
    by_category: dict[str, Row] = {}
    for category_id, sums in figures.by.items():  # (names may repeat across communes)
        name = names.get(category_id, "?")
        merged = by_category.get(name) or by_category.setdefault(name, Row(label=name))
        for count in ("total", "overdue", "reopened", "answered"):
            setattr(merged, count, getattr(merged, count) + getattr(sums, count))
    total = figures.total.figures
    unit_column = rollup.key_field(figures.child_level or ground.level, "request__")
    answers = rollup.on_ground(
        Event.objects.filter(kind=Event.Kind.ANSWERED), ground, prefix="request__"
    )
    if since:
        answers = answers.filter(request__created_at__gte=since)
    for level, hours, category_id, unit_id in answers.values_list(
        "level", "hours", "request__category_id", f"{unit_column}_id"
    ):
        if hours is None:
            continue
        rows = (total, by_category.get(names.get(category_id, "?")), by_unit.get(unit_id))
        for row in rows:
            if row is not None:
                row.hours.setdefault(level, []).append(hours)
    if per_area:  # each area's current head, by name
        from caunoi.people.selectors import mandate_list_of_heads

        heads = {k: m.person.full_name for k, m in mandate_list_of_heads(list(by_unit)).items()}
        for key, row in by_unit.items():
            row.label = " — ".join(filter(None, [row.label, heads.get(key)]))
    return {
        "total": total,
        "by_category": sorted(by_category.values(), key=lambda r: (-r.total, r.label)),
        "by_unit": sorted(by_unit.values(), key=lambda r: r.label),
        "per_area": per_area,
    }


def area_people(area: Unit, *also: str) -> redact.People:
    """Whose names and addresses a public text of `area` must not show: its residents' (and
    `also`: the asker's own name, typed on the question)."""
    names, addresses = people_selectors.resident_names(area)
    return redact.People([*names, *filter(None, also)], addresses)
