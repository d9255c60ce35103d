"""People's API, mounted at /api/v1/ (signed-in callers only, as decided by caunoi.people.access):

* /heads/{level}/{code} and /heads/{level}/{code}/figures: the head register of a commune,
  district or province (same access as the register page: officers who see inside that ground);
* /mandates: active mandates on the caller's ground, and appointing someone known by phone."""

import datetime
from enum import Enum

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from caunoi.api.api import SIGNED_IN, SIGNED_IN_ERRORS
from caunoi.api.schemas import LEVEL_OF_NAME, LevelName
from caunoi.core.api import IdempotencyKey, ListPage, once, paginate
from caunoi.core.exceptions import ApplicationError
from caunoi.core.text import normalize
from caunoi.people import access
from caunoi.people.models import Role
from caunoi.people.services import mandate_appoint
from caunoi.territory.api import UnitRef, unit_or_404, unit_ref
from caunoi.territory.selectors import Node

from . import permissions, selectors

router = Router(auth=SIGNED_IN)


# ----------------------------------------------------------------------------- the head register


class Alert(Schema):
    code: str = Field(description="vacant, no_election, term_ending, term_over or temporary_long")
    message: str


class RegisterRow(Schema):
    """One current area of the ground, with its head (read from a register row)."""

    area: str
    area_name: str
    commune: str
    head: str | None
    since: datetime.date | None
    term_state: str = Field(description="elected, temporary, extended, or empty when unknown")
    term_end: datetime.date | None
    birth_year: int | None
    party_member: bool | None
    concurrent: bool | None
    alerts: list[Alert]

    @staticmethod
    def resolve_area(row: selectors.RegisterRow) -> str:
        return row.area.code

    @staticmethod
    def resolve_area_name(row: selectors.RegisterRow) -> str:
        return row.area.name

    @staticmethod
    def resolve_commune(row: selectors.RegisterRow) -> str:
        return row.area.parent.code if row.area.parent else ""

    @staticmethod
    def resolve_head(row: selectors.RegisterRow) -> str | None:
        return row.head.person.full_name if row.head else None

    @staticmethod
    def resolve_since(row: selectors.RegisterRow) -> datetime.date | None:
        return row.head.start if row.head else None

    @staticmethod
    def resolve_term_state(row: selectors.RegisterRow) -> str:
        return row.head.term_state if row.head else ""

    @staticmethod
    def resolve_term_end(row: selectors.RegisterRow) -> datetime.date | None:
        return row.term_end

    @staticmethod
    def resolve_birth_year(row: selectors.RegisterRow) -> int | None:
        return row.profile.birth_year if row.profile else None

    @staticmethod
    def resolve_party_member(row: selectors.RegisterRow) -> bool | None:
        return row.profile.party_member if row.profile else None

    @staticmethod
    def resolve_concurrent(row: selectors.RegisterRow) -> bool | None:
        return row.profile.concurrent if row.profile else None

    @staticmethod
    def resolve_alerts(row: selectors.RegisterRow) -> list[dict]:
        return [{"code": code, "message": str(message)} for code, message in row.alerts]


class Distribution(Schema):
    label: str
    count: int


class RegisterFigures(Schema):
    areas: int
    heads: int
    vacant: int
    profiles: int
    aged_60_share: float | None
    party_share: float | None
    concurrent_share: float | None
    median_years_in_post: float | None
    education: list[Distribution]
    political_theory: list[Distribution]


@router.get(
    "/heads/{level}/{code}",
    response={200: list[RegisterRow], **SIGNED_IN_ERRORS},
    summary="Head register",
    description="Every current area of the ground, by commune and code, with its head's term, "
    "profile and alerts. The figures over them are in `/heads/{level}/{code}/figures`.",
    tags=["heads"],
)
@paginate(ListPage)
def head_register(request, level: LevelName, code: str):
    unit = access.access_unit(
        user=request.auth, level=LEVEL_OF_NAME[level], code=normalize(code), perm=access.VIEW
    )
    return selectors.register_rows(unit, today=timezone.localdate())


@router.get(
    "/heads/{level}/{code}/figures",
    response={200: RegisterFigures, **SIGNED_IN_ERRORS},
    summary="Head register: figures",
    description="Figures the province studies over the heads of the ground: share aged 60+, party "
    "members, concurrent posts, education, political theory, years in post.",
    tags=["heads"],
)
def head_register_figures(request, level: LevelName, code: str):
    unit = access.access_unit(
        user=request.auth, level=LEVEL_OF_NAME[level], code=normalize(code), perm=access.VIEW
    )
    today = timezone.localdate()
    rows = selectors.register_rows(unit, today=today)
    figures = selectors.register_figures(unit, rows=rows, today=today)
    return {
        "areas": figures.areas,
        "heads": figures.heads,
        "vacant": figures.vacant,
        "profiles": figures.profiles,
        "aged_60_share": figures.aged_60,
        "party_share": figures.party,
        "concurrent_share": figures.concurrent,
        "median_years_in_post": figures.median_years,
        "education": [{"label": str(a), "count": b} for a, b in figures.education],
        "political_theory": [{"label": str(a), "count": b} for a, b in figures.theory],
    }


# -------------------------------------------------------------------------------------------------
# Mandates (moved here from caunoi/api/api.py: the api app only assembles the apps' routers).
# -------------------------------------------------------------------------------------------------

RoleName = Enum("RoleName", {value: value for value in Role.values}, type=str)  # type: ignore[misc]  # built from Role, so it can never drift
RoleName.__doc__ = "A role held through a mandate."


class PersonOut(Schema):
    id: int
    full_name: str
    phone: str | None = Field(
        description="Shown when the person agreed to show it publicly, or to whoever may manage "
        "mandates on the unit."
    )


class MandateOut(Schema):
    """Read from a `Mandate` with its person, unit and household."""

    id: int
    role: RoleName
    role_label: str
    person: PersonOut
    unit: UnitRef
    household: str | None = Field(description="The household's code (residents).")
    start: datetime.date
    end: datetime.date | None = Field(description="Exclusive; null while open-ended.")
    decision_number: str
    decision_date: datetime.date | None

    @staticmethod
    def resolve_role_label(mandate) -> str:
        return str(Role(mandate.role).label)

    @staticmethod
    def resolve_person(mandate, context) -> dict:
        person = mandate.person
        caller = context["request"].auth
        shown = person.phone_public or access.can(caller, access.MANAGE_MANDATES, mandate.unit)
        return {
            "id": person.pk,
            "full_name": person.full_name,
            "phone": person.phone if shown else None,
        }

    @staticmethod
    def resolve_unit(mandate) -> dict:
        return unit_ref(Node(mandate.unit))

    @staticmethod
    def resolve_household(mandate) -> str | None:
        return mandate.household.code if mandate.household_id else None


class MandateIn(Schema):
    level: LevelName
    code: str = Field(max_length=20)
    role: RoleName
    phone: str = Field(max_length=20, description="The person's phone; created when unknown.")
    full_name: str = Field("", max_length=120, description="Needed when the phone is new.")
    start: datetime.date
    end: datetime.date | None = None
    household: str = Field("", max_length=32, description="A resident's household code.")
    decision_number: str = Field("", max_length=80)
    decision_date: datetime.date | None = None
    note: str = Field("", max_length=200)


@router.get(
    "/mandates",
    response={200: list[MandateOut], **SIGNED_IN_ERRORS},
    summary="Active mandates",
    description="Active mandates on the caller's ground (where they may see inside), by unit, "
    "optionally within one unit (`level` and `code`, its subtree included) and of one role.",
    tags=["mandates"],
)
@paginate(ListPage)
def mandates(
    request,
    level: LevelName | None = None,
    code: str | None = Query(None, max_length=20),
    role: RoleName | None = None,
):
    user = request.auth
    acc = access.Access.for_user(user)
    within = None
    if level is not None or code:
        if level is None or not code:
            raise ApplicationError(
                _("Give both the level and the code of the unit."), code="invalid"
            )
        within = access.access_unit(
            user=user, level=LEVEL_OF_NAME[level], code=normalize(code), perm=access.VIEW
        )
    elif not acc.paths(access.VIEW):
        raise PermissionDenied
    return selectors.mandate_list_active(
        ground=acc.unit_filter(access.VIEW, "unit__"),
        within=within,
        role=role.value if role is not None else None,
    )


@router.post(
    "/mandates",
    response={201: MandateOut, **SIGNED_IN_ERRORS},
    summary="Appoint someone",
    description="Give the person with this phone (created when new) a role on a unit. The caller "
    "must be allowed to appoint that role there.",
    tags=["mandates"],
)
def mandate_add(request, payload: MandateIn, key: IdempotencyKey = None):
    user = request.auth
    unit = unit_or_404(payload.level, payload.code)
    unit = permissions.appointment_check(user=user, role=payload.role.value, unit=unit)
    mandate = once(
        request,
        key,
        lambda: mandate_appoint(
            actor=user,
            unit=unit,
            role=payload.role.value,
            phone=payload.phone,
            full_name=payload.full_name,
            start=payload.start,
            end=payload.end,
            household_code=payload.household,
            decision_number=payload.decision_number,
            decision_date=payload.decision_date,
            note=payload.note,
        ),
        replay=lambda pk: permissions.access_mandate(user=user, pk=int(pk), within=unit),
    )
    return Status(201, mandate)  # with the person, unit and household the service gave it
