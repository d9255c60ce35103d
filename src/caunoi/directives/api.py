"""/api/v1/ endpoints for directives: the commune writes, sends, amends and withdraws; heads work
their assignments; anyone following a ground reads lesson 5. Same access rules as the pages.

Writes accept an `Idempotency-Key` header (16–64 characters of A–Z, a–z, 0–9, _ and -): a retried
request with the same key does not act twice and answers with the current state."""

import datetime
from contextlib import contextmanager
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from caunoi.api.api import SIGNED_IN, _unit_or_404
from caunoi.api.schemas import Error, LevelName
from caunoi.core.submissions import submission_claim, submission_done
from caunoi.core.text import normalize
from caunoi.people import access
from caunoi.territory.models import Level, Unit

from . import permissions, selectors, services
from .models import Assignment, Category, Directive
from .models import Status as AssignmentStatus

router = Router(tags=["directives"], auth=SIGNED_IN)
ERRORS = {code: Error for code in (400, 401, 403, 404)}

CategoryName = StrEnum("CategoryName", {v: v for v in Category.values})
StatusName = StrEnum("StatusName", {v: v for v in AssignmentStatus.values})


class AssignmentOut(Schema):
    id: int
    directive_id: int
    title: str
    area: str = Field(description="The area's code.")
    area_name: str
    head: str | None = Field(description="The head's name when the task was sent.")
    status: StatusName
    percent: int
    note: str
    households_reached: int | None
    due_date: datetime.date
    overdue: bool
    changed_since_seen: bool = Field(description="The commune amended the task since last seen.")
    directive_state: str


class DirectiveOut(Schema):
    id: int
    commune: str
    title: str
    body: str
    category: CategoryName
    source_number: str
    due_date: datetime.date
    state: str = Field(description="draft, sent or withdrawn")
    version: int
    sent_at: datetime.datetime | None
    lead_working_days: int | None
    below_min_lead: bool
    over_cap: bool
    in_burst: bool
    rush_reason: str
    withdraw_reason: str
    recipients: int
    done: int
    completion: float | None
    assignments: list[AssignmentOut] | None = None


class DirectiveList(Schema):
    total: int
    limit: int
    offset: int
    items: list[DirectiveOut]


class DirectiveIn(Schema):
    commune: str = Field(max_length=20, description="The commune's GSO code.")
    title: str = Field(max_length=200)
    body: str = Field(max_length=10000)
    category: CategoryName
    due_date: datetime.date
    all_areas: bool = False
    areas: list[str] = Field(default_factory=list, max_length=500, description="Area codes.")
    source_number: str = Field("", max_length=80)
    reason: str = Field(
        "",
        max_length=300,
        description="Required when the task is below the minimum lead time or lands on a head "
        "above the open-task cap; stored with the task.",
    )
    send: bool = Field(True, description="False keeps it as a draft.")


class AmendIn(Schema):
    title: str = Field(max_length=200)
    body: str = Field(max_length=10000)
    due_date: datetime.date
    note: str = Field("", max_length=300)


class ReasonIn(Schema):
    reason: str = Field(max_length=1000)


class ProgressIn(Schema):
    percent: int = Field(ge=0, le=100)
    note: str = Field("", max_length=1000)


class CompleteIn(Schema):
    note: str = Field(max_length=1000)
    households_reached: int | None = Field(None, ge=0, le=100000)


class Lesson5Out(Schema):
    code: str
    name: str
    directives: int
    below_min_share: float | None
    median_lead: float | None
    peak_open: int
    bursts: int
    completion: float | None
    on_time_rate: float | None


class Lesson5Report(Schema):
    year: int
    total: Lesson5Out
    communes: list[Lesson5Out]


def _assignment_out(a: Assignment) -> dict:
    d = a.directive
    return {
        "id": a.pk,
        "directive_id": d.pk,
        "title": d.title,
        "area": a.area.code,
        "area_name": a.area.name,
        "head": a.head.full_name if a.head_id and a.head else None,
        "status": a.status,
        "percent": a.percent,
        "note": a.note,
        "households_reached": a.households_reached,
        "due_date": d.due_date,
        "overdue": a.is_overdue,
        "changed_since_seen": a.changed_since_seen,
        "directive_state": d.state,
    }


def _directive_out(d: Directive, *, with_assignments: bool = False) -> dict:
    assignments = selectors.directive_assignments(d)
    for a in assignments:
        a.directive = d
    done = sum(a.status == AssignmentStatus.DONE for a in assignments)
    out = {
        "id": d.pk,
        "commune": d.commune.code,
        "title": d.title,
        "body": d.body,
        "category": d.category,
        "source_number": d.source_number,
        "due_date": d.due_date,
        "state": d.state,
        "version": d.version,
        "sent_at": d.sent_at,
        "lead_working_days": d.lead_working_days,
        "below_min_lead": d.below_min_lead,
        "over_cap": d.over_cap,
        "in_burst": d.in_burst,
        "rush_reason": d.rush_reason,
        "withdraw_reason": d.withdraw_reason,
        "recipients": len(assignments),
        "done": done,
        "completion": done / len(assignments) if assignments else None,
    }
    if with_assignments:
        out["assignments"] = [_assignment_out(a) for a in assignments]
    return out


def _commune(user, code: str, perm: str) -> Unit:
    return access.access_unit(user=user, level=Level.COMMUNE, code=normalize(code), perm=perm)


def _directive(user, pk: int, perm: str) -> Directive:
    d = Directive.objects.select_related("commune").filter(pk=pk).first()
    if d is None:
        raise Http404(_("Not found."))
    access.check(user, perm, d.commune)
    return d


def _assignment(user, pk: int) -> Assignment:
    a = selectors.work_assignment(user, pk)
    if a is None:
        raise Http404(_("Not found."))
    access.check(user, permissions.WORK, a.area)
    return a


@contextmanager
def _released_on_error(sub):
    """A refused request frees its key, so the corrected retry acts."""
    try:
        yield
    except Exception:
        if sub is not None:
            sub.delete()
        raise


def _replay(request):
    """(submission, first): the Idempotency-Key header claimed for this caller."""
    return submission_claim(key=request.headers.get("Idempotency-Key"), actor=request.auth)


@router.get("/directives", response={200: DirectiveList, **ERRORS}, summary="A commune's tasks")
def directive_list(
    request,
    commune: str = Query(..., max_length=20),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
):
    unit = _commune(request.auth, commune, permissions.FOLLOW)
    qs = selectors.commune_directives(unit).select_related("commune")
    page = list(qs[offset : offset + limit])
    return {
        "total": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [
            {
                **_directive_out_light(d),
            }
            for d in page
        ],
    }


def _directive_out_light(d) -> dict:
    """From the list's annotations (no query per row)."""
    return {
        "id": d.pk,
        "commune": d.commune.code,
        "title": d.title,
        "body": d.body,
        "category": d.category,
        "source_number": d.source_number,
        "due_date": d.due_date,
        "state": d.state,
        "version": d.version,
        "sent_at": d.sent_at,
        "lead_working_days": d.lead_working_days,
        "below_min_lead": d.below_min_lead,
        "over_cap": d.over_cap,
        "in_burst": d.in_burst,
        "rush_reason": d.rush_reason,
        "withdraw_reason": d.withdraw_reason,
        "recipients": d.n,
        "done": d.n_done,
        "completion": d.n_done / d.n if d.n else None,
    }


@router.post(
    "/directives",
    response={201: DirectiveOut, **ERRORS},
    summary="Write and send a task",
    description="Creates the task for the chosen areas (codes) or all areas and sends it. Below "
    "the minimum lead time or above a head's open-task cap, `reason` is required (400 with "
    "errors.reason otherwise, nothing made).",
)
def directive_add(request, payload: DirectiveIn):
    user = request.auth
    commune = _commune(user, payload.commune, permissions.ISSUE)
    sub, first = _replay(request)
    if not first and sub.result_url:
        return Status(
            201, _directive_out(_directive(user, int(sub.result_url), permissions.FOLLOW))
        )
    codes = {normalize(c) for c in payload.areas}
    areas = list(Unit.objects.filter(level=Level.AREA, code__in=codes))
    missing = codes - {a.code for a in areas}
    if missing:
        raise ValidationError(
            {"areas": _("Unknown area code: %(code)s.") % {"code": sorted(missing)[0]}}
        )
    with _released_on_error(sub), transaction.atomic():
        d = services.directive_create(
            actor=user,
            commune=commune,
            title=payload.title,
            body=payload.body,
            category=payload.category.value,
            due_date=payload.due_date,
            all_areas=payload.all_areas,
            areas=areas,
            source_number=payload.source_number,
        )
        if payload.send:
            d = services.directive_send(actor=user, directive=d, reason=payload.reason)
        submission_done(sub, url=str(d.pk))
    return Status(201, _directive_out(d, with_assignments=True))


@router.get("/directives/{pk}", response={200: DirectiveOut, **ERRORS}, summary="One task")
def directive_get(request, pk: int):
    return _directive_out(_directive(request.auth, pk, permissions.FOLLOW), with_assignments=True)


@router.post(
    "/directives/{pk}/amend", response={200: DirectiveOut, **ERRORS}, summary="Amend a task"
)
def directive_amend(request, pk: int, payload: AmendIn):
    d = _directive(request.auth, pk, permissions.ISSUE)
    sub, first = _replay(request)
    if first:
        with _released_on_error(sub):
            d = services.directive_amend(actor=request.auth, directive=d, **payload.dict())
        submission_done(sub, url=str(d.pk))
    return _directive_out(d, with_assignments=True)


@router.post(
    "/directives/{pk}/withdraw", response={200: DirectiveOut, **ERRORS}, summary="Withdraw a task"
)
def directive_withdraw(request, pk: int, payload: ReasonIn):
    d = _directive(request.auth, pk, permissions.ISSUE)
    d = services.directive_withdraw(actor=request.auth, directive=d, reason=payload.reason)
    return _directive_out(d, with_assignments=True)


@router.get(
    "/assignments",
    response={200: list[AssignmentOut], **ERRORS},
    summary="My tasks",
    description="Open tasks of the areas the caller heads, by due date, then those closed in the "
    "last 30 days.",
)
def assignment_list(request):
    open_items, closed = selectors.inbox(request.auth)
    if not access.Access.for_user(request.auth).paths(permissions.WORK):
        raise PermissionDenied
    return [_assignment_out(a) for a in [*open_items, *closed]]


def _act(request, pk: int, run):
    a = _assignment(request.auth, pk)
    sub, first = _replay(request)
    if first:
        with _released_on_error(sub):
            run(a)
        submission_done(sub, url=str(a.pk))
    a = selectors.work_assignment(request.auth, pk)
    return _assignment_out(
        Assignment.objects.select_related("directive", "area", "head").get(pk=a.pk)
    )


@router.post(
    "/assignments/{pk}/acknowledge", response={200: AssignmentOut, **ERRORS}, summary="Received"
)
def assignment_acknowledge(request, pk: int):
    return _act(
        request, pk, lambda a: services.assignment_acknowledge(actor=request.auth, assignment=a)
    )


@router.post(
    "/assignments/{pk}/progress", response={200: AssignmentOut, **ERRORS}, summary="Report progress"
)
def assignment_progress(request, pk: int, payload: ProgressIn):
    return _act(
        request,
        pk,
        lambda a: services.assignment_progress(
            actor=request.auth, assignment=a, percent=payload.percent, note=payload.note
        ),
    )


@router.post(
    "/assignments/{pk}/complete",
    response={200: AssignmentOut, **ERRORS},
    summary="Done, with evidence",
    description="Text and figures here; photos and files through the page (multipart).",
)
def assignment_complete(request, pk: int, payload: CompleteIn):
    return _act(
        request,
        pk,
        lambda a: services.assignment_complete(
            actor=request.auth,
            assignment=a,
            note=payload.note,
            households_reached=payload.households_reached,
        ),
    )


@router.post(
    "/assignments/{pk}/decline", response={200: AssignmentOut, **ERRORS}, summary="Cannot be done"
)
def assignment_decline(request, pk: int, payload: ReasonIn):
    return _act(
        request,
        pk,
        lambda a: services.assignment_decline(
            actor=request.auth, assignment=a, reason=payload.reason
        ),
    )


def _l5(row) -> dict:
    return {
        "code": row.unit.code,
        "name": row.unit.name,
        "directives": row.directives,
        "below_min_share": row.below_min_share,
        "median_lead": row.median_lead,
        "peak_open": row.peak_open,
        "bursts": row.bursts,
        "completion": row.completion,
        "on_time_rate": row.on_time_rate,
    }


@router.get(
    "/lesson5/{level}/{code}",
    response={200: Lesson5Report, **ERRORS},
    summary="Lesson 5 figures",
    description="For a commune, district or province and a year: share of tasks sent below the "
    "minimum lead time, median lead time, the most open at once on one head, bursts; per commune.",
)
def lesson5(request, level: LevelName, code: str, year: int | None = Query(None, ge=2000, le=2100)):
    unit = access.check(request.auth, permissions.FOLLOW, _unit_or_404(level, code))
    if unit.level == Level.AREA:
        raise Http404(_("Not found."))
    year = year or datetime.date.today().year
    total, rows = selectors.lesson5(unit, year=year)
    rows.sort(key=selectors.SORTS["rushed"])
    return {"year": year, "total": _l5(total), "communes": [_l5(r) for r in rows]}
