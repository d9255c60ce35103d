"""The funds in the API (/api/v1/funds/…).

Reading is public, like the area's page: funds, every entry with its hashes (so anyone can
recompute the chain: see `caunoi.funds.chain` for the canonical content), the chain's verdict.
Writing needs a signed-in keeper of the area (contributions, expenses, corrections) or a second
keeper (approval). There is no operation that edits or deletes an entry: PUT, PATCH and DELETE on
an entry answer 405; a correction is `POST …/entries/{seq}/reverse`.

Lists answer `{"items", "count", "limit", "offset"}` (caunoi.core.api.ListPage). The writes that
record something take an `Idempotency-Key` header (caunoi.core.api.once): a retried contribution
or expense is recorded once.
"""

import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from caunoi.api.api import SIGNED_IN, SIGNED_IN_ERRORS
from caunoi.api.schemas import Error, LevelName
from caunoi.core.api import AreaRowOut, IdempotencyKey, ListPage, once, paginate
from caunoi.core.text import normalize
from caunoi.territory.api import unit_or_404

from . import permissions as perms
from . import selectors, services
from .models import Contribution, Entry, Expense, Fund

router = Router(tags=["funds"])


class FundOut(AreaRowOut):
    id: int
    name: str
    kind: str
    purpose: str
    balance: int = Field(description="In đồng.")
    entries: int
    last_entry_on: datetime.date | None
    decision: str | None

    @staticmethod
    def resolve_entries(f: Fund) -> int:
        return f.last_seq

    @staticmethod
    def resolve_decision(f: Fund) -> str | None:
        return f.decision.number if f.decision is not None else None


class EntryOut(Schema):
    seq: int
    kind: str
    amount: int = Field(description="Signed, in đồng: + income, − spending.")
    balance: int
    booked_on: datetime.date
    description: str
    household: str = Field(description="The household's code (never a name).")
    document: str
    reverses: int | None
    prev_hash: str
    hash: str

    @staticmethod
    def resolve_household(e: Entry) -> str:
        return e.household_ref

    @staticmethod
    def resolve_reverses(e: Entry) -> int | None:
        return e.reverses.seq if e.reverses is not None else None


class VerdictOut(Schema):
    ok: bool
    entries: int
    balance: int
    bad_seq: int | None
    problem: str = Field(
        description="hash, link, sequence, balance, seal, tip, checkpoint (a published tip no "
        "longer agrees) or missing (an approved expense lost its entry); empty when ok."
    )
    tip_hash: str = Field(description="The last entry's hash (64 zeros for an empty ledger).")


class CheckpointOut(Schema):
    seq: int
    hash: str
    balance: int
    medium: str = Field(description="statement or poster: the paper that printed this tip")
    published_at: datetime.datetime
    agrees: bool = Field(description="Today's ledger still has this hash at this entry.")


class ContributionIn(Schema):
    household: str = Field(max_length=32)
    amount: int = Field(description="Whole đồng, more than 0.")
    method: str = Field("cash", description="cash or transfer")
    paid_on: datetime.date
    campaign: int | None = None


class ReceiptOut(Schema):
    receipt_number: str
    amount: int
    household: str
    entry: int
    url: str


class ExpenseIn(Schema):
    amount: int
    payee: str = Field(max_length=120)
    purpose: str = Field(max_length=300)
    spent_on: datetime.date
    decision: int | None = None


class ExpenseOut(Schema):
    id: int
    number: str
    status: str
    amount: int
    entry: int | None
    reject_reason: str

    @staticmethod
    def resolve_number(e: Expense) -> str:
        return e.document

    @staticmethod
    def resolve_entry(e: Expense) -> int | None:
        return e.entry.seq if e.entry is not None else None


class ReasonIn(Schema):
    reason: str = Field(max_length=300)


def _public_fund(pk: int) -> Fund:
    fund = selectors.fund_get(pk=pk)
    if fund is None:
        raise Http404(_("There is no such fund."))
    return fund


def _receipt(fund: Fund, token: str) -> Contribution:
    """A contribution of `fund` by its receipt's token (a replayed write's answer)."""
    c = selectors.contribution_get(token=token)
    if c is None or c.fund_id != fund.pk:
        raise Http404
    return c


@router.get("/areas/{code}", response={200: list[FundOut], 404: Error}, summary="An area's funds")
@paginate(ListPage)
def area_funds(request, code: str):
    return selectors.fund_list(area=unit_or_404(LevelName.area, code))  # public, like the page


@router.get(
    "/{fund_id}/entries",
    response={200: list[EntryOut], 404: Error},
    summary="A fund's ledger",
    description="Entries in order, with the hashes that chain them.",
)
@paginate(ListPage)
def entries(request, fund_id: int):
    return selectors.entry_list(fund=_public_fund(fund_id))


@router.get("/{fund_id}/entries/{seq}", response={200: EntryOut, 404: Error}, summary="One entry")
def entry(request, fund_id: int, seq: int):
    e = selectors.entry_get(fund=_public_fund(fund_id), seq=seq)
    if e is None:
        raise Http404(_("There is no such entry."))
    return e


@router.get("/{fund_id}/verify", response={200: VerdictOut, 404: Error}, summary="Verify a chain")
def verify(request, fund_id: int):
    return selectors.fund_verdict(_public_fund(fund_id))


@router.get(
    "/{fund_id}/checkpoints",
    response={200: list[CheckpointOut], 404: Error},
    summary="Published checkpoints",
    description="Tips of the chain printed on statements and posters, newest first, each checked "
    "against today's ledger.",
)
@paginate(ListPage)
def checkpoints(request, fund_id: int):
    return [
        {
            "seq": c.checkpoint.seq,
            "hash": c.checkpoint.hash,
            "balance": c.checkpoint.balance,
            "medium": c.checkpoint.medium,
            "published_at": c.checkpoint.published_at,
            "agrees": c.agrees,
        }
        for c in selectors.checkpoint_list(fund=_public_fund(fund_id))
    ]


@router.post(
    "/{fund_id}/contributions",
    auth=SIGNED_IN,
    response={201: ReceiptOut, **SIGNED_IN_ERRORS},
    summary="Record a contribution",
)
def contribution_add(request, fund_id: int, payload: ContributionIn, key: IdempotencyKey = None):
    fund = perms.access_fund(user=request.auth, pk=fund_id, perm=perms.RECORD)
    campaign = None
    if payload.campaign is not None:
        campaign = selectors.campaign_get(area=fund.area, pk=payload.campaign, fund=fund)
        if campaign is None:
            raise Http404(_("There is no such campaign in this fund."))
    c = once(
        request,
        key,
        lambda: services.contribution_record(
            actor=request.auth,
            fund=fund,
            household=selectors.household_get(area=fund.area, code=normalize(payload.household)),
            amount=payload.amount,
            method=payload.method,
            paid_on=payload.paid_on,
            campaign=campaign,
        ),
        # the receipt's token: the contribution as its receipt page reads it
        remember=lambda c: c.token,
        replay=lambda token: _receipt(fund, token),
    )
    return Status(
        201,
        {
            "receipt_number": c.receipt_number,
            "amount": c.amount,
            "household": c.household.code,
            "entry": c.entry.seq,
            "url": request.build_absolute_uri(c.get_absolute_url()),
        },
    )


@router.post(
    "/{fund_id}/expenses",
    auth=SIGNED_IN,
    response={201: ExpenseOut, **SIGNED_IN_ERRORS},
    summary="Record an expense (it waits for a second person)",
)
def expense_add(request, fund_id: int, payload: ExpenseIn, key: IdempotencyKey = None):
    fund = perms.access_fund(user=request.auth, pk=fund_id, perm=perms.RECORD)
    decision = None
    if payload.decision is not None:
        decision = selectors.decision_get(area=fund.area, pk=payload.decision)
        if decision is None:
            raise Http404(_("There is no such decision in this area."))
    e = once(
        request,
        key,
        lambda: services.expense_record(
            actor=request.auth,
            fund=fund,
            amount=payload.amount,
            payee=payload.payee,
            purpose=payload.purpose,
            spent_on=payload.spent_on,
            decision=decision,
        ),
        replay=lambda pk: perms.access_expense(
            user=request.auth, pk=int(pk), perm=perms.RECORD, area=fund.area
        ),
    )
    return Status(201, e)


@router.post(
    "/expenses/{expense_id}/approve",
    auth=SIGNED_IN,
    response={200: ExpenseOut, 409: Error, **SIGNED_IN_ERRORS},
    summary="Approve an expense (never by the one who recorded it)",
)
def expense_approve(request, expense_id: int):
    expense = perms.access_expense(user=request.auth, pk=expense_id, perm=perms.APPROVE)
    return services.expense_approve(actor=request.auth, expense=expense)


@router.post(
    "/expenses/{expense_id}/reject",
    auth=SIGNED_IN,
    response={200: ExpenseOut, 409: Error, **SIGNED_IN_ERRORS},
    summary="Reject an expense, with the reason residents will read",
)
def expense_reject(request, expense_id: int, payload: ReasonIn):
    expense = perms.access_expense(user=request.auth, pk=expense_id, perm=perms.APPROVE)
    return services.expense_reject(actor=request.auth, expense=expense, reason=payload.reason)


@router.post(
    "/{fund_id}/entries/{seq}/reverse",
    auth=SIGNED_IN,
    response={201: EntryOut, **SIGNED_IN_ERRORS},
    summary="Correct an entry by a reversing entry",
)
def entry_reverse(request, fund_id: int, seq: int, payload: ReasonIn, key: IdempotencyKey = None):
    entry = perms.access_entry(user=request.auth, fund_pk=fund_id, seq=seq, perm=perms.RECORD)
    reversing = once(
        request,
        key,
        lambda: services.entry_reverse(actor=request.auth, entry=entry, reason=payload.reason),
        remember=lambda e: str(e.seq),
        replay=lambda at: perms.access_entry(
            user=request.auth, fund_pk=fund_id, seq=int(at), perm=perms.RECORD
        ),
    )
    return Status(201, reversing)
