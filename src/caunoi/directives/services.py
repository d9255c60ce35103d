"""Writes about directives and assignments: keyword-only, atomic, audited. Who may do what is
decided at the door (views and API handlers, through `permissions.access_*`); the services enforce
the business rules (a current commune, its own areas, a reason when rushed, no report on a closed
or withdrawn task)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from caunoi.core import pagecache, uploads
from caunoi.core.audit import audit_created, audit_record, snapshot
from caunoi.core.exceptions import ApplicationError
from caunoi.core.models import locked, user_or_none
from caunoi.core.text import normalize
from caunoi.core.uploads import IMAGE, check_upload, strip_image
from caunoi.core.workdays import working_days_between
from caunoi.people.models import Person
from caunoi.people.selectors import mandate_list_of_heads
from caunoi.territory import rollup
from caunoi.territory.models import Unit

from . import audit, policy, selectors
from .models import (
    CLOSED,
    Assignment,
    Attachment,
    Category,
    Directive,
    DirectiveChange,
    Evidence,
    Report,
    Status,
)

DIRECTIVE_FIELDS = ["title", "body", "category", "source_number", "due_date", "state"]
MAX_FILES = 10


def _clean_text(value: str, *, field_name: str, required: bool, max_length: int, errors: dict):
    value = normalize(value or "").strip()
    if required and not value:
        errors[field_name] = _("This cannot be empty.")
    elif len(value) > max_length:
        errors[field_name] = _("Keep this under %(n)s characters.") % {"n": max_length}
    return value


def _checked_files(files, errors: dict, field_name: str = "files"):
    """[(uploaded file, checked kind)] or errors[field_name]: the first refusal, clearly."""
    files = [f for f in (files or []) if f]
    if len(files) > MAX_FILES:
        errors[field_name] = _("Attach at most %(n)s files.") % {"n": MAX_FILES}
        return []
    out = []
    for f in files:
        try:
            checked = check_upload(f)
        except ValidationError as exc:
            errors[field_name] = exc.messages[0]
            return []
        out.append((strip_image(f) if checked.kind == IMAGE else f, checked))
    return out


# --- Writing and sending --------------------------------------------------------------------------


@transaction.atomic
def directive_create(
    *,
    actor,
    commune: Unit,
    title: str,
    body: str,
    category: str,
    due_date: datetime.date | None,
    areas: list[Unit] | None = None,
    all_areas: bool = False,
    source_number: str = "",
    files=(),
    today: datetime.date | None = None,
) -> Directive:
    """A draft directive with its recipients (not yet visible to the heads: `directive_send`)."""
    if not commune.is_commune or not commune.is_current:
        raise ApplicationError(_("Tasks are handed out by a current commune."), code="invalid")
    today = today or timezone.localdate()
    errors: dict = {}
    title = _clean_text(title, field_name="title", required=True, max_length=200, errors=errors)
    body = _clean_text(body, field_name="body", required=True, max_length=10000, errors=errors)
    source_number = _clean_text(
        source_number, field_name="source_number", required=False, max_length=80, errors=errors
    )
    if category not in Category.values:
        errors["category"] = _("Choose a category from the list.")
    if due_date is None:
        errors["due_date"] = _("Enter the due date as dd/mm/yyyy.")
    elif due_date < today:
        errors["due_date"] = _("The due date has passed. Choose today or a later day.")
    own = selectors.area_list(commune=commune)
    if all_areas:
        recipients = own
    else:
        own_ids = {a.pk for a in own}
        recipients = list(areas or [])
        outside = [a for a in recipients if a.pk not in own_ids]
        if outside:
            errors["areas"] = _("%(name)s is not a current residential area of this commune.") % {
                "name": outside[0].name
            }
    if not recipients and "areas" not in errors:
        errors["areas"] = _("Choose at least one residential area, or all of them.")
    checked = _checked_files(files, errors)
    if errors or due_date is None:
        raise ValidationError(errors)
    directive = Directive.objects.create(
        **rollup.commune_keys(commune),
        title=title,
        body=body,
        category=category,
        source_number=source_number,
        due_date=due_date,
        all_areas=all_areas,
        created_by=user_or_none(actor),
    )
    for f, kind in checked:
        Attachment.objects.create(
            directive=directive,
            file=f,
            name=normalize(uploads.display_name(f))[:120],
            content_type=kind.content_type,
            size=f.size,
        )
    Assignment.objects.bulk_create(
        [
            Assignment(directive=directive, area=a, commune=commune, path=a.path)
            for a in sorted({a.pk: a for a in recipients}.values(), key=lambda a: a.code)
        ]
    )
    audit_created(
        actor=actor,
        action=audit.DIRECTIVE_CREATED,
        obj=directive,
        unit=commune,
        fields=DIRECTIVE_FIELDS,
    )
    return directive


@dataclass
class RecipientLoad:
    area: Unit
    head: Person | None
    open_items: int
    over_cap: bool


@dataclass
class Preview:
    lead_working_days: int
    min_lead: int
    cap: int
    below_min_lead: bool
    rows: list[RecipientLoad] = field(default_factory=list)
    burst_with: list[Directive] = field(default_factory=list)

    @property
    def over_cap(self) -> bool:
        return any(r.over_cap for r in self.rows)

    @property
    def needs_reason(self) -> bool:
        return self.below_min_lead or self.over_cap

    @property
    def over_cap_count(self) -> int:
        return sum(r.over_cap for r in self.rows)


def directive_preview(directive: Directive, *, now: datetime.datetime | None = None) -> Preview:
    """What sending now would mean: lead time in working days and each head's open load."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    assignments = list(directive.assignments.select_related("area").order_by("area__code"))
    ids = [a.area_id for a in assignments]
    loads = selectors.assignment_open_counts(ids)
    heads = {pk: m.person for pk, m in mandate_list_of_heads(ids, on=today).items()}
    cap = policy.MAX_OPEN.value
    lead = working_days_between(today, directive.due_date)
    burst_since = now - datetime.timedelta(hours=policy.BURST_HOURS.value)
    burst = list(
        Directive.objects.filter(
            state=Directive.State.SENT,
            sent_at__gte=burst_since,
            assignments__area_id__in=ids,
        )
        .exclude(pk=directive.pk)
        .distinct()
        .order_by("-sent_at")
    )
    return Preview(
        lead_working_days=lead,
        min_lead=policy.MIN_LEAD.value,
        cap=cap,
        below_min_lead=lead < policy.MIN_LEAD.value,
        rows=[
            RecipientLoad(
                area=a.area,
                head=heads.get(a.area_id),
                open_items=loads.get(a.area_id, 0),
                over_cap=loads.get(a.area_id, 0) + 1 > cap,
            )
            for a in assignments
        ],
        burst_with=burst,
    )


@transaction.atomic
def directive_send(
    *, actor, directive: Directive, reason: str = "", now: datetime.datetime | None = None
) -> Directive:
    """Send a draft: the heads see it at once. Below the minimum lead time or above a head's cap,
    a reason is required and stored. Sending twice (a double click) sends once."""
    directive = locked(directive)
    if directive.state != Directive.State.DRAFT:
        return directive
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if directive.due_date < today:
        raise ValidationError(
            {"due_date": _("The due date has passed. Choose today or a later day.")}
        )
    preview = directive_preview(directive, now=now)
    reason = normalize(reason or "").strip()
    if preview.needs_reason and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "This task is rushed or lands on overloaded heads: say why it must go now."
                )
            }
        )
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep this under %(n)s characters.") % {"n": 300}})
    heads = {r.area.pk: r.head for r in preview.rows}
    loads = {r.area.pk: r.open_items for r in preview.rows}
    assignments = list(directive.assignments.all())
    for a in assignments:
        a.head = heads.get(a.area_id)
        a.open_before = loads.get(a.area_id, 0)
        a.updated_at = now
    Assignment.objects.bulk_update(assignments, ["head", "open_before", "updated_at"])
    directive.state = Directive.State.SENT
    directive.sent_at = now
    directive.lead_working_days = preview.lead_working_days
    directive.below_min_lead = preview.below_min_lead
    directive.over_cap = preview.over_cap
    directive.in_burst = bool(preview.burst_with)
    directive.rush_reason = reason if preview.needs_reason else ""
    directive.recipients = len(assignments)
    directive.peak_open = max((a.open_before + 1 for a in assignments), default=0)
    directive.save()
    audit_record(
        actor=actor,
        action=audit.DIRECTIVE_SENT,
        obj=directive,
        unit=directive.commune,
        after={
            "recipients": len(assignments),
            "lead_working_days": directive.lead_working_days,
            "below_min_lead": directive.below_min_lead,
            "over_cap": directive.over_cap,
            "in_burst": directive.in_burst,
            "reason": directive.rush_reason,
        },
    )
    return directive


def _lead_recount(directive: Directive, *, earlier: bool, today: datetime.date) -> None:
    """The warning the heads have for an amended due date: counted from the sending when the date
    moves later, from the amendment when it comes earlier (they learn of it only now)."""
    since = today if earlier else timezone.localtime(directive.sent_at).date()
    directive.lead_working_days = working_days_between(since, directive.due_date)
    directive.below_min_lead = directive.lead_working_days < policy.MIN_LEAD.value


@transaction.atomic
def directive_amend(
    *,
    actor,
    directive: Directive,
    title: str,
    body: str,
    due_date: datetime.date | None,
    note: str = "",
    today: datetime.date | None = None,
) -> Directive:
    """Change a sent directive; the heads see what changed. Nothing is overwritten silently."""
    directive = locked(directive)
    if directive.state == Directive.State.WITHDRAWN:
        raise ApplicationError(_("This task was withdrawn; it can no longer change."))
    today = today or timezone.localdate()
    errors: dict = {}
    title = _clean_text(title, field_name="title", required=True, max_length=200, errors=errors)
    body = _clean_text(body, field_name="body", required=True, max_length=10000, errors=errors)
    note = _clean_text(note, field_name="note", required=False, max_length=300, errors=errors)
    if due_date is None:
        errors["due_date"] = _("Enter the due date as dd/mm/yyyy.")
    elif due_date < today and due_date != directive.due_date:
        errors["due_date"] = _("The due date has passed. Choose today or a later day.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(directive, DIRECTIVE_FIELDS)
    old_due = directive.due_date
    changes = {}
    for name, value in (("title", title), ("body", body), ("due_date", due_date)):
        old = getattr(directive, name)
        if old != value:
            changes[name] = [
                old.isoformat() if isinstance(old, datetime.date) else old,
                value.isoformat() if isinstance(value, datetime.date) else value,
            ]
            setattr(directive, name, value)
    if not changes:
        raise ValidationError(_("Nothing was changed."))
    if due_date is not None and due_date != old_due and directive.sent_at is not None:
        _lead_recount(directive, earlier=due_date < old_due, today=today)
    return _next_version(
        directive,
        actor=actor,
        action=audit.DIRECTIVE_AMENDED,
        before=before,
        changes=changes,
        note=note,
    )


def _next_version(
    directive: Directive, *, actor, action: str, before: dict, changes: dict, note: str
) -> Directive:
    """Save `directive` as its next version: the heads see `changes` and `note`, the change log
    the whole directive before and after."""
    directive.version += 1
    directive.save()
    DirectiveChange.objects.create(
        directive=directive,
        version=directive.version,
        actor=user_or_none(actor),
        changes=changes,
        note=note,
    )
    audit_record(
        actor=actor,
        action=action,
        obj=directive,
        unit=directive.commune,
        before=before,
        after=snapshot(directive, DIRECTIVE_FIELDS),
    )
    return directive


@transaction.atomic
def directive_withdraw(*, actor, directive: Directive, reason: str) -> Directive:
    directive = locked(directive)
    if directive.state == Directive.State.WITHDRAWN:
        return directive
    reason = normalize(reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the task is withdrawn; the heads will see it.")}
        )
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep this under %(n)s characters.") % {"n": 300}})
    before = snapshot(directive, DIRECTIVE_FIELDS)
    directive.state = Directive.State.WITHDRAWN
    directive.withdrawn_at = timezone.now()
    directive.withdraw_reason = reason
    return _next_version(
        directive,
        actor=actor,
        action=audit.DIRECTIVE_WITHDRAWN,
        before=before,
        changes={"state": [before["state"], directive.state]},
        note=reason,
    )


# --- The head's work ------------------------------------------------------------------------------


def _lock_for_work(assignment: Assignment) -> Assignment:
    a = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("directive", "area")
        .get(pk=assignment.pk)
    )
    if a.directive.state == Directive.State.WITHDRAWN:
        raise ApplicationError(
            _("The commune withdrew this task: nothing more to report."), code="withdrawn"
        )
    if a.directive.state != Directive.State.SENT:
        raise ApplicationError(_("This task has not been sent yet."), code="draft")
    return a


def _record(actor, a: Assignment, kind: str, action: str, before: dict, **report) -> Report:
    a.seen_version = a.directive.version
    a.updated_at = timezone.now()
    a.save()
    r = Report.objects.create(assignment=a, kind=kind, by=actor, **report)
    audit_record(
        actor=actor,
        action=action,
        obj=a,
        unit=a.area,
        before=before,
        after=snapshot(a, ASSIGNMENT_FIELDS),
    )
    return r


ASSIGNMENT_FIELDS = ["status", "percent", "note", "households_reached"]


def _closed_error(a: Assignment) -> ValidationError:
    if a.status == Status.DONE:
        return ValidationError(_("This task is already done; its progress can no longer change."))
    return ValidationError(_("You reported that this task cannot be done; it is closed."))


@transaction.atomic
def assignment_acknowledge(*, actor, assignment: Assignment) -> Assignment:
    """ "Đã nhận". Again (a retried tap) changes nothing."""
    a = _lock_for_work(assignment)
    if a.status != Status.UNREAD:
        if a.seen_version != a.directive.version:
            a.seen_version = a.directive.version
            a.save(update_fields=["seen_version"])
            pagecache.bump(a.area)  # the inbox no longer flags it as changed (no audit: a read)
        return a
    before = snapshot(a, ASSIGNMENT_FIELDS)
    a.status = Status.ACKNOWLEDGED
    a.acknowledged_at = timezone.now()
    _record(actor, a, Report.Kind.ACKNOWLEDGE, audit.ASSIGNMENT_ACKNOWLEDGED, before)
    return a


def _percent(value) -> int:
    try:
        percent = int(value)
    except (TypeError, ValueError):
        percent = -1
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Enter a whole number from 0 to 100.")})
    return percent


@transaction.atomic
def assignment_progress(*, actor, assignment: Assignment, percent, note: str = "") -> Assignment:
    a = _lock_for_work(assignment)
    if a.status in CLOSED:
        raise _closed_error(a)
    percent = _percent(percent)
    errors: dict = {}
    note = _clean_text(note, field_name="note", required=False, max_length=1000, errors=errors)
    if errors:
        raise ValidationError(errors)
    before = snapshot(a, ASSIGNMENT_FIELDS)
    if a.acknowledged_at is None:
        a.acknowledged_at = timezone.now()
    a.status = Status.IN_PROGRESS
    a.percent = percent
    a.note = note
    _record(
        actor,
        a,
        Report.Kind.PROGRESS,
        audit.ASSIGNMENT_PROGRESSED,
        before,
        percent=percent,
        note=note,
    )
    return a


@transaction.atomic
def assignment_note_notice(*, actor, assignment: Assignment, notice_title: str, households: int):
    """A notice published for this task counts as progress: the task is in progress (acknowledged
    if it was unread), its percentage unchanged, with a report naming the notice. A task closed
    meanwhile is left as it is (publishing the notice must not fail because of it)."""
    a = _lock_for_work(assignment)
    if a.status in CLOSED:
        return a
    before = snapshot(a, ASSIGNMENT_FIELDS)
    if a.acknowledged_at is None:
        a.acknowledged_at = timezone.now()
    a.status = Status.IN_PROGRESS
    with translation.override(settings.LANGUAGE_CODE):
        a.note = _("Notice “%(title)s” sent to %(households)s households.") % {
            "title": notice_title[:200],
            "households": households,
        }
    _record(
        actor,
        a,
        Report.Kind.PROGRESS,
        audit.ASSIGNMENT_NOTIFIED,
        before,
        percent=a.percent,
        note=a.note,
    )
    return a


@transaction.atomic
def assignment_complete(
    *, actor, assignment: Assignment, note: str, households_reached=None, files=()
) -> Assignment:
    """ "Hoàn thành", with evidence: what was done (required), households reached, photos, files."""
    a = _lock_for_work(assignment)
    if a.status in CLOSED:
        raise _closed_error(a)
    errors: dict = {}
    note = _clean_text(note, field_name="note", required=True, max_length=1000, errors=errors)
    if households_reached in ("", None):
        households_reached = None
    else:
        try:
            households_reached = int(households_reached)
            if households_reached < 0 or households_reached > 100000:
                raise ValueError
        except (TypeError, ValueError):
            errors["households_reached"] = _(
                "Enter a whole number of households, or leave it empty."
            )
        else:
            recorded = a.area.household_count
            if recorded and households_reached > recorded:
                errors["households_reached"] = _(
                    "%(area)s has %(n)s households: the households reached cannot be more."
                ) % {"area": a.area.name, "n": f"{recorded:,}".replace(",", ".")}
    checked = _checked_files(files, errors)
    if errors:
        raise ValidationError(errors)
    before = snapshot(a, ASSIGNMENT_FIELDS)
    now = timezone.now()
    if a.acknowledged_at is None:
        a.acknowledged_at = now
    a.status = Status.DONE
    a.percent = 100
    a.note = note
    a.households_reached = households_reached
    a.closed_at = now
    Directive.objects.filter(pk=a.directive_id).update(
        done_count=F("done_count") + 1,
        on_time_count=F("on_time_count")
        + (1 if timezone.localdate() <= a.directive.due_date else 0),
    )
    report = _record(
        actor,
        a,
        Report.Kind.DONE,
        audit.ASSIGNMENT_COMPLETED,
        before,
        percent=100,
        note=note,
        households_reached=households_reached,
    )
    for f, kind in checked:
        Evidence.objects.create(
            report=report,
            file=f,
            name=normalize(uploads.display_name(f))[:120],
            content_type=kind.content_type,
            size=f.size,
        )
    return a


@transaction.atomic
def assignment_decline(*, actor, assignment: Assignment, reason: str) -> Assignment:
    a = _lock_for_work(assignment)
    if a.status in CLOSED:
        raise _closed_error(a)
    errors: dict = {}
    reason = _clean_text(reason, field_name="reason", required=True, max_length=1000, errors=errors)
    if errors:
        raise ValidationError(errors)
    before = snapshot(a, ASSIGNMENT_FIELDS)
    a.status = Status.CANNOT
    a.note = reason
    a.closed_at = timezone.now()
    if a.acknowledged_at is None:
        a.acknowledged_at = a.closed_at
    Directive.objects.filter(pk=a.directive_id).update(cannot_count=F("cannot_count") + 1)
    _record(actor, a, Report.Kind.CANNOT, audit.ASSIGNMENT_DECLINED, before, note=reason)
    return a
