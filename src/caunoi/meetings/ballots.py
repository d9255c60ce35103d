"""The household ballot after a meeting without quorum (R-3.4.2, R-4.6, R-4.7): one slip per
household with a one-time code (hashed like the surveys' codes: `caunoi.surveys.services`), answered
once, online by the household or entered by a clerk from the paper slip; at the closing date the
decisions are counted against all households of the area; the decision goes to the commune within
the declared working days."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core.audit import audit_record
from caunoi.core.codes import CODE_DIGITS, code_hash, format_code
from caunoi.core.models import locked, user_or_none
from caunoi.core.workdays import add_working_days
from caunoi.territory.models import Household

from . import audit, policy
from .models import Ballot, Item, ItemMethod, Meeting, Slip, Status


def decision_items(meeting: Meeting) -> QuerySet[Item]:
    return meeting.items.filter(kind=Item.Kind.DECISION).order_by("order")


def report_due(ballot: Ballot) -> datetime.date:
    """The last day to send the decision to the commune (R-4.7)."""
    return add_working_days(ballot.closes_on, policy.BALLOT_REPORT_WORKDAYS.value)


def is_report_overdue(ballot: Ballot, *, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    end = ballot.reported_on or today
    return ballot.closed_at is not None and end > report_due(ballot)


@transaction.atomic
def ballot_open(*, actor, meeting: Meeting, closes_on: datetime.date) -> Ballot:
    meeting = locked(meeting, "area")
    existing = Ballot.objects.filter(meeting=meeting).first()
    if existing is not None:
        return existing
    if meeting.status != Status.NOT_HELD:
        raise ValidationError(_("A household ballot follows a meeting that had no quorum."))
    if not decision_items(meeting).exists():
        raise ValidationError(_("The meeting had no item for decision to put to the households."))
    if closes_on is None or closes_on <= timezone.localdate():
        raise ValidationError({"closes_on": _("The closing date must be after today.")})
    households = list(meeting.area.households.filter(is_active=True).order_by("code"))
    ballot = Ballot.objects.create(
        meeting=meeting, closes_on=closes_on, households_total=len(households), opened_by=actor
    )
    Slip.objects.bulk_create([Slip(ballot=ballot, household=h) for h in households])
    audit_record(
        actor=actor,
        action=audit.BALLOT_OPENED,
        obj=ballot,
        unit=meeting.area,
        after={"closes_on": closes_on.isoformat(), "households": len(households)},
    )
    return ballot


@transaction.atomic
def slips_issue(*, actor, ballot: Ballot) -> list[tuple[Household, str]]:
    """A new code for every slip not answered yet: [(household, code)], for printing once (only
    the hashes are kept; printing again replaces the codes not used)."""
    if not ballot.is_open:
        raise ValidationError(_("The ballot is closed."))
    slips = list(
        ballot.slips.filter(answered_at__isnull=True)
        .select_related("household")
        .order_by("household__code")
    )
    out = []
    for slip in slips:
        code = "".join(secrets.choice("0123456789") for _i in range(CODE_DIGITS))
        slip.code_hash = code_hash(code)
        out.append((slip.household, format_code(code)))
    Slip.objects.bulk_update(slips, ["code_hash"])
    audit_record(
        actor=actor,
        action=audit.SLIPS_ISSUED,
        obj=ballot,
        unit=ballot.meeting.area,
        after={"slips": len(out)},
    )
    return out


def _check_answers(ballot: Ballot, answers: dict[int, str]) -> dict[str, str]:
    items = list(decision_items(ballot.meeting))
    clean: dict[str, str] = {}
    for item in items:
        answer = answers.get(item.pk)
        if answer not in Slip.Answer.values:
            raise ValidationError(
                {
                    f"item_{item.pk}": _("Item %(order)s: choose for, against or no opinion.")
                    % {"order": item.order}
                }
            )
        clean[str(item.pk)] = answer
    return clean


def _answer(*, actor, slip: Slip, answers: dict[int, str]) -> Slip:
    ballot = slip.ballot
    if not ballot.is_open or timezone.localdate() > ballot.closes_on:
        raise ValidationError(
            _("The ballot closed on %(date)s.") % {"date": f"{ballot.closes_on:%d/%m/%Y}"}
        )
    if slip.answered_at is not None:
        raise ValidationError(_("This household has already answered: one slip per household."))
    slip.answers = _check_answers(ballot, answers)
    slip.answered_at = timezone.now()
    slip.entered_by = user_or_none(actor)
    slip.code_hash = ""  # used: the code opens nothing any more
    slip.save(update_fields=["answers", "answered_at", "entered_by", "code_hash"])
    audit_record(
        actor=actor,
        action=audit.SLIP_ANSWERED,
        obj=ballot,
        unit=ballot.meeting.area,
        after={"by": "clerk" if slip.entered_by else "household"},
    )
    return slip


@transaction.atomic
def slip_answer_code(*, code: str, answers: dict[int, str]) -> Slip:
    """The household answers online with its one-time code."""
    digest = code_hash(code)
    slip = (
        Slip.objects.select_for_update()
        .select_related("ballot__meeting__area")
        .filter(code_hash=digest)
        .exclude(code_hash="")
        .first()
    )
    if slip is None:
        raise ValidationError({"code": _("This code is not valid or has been used.")})
    return _answer(actor=None, slip=slip, answers=answers)


@transaction.atomic
def slip_enter(*, actor, ballot: Ballot, household: Household, answers: dict[int, str]) -> Slip:
    """A clerk enters a household's paper slip."""
    slip = (
        Slip.objects.select_for_update()
        .select_related("ballot__meeting__area")
        .filter(ballot=ballot, household=household)
        .first()
    )
    if slip is None:
        raise ValidationError({"household": _("This household has no slip in this ballot.")})
    return _answer(actor=actor, slip=slip, answers=answers)


def tally(ballot: Ballot) -> dict[int, tuple[int, int, int]]:
    """{item pk: (for, against, no opinion)} over the answered slips."""
    counts: dict[int, list[int]] = {i.pk: [0, 0, 0] for i in decision_items(ballot.meeting)}
    index = {Slip.Answer.FOR: 0, Slip.Answer.AGAINST: 1, Slip.Answer.ABSTAIN: 2}
    for answers in ballot.slips.filter(answered_at__isnull=False).values_list("answers", flat=True):
        for pk, answer in answers.items():
            if int(pk) in counts and answer in index:
                counts[int(pk)][index[answer]] += 1
    return {pk: (c[0], c[1], c[2]) for pk, c in counts.items()}


@transaction.atomic
def ballot_close(*, actor, ballot: Ballot) -> Ballot:
    """Count the slips into the meeting's decisions, against all households of the area."""
    ballot = locked(ballot, "meeting__area")
    if not ballot.is_open:
        return ballot
    counts = tally(ballot)
    meeting = ballot.meeting
    items = list(meeting.items.filter(pk__in=counts))
    for item in items:
        item.votes_for, item.votes_against, item.votes_abstained = counts[item.pk]
        item.method = ItemMethod.HOUSEHOLD
    Item.objects.bulk_update(items, ["votes_for", "votes_against", "votes_abstained", "method"])
    meeting.households_total = ballot.households_total
    meeting.status = Status.BALLOTED
    meeting.save(update_fields=["households_total", "status"])
    ballot.closed_at = timezone.now()
    ballot.save(update_fields=["closed_at"])
    answered = ballot.slips.filter(answered_at__isnull=False).count()
    audit_record(
        actor=actor,
        action=audit.BALLOT_CLOSED,
        obj=ballot,
        unit=meeting.area,
        after={
            "answered": answered,
            "total": ballot.households_total,
            "items": {str(pk): list(c) for pk, c in counts.items()},
        },
    )
    return ballot


@transaction.atomic
def ballot_report(*, actor, ballot: Ballot, reported_on: datetime.date) -> Ballot:
    """The day the decision went to the commune (UBND xã and UBMTTQ xã, R-4.7)."""
    ballot = locked(ballot, "meeting__area")
    if ballot.is_open:
        raise ValidationError(_("Close and count the ballot first."))
    if reported_on is None or reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("Enter the day it was sent (not a future day).")})
    if reported_on < ballot.closes_on:
        raise ValidationError({"reported_on": _("The decision is sent after the ballot closes.")})
    ballot.reported_on = reported_on
    ballot.save(update_fields=["reported_on"])
    audit_record(
        actor=actor,
        action=audit.BALLOT_REPORTED,
        obj=ballot,
        unit=ballot.meeting.area,
        after={
            "reported_on": reported_on.isoformat(),
            "due": report_due(ballot).isoformat(),
            "late": reported_on > report_due(ballot),
        },
    )
    return ballot
