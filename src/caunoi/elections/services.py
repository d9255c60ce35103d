"""Every write of the elections: keyword-only, atomic, audited; the door checked the permission.
A refusal names the rule, its basis and the numbers, and changes nothing.

The election meeting is planned through `meetings.services.meeting_create` (kind election, chaired
by the election team, R-3.3.1) and its households represented are recorded through
`meetings.services.attendance_record` (the quorum is the meetings' rule). A head's mandate starts
and ends through `people.services` (audited there)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core.audit import audit_created, audit_record
from caunoi.core.models import locked
from caunoi.core.phones import normalize_phone
from caunoi.core.text import normalize, search_key
from caunoi.meetings import arithmetic
from caunoi.meetings import services as meetings
from caunoi.meetings.models import Kind as MeetingKind
from caunoi.meetings.models import Status as MeetingStatus
from caunoi.people import services as people
from caunoi.people.models import Mandate, Role, TermState
from caunoi.people.policy import HEAD_MIN_AGE
from caunoi.territory.models import Unit

from . import audit, policy
from .models import ELIGIBILITY, Candidate, Election, Leaving, Reason, Status

ELECTION_FIELDS = [
    "round",
    "reason",
    "decision_number",
    "decided_on",
    "team_on",
    "notice_on",
    "list_due_on",
    "election_day",
    "team_leader",
]
OPEN = (Status.DECIDED, Status.PUBLISHED)


def _d(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def _late(field: str, label: str, day, election_day, rule) -> tuple[str, str] | None:
    latest = election_day - datetime.timedelta(days=rule.value)
    if day is None or day <= latest:
        return None
    return field, _(
        "%(what)s on %(day)s is too late: no later than %(latest)s, %(n)s days before the "
        "election day %(election)s. %(basis)s"
    ) % {
        "what": label,
        "day": _d(day),
        "latest": _d(latest),
        "n": rule.value,
        "election": _d(election_day),
        "basis": rule.basis,
    }


def timeline_problems(
    *,
    decided_on: datetime.date,
    team_on: datetime.date,
    notice_on: datetime.date,
    list_due_on: datetime.date,
    election_day: datetime.date,
    re_election: bool = False,
) -> dict[str, str]:
    """The dates of R-3.1 against the declared lead times, {field: message} of those too late.
    A re-election keeps the first round's plan and election team (decided before it) and is
    checked for its public notice only (the re-election deadline, R-3.6.2, is shorter than the
    plan's lead time)."""
    checks = [
        ("notice_on", _("The public notice"), notice_on, policy.NOTICE_LEAD_DAYS),
    ]
    if not re_election:
        checks = [
            ("decided_on", _("The decision and plan"), decided_on, policy.PLAN_LEAD_DAYS),
            ("team_on", _("The election team"), team_on, policy.TEAM_LEAD_DAYS),
            *checks,
            ("list_due_on", _("The candidate list"), list_due_on, policy.LIST_LEAD_DAYS),
        ]
    problems = {}
    for field, label, day, rule in checks:
        late = _late(field, label, day, election_day, rule)
        if late:
            problems[late[0]] = late[1]
    for field, day in (("team_on", team_on), ("notice_on", notice_on)):
        if day is not None and decided_on is not None and day < decided_on:
            problems.setdefault(field, _("This date is before the commune's decision."))
    return problems


def _text(value: str, field: str, message: str, max_length: int, errors: dict) -> str:
    value = normalize(value or "")
    if not value:
        errors[field] = message
    elif len(value) > max_length:
        errors[field] = _("At most %(n)s characters, please.") % {"n": max_length}
    return value


def _names(text: str) -> list[str]:
    return [n for n in (normalize(line) for line in (text or "").splitlines()) if n]


def _create(
    *,
    actor,
    area: Unit,
    reason: str,
    decision_number: str,
    decided_on,
    team_on,
    notice_on,
    list_due_on,
    election_day,
    team_leader: str,
    team_members: str,
    place: str,
    at: datetime.time,
    previous: Election | None = None,
) -> Election:
    errors: dict = {}
    if not area.is_area or not area.is_current:
        raise ValidationError(_("Heads are elected by a current residential area."))
    if reason not in Reason.values:
        errors["reason"] = _("Choose why the election is held.")
    number = _text(
        decision_number, "decision_number", _("Write the decision's number."), 80, errors
    )
    leader = _text(team_leader, "team_leader", _("Write who leads the election team."), 120, errors)
    place = _text(place, "place", _("Write where the election meeting is held."), 200, errors)
    members = "\n".join(_names(team_members))
    if len(members) > 2000:
        errors["team_members"] = _("At most %(n)s characters, please.") % {"n": 2000}
    today = timezone.localdate()
    if None in (decided_on, team_on, notice_on, list_due_on, election_day):
        errors["election_day"] = _("Enter every date of the timeline.")
    else:
        if decided_on > today:
            errors["decided_on"] = _("The decision's date cannot be in the future.")
        if election_day <= today:
            errors["election_day"] = _("The election day must be after today.")
        errors.update(
            {
                k: v
                for k, v in timeline_problems(
                    decided_on=decided_on,
                    team_on=team_on,
                    notice_on=notice_on,
                    list_due_on=list_due_on,
                    election_day=election_day,
                    re_election=previous is not None,
                ).items()
                if k not in errors
            }
        )
    if errors:
        raise ValidationError(errors)
    Unit.objects.select_for_update().filter(pk=area.pk).first()
    if Election.objects.filter(area=area, status__in=OPEN).exists():
        raise ValidationError(_("This area already has an election under way."))
    meeting = meetings.meeting_create(
        actor=actor,
        area=area,
        kind=MeetingKind.ELECTION,
        title=_("Election of the head of %(area)s") % {"area": area.short_name},
        starts_at=timezone.make_aware(datetime.datetime.combine(election_day, at)),
        place=place,
        convener_name=leader,
    )
    meetings.item_add(
        actor=actor,
        meeting=meeting,
        title=_("Election of the head: the candidate list, nominations, the vote and the count"),
        kind="record",
    )
    election = Election.objects.create(
        area=area,
        round=previous.round + 1 if previous else 1,
        previous=previous,
        reason=reason,
        decision_number=number,
        decided_on=decided_on,
        team_on=team_on,
        notice_on=notice_on,
        list_due_on=list_due_on,
        election_day=election_day,
        team_leader=leader,
        team_members=members,
        meeting=meeting,
        created_by=actor,
    )
    audit_created(
        actor=actor, action=audit.ELECTION_DECIDED, obj=election, unit=area, fields=ELECTION_FIELDS
    )
    return election


def election_decide(*, actor, area: Unit, **fields) -> Election:
    """The commune's decision to hold the election, its plan, election team and timeline."""
    with transaction.atomic():
        if fields.get("reason") == Reason.RE_ELECTION:
            raise ValidationError({"reason": _("A re-election follows a failed round.")})
        return _create(actor=actor, area=area, **fields)


@transaction.atomic
def re_election_decide(*, actor, election: Election, **fields) -> Election:
    """The commune decides a re-election after a round without a winner (R-3.6.2), held within
    the declared days; the list's candidates of the failed round stand again unless the list is
    changed."""
    election = locked(election)
    if election.status not in (Status.FAILED, Status.NOT_HELD):
        raise ValidationError(_("Only an election without a winner is held again."))
    if Election.objects.filter(previous=election).exists():
        raise ValidationError(_("The re-election of this round has already been decided."))
    day = fields.get("election_day")
    latest = election.election_day + datetime.timedelta(days=policy.RE_ELECTION_DAYS.value)
    if day is not None and day > latest:
        raise ValidationError(
            {
                "election_day": _(
                    "The re-election on %(day)s is too late: no later than %(latest)s, %(n)s days "
                    "after the failed round. %(basis)s"
                )
                % {
                    "day": _d(day),
                    "latest": _d(latest),
                    "n": policy.RE_ELECTION_DAYS.value,
                    "basis": policy.RE_ELECTION_DAYS.basis,
                }
            }
        )
    fields["reason"] = Reason.RE_ELECTION
    fields.setdefault("list_due_on", fields.get("notice_on"))
    new = _create(actor=actor, area=election.area, previous=election, **fields)
    for c in election.candidates.filter(nominated=Candidate.Nominated.CTMT):
        Candidate.objects.create(
            election=new,
            full_name=c.full_name,
            phone=c.phone,
            birth_year=c.birth_year,
            nominated=c.nominated,
            eligibility=c.eligibility,
        )
    return new


def _locked(election: Election) -> Election:
    return (
        Election.objects.select_for_update(of=("self",))
        .select_related("area", "meeting")
        .get(pk=election.pk)
    )


@transaction.atomic
def candidate_add(
    *,
    actor,
    election: Election,
    full_name: str,
    phone: str,
    birth_year: int,
    nominated: str,
    eligibility: list[str],
) -> Candidate:
    """A candidate: on the Ban CTMT's list before it is published, or nominated / self-nominated
    at the meeting (from the election day). Eligible per TT 04/2012 Điều 11; not a member of the
    election team (R-3.1.2)."""
    election = _locked(election)
    errors: dict = {}
    if election.status not in OPEN:
        raise ValidationError(
            _("This election has been counted: its candidates can no longer change.")
        )
    name = _text(full_name, "full_name", _("Write the candidate's full name."), 120, errors)
    try:
        phone = normalize_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages[0]
    if nominated not in Candidate.Nominated.values:
        errors["nominated"] = _("Choose who nominated the candidate.")
    elif nominated == Candidate.Nominated.CTMT and election.status != Status.DECIDED:
        errors["nominated"] = _(
            "The Front work committee's list has been published: later candidates are nominated "
            "at the meeting."
        )
    elif nominated != Candidate.Nominated.CTMT and election.election_day > timezone.localdate():
        errors["nominated"] = _(
            "Nominations and self-nominations are made at the election meeting, on %(day)s."
        ) % {"day": _d(election.election_day)}
    if not isinstance(birth_year, int) or not 1900 <= birth_year <= election.election_day.year:
        errors["birth_year"] = _("Enter the year of birth, for example 1970.")
    elif election.election_day.year - birth_year < HEAD_MIN_AGE.value:
        errors["birth_year"] = _(
            "A head is at least %(n)s years old (%(basis)s) — born in %(year)s or before."
        ) % {
            "n": HEAD_MIN_AGE.value,
            "basis": HEAD_MIN_AGE.basis,
            "year": election.election_day.year - HEAD_MIN_AGE.value,
        }
    keys = {k for k, _label in ELIGIBILITY}
    ticked = set(eligibility or []) & keys
    if ticked != keys:
        errors["eligibility"] = _(
            "Every condition of TT 04/2012 Điều 11 must be met: tick each one after checking it."
        )
    team = {search_key(n) for n in [election.team_leader, *_names(election.team_members)]}
    if name and search_key(name) in team:
        errors["full_name"] = _(
            "%(name)s is in the election team: a candidate may not be a member of it "
            "(NĐ 59/2023 Điều 6 khoản 2)."
        ) % {"name": name}
    if errors:
        raise ValidationError(errors)
    if election.candidates.filter(phone=phone).exists():
        raise ValidationError({"phone": _("This person is already a candidate.")})
    candidate = Candidate.objects.create(
        election=election,
        full_name=name,
        phone=phone,
        birth_year=birth_year,
        nominated=nominated,
        eligibility={k: True for k in sorted(ticked)},
    )
    audit_created(
        actor=actor,
        action=audit.CANDIDATE_ADDED,
        obj=candidate,
        unit=election.area,
        fields=["full_name", "birth_year", "nominated"],
    )
    return candidate


@transaction.atomic
def list_publish(*, actor, election: Election, on: datetime.date | None = None) -> Election:
    """The official candidate list, sent to the commune and published to the area (R-3.1.4)."""
    election = _locked(election)
    if election.status != Status.DECIDED:
        return election  # published once: a second submission changes nothing
    on = on or timezone.localdate()
    listed = election.candidates.filter(nominated=Candidate.Nominated.CTMT).count()
    if listed < policy.MIN_CANDIDATES.value:
        raise ValidationError(
            _("The list has %(n)s candidates; it needs at least %(min)s. %(basis)s")
            % {
                "n": listed,
                "min": policy.MIN_CANDIDATES.value,
                "basis": policy.MIN_CANDIDATES.basis,
            }
        )
    if election.previous_id is None and on > election.list_due_on:
        raise ValidationError(
            _(
                "The list was due at the commune on %(due)s, %(n)s days before the election: "
                "%(basis)s Decide a later election day."
            )
            % {
                "due": _d(election.list_due_on),
                "n": policy.LIST_LEAD_DAYS.value,
                "basis": policy.LIST_LEAD_DAYS.basis,
            }
        )
    election.status = Status.PUBLISHED
    election.published_on = on
    election.save(update_fields=["status", "published_on"])
    audit_record(
        actor=actor,
        action=audit.LIST_PUBLISHED,
        obj=election,
        unit=election.area,
        after={"candidates": listed, "published_on": on.isoformat()},
    )
    return election


def winner_of(votes: dict[int, int], households: int) -> int | None:
    """The candidate with more than WIN_SHARE of all households (R-3.6.1), None when nobody has
    it or two tie at the top."""
    passing = sorted(
        (
            (n, pk)
            for pk, n in votes.items()
            if arithmetic.more_than(n, households, policy.WIN_SHARE.value)
        ),
        reverse=True,
    )
    if not passing or (len(passing) > 1 and passing[0][0] == passing[1][0]):
        return None
    return passing[0][1]


def _n(value, field: str, errors: dict) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        errors[field] = _("Enter a number (0 or more).")
        return 0
    return value


@transaction.atomic
def election_count(
    *,
    actor,
    election: Election,
    households_present: int,
    method: str,
    votes: dict[int, int],
    counting_board: str = "",
    board_for: int | None = None,
    ballots_issued: int | None = None,
    ballots_returned: int | None = None,
    ballots_valid: int | None = None,
    ballots_invalid: int | None = None,
) -> Election:
    """The election meeting's count (R-3.4–3.7): the households represented (the meeting's
    quorum), the counting board (a secret ballot: 3–5 people approved by more than half of those
    present), the ballots, the votes per candidate; the winner needs more than half of ALL the
    area's households. Everything is checked before anything is written."""
    election = _locked(election)
    if election.is_counted:
        return election  # counted once
    if election.status != Status.PUBLISHED:
        raise ValidationError(_("Publish the candidate list before the election meeting."))
    if election.election_day > timezone.localdate():
        raise ValidationError(
            _("The election is on %(day)s: it can be counted from that day on.")
            % {"day": _d(election.election_day)}
        )
    meeting = election.meeting
    errors: dict = {}
    present = _n(households_present, "households_present", errors)
    if meeting.is_recorded:  # the households represented were ticked on the meeting's page
        total = meeting.households_total or 0
        if not errors and present != meeting.households_present:
            errors["households_present"] = _(
                "The meeting recorded %(recorded)s households represented, not %(present)s."
            ) % {"recorded": meeting.households_present, "present": present}
    else:
        total = election.area.household_count
    if not errors and present > total:
        errors["households_present"] = _(
            "%(present)s households represented, but the area has %(total)s households."
        ) % {"present": present, "total": total}
    if errors:
        raise ValidationError(errors)
    if not arithmetic.has_quorum(present, total):
        election.meeting = meetings.attendance_record(
            actor=actor, meeting=election.meeting, households_present=present
        )
        election.status = Status.NOT_HELD
        election.counted_at = timezone.now()
        election.save(update_fields=["status", "counted_at"])
        audit_record(
            actor=actor,
            action=audit.ELECTION_COUNTED,
            obj=election,
            unit=election.area,
            after={"present": present, "total": total, "status": election.status},
        )
        return election
    candidates = {c.pk: c for c in election.candidates.all()}
    if not candidates:
        raise ValidationError(_("The election has no candidate."))
    if method not in ("hands", "ballot"):
        errors["method"] = _("Choose the voting method approved by the meeting.")
    counted = {}
    for pk in candidates:
        counted[pk] = _n(votes.get(pk), f"votes_{pk}", errors)
    if set(votes) - set(candidates):
        raise ValidationError(_("Count only this election's candidates."))
    board = _names(counting_board)
    if method == "ballot":
        lo, hi = policy.COUNTING_BOARD_MIN.value, policy.COUNTING_BOARD_MAX.value
        if not lo <= len(board) <= hi:
            errors["counting_board"] = _(
                "The counting board has %(n)s people; it has %(lo)s to %(hi)s. %(basis)s"
            ) % {"n": len(board), "lo": lo, "hi": hi, "basis": policy.COUNTING_BOARD_MIN.basis}
        candidate_keys = {search_key(c.full_name) for c in candidates.values()}
        if any(search_key(n) in candidate_keys for n in board):
            errors["counting_board"] = _("A candidate may not count the ballots.")
        approved = _n(board_for, "board_for", errors)
        if "board_for" not in errors and not arithmetic.procedural_passed(approved, present):
            errors["board_for"] = _(
                "%(n)s of %(present)s representatives present approved the counting board; it "
                "needs more than half (%(needed)s)."
            ) % {
                "n": approved,
                "present": present,
                "needed": arithmetic.needed_more_than(present, 0.5),
            }
        issued = _n(ballots_issued, "ballots_issued", errors)
        returned = _n(ballots_returned, "ballots_returned", errors)
        valid = _n(ballots_valid, "ballots_valid", errors)
        invalid = _n(ballots_invalid, "ballots_invalid", errors)
        if not errors:
            if issued > present:
                errors["ballots_issued"] = _(
                    "%(issued)s ballots issued to %(present)s households represented: one ballot "
                    "per household."
                ) % {"issued": issued, "present": present}
            if returned > issued:
                errors["ballots_returned"] = _(
                    "%(returned)s ballots returned, but %(issued)s were issued."
                ) % {"returned": returned, "issued": issued}
            if valid + invalid != returned:
                errors["ballots_valid"] = _(
                    "%(valid)s valid and %(invalid)s invalid ballots make %(sum)s, not the "
                    "%(returned)s returned."
                ) % {
                    "valid": valid,
                    "invalid": invalid,
                    "sum": valid + invalid,
                    "returned": returned,
                }
        ceiling, ceiling_label = valid, _("valid ballots")
    else:
        issued = returned = valid = invalid = None  # type: ignore[assignment]
        approved = None
        board = []
        ceiling, ceiling_label = present, _("households represented")
    if not errors and sum(counted.values()) > ceiling:
        errors["votes"] = _(
            "%(votes)s votes in all, but only %(n)s %(what)s: each household votes for one "
            "candidate."
        ) % {"votes": sum(counted.values()), "n": ceiling, "what": ceiling_label}
    if errors:
        raise ValidationError(errors)
    election.meeting = meetings.attendance_record(
        actor=actor, meeting=election.meeting, households_present=present
    )
    for pk, n in counted.items():
        Candidate.objects.filter(pk=pk).update(votes=n)
    winner = winner_of(counted, total)
    election.counting_board = "\n".join(board)
    election.board_for = approved
    election.ballots_issued = issued
    election.ballots_returned = returned
    election.ballots_valid = valid
    election.ballots_invalid = invalid
    election.winner_id = winner
    election.status = Status.ELECTED if winner else Status.FAILED
    election.counted_at = timezone.now()
    election.save()
    audit_record(
        actor=actor,
        action=audit.ELECTION_COUNTED,
        obj=election,
        unit=election.area,
        after={
            "present": present,
            "total": total,
            "method": method,
            "valid": valid,
            "votes": {candidates[pk].full_name: n for pk, n in counted.items()},
            "status": election.status,
        },
    )
    return election


def _end_head(actor, area: Unit, on: datetime.date, note: str) -> None:
    for m in Mandate.objects.active(on=on).filter(unit=area, role=Role.HEAD):
        if m.start < on:
            people.mandate_end(actor=actor, mandate=m, end=on, note=note)
    # A head whose mandate would start later (none expected) is left to the register.


@transaction.atomic
def election_recognise(
    *,
    actor,
    election: Election,
    recognition_number: str,
    recognised_on: datetime.date,
    signed_by: str,
) -> Election:
    """The commune chair's recognition decision (R-2.6): it refers to the counting minutes, ends
    the previous head's mandate and starts the elected head's on the same day."""
    election = _locked(election)
    if election.status == Status.RECOGNISED:
        return election
    if election.status != Status.ELECTED:
        raise ValidationError(_("Only an election with an elected head is recognised."))
    errors: dict = {}
    number = _text(
        recognition_number, "recognition_number", _("Write the decision's number."), 80, errors
    )
    signer = _text(signed_by, "signed_by", _("Write who signs the decision."), 120, errors)
    if recognised_on is None:
        errors["recognised_on"] = _("Enter the date of the decision.")
    elif recognised_on < election.election_day:
        errors["recognised_on"] = _("The decision cannot come before the election on %(day)s.") % {
            "day": _d(election.election_day)
        }
    elif recognised_on > timezone.localdate():
        errors["recognised_on"] = _("The decision's date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    winner = election.winner
    assert winner is not None
    _end_head(actor, election.area, recognised_on, _("Successor elected"))
    mandate = people.mandate_appoint(
        actor=actor,
        unit=election.area,
        role=Role.HEAD,
        phone=winner.phone,
        full_name=winner.full_name,
        start=recognised_on,
        decision_number=number,
        decision_date=recognised_on,
        note=_("Elected on %(day)s") % {"day": _d(election.election_day)},
        term_state=TermState.ELECTED,
    )
    election.status = Status.RECOGNISED
    election.recognition_number = number
    election.recognised_on = recognised_on
    election.recognised_by = signer
    election.mandate = mandate
    election.save(
        update_fields=["status", "recognition_number", "recognised_on", "recognised_by", "mandate"]
    )
    audit_record(
        actor=actor,
        action=audit.ELECTION_RECOGNISED,
        obj=election,
        unit=election.area,
        after={"number": number, "on": recognised_on.isoformat(), "head": winner.full_name},
    )
    return election


def failed_rounds(election: Election) -> int:
    """The failed rounds in a row ending with this one."""
    n, e = 0, election
    while e is not None and e.status in (Status.FAILED, Status.NOT_HELD):
        n += 1
        e = e.previous  # type: ignore[assignment]  # (None ends the chain)
    return n


@transaction.atomic
def temporary_appoint(
    *,
    actor,
    election: Election,
    phone: str,
    full_name: str,
    decision_number: str,
    on: datetime.date,
) -> Mandate:
    """After the declared number of failed rounds the commune chair appoints a temporary head
    (R-3.6.2, R-2.4.2), a mandate of kind temporary."""
    election = _locked(election)
    if (
        election.status not in (Status.FAILED, Status.NOT_HELD)
        or Election.objects.filter(previous=election).exists()
    ):
        raise ValidationError(_("A temporary head follows the last failed round."))
    rounds = failed_rounds(election)
    if rounds < policy.FAILED_ROUNDS.value:
        raise ValidationError(
            _(
                "%(n)s failed rounds so far; a temporary head is appointed after %(min)s. "
                "Decide a re-election."
            )
            % {"n": rounds, "min": policy.FAILED_ROUNDS.value}
        )
    if on is None or on > timezone.localdate() or on < election.election_day:
        raise ValidationError({"on": _("Enter the date of the decision (not in the future).")})
    _end_head(actor, election.area, on, _("Temporary head appointed"))
    mandate = people.mandate_appoint(
        actor=actor,
        unit=election.area,
        role=Role.HEAD,
        phone=phone,
        full_name=full_name,
        start=on,
        decision_number=decision_number,
        decision_date=on,
        term_state=TermState.TEMPORARY,
    )
    audit_record(
        actor=actor,
        action=audit.TEMPORARY_APPOINTED,
        obj=election,
        unit=election.area,
        after={"rounds": rounds, "head": mandate.person.full_name},
    )
    return mandate


# --- Leaving office (NĐ 59/2023 Điều 9) ---------------------------------------------------------


@transaction.atomic
def leaving_start(
    *,
    actor,
    area: Unit,
    ground: str,
    text: str,
    starts_at: datetime.datetime,
    place: str,
    convener_name: str,
    petition_households: int | None = None,
) -> Leaving:
    """A resignation letter, a proposal of the Trưởng ban CTMT, or a petition of at least half the
    households (≥, R-2.5.1) puts the head's leaving to a community meeting, convened by the
    Trưởng ban CTMT, or by the commune chair when the head is the Trưởng ban CTMT (R-2.5.2)."""
    errors: dict = {}
    head = (
        Mandate.objects.active()
        .filter(unit=area, role=Role.HEAD)
        .select_related("person__head_profile")
        .first()
    )
    if head is None:
        raise ValidationError(_("This area has no head in office."))
    if Leaving.objects.filter(
        area=area, state__in=[Leaving.State.STARTED, Leaving.State.AGREED]
    ).exists():
        raise ValidationError(_("The head's leaving office is already under way."))
    if ground not in Leaving.Ground.values:
        errors["ground"] = _("Choose why the head would leave office.")
    reason = _text(text, "text", _("Write the reason."), 2000, errors)
    total = area.household_count
    if ground == Leaving.Ground.PETITION:
        n = _n(petition_households, "petition_households", errors)
        if "petition_households" not in errors:
            if n > total:
                errors["petition_households"] = _(
                    "%(n)s households petitioned, but the area has %(total)s."
                ) % {"n": n, "total": total}
            elif not arithmetic.at_least(n, total, policy.PETITION_SHARE.value):
                errors["petition_households"] = _(
                    "%(n)s of %(total)s households petitioned; a petition needs at least half "
                    "(%(needed)s). %(basis)s"
                ) % {
                    "n": n,
                    "total": total,
                    "needed": -(-total // 2),
                    "basis": policy.PETITION_SHARE.basis,
                }
    else:
        petition_households = None
    if errors:
        raise ValidationError(errors)
    profile = getattr(head.person, "head_profile", None)
    meeting = meetings.meeting_create(
        actor=actor,
        area=area,
        kind=MeetingKind.DISMISSAL,
        title=_("The head of %(area)s leaving office") % {"area": area.short_name},
        starts_at=starts_at,
        place=place,
        convener_name=convener_name,
        head_is_ctmt_head=bool(profile and profile.front_head),
    )
    leaving = Leaving.objects.create(
        area=area,
        mandate=head,
        ground=ground,
        text=reason,
        petition_households=petition_households,
        households_total=total,
        meeting=meeting,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=audit.LEAVING_STARTED,
        obj=leaving,
        unit=area,
        after={"ground": ground, "head": head.person.full_name, "petition": petition_households},
    )
    return leaving


@transaction.atomic
def leaving_count(*, actor, leaving: Leaving, households_present: int, votes_for: int) -> Leaving:
    """The meeting's count: with a quorum, the head leaves when more than half of ALL households
    agree (R-2.5.4, declared)."""
    leaving = locked(leaving, "area", "meeting")
    if leaving.state != Leaving.State.STARTED:
        return leaving
    total = leaving.area.household_count
    errors: dict = {}
    present = _n(households_present, "households_present", errors)
    agree = _n(votes_for, "votes_for", errors)
    if not errors and present > total:
        errors["households_present"] = _(
            "%(present)s households represented, but the area has %(total)s households."
        ) % {"present": present, "total": total}
    if not errors and agree > present:
        errors["votes_for"] = _("%(n)s in favour, but only %(present)s households represented.") % {
            "n": agree,
            "present": present,
        }
    if errors:
        raise ValidationError(errors)
    meeting = meetings.attendance_record(
        actor=actor, meeting=leaving.meeting, households_present=present
    )
    held = meeting.status != MeetingStatus.NOT_HELD
    leaving.households_total = total
    leaving.votes_for = agree if held else None
    agreed = held and arithmetic.more_than(agree, total, policy.DISMISSAL_SHARE.value)
    leaving.state = Leaving.State.AGREED if agreed else Leaving.State.REFUSED
    leaving.save(update_fields=["households_total", "votes_for", "state"])
    audit_record(
        actor=actor,
        action=audit.LEAVING_COUNTED,
        obj=leaving,
        unit=leaving.area,
        after={"present": present, "for": agree, "total": total, "state": leaving.state},
    )
    return leaving


@transaction.atomic
def leaving_decide(
    *, actor, leaving: Leaving, decision_number: str, decided_on: datetime.date
) -> Leaving:
    """The commune's decision ends the head's mandate; a new election is due within the declared
    days (people.policy.HEAD_VACANCY_ELECTION_DAYS, the register's alert)."""
    leaving = locked(leaving, "area", "mandate")
    if leaving.state == Leaving.State.DECIDED:
        return leaving
    if leaving.state != Leaving.State.AGREED:
        raise ValidationError(_("The meeting has not agreed to the head leaving office."))
    errors: dict = {}
    number = _text(
        decision_number, "decision_number", _("Write the decision's number."), 80, errors
    )
    if decided_on is None or decided_on > timezone.localdate():
        errors["decided_on"] = _("Enter the date of the decision (not in the future).")
    elif decided_on <= leaving.mandate.start:
        errors["decided_on"] = _("The decision must come after the head's mandate began.")
    if errors:
        raise ValidationError(errors)
    people.mandate_end(
        actor=actor, mandate=leaving.mandate, end=decided_on, note=leaving.get_ground_display()
    )
    leaving.state = Leaving.State.DECIDED
    leaving.decision_number = number
    leaving.decided_on = decided_on
    leaving.save(update_fields=["state", "decision_number", "decided_on"])
    audit_record(
        actor=actor,
        action=audit.LEAVING_DECIDED,
        obj=leaving,
        unit=leaving.area,
        after={"number": number, "on": decided_on.isoformat()},
    )
    return leaving
