"""Every write to the funds: keyword-only, atomic, audited.

Ledger entries are appended only through `_append`, which locks the fund row (SELECT … FOR UPDATE on
PostgreSQL; SQLite's IMMEDIATE transactions serialise writers anyway), takes the tip kept on it,
and writes the next entry with its running balance and hash. The (fund, seq) unique constraint is
the last guard: a second writer that somehow raced would fail, never fork the chain.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core.audit import audit_created, audit_record, snapshot
from caunoi.core.exceptions import ApplicationError
from caunoi.core.models import locked
from caunoi.core.money import MAX_AMOUNT, format_vnd
from caunoi.core.templatetags.caunoi import pct
from caunoi.core.text import normalize
from caunoi.core.uploads import IMAGES, PDF, check_upload, strip_image
from caunoi.meetings import selectors as meetings
from caunoi.territory import rollup

from . import audit, chain, policy
from .models import Campaign, Checkpoint, Contribution, Decision, Entry, Exemption, Expense, Fund

EARLIEST = datetime.date(2000, 1, 1)


class NotASecondPerson(ApplicationError):
    default_message = _(
        "The person who recorded an expense cannot approve it: ask a second person."
    )
    code = "same_person"
    status = 403


class AlreadyDecided(ApplicationError):
    default_message = _("This expense has already been approved or rejected.")
    code = "already_decided"
    status = 409


def _today() -> datetime.date:
    return timezone.localdate()


def _check_amount(amount) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError({"amount": _("Enter the amount as a whole number of đồng.")})
    if amount <= 0:
        raise ValidationError({"amount": _("Enter an amount greater than 0.")})
    if amount > MAX_AMOUNT:
        raise ValidationError(
            {
                "amount": _("The amount is too large: at most %(max)s.")
                % {"max": format_vnd(MAX_AMOUNT)}
            }
        )
    return amount


def _check_date(value, field: str) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise ValidationError({field: _("Enter a date as dd/mm/yyyy.")})
    if value > _today():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if value < EARLIEST:
        raise ValidationError({field: _("The date is too far in the past.")})
    return value


def _check_current(area) -> None:
    if not area.is_current:
        raise ApplicationError(_("This residential area no longer exists; its funds are closed."))


def _text(value, field: str, *, required=True, max_length=300) -> str:
    value = normalize(value)
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > max_length:
        raise ValidationError({field: _("At most %(n)s characters, please.") % {"n": max_length}})
    return value


# ------------------------------------------------------------------------------ decisions, funds


@transaction.atomic
def decision_record(
    *,
    actor,
    area,
    number: str,
    date: datetime.date,
    method: str,
    subject: str,
    households_in_favour: int,
    households_total: int,
) -> Decision:
    _check_current(area)
    number = _text(number, "number", max_length=40)
    subject = _text(subject, "subject")
    _check_date(date, "date")
    if method not in Decision.Method.values:
        raise ValidationError({"method": _("Choose how the residents decided.")})
    if not isinstance(households_total, int) or households_total <= 0:
        raise ValidationError(
            {"households_total": _("Enter the number of households (at least 1).")}
        )
    if not isinstance(households_in_favour, int) or households_in_favour < 0:
        raise ValidationError({"households_in_favour": _("Enter a number of households.")})
    if households_in_favour > households_total:
        raise ValidationError(
            {"households_in_favour": _("More households in favour than households in the area.")}
        )
    if Decision.objects.filter(area=area, number=number).exists():
        raise ValidationError({"number": _("This area already has a decision with this number.")})
    since = meetings.meeting_first_recorded_on(area=area)
    if since is not None and date >= since:
        raise ValidationError(
            {
                "date": _(
                    "The area's meetings are recorded on Cầu Nối since %(date)s: take a later "
                    "decision from its meeting instead of typing it in."
                )
                % {"date": f"{since:%d/%m/%Y}"}
            }
        )
    decision = Decision.objects.create(
        area=area,
        number=number,
        date=date,
        method=method,
        subject=subject,
        households_in_favour=households_in_favour,
        households_total=households_total,
        recorded_by=actor,
    )
    audit_created(actor=actor, action=audit.DECISION_RECORDED, obj=decision, unit=area)
    return decision


@transaction.atomic
def decision_from_meeting(*, actor, area, item_pk: int) -> Decision:
    """The residents' decision as passed by a meeting (or a household ballot) recorded on Cầu
    Nối: its numbers come from the minutes, none typed. Taking it twice takes it once."""
    _check_current(area)
    item = meetings.passed_decision_get(area=area, pk=item_pk)
    if item is None:
        raise ValidationError({"item_pk": _("Choose a decision this area's meeting passed.")})
    existing = Decision.objects.filter(meeting_item=item).first()
    if existing is not None:
        return existing
    meeting = item.meeting
    day = timezone.localtime(meeting.starts_at).date()
    balloted = meeting.status == "balloted"
    number = f"{item.order}/{day:%d%m%Y}/{'PLY' if balloted else 'BB'}-{meeting.pk}"
    decision = Decision.objects.create(
        area=area,
        number=number[:40],
        date=day,
        method=Decision.Method.BALLOT if balloted else Decision.Method.MEETING,
        subject=item.title[:300],
        households_in_favour=item.votes_for or 0,
        households_total=meeting.households_total or 0,
        meeting_item=item,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=audit.DECISION_RECORDED,
        obj=decision,
        unit=area,
        after={**snapshot(decision), "meeting": meeting.pk},
    )
    return decision


def _check_decision(decision, area, field="decision"):
    if decision is not None and decision.area_id != area.pk:
        raise ValidationError({field: _("Choose a decision of this residential area.")})
    if decision is not None and not decision.passed:
        raise ValidationError(
            {
                field: _(
                    "Decision %(n)s did not pass: %(a)s of %(b)s households were in favour; it "
                    "needs more than %(share)s of all the households."
                )
                % {
                    "n": decision.number,
                    "a": decision.households_in_favour,
                    "b": decision.households_total,
                    "share": pct(policy.DECISION_THRESHOLD.value, 0),
                }
            }
        )


@transaction.atomic
def fund_create(
    *,
    actor,
    area,
    name: str,
    kind: str,
    purpose: str,
    decision: Decision | None = None,
    keeper=None,
    bank_bin: str = "",
    bank_name: str = "",
    bank_account: str = "",
    bank_account_name: str = "",
) -> Fund:
    _check_current(area)
    name = _text(name, "name", max_length=120)
    purpose = _text(purpose, "purpose", max_length=400)
    if kind not in Fund.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of fund.")})
    _check_decision(decision, area)
    bank_bin, bank_account = normalize(bank_bin), normalize(bank_account).replace(" ", "")
    if bank_bin and not (len(bank_bin) == 6 and bank_bin.isdigit()):
        raise ValidationError({"bank_bin": _("The bank's NAPAS code has 6 digits.")})
    if bank_account and not (
        bank_account.isascii() and bank_account.isalnum() and len(bank_account) <= 19
    ):
        raise ValidationError(
            {"bank_account": _("The account number has at most 19 letters or digits.")}
        )
    if bool(bank_bin) != bool(bank_account):
        raise ValidationError(
            {"bank_account": _("Give both the bank and the account number, or neither.")}
        )
    fund = Fund.objects.create(
        **rollup.ground_keys(area),
        name=name,
        kind=kind,
        purpose=purpose,
        decision=decision,
        keeper=keeper or actor,
        bank_bin=bank_bin,
        bank_name=_text(bank_name, "bank_name", required=False, max_length=60),
        bank_account=bank_account,
        bank_account_name=_text(
            bank_account_name, "bank_account_name", required=False, max_length=60
        ),
    )
    audit_created(actor=actor, action=audit.FUND_CREATED, obj=fund, unit=area)
    return fund


@transaction.atomic
def campaign_create(
    *,
    actor,
    fund: Fund,
    name: str,
    level: str,
    amount: int | None,
    start: datetime.date,
    end: datetime.date,
    decision: Decision,
) -> Campaign:
    _check_current(fund.area)
    name = _text(name, "name", max_length=120)
    if level not in Campaign.Level.values:
        raise ValidationError({"level": _("Choose the contribution level.")})
    if decision is None:
        raise ValidationError(
            {"decision": _("A contribution needs the residents' decision behind it.")}
        )
    _check_decision(decision, fund.area)
    if level == Campaign.Level.VOLUNTARY:
        amount = None
    else:
        _check_amount(amount)
    if not isinstance(start, datetime.date) or not isinstance(end, datetime.date):
        raise ValidationError({"start": _("Enter a date as dd/mm/yyyy.")})
    if end < start:
        raise ValidationError({"end": _("The end comes before the start.")})
    n = Campaign.objects.filter(fund__area=fund.area).count() + 1
    campaign = Campaign.objects.create(
        fund=fund,
        name=name,
        level=level,
        amount=amount,
        start=start,
        end=end,
        decision=decision,
        reference=f"D{n:03d}",
    )
    audit_created(actor=actor, action=audit.CAMPAIGN_CREATED, obj=campaign, unit=fund.area)
    return campaign


@transaction.atomic
def exemption_grant(*, actor, campaign: Campaign, household, reason: str) -> Exemption:
    reason = _text(reason, "reason", max_length=200)
    if household is None or household.area_id != campaign.fund.area_id:
        raise ValidationError({"household": _("This household is not in this residential area.")})
    if Exemption.objects.filter(campaign=campaign, household=household).exists():
        raise ValidationError({"household": _("This household is already exempted.")})
    exemption = Exemption.objects.create(campaign=campaign, household=household, reason=reason)
    audit_created(
        actor=actor, action=audit.EXEMPTION_GRANTED, obj=exemption, unit=campaign.fund.area
    )
    return exemption


# ----------------------------------------------------------------------------------- the ledger


def _locked_open(fund: Fund) -> Fund:
    """The fund locked for a write to its ledger, if its area still exists."""
    fund = locked(fund, "area")
    _check_current(fund.area)
    return fund


def _check_money(amount, day, field: str) -> None:
    """An amount of đồng and the day it changed hands (`field` names the day's field)."""
    _check_amount(amount)
    _check_date(day, field)


def _append(
    *,
    fund: Fund,
    actor,
    kind: str,
    amount: int,
    booked_on: datetime.date,
    description: str,
    household_ref: str = "",
    document: str = "",
    reverses: Entry | None = None,
) -> Entry:
    """Append one entry to a fund whose row the caller holds locked (`core.models.locked`)."""
    if amount == 0:
        raise ValidationError({"amount": _("Enter an amount greater than 0.")})
    balance = fund.balance + amount
    if balance < 0:
        raise ApplicationError(
            _("The fund holds only %(balance)s; this needs %(amount)s.")
            % {"balance": format_vnd(fund.balance), "amount": format_vnd(-amount)},
            code="insufficient",
        )
    seq = fund.last_seq + 1
    prev = fund.last_hash or chain.GENESIS
    fields: dict[str, Any] = {"seq": seq, "kind": kind, "amount": amount, "balance": balance}
    fields |= {"booked_on": booked_on, "description": description}
    fields |= {"household_ref": household_ref, "document": document}
    h, seal = chain.link(
        prev, fund_id=fund.pk, reverses_seq=reverses.seq if reverses else None, **fields
    )
    entry = Entry.objects.create(
        fund=fund,
        **fields,
        reverses=reverses,
        prev_hash=prev,
        hash=h,
        seal=seal,
        recorded_by=actor,
    )
    fund.last_seq, fund.last_hash, fund.balance = seq, entry.hash, balance
    if fund.last_entry_on is None or booked_on > fund.last_entry_on:
        fund.last_entry_on = booked_on
    Fund.objects.filter(pk=fund.pk).update(
        last_seq=seq, last_hash=entry.hash, balance=balance, last_entry_on=fund.last_entry_on
    )
    return entry


@transaction.atomic
def contribution_record(
    *,
    actor,
    fund: Fund,
    household,
    amount: int,
    method: str,
    paid_on: datetime.date,
    campaign: Campaign | None = None,
    payer_name: str = "",
) -> Contribution:
    _check_money(amount, paid_on, "paid_on")
    if method not in Contribution.Method.values:
        raise ValidationError({"method": _("Choose how it was paid.")})
    if household is None or household.area_id != fund.area_id or not household.is_active:
        raise ValidationError({"household": _("This household is not in this residential area.")})
    if campaign is not None and campaign.fund_id != fund.pk:
        raise ValidationError({"campaign": _("Choose a campaign of this fund.")})
    fund = _locked_open(fund)
    fund.receipts_issued += 1
    number = f"PT{fund.receipts_issued:05d}"
    Fund.objects.filter(pk=fund.pk).update(receipts_issued=fund.receipts_issued)
    entry = _append(
        fund=fund,
        actor=actor,
        kind=Entry.Kind.CONTRIBUTION,
        amount=amount,
        booked_on=paid_on,
        description=campaign.name if campaign else fund.name,
        household_ref=household.code,
        document=number,
    )
    contribution = Contribution.objects.create(
        fund=fund,
        campaign=campaign,
        household=household,
        amount=amount,
        method=method,
        paid_on=paid_on,
        payer_name=_text(payer_name, "payer_name", required=False, max_length=120)
        or household.representative_name,
        receipt_number=number,
        entry=entry,
        recorded_by=actor,
    )
    audit_created(
        actor=actor,
        action=audit.CONTRIBUTION_RECORDED,
        obj=contribution,
        unit=fund.area,
        fields=["fund", "campaign", "household", "amount", "method", "paid_on", "receipt_number"],
    )
    return contribution


@transaction.atomic
def income_record(
    *, actor, fund: Fund, amount: int, received_on: datetime.date, source: str
) -> Entry:
    """Other income (a sponsor's gift, a donation, interest): straight into the ledger, public."""
    _check_money(amount, received_on, "received_on")
    source = _text(source, "source", max_length=300)
    fund = _locked_open(fund)
    entry = _append(
        fund=fund,
        actor=actor,
        kind=Entry.Kind.INCOME,
        amount=amount,
        booked_on=received_on,
        description=source,
    )
    audit_record(
        actor=actor,
        action=audit.INCOME_RECORDED,
        obj=entry,
        unit=fund.area,
        after={"seq": entry.seq, "amount": amount, "source": source},
    )
    return entry


def invoice_checked(f):
    """A photo (stripped of EXIF/GPS) or a PDF, checked by content; ValidationError otherwise."""
    try:
        checked = check_upload(f, kinds=IMAGES | {PDF})
    except ValidationError as exc:
        raise ValidationError({"invoice": exc.messages}) from exc
    if checked.kind == "image":
        return strip_image(f), checked.content_type
    return f, checked.content_type


@transaction.atomic
def expense_record(
    *,
    actor,
    fund: Fund,
    amount: int,
    payee: str,
    purpose: str,
    spent_on: datetime.date,
    decision: Decision | None = None,
    invoice=None,
) -> Expense:
    _check_money(amount, spent_on, "spent_on")
    payee = _text(payee, "payee", max_length=120)
    purpose = _text(purpose, "purpose")
    _check_decision(decision, fund.area)
    invoice_type = ""
    if invoice is not None:
        invoice, invoice_type = invoice_checked(invoice)
    fund = _locked_open(fund)
    number = (fund.expenses.aggregate(n=Max("number"))["n"] or 0) + 1
    expense = Expense(
        fund=fund,
        number=number,
        amount=amount,
        payee=payee,
        purpose=purpose,
        spent_on=spent_on,
        decision=decision,
        invoice_type=invoice_type,
        recorded_by=actor,
    )
    if invoice is not None:
        expense.invoice.save(
            f"{fund.pk}-{number}.{invoice.name.rsplit('.', 1)[-1]}", invoice, save=False
        )
    expense.save()
    audit_created(
        actor=actor,
        action=audit.EXPENSE_RECORDED,
        obj=expense,
        unit=fund.area,
        fields=["fund", "number", "amount", "payee", "purpose", "spent_on", "decision"],
    )
    return expense


COVER_GRID = 4  # the photo is divided into 4 × 4 cells, numbered 1–16 left to right, top down


@transaction.atomic
def invoice_cover(*, actor, expense: Expense, cells: list[int]) -> Expense:
    """Make the public copy of an invoice photo with the ticked cells blacked out (ID numbers,
    phone numbers, signatures). Always from the original, so un-ticking a cell uncovers it."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    expense = locked(expense, "fund__area")
    if not expense.invoice or not expense.invoice_type.startswith("image/"):
        raise ApplicationError(_("Only a photo can have parts covered."), code="not_a_photo")
    cells = sorted(set(cells))
    if any(not isinstance(c, int) or not 1 <= c <= COVER_GRID**2 for c in cells):
        raise ValidationError({"cells": _("Choose cells between 1 and 16.")})
    with expense.invoice.open("rb") as f, Image.open(f) as opened:
        fmt = opened.format
        im: Image.Image = opened.copy()
    draw = ImageDraw.Draw(im)
    w, h = im.size
    for c in cells:
        row, col = divmod(c - 1, COVER_GRID)
        box = [col * w / COVER_GRID, row * h / COVER_GRID]
        box += [(col + 1) * w / COVER_GRID, (row + 1) * h / COVER_GRID]
        draw.rectangle(box, fill=(0, 0, 0))
    out = io.BytesIO()
    im.save(out, format=fmt)
    before = {"covered": expense.covered}
    if expense.invoice_public:
        expense.invoice_public.delete(save=False)
    name = (expense.invoice.name or "hoa-don").rsplit("/", 1)[-1]
    expense.invoice_public.save(name, ContentFile(out.getvalue()), save=False)
    expense.covered = ",".join(str(c) for c in cells)
    expense.save(update_fields=["invoice_public", "covered"])
    audit_record(
        actor=actor,
        action=audit.INVOICE_COVERED,
        obj=expense,
        unit=expense.fund.area,
        before=before,
        after={"covered": expense.covered},
    )
    return expense


def _pending_for_decision(*, actor, expense: Expense) -> Expense:
    expense = locked(expense)
    if expense.status != Expense.Status.PENDING:
        raise AlreadyDecided
    if expense.recorded_by_id == getattr(actor, "pk", None):
        raise NotASecondPerson
    return expense


@transaction.atomic
def expense_approve(*, actor, expense: Expense) -> Expense:
    fund = _locked_open(expense.fund)  # the fund first, then the expense: one lock order
    expense = _pending_for_decision(actor=actor, expense=expense)
    entry = _append(
        fund=fund,
        actor=actor,
        kind=Entry.Kind.EXPENSE,
        amount=-expense.amount,
        booked_on=expense.spent_on,
        description=expense.purpose,
        document=expense.document,
    )
    return _decided(
        actor=actor,
        fund=fund,
        expense=expense,
        status=Expense.Status.APPROVED,
        action=audit.EXPENSE_APPROVED,
        entry=entry,
    )


@transaction.atomic
def expense_reject(*, actor, expense: Expense, reason: str) -> Expense:
    reason = _text(reason, "reason")
    fund = locked(expense.fund, "area")
    expense = _pending_for_decision(actor=actor, expense=expense)
    return _decided(
        actor=actor,
        fund=fund,
        expense=expense,
        status=Expense.Status.REJECTED,
        action=audit.EXPENSE_REJECTED,
        reject_reason=reason,
    )


def _decided(*, actor, fund: Fund, expense: Expense, status: str, action, **changes) -> Expense:
    """The decision's one tail: who decided and when, what changed with it, the audit entry."""
    before = snapshot(expense, ["status"])
    expense.status = status
    expense.decided_by = actor
    expense.decided_at = timezone.now()
    for name, value in changes.items():
        setattr(expense, name, value)
    expense.save(update_fields=["status", "decided_by", "decided_at", *changes])
    audit_record(
        actor=actor,
        action=action,
        obj=expense,
        unit=fund.area,
        before=before,
        after=snapshot(expense, ["status", *changes]),
    )
    return expense


@transaction.atomic
def entry_reverse(*, actor, entry: Entry, reason: str) -> Entry:
    """A correction: a new entry with the opposite amount, pointing at the one it cancels."""
    reason = _text(reason, "reason", max_length=250)
    fund = _locked_open(entry.fund)
    entry = Entry.objects.select_related("fund").get(pk=entry.pk)
    if entry.kind == Entry.Kind.REVERSAL:
        raise ApplicationError(_("A correction cannot itself be reversed; record a new entry."))
    if Entry.objects.filter(reverses=entry).exists():
        raise ApplicationError(_("This entry has already been reversed."), code="already_reversed")
    reversal = _append(
        fund=fund,
        actor=actor,
        kind=Entry.Kind.REVERSAL,
        amount=-entry.amount,
        booked_on=_today(),
        description=reason,
        household_ref=entry.household_ref,
        document=entry.document,
        reverses=entry,
    )
    audit_record(
        actor=actor,
        action=audit.ENTRY_REVERSED,
        obj=reversal,
        unit=fund.area,
        after={"reverses": entry.seq, "amount": reversal.amount, "reason": reason},
    )
    return reversal


# ----------------------------------------------------------------------------- checkpoints


def checkpoint_publish(*, fund: Fund, medium: str) -> Checkpoint | None:
    """Record the fund's tip as published on paper (a statement or the poster print it). The first
    publication of a tip is kept; an empty ledger has nothing to anchor."""
    tip = Fund.objects.filter(pk=fund.pk).values_list("last_seq", "last_hash", "balance").get()
    seq, h, balance = tip
    if not seq:
        return None
    existing = Checkpoint.objects.filter(fund=fund, seq=seq).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Checkpoint.objects.create(
                fund=fund, seq=seq, hash=h, balance=balance, medium=medium
            )
    except IntegrityError:  # published twice at once: the other one is it
        return Checkpoint.objects.get(fund=fund, seq=seq)
