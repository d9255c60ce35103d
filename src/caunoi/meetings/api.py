"""The meetings in the API (/api/v1/meetings/…): an area's meetings, one meeting with its agenda
and results (the verdicts computed as on the page), and the head's writes: plan, add an item,
record the households represented, record the results. Everything needs a signed-in caller with
the permission on the area (a neighbour commune gets 404, a resident 403 on a write). The
documents (Mẫu 01, Mẫu 03, .ics) are the pages' downloads: their URLs are in `documents`.

The decisions and ballots (for the area's officers, `permissions.BALLOTS`): a meeting's decisions
with their tallies (a cluster meeting's per cluster), the household ballot with the slips
answered (never what a household answered) and its tally once closed; the writes record a
cluster's votes, a paper slip and the ballot's closing."""

import datetime

from django.http import Http404
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from caunoi.api.api import SIGNED_IN, SIGNED_IN_ERRORS
from caunoi.core.api import AreaRowOut, IdempotencyKey, ListPage, once, paginate
from caunoi.core.text import normalize
from caunoi.people import access
from caunoi.territory.models import Level

from . import ballots, clusters, selectors, services
from . import permissions as perms
from .models import Ballot, ClusterResult, Item, Meeting, Slip

router = Router(tags=["meetings"], auth=SIGNED_IN)


class VerdictOut(Schema):
    count: int
    total: int
    needed: int
    ok: bool


class VotedItemOut(Schema):
    """An agenda item as voted: what the meeting's page and the decisions' list both show."""

    id: int
    order: int
    title: str
    matter: str
    method: str = Field(description="hands, ballot or household (ballots); empty before the vote")
    votes_for: int | None
    votes_against: int | None
    votes_abstained: int | None
    verdict: VerdictOut | None = Field(
        description="For against all households of the area (more than the share)."
    )
    passed: bool


class ItemOut(VotedItemOut):
    kind: str = Field(description="record, comment or decision")


class MeetingOut(AreaRowOut):
    id: int
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
    votes_for: int = Field(ge=0, le=10**9)
    votes_against: int = Field(ge=0, le=10**9)
    votes_abstained: int = Field(ge=0, le=10**9)
    method: str = Field("", description="hands or ballot; the meeting's method when empty")


class ResultsIn(Schema):
    chair_name: str = Field(max_length=120)
    chair_for: int = Field(ge=0)
    secretary_name: str = Field(max_length=120)
    secretary_for: int = Field(ge=0)
    method: str = Field(description="hands or ballot")
    method_for: int = Field(ge=0)
    results: list[VotesIn]


@router.get(
    "/areas/{code}",
    response={200: list[MeetingOut], **SIGNED_IN_ERRORS},
    summary="An area's meetings",
)
@paginate(ListPage)
def area_meetings(request, code: str):
    area = access.access_unit(
        user=request.auth, level=Level.AREA, code=normalize(code), perm=perms.READ
    )
    return selectors.meeting_list(area=area).select_related("area")


@router.post(
    "/areas/{code}",
    response={201: MeetingDetailOut, **SIGNED_IN_ERRORS},
    summary="Plan a meeting",
)
def meeting_add(request, code: str, payload: MeetingIn, key: IdempotencyKey = None):
    area = access.access_unit(
        user=request.auth, level=Level.AREA, code=normalize(code), perm=perms.PREPARE, current=True
    )
    meeting = once(
        request,
        key,
        lambda: services.meeting_create(actor=request.auth, area=area, **payload.dict()),
        replay=lambda pk: _meeting(request, int(pk)),
    )
    return Status(201, meeting)


@router.get(
    "/{meeting_id}",
    response={200: MeetingDetailOut, **SIGNED_IN_ERRORS},
    summary="A meeting, its agenda and results",
)
def meeting(request, meeting_id: int):
    return _meeting(request, meeting_id)


def _meeting(request, pk: int) -> Meeting:
    """The meeting as the caller reads it now: a write's answer, and its replay."""
    return perms.access_meeting(user=request.auth, pk=pk, perm=perms.READ)


@router.post(
    "/{meeting_id}/items",
    response={201: ItemOut, **SIGNED_IN_ERRORS},
    summary="Add an agenda item",
)
def item_add(request, meeting_id: int, payload: ItemIn, key: IdempotencyKey = None):
    m = perms.access_meeting(user=request.auth, pk=meeting_id, perm=perms.PREPARE)
    item = once(
        request,
        key,
        lambda: services.item_add(actor=request.auth, meeting=m, **payload.dict()),
        replay=lambda pk: access.found(
            next((i for i in selectors.item_list(meeting=m) if i.pk == int(pk)), None)
        ),
    )
    return Status(201, item)


@router.post(
    "/{meeting_id}/attendance",
    response={200: MeetingDetailOut, **SIGNED_IN_ERRORS},
    summary="Record the households represented",
    description="Below the quorum the meeting is recorded as not held. Recorded once.",
)
def attendance(request, meeting_id: int, payload: AttendanceIn, key: IdempotencyKey = None):
    m = perms.access_meeting(user=request.auth, pk=meeting_id, perm=perms.PREPARE)
    return once(
        request,
        key,
        lambda: services.attendance_record(
            actor=request.auth, meeting=m, households_present=payload.households_present
        ),
        replay=lambda pk: _meeting(request, int(pk)),
    )


@router.post(
    "/{meeting_id}/results",
    response={200: MeetingDetailOut, **SIGNED_IN_ERRORS},
    summary="Record the chair, secretary, voting method and each item's votes",
    description="All or nothing; impossible counts are refused with the numbers named.",
)
def results(request, meeting_id: int, payload: ResultsIn, key: IdempotencyKey = None):
    m = perms.access_meeting(user=request.auth, pk=meeting_id, perm=perms.PREPARE)
    data = payload.dict()
    rows = data.pop("results")
    votes = {v["item"]: (v["votes_for"], v["votes_against"], v["votes_abstained"]) for v in rows}
    methods = {v["item"]: v["method"] for v in rows if v["method"]}
    return once(
        request,
        key,
        lambda: services.results_record(
            actor=request.auth, meeting=m, results=votes, methods=methods, **data
        ),
        replay=lambda pk: _meeting(request, int(pk)),
    )


# ------------------------------------------------------------------ decisions and ballots


class ClusterVotesOut(Schema):
    cluster: int
    title: str
    chair: str
    votes_for: int
    votes_against: int
    votes_abstained: int


class DecisionOut(VotedItemOut):
    meeting: int
    clusters: list[ClusterVotesOut] = Field(
        description="A meeting held by clusters: each cluster's votes (their sum is the item's)."
    )

    @staticmethod
    def resolve_meeting(i: Item) -> int:
        return i.meeting_id

    @staticmethod
    def resolve_clusters(i: Item) -> list[dict]:
        rows: list[ClusterResult] = getattr(i, "cluster_rows", [])
        return [
            {
                "cluster": r.cluster_id,
                "title": r.cluster.title,
                "chair": r.cluster.convener_name,
                "votes_for": r.votes_for,
                "votes_against": r.votes_against,
                "votes_abstained": r.votes_abstained,
            }
            for r in rows
        ]


class TallyOut(Schema):
    item: int
    votes_for: int
    votes_against: int
    votes_abstained: int


class BallotOut(Schema):
    meeting: int
    closes_on: datetime.date
    households_total: int
    answered: int
    is_open: bool
    report_due: datetime.date
    reported_on: datetime.date | None
    report_overdue: bool
    tally: list[TallyOut] | None = Field(description="Counted once the ballot is closed.")


class SlipOut(Schema):
    household: str
    answered: bool
    answered_at: datetime.datetime | None
    by_clerk: bool = Field(description="Entered by a clerk from the paper slip.")

    @staticmethod
    def resolve_household(s: Slip) -> str:
        return s.household.code

    @staticmethod
    def resolve_answered(s: Slip) -> bool:
        return s.answered_at is not None

    @staticmethod
    def resolve_by_clerk(s: Slip) -> bool:
        return s.entered_by_id is not None


class AnswerIn(Schema):
    item: int
    answer: str = Field(description="for, against or abstain")


class SlipIn(Schema):
    household: str = Field(max_length=40, description="The household's code")
    answers: list[AnswerIn]


class ClusterVotesIn(Schema):
    results: list[VotesIn]


def _decisions(meeting: Meeting) -> list[Item]:
    items = selectors.item_list(meeting=meeting)
    rows: dict[int, list[ClusterResult]] = {}
    for r in selectors.cluster_result_list(meeting=meeting):
        rows.setdefault(r.item_id, []).append(r)
    out = [i for i in items if i.is_decision]
    for i in out:
        i.cluster_rows = rows.get(i.pk, [])  # type: ignore[attr-defined]
    return out


def _ballot_out(ballot: Ballot) -> dict:
    closed = not ballot.is_open
    tally = ballots.tally(ballot) if closed else None
    return {
        "meeting": ballot.meeting_id,
        "closes_on": ballot.closes_on,
        "households_total": ballot.households_total,
        "answered": ballot.slips.filter(answered_at__isnull=False).count(),
        "is_open": ballot.is_open,
        "report_due": ballots.report_due(ballot),
        "reported_on": ballot.reported_on,
        "report_overdue": ballots.is_report_overdue(ballot),
        "tally": None
        if tally is None
        else [
            {"item": pk, "votes_for": c[0], "votes_against": c[1], "votes_abstained": c[2]}
            for pk, c in sorted(tally.items())
        ],
    }


@router.get(
    "/{meeting_id}/decisions",
    response={200: list[DecisionOut], **SIGNED_IN_ERRORS},
    summary="A meeting's decisions and their tallies",
    description="For the area's officers. A meeting held by clusters lists each cluster's votes.",
)
@paginate(ListPage)
def decisions(request, meeting_id: int):
    m = perms.access_meeting(user=request.auth, pk=meeting_id, perm=perms.BALLOTS)
    return _decisions(m)


@router.get(
    "/{meeting_id}/decisions/{item_id}",
    response={200: DecisionOut, **SIGNED_IN_ERRORS},
    summary="One decision of a meeting and its tally",
)
def decision(request, meeting_id: int, item_id: int):
    m = perms.access_meeting(user=request.auth, pk=meeting_id, perm=perms.BALLOTS)
    found = next((i for i in _decisions(m) if i.pk == item_id), None)
    if found is None:
        raise Http404
    return found


@router.post(
    "/{meeting_id}/cluster-votes",
    response={200: MeetingDetailOut, **SIGNED_IN_ERRORS},
    summary="Record a cluster meeting's votes on the meeting's items",
    description="The meeting's totals are its clusters' sums. Recorded once; all or nothing.",
)
def cluster_votes(request, meeting_id: int, payload: ClusterVotesIn, key: IdempotencyKey = None):
    m = perms.access_meeting(user=request.auth, pk=meeting_id, perm=perms.PREPARE)
    votes = {v.item: (v.votes_for, v.votes_against, v.votes_abstained) for v in payload.results}
    return once(
        request,
        key,
        lambda: clusters.cluster_results_record(actor=request.auth, cluster=m, results=votes),
        replay=lambda pk: _meeting(request, int(pk)),
    )


@router.get(
    "/{meeting_id}/ballot",
    response={200: BallotOut, **SIGNED_IN_ERRORS},
    summary="The household ballot after a meeting without quorum",
    description="The tally is given once the ballot is closed and counted.",
)
def ballot(request, meeting_id: int):
    m = perms.access_meeting(user=request.auth, pk=meeting_id, perm=perms.BALLOTS)
    return _ballot_out(perms.access_ballot(m))


@router.get(
    "/{meeting_id}/ballot/slips",
    response={200: list[SlipOut], **SIGNED_IN_ERRORS},
    summary="The ballot's slips: which households answered (never what)",
)
@paginate(ListPage)
def slips(request, meeting_id: int):
    m = perms.access_meeting(user=request.auth, pk=meeting_id, perm=perms.BALLOTS)
    slips = perms.access_ballot(m).slips.select_related("household")
    return slips.order_by("household__code", "id")


@router.post(
    "/{meeting_id}/ballot/slips",
    response={201: SlipOut, **SIGNED_IN_ERRORS},
    summary="Enter a household's paper slip",
    description="One slip per household: a second one is refused.",
)
def slip_enter(request, meeting_id: int, payload: SlipIn, key: IdempotencyKey = None):
    m = perms.access_meeting(user=request.auth, pk=meeting_id, perm=perms.PREPARE)
    found = perms.access_ballot(m)
    household = m.area.households.filter(code=normalize(payload.household)).first()
    if household is None:
        raise Http404
    slip = once(
        request,
        key,
        lambda: ballots.slip_enter(
            actor=request.auth,
            ballot=found,
            household=household,
            answers={a.item: a.answer for a in payload.answers},
        ),
        replay=lambda pk: found.slips.select_related("household").get(pk=int(pk)),
    )
    return Status(201, slip)


@router.post(
    "/{meeting_id}/ballot/close",
    response={200: BallotOut, **SIGNED_IN_ERRORS},
    summary="Close and count the household ballot",
    description="Counted against all households of the area; closing twice counts once.",
)
def ballot_close(request, meeting_id: int, key: IdempotencyKey = None):
    m = perms.access_meeting(user=request.auth, pk=meeting_id, perm=perms.PREPARE)
    found = perms.access_ballot(m)
    closed = once(
        request,
        key,
        lambda: ballots.ballot_close(actor=request.auth, ballot=found),
        replay=lambda _pk: perms.access_ballot(m),
    )
    return _ballot_out(closed)
