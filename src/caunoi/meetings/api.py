"""The meetings in the API (/api/v1/meetings/…): an area's meetings, one meeting with its agenda
and results (the verdicts computed as on the page), and the head's writes: plan, add an item,
record the households represented, record the results. Everything needs a signed-in caller with
the permission on the area (a neighbour commune gets 404, a resident 403 on a write). The
documents (Mẫu 01, Mẫu 03, .ics) are the pages' downloads: their URLs are in `documents`."""

import datetime

from django.urls import reverse
from ninja import Field, Router, Schema, Status

from caunoi.api.api import SIGNED_IN, SIGNED_IN_ERRORS
from caunoi.core.api import ListPage, paginate
from caunoi.core.text import normalize
from caunoi.people import access
from caunoi.territory.models import Level

from . import permissions as perms
from . import selectors, services
from .models import Item, Meeting

router = Router(tags=["meetings"])


class VerdictOut(Schema):
    count: int
    total: int
    needed: int
    ok: bool


class ItemOut(Schema):
    id: int
    order: int
    title: str
    kind: str = Field(description="record, comment or decision")
    matter: str
    votes_for: int | None
    votes_against: int | None
    votes_abstained: int | None
    verdict: VerdictOut | None = Field(
        description="A decision against all households of the area (more than the share)."
    )
    passed: bool


class MeetingOut(Schema):
    id: int
    area: str
    kind: str
    title: str
    starts_at: datetime.datetime
    place: str
    convener: str
    convener_name: str
    status: str
    households_total: int | None
    households_present: int | None
    quorum: VerdictOut | None
    url: str

    @staticmethod
    def resolve_area(m: Meeting) -> str:
        return m.area.code

    @staticmethod
    def resolve_url(m: Meeting) -> str:
        return m.get_absolute_url()


class MeetingDetailOut(MeetingOut):
    items: list[ItemOut]
    documents: dict[str, str]

    @staticmethod
    def resolve_items(m: Meeting) -> list[Item]:
        return selectors.item_list(meeting=m)

    @staticmethod
    def resolve_documents(m: Meeting) -> dict[str, str]:
        out = {
            f"invitation_{fmt}": reverse("meetings:invitation", args=[m.pk, fmt])
            for fmt in ("pdf", "docx", "ics")
        }
        if m.status in ("held", "not_held", "balloted"):
            out |= {
                f"minutes_{fmt}": reverse("meetings:minutes", args=[m.pk, fmt])
                for fmt in ("pdf", "docx")
            }
        return out


class MeetingIn(Schema):
    kind: str = Field(description="regular, extraordinary, cluster, election or dismissal")
    title: str = Field(max_length=200)
    starts_at: datetime.datetime
    place: str = Field(max_length=200)
    convener_name: str = Field(max_length=120)
    head_is_ctmt_head: bool = False
    vacant: bool = False


class ItemIn(Schema):
    title: str = Field(max_length=300)
    kind: str = Field(description="record, comment or decision")
    matter: str = ""
    text: str = Field("", max_length=3000)


class AttendanceIn(Schema):
    households_present: int = Field(ge=0)


class VotesIn(Schema):
    item: int
    votes_for: int = Field(ge=0)
    votes_against: int = Field(ge=0)
    votes_abstained: int = Field(ge=0)


class ResultsIn(Schema):
    chair_name: str = Field(max_length=120)
    chair_for: int = Field(ge=0)
    secretary_name: str = Field(max_length=120)
    secretary_for: int = Field(ge=0)
    method: str = Field(description="hands or ballot")
    method_for: int = Field(ge=0)
    results: list[VotesIn]


def _area(request, code: str, perm):
    return access.access_unit(
        user=request.auth,
        level=Level.AREA,
        code=normalize(code),
        perm=perm,
        current=perm is perms.PREPARE,
    )


@router.get(
    "/areas/{code}",
    auth=SIGNED_IN,
    response={200: list[MeetingOut], **SIGNED_IN_ERRORS},
    summary="An area's meetings",
)
@paginate(ListPage)
def area_meetings(request, code: str):
    return selectors.meeting_list(area=_area(request, code, perms.READ)).select_related("area")


@router.post(
    "/areas/{code}",
    auth=SIGNED_IN,
    response={201: MeetingDetailOut, **SIGNED_IN_ERRORS},
    summary="Plan a meeting",
)
def meeting_add(request, code: str, payload: MeetingIn):
    area = _area(request, code, perms.PREPARE)
    meeting = services.meeting_create(actor=request.auth, area=area, **payload.dict())
    return Status(201, meeting)


@router.get(
    "/{meeting_id}",
    auth=SIGNED_IN,
    response={200: MeetingDetailOut, **SIGNED_IN_ERRORS},
    summary="A meeting, its agenda and results",
)
def meeting(request, meeting_id: int):
    return perms.access_meeting(user=request.auth, pk=meeting_id, perm=perms.READ)


@router.post(
    "/{meeting_id}/items",
    auth=SIGNED_IN,
    response={201: ItemOut, **SIGNED_IN_ERRORS},
    summary="Add an agenda item",
)
def item_add(request, meeting_id: int, payload: ItemIn):
    m = perms.access_meeting(user=request.auth, pk=meeting_id, perm=perms.PREPARE)
    return Status(201, services.item_add(actor=request.auth, meeting=m, **payload.dict()))


@router.post(
    "/{meeting_id}/attendance",
    auth=SIGNED_IN,
    response={200: MeetingDetailOut, **SIGNED_IN_ERRORS},
    summary="Record the households represented",
    description="Below the quorum the meeting is recorded as not held. Recorded once.",
)
def attendance(request, meeting_id: int, payload: AttendanceIn):
    m = perms.access_meeting(user=request.auth, pk=meeting_id, perm=perms.PREPARE)
    return services.attendance_record(
        actor=request.auth, meeting=m, households_present=payload.households_present
    )


@router.post(
    "/{meeting_id}/results",
    auth=SIGNED_IN,
    response={200: MeetingDetailOut, **SIGNED_IN_ERRORS},
    summary="Record the chair, secretary, voting method and each item's votes",
    description="All or nothing; impossible counts are refused with the numbers named.",
)
def results(request, meeting_id: int, payload: ResultsIn):
    m = perms.access_meeting(user=request.auth, pk=meeting_id, perm=perms.PREPARE)
    data = payload.dict()
    votes = {
        v["item"]: (v["votes_for"], v["votes_against"], v["votes_abstained"])
        for v in data.pop("results")
    }
    return services.results_record(actor=request.auth, meeting=m, results=votes, **data)
