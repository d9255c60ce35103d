"""The elections in the API (/api/v1/elections/…), read-only: an area's elections and one
election with its timeline, candidates, count and result (the threshold computed as on the page),
and the URLs of its documents. The writes are the commune's pages (each a confirmation step).
A signed-in caller with the permission on the area; a neighbour commune gets 404."""

import datetime

from django.urls import reverse
from ninja import Field, Router, Schema

from caunoi.api.api import SIGNED_IN, SIGNED_IN_ERRORS
from caunoi.core.api import AreaRowOut, ListPage, paginate
from caunoi.core.text import normalize
from caunoi.meetings import arithmetic
from caunoi.people import access
from caunoi.territory.models import Level

from . import deadlines, policy, selectors
from . import permissions as perms
from .models import Election

router = Router(tags=["elections"], auth=SIGNED_IN)


class CandidateOut(Schema):
    id: int
    full_name: str
    birth_year: int
    nominated: str = Field(description="ctmt, nominated or self")
    votes: int | None


class ElectionOut(AreaRowOut):
    id: int
    round: int
    reason: str
    status: str = Field(description="decided, published, elected, failed, not_held or recognised")
    decision_number: str
    decided_on: datetime.date
    team_on: datetime.date
    notice_on: datetime.date
    list_due_on: datetime.date
    election_day: datetime.date
    published_on: datetime.date | None
    recognised_on: datetime.date | None
    recognition_number: str


class ElectionDetailOut(ElectionOut):
    previous: int | None = Field(description="The failed round this one re-runs.")
    households_total: int
    households_present: int | None
    ballots_issued: int | None
    ballots_returned: int | None
    ballots_valid: int | None
    ballots_invalid: int | None
    votes_needed: int = Field(description="More than the share of ALL households (R-3.6.1).")
    winner: int | None
    recognition_due: datetime.date
    candidates: list[CandidateOut]
    documents: dict[str, str]

    @staticmethod
    def resolve_previous(e: Election) -> int | None:
        return e.previous_id

    @staticmethod
    def resolve_households_present(e: Election) -> int | None:
        return e.meeting.households_present

    @staticmethod
    def resolve_votes_needed(e: Election) -> int:
        return arithmetic.needed_more_than(e.households_total, policy.WIN_SHARE.value)

    @staticmethod
    def resolve_winner(e: Election) -> int | None:
        return e.winner_id

    @staticmethod
    def resolve_recognition_due(e: Election) -> datetime.date:
        return deadlines.recognition_due(e)

    @staticmethod
    def resolve_candidates(e: Election) -> list:
        return list(e.candidates.all())

    @staticmethod
    def resolve_documents(e: Election) -> dict[str, str]:
        docs = ["quyet-dinh"]
        if e.is_counted:
            docs.append("bien-ban-kiem-phieu")
        if e.status == "recognised":
            docs.append("cong-nhan")
        return {
            f"{doc}_{fmt}": reverse("elections:document", args=[e.pk, doc, fmt])
            for doc in docs
            for fmt in ("pdf", "docx")
        }


@router.get(
    "/areas/{code}",
    response={200: list[ElectionOut], **SIGNED_IN_ERRORS},
    summary="An area's elections of the head",
)
@paginate(ListPage)
def area_elections(request, code: str):
    area = access.access_unit(
        user=request.auth, level=Level.AREA, code=normalize(code), perm=perms.READ
    )
    return selectors.election_list(area=area).select_related("area")


@router.get(
    "/{election_id}",
    response={200: ElectionDetailOut, **SIGNED_IN_ERRORS},
    summary="An election: timeline, candidates, count and result",
)
def election(request, election_id: int):
    return perms.access_election(user=request.auth, pk=election_id, perm=perms.READ)
