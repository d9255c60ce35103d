"""/api/v1/ endpoints for directives: the commune writes, sends, amends and withdraws; heads work
their assignments; anyone following a ground reads lesson 5. Same access rules as the pages
(`permissions.access_*`, `access.access_unit`); lists are pages `{items, count, limit, offset}`.

Writes accept an `Idempotency-Key` header (`caunoi.core.api.once`): a retried request with the
same key does not act twice and answers with the current state."""

import datetime
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from caunoi.api.api import SIGNED_IN, SIGNED_IN_ERRORS
from caunoi.api.schemas import LEVEL_OF_NAME, LevelName
from caunoi.core.api import IdempotencyKey, ListPage, once, paginate
from caunoi.core.text import normalize
from caunoi.people import access
from caunoi.territory import rollup
from caunoi.territory.models import Level

from . import permissions, selectors, services
from .models import Assignment, Category, Directive
from .models import Status as AssignmentStatus

router = Router(tags=["directives"], auth=SIGNED_IN)


CategoryName = StrEnum("CategoryName", {v: v for v in Category.values})  # type: ignore[misc]
StatusName = StrEnum("StatusName", {v: v for v in AssignmentStatus.values})  # type: ignore[misc]


class AssignmentOut(Schema):
    id: int
    directive_id: int
    title: str = Field(alias="directive.title")
    area: str = Field(alias="area.code", description="The area's code.")
    area_name: str = Field(alias="area.name")
    head: str | None = Field(description="The head's name when the task was sent.")
    status: StatusName
    percent: int
    note: str
    households_reached: int | None
    due_date: datetime.date = Field(alias="directive.due_date")
    overdue: bool = Field(alias="is_overdue")
    changed_since_seen: bool = Field(description="The commune amended the task since last seen.")
    directive_state: str = Field(alias="directive.state")

    @staticmethod
    def resolve_head(a: Assignment) -> str | None:
        return a.head.full_name if a.head is not None else None


class DirectiveOut(Schema):
    id: int
    commune: str = Field(alias="commune.code")
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
    recipients: int = Field(alias="n")
    done: int = Field(alias="n_done")
    completion: float | None
    assignments: list[AssignmentOut] | None = Field(
        None, description="Each recipient area (one task only, not in lists)."
    )

    @staticmethod
    def resolve_completion(d: Any) -> float | None:  # `n`, `n_done`: counts on the row
        return d.n_done / d.n if d.n else None

    @staticmethod
    def resolve_assignments(d: Directive) -> list[Assignment] | None:
        return getattr(d, "recipient_rows", None)


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
    """One line of the roll-up: the unit's code and name, then its figures (`_line`)."""

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


def _with_recipients(directive: Directive) -> Directive:
    """The directive as one task's answer: its recipients, and the counts a list row has."""
    rows = selectors.assignment_list(directive=directive)
    for a in rows:
        a.directive = directive
    d: Any = directive
    d.recipient_rows = rows
    d.n = len(rows)
    d.n_done = sum(a.status == AssignmentStatus.DONE for a in rows)
    return directive


@router.get(
    "/directives",
    response={200: list[DirectiveOut], **SIGNED_IN_ERRORS},
    summary="A commune's tasks",
)
@paginate(ListPage)
def directive_list(request, commune: str = Query(..., max_length=20)):
    unit = access.access_unit(
        user=request.auth, level=Level.COMMUNE, code=normalize(commune), perm=permissions.FOLLOW
    )
    return selectors.directive_list(commune=unit)


@router.post(
    "/directives",
    response={201: DirectiveOut, **SIGNED_IN_ERRORS},
    summary="Write and send a task",
    description="Creates the task for the chosen areas (codes) or all areas and sends it. Below "
    "the minimum lead time or above a head's open-task cap, `reason` is required (400 with "
    "errors.reason otherwise, nothing made).",
)
def directive_add(request, payload: DirectiveIn, key: IdempotencyKey = None):
    user = request.auth
    commune = access.access_unit(
        user=user, level=Level.COMMUNE, code=normalize(payload.commune), perm=permissions.ISSUE
    )
    own = {a.code: a for a in selectors.area_list(commune=commune)}
    codes = sorted({normalize(c) for c in payload.areas})
    missing = [c for c in codes if c not in own]
    if missing:
        raise ValidationError({"areas": _("Unknown area code: %(code)s.") % {"code": missing[0]}})

    def run() -> Directive:
        d = services.directive_create(
            actor=user,
            commune=commune,
            title=payload.title,
            body=payload.body,
            category=payload.category.value,
            due_date=payload.due_date,
            all_areas=payload.all_areas,
            areas=[own[c] for c in codes],
            source_number=payload.source_number,
        )
        if payload.send:
            d = services.directive_send(actor=user, directive=d, reason=payload.reason)
        return d

    def replay(pk: str) -> Directive:
        return permissions.access_directive(user=user, pk=int(pk), perm=permissions.FOLLOW)

    d = once(request, key, run, replay=replay)
    return Status(201, _with_recipients(d))


@router.get(
    "/directives/{pk}", response={200: DirectiveOut, **SIGNED_IN_ERRORS}, summary="One task"
)
def directive_get(request, pk: int):
    d = permissions.access_directive(user=request.auth, pk=pk, perm=permissions.FOLLOW)
    return _with_recipients(d)


@router.post(
    "/directives/{pk}/amend",
    response={200: DirectiveOut, **SIGNED_IN_ERRORS},
    summary="Amend a task",
)
def directive_amend(request, pk: int, payload: AmendIn, key: IdempotencyKey = None):
    d = permissions.access_directive(user=request.auth, pk=pk, perm=permissions.ISSUE)
    once(
        request,
        key,
        lambda: services.directive_amend(actor=request.auth, directive=d, **payload.dict()),
        replay=lambda _pk: d,
    )
    return _with_recipients(
        permissions.access_directive(user=request.auth, pk=pk, perm=permissions.FOLLOW)
    )


@router.post(
    "/directives/{pk}/withdraw",
    response={200: DirectiveOut, **SIGNED_IN_ERRORS},
    summary="Withdraw a task",
)
def directive_withdraw(request, pk: int, payload: ReasonIn):
    d = permissions.access_directive(user=request.auth, pk=pk, perm=permissions.ISSUE)
    d = services.directive_withdraw(actor=request.auth, directive=d, reason=payload.reason)
    return _with_recipients(d)


@router.get(
    "/assignments",
    response={200: list[AssignmentOut], **SIGNED_IN_ERRORS},
    summary="My tasks",
    description="Open tasks of the areas the caller heads, by due date, then those closed in the "
    "last 30 days.",
)
@paginate(ListPage)
def assignment_list(request):
    if not access.Access.for_user(request.auth).paths(permissions.WORK):
        raise PermissionDenied
    open_items, closed = selectors.assignment_inbox(request.auth)
    return [*open_items, *closed]


def _act(
    request, pk: int, key: str | None, service: Callable[..., Any], payload: Schema | None = None
) -> Assignment:
    """A head's report on the assignment `pk`: `service(actor, assignment, **the payload's
    fields)`, once per key; the answer is the assignment as it is now."""
    a = permissions.access_assignment(user=request.auth, pk=pk)
    fields = payload.dict() if payload is not None else {}
    once(
        request,
        key,
        lambda: service(actor=request.auth, assignment=a, **fields),
        replay=lambda _pk: a,
    )
    return permissions.access_assignment(user=request.auth, pk=pk)


@router.post(
    "/assignments/{pk}/acknowledge",
    response={200: AssignmentOut, **SIGNED_IN_ERRORS},
    summary="Received",
)
def assignment_acknowledge(request, pk: int, key: IdempotencyKey = None):
    return _act(request, pk, key, services.assignment_acknowledge)


@router.post(
    "/assignments/{pk}/progress",
    response={200: AssignmentOut, **SIGNED_IN_ERRORS},
    summary="Report progress",
)
def assignment_progress(request, pk: int, payload: ProgressIn, key: IdempotencyKey = None):
    return _act(request, pk, key, services.assignment_progress, payload)


@router.post(
    "/assignments/{pk}/complete",
    response={200: AssignmentOut, **SIGNED_IN_ERRORS},
    summary="Done, with evidence",
    description="Text and figures here; photos and files through the page (multipart).",
)
def assignment_complete(request, pk: int, payload: CompleteIn, key: IdempotencyKey = None):
    return _act(request, pk, key, services.assignment_complete, payload)


@router.post(
    "/assignments/{pk}/decline",
    response={200: AssignmentOut, **SIGNED_IN_ERRORS},
    summary="Cannot be done",
)
def assignment_decline(request, pk: int, payload: ReasonIn, key: IdempotencyKey = None):
    return _act(request, pk, key, services.assignment_decline, payload)


@router.get(
    "/lesson5/{level}/{code}",
    response={200: Lesson5Report, **SIGNED_IN_ERRORS},
    summary="Lesson 5 figures",
    description="For a commune, district or province and a year: share of tasks sent below the "
    "minimum lead time, median lead time, the most open at once on one head, bursts; per commune.",
)
def lesson5(request, level: LevelName, code: str, year: int | None = Query(None, ge=2000, le=2100)):
    unit = access.access_unit(
        user=request.auth, level=LEVEL_OF_NAME[level], code=normalize(code), perm=permissions.FOLLOW
    )
    if unit.is_area:
        raise Http404(_("Not found."))
    year = year or timezone.localdate().year
    report = selectors.directive_lesson5(unit, year=year)
    rows = sorted(report.communes, key=selectors.SORTS["rushed"])
    return {"year": year, "total": _line(report.total), "communes": [_line(r) for r in rows]}


LESSON5_FIGURES = [name for name in Lesson5Out.model_fields if name not in ("code", "name")]


def _line(line: rollup.Line[selectors.Lesson5]) -> dict[str, Any]:
    """A roll-up line as `Lesson5Out` (plain values: a dotted alias costs a lookup per field)."""
    unit, figures = line.unit, {name: getattr(line.figures, name) for name in LESSON5_FIGURES}
    return {"code": unit.code if unit else "", "name": unit.name if unit else "", **figures}
