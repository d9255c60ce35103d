"""/api/v1/heads/{level}/{code}: the head register of a commune, district or province (same access
as the register page: officers who see inside that ground)."""

import datetime

from django.utils import timezone
from ninja import Field, Router, Schema

from caunoi.api.api import SIGNED_IN, _unit_or_404
from caunoi.api.schemas import Error, LevelName
from caunoi.people import access

from . import selectors

router = Router(tags=["heads"], auth=SIGNED_IN)


class Alert(Schema):
    code: str = Field(description="vacant, no_election, term_ending, term_over or temporary_long")
    message: str


class RegisterRow(Schema):
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


class Distribution(Schema):
    label: str
    count: int


class RegisterOut(Schema):
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
    total: int
    limit: int
    offset: int
    items: list[RegisterRow]


@router.get(
    "/heads/{level}/{code}",
    response={200: RegisterOut, **{c: Error for c in (400, 401, 403, 404)}},
    summary="Head register",
    description="Figures the province studies (share aged 60+, party members, concurrent posts, "
    "education, political theory, years in post) and, per area, the head's term and alerts.",
)
def head_register(request, level: LevelName, code: str, limit: int = 200, offset: int = 0):
    unit = access.check(request.auth, access.VIEW, _unit_or_404(level, code))
    today = timezone.localdate()
    rows = selectors.register_rows(unit, today=today)
    stats = selectors.register_stats(rows, today=today)
    limit = max(1, min(limit, 1000))
    items = []
    for r in rows[max(offset, 0) : max(offset, 0) + limit]:
        m = r["head"]
        p = getattr(m.person, "head_profile", None) if m else None
        items.append(
            {
                "area": r["area"].code,
                "area_name": r["area"].name,
                "commune": r["area"].parent.code,
                "head": m.person.full_name if m else None,
                "since": m.start if m else None,
                "term_state": m.term_state if m else "",
                "term_end": r.get("term_end"),
                "birth_year": p.birth_year if p else None,
                "party_member": p.party_member if p else None,
                "concurrent": p.concurrent if p else None,
                "alerts": [{"code": k, "message": str(v)} for k, v in r["alerts"]],
            }
        )
    return {
        "areas": stats["areas"],
        "heads": stats["heads"],
        "vacant": stats["vacant"],
        "profiles": stats["profiles"],
        "aged_60_share": stats["aged_60"],
        "party_share": stats["party"],
        "concurrent_share": stats["concurrent"],
        "median_years_in_post": stats["median_years"],
        "education": [{"label": str(a), "count": b} for a, b in stats["education"]],
        "political_theory": [{"label": str(a), "count": b} for a, b in stats["theory"]],
        "total": len(rows),
        "limit": limit,
        "offset": offset,
        "items": items,
    }
