"""Every write of the meetings: keyword-only, atomic, audited. The door (views, API) has checked
the permission; these enforce the rules. A refusal names the numbers behind it and changes
nothing."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core import uploads
from caunoi.core.audit import audit_created, audit_record
from caunoi.core.models import locked
from caunoi.core.text import normalize
from caunoi.outreach import services as outreach
from caunoi.outreach.models import Category
from caunoi.territory.models import Household, Unit

from . import arithmetic, audit, documents, policy, selectors
from .models import (
    CHECKLIST,
    MEETING_METHODS,
    Attendance,
    Convener,
    Document,
    Item,
    Kind,
    Meeting,
    Method,
    Status,
)

# How long before its start a meeting may still be planned (a typo of a past date is refused).
PAST_TOLERANCE = datetime.timedelta(hours=1)


def convener_for(kind: str, *, head_is_ctmt_head: bool = False, vacant: bool = False) -> str:
    """Who convenes and chairs (R-4.1; R-2.5.2 for a dismissal; R-3.3.1 for an election)."""
    if kind == Kind.ELECTION:
        return Convener.ELECTION_TEAM
    if kind == Kind.DISMISSAL:
        return Convener.COMMUNE_CHAIR if head_is_ctmt_head else Convener.CTMT_HEAD
    return Convener.ASSIGNED if vacant else Convener.HEAD


def _text(value: str, field: str, message: str, *, max_length: int) -> str:
    value = normalize(value or "")
    if not value:
        raise ValidationError({field: message})
    if len(value) > max_length:
        raise ValidationError({field: _("At most %(n)s characters, please.") % {"n": max_length}})
    return value


def _editable(meeting: Meeting) -> None:
    if meeting.is_recorded:
        raise ValidationError(
            _("This meeting has been recorded: its preparation can no longer change.")
        )


@transaction.atomic
def meeting_create(
    *,
    actor,
    area: Unit,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    place: str,
    convener_name: str,
    head_is_ctmt_head: bool = False,
    vacant: bool = False,
    part_of: Meeting | None = None,
) -> Meeting:
    errors: dict = {}
    if not area.is_area or not area.is_current:
        raise ValidationError(_("Meetings are held by a current residential area."))
    if kind not in Kind.values:
        errors["kind"] = _("Choose the kind of meeting.")
    texts = {}
    for field, value, message, length in (
        ("title", title, _("Write what the meeting is about."), 200),
        ("place", place, _("Write where the meeting is held."), 200),
        ("convener_name", convener_name, _("Write who convenes the meeting."), 120),
    ):
        try:
            texts[field] = _text(value, field, message, max_length=length)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if starts_at is None:
        errors["starts_at"] = _("Enter the date and time of the meeting.")
    elif starts_at < timezone.now() - PAST_TOLERANCE:
        errors["starts_at"] = _("This date and time has passed. A meeting is planned ahead.")
    if kind == Kind.CLUSTER:
        if part_of is None or part_of.area_id != area.pk or part_of.kind == Kind.CLUSTER:
            errors["part_of"] = _("A cluster meeting is part of a meeting of the same area.")
    elif part_of is not None:
        errors["part_of"] = _("Only a cluster meeting is part of another meeting.")
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        area=area,
        kind=kind,
        starts_at=starts_at,
        convener=convener_for(kind, head_is_ctmt_head=head_is_ctmt_head, vacant=vacant),
        **texts,
        part_of=part_of,
        created_by=actor,
    )
    audit_created(
        actor=actor,
        action=audit.MEETING_CREATED,
        obj=meeting,
        unit=area,
        fields=["kind", "title", "starts_at", "place", "convener", "convener_name"],
    )
    return meeting


@transaction.atomic
def item_add(
    *, actor, meeting: Meeting, title: str, kind: str, matter: str = "", text: str = ""
) -> Item:
    _editable(meeting)
    errors: dict = {}
    try:
        title = _text(title, "title", _("Write the agenda item."), max_length=300)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if kind not in Item.Kind.values:
        errors["kind"] = _(
            "Choose whether the item is for the record, for comment or for decision."
        )
    if kind == Item.Kind.DECISION and matter not in Item.Matter.values:
        errors["matter"] = _("Choose the matter the residents decide.")
    if kind != Item.Kind.DECISION:
        matter = ""
    if errors:
        raise ValidationError(errors)
    meeting = locked(meeting)
    last = meeting.items.order_by("-order").values_list("order", flat=True).first() or 0
    item = Item.objects.create(
        meeting=meeting,
        order=last + 1,
        title=title,
        kind=kind,
        matter=matter,
        text=(text or "").strip()[:3000],
    )
    audit_created(
        actor=actor,
        action=audit.ITEM_ADDED,
        obj=item,
        unit=meeting.area,
        fields=["order", "title", "kind", "matter"],
    )
    return item


@transaction.atomic
def document_add(*, actor, meeting: Meeting, file, item: Item | None = None) -> Document:
    _editable(meeting)
    if file is None:
        raise ValidationError({"file": _("Choose a file.")})
    try:
        checked = uploads.check_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": _("This item is not on this meeting's agenda.")})
    if checked.kind == uploads.IMAGE:
        file = uploads.strip_image(file)
    document = Document.objects.create(
        meeting=meeting,
        item=item,
        file=file,
        name=normalize(uploads.display_name(file))[:120],
        kind=checked.kind,
        content_type=checked.content_type,
        size=file.size,
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        action=audit.DOCUMENT_ADDED,
        obj=document,
        unit=meeting.area,
        after={"name": document.name, "kind": document.kind, "size": document.size},
    )
    return document


@transaction.atomic
def checklist_set(*, actor, meeting: Meeting, ticked: list[str]) -> Meeting:
    _editable(meeting)
    keys = {key for key, _label in CHECKLIST}
    unknown = set(ticked) - keys
    if unknown:
        raise ValidationError(
            _("Unknown checklist entries: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}
        )
    before = dict(meeting.checklist)
    meeting.checklist = {key: True for key in sorted(set(ticked))}
    meeting.save(update_fields=["checklist"])
    audit_record(
        actor=actor,
        action=audit.CHECKLIST_TICKED,
        obj=meeting,
        unit=meeting.area,
        before=before,
        after=meeting.checklist,
    )
    return meeting


def invitation_text(meeting: Meeting) -> str:
    local = timezone.localtime(meeting.starts_at)
    lines = [
        _("%(convener)s invites every household's representative to the community meeting.")
        % {"convener": meeting.convener_name},
        _("When: %(time)s, %(date)s.") % {"time": f"{local:%H:%M}", "date": f"{local:%d/%m/%Y}"},
        _("Where: %(place)s.") % {"place": meeting.place},
        _("Agenda:"),
    ]
    lines += [
        f"{item.order}. {item.title} ({item.get_kind_display()})" for item in meeting.items.all()
    ]
    return "\n".join(lines)


@transaction.atomic
def meeting_invite(*, actor, meeting: Meeting) -> Meeting:
    """The invitation as an outreach notice to every household of the area (the channels the
    community chose), with Mẫu 01 attached. Inviting twice invites once."""
    meeting = locked(meeting, "area")
    if meeting.notice_id is not None:
        return meeting
    _editable(meeting)
    if meeting.starts_at < timezone.now():
        raise ValidationError(_("The meeting has begun: it is too late to invite."))
    if not meeting.items.exists():
        raise ValidationError(_("Put at least one item on the agenda before inviting."))
    local = timezone.localtime(meeting.starts_at)
    pdf = SimpleUploadedFile(
        "giay-moi-mau-01.pdf", documents.invitation_pdf(meeting), content_type="application/pdf"
    )
    notice = outreach.notice_create(
        actor=actor,
        unit=meeting.area,
        areas=[meeting.area],
        title=_("Invitation: %(title)s, %(date)s")
        % {"title": meeting.title, "date": f"{local:%d/%m/%Y}"},
        body=invitation_text(meeting),
        category=Category.MEETING,
        is_public=False,
        ends_on=local.date(),
        files=[pdf],
    )
    outreach.notice_publish(actor=actor, notice=notice)
    meeting.notice = notice
    meeting.status = Status.INVITED
    meeting.checklist = {**meeting.checklist, "invitations": True}
    meeting.save(update_fields=["notice", "status", "checklist"])
    audit_record(
        actor=actor,
        action=audit.MEETING_INVITED,
        obj=meeting,
        unit=meeting.area,
        after={"notice": notice.pk, "households": notice.households},
    )
    return meeting


def _on_the_day(meeting: Meeting) -> None:
    today = timezone.localdate()
    if timezone.localtime(meeting.starts_at).date() > today:
        raise ValidationError(
            _("The meeting is on %(date)s: it can be recorded from that day on.")
            % {"date": f"{timezone.localtime(meeting.starts_at):%d/%m/%Y}"}
        )


@transaction.atomic
def attendance_record(
    *,
    actor,
    meeting: Meeting,
    households_present: int | None = None,
    households: list[Household] | None = None,
) -> Meeting:
    """The households represented: ticked on the list (`households`) or typed from the paper
    sheet (`households_present`). Below the quorum the meeting is recorded as not held."""
    meeting = locked(meeting, "area")
    if meeting.is_recorded:
        return meeting  # recorded once: a second sheet does not overwrite the first
    _on_the_day(meeting)
    total = meeting.area.household_count
    if meeting.is_cluster and meeting.part_of_id is not None:
        parent = Meeting.objects.select_for_update().get(pk=meeting.part_of_id)
        if parent.is_recorded:
            raise ValidationError(
                _("The meeting has been counted: its clusters can no longer change.")
            )
    elif meeting.clusters.exists():
        return _attendance_from_clusters(
            actor=actor, meeting=meeting, typed=households_present, ticked=households
        )
    if households:
        if any(h.area_id != meeting.area_id or not h.is_active for h in households):
            raise ValidationError(_("Tick only households of this area."))
        present = len({h.pk for h in households})
    elif households_present is None:
        raise ValidationError(
            {"households_present": _("Tick the households or type their number.")}
        )
    else:
        present = households_present
    if present < 0:
        raise ValidationError({"households_present": _("Enter a number of households.")})
    if present > total:
        raise ValidationError(
            {
                "households_present": _(
                    "%(present)s households represented, but the area has %(total)s households."
                )
                % {"present": present, "total": total}
            }
        )
    if meeting.is_cluster:
        _check_cluster_attendance(meeting, present, {h.pk for h in households or []})
    meeting.households_total = total
    meeting.households_present = present
    if meeting.is_cluster:  # a cluster's quorum is not judged alone: the meeting's sum is
        meeting.status = Status.OPEN
    else:
        meeting.status = Status.OPEN if arithmetic.has_quorum(present, total) else Status.NOT_HELD
    meeting.recorded_at = timezone.now()
    meeting.save(update_fields=["households_total", "households_present", "status", "recorded_at"])
    if households:
        Attendance.objects.bulk_create(
            [
                Attendance(meeting=meeting, household=h)
                for h in {h.pk: h for h in households}.values()
            ]
        )
    audit_record(
        actor=actor,
        action=audit.ATTENDANCE_RECORDED,
        obj=meeting,
        unit=meeting.area,
        after={
            "present": present,
            "total": total,
            "status": meeting.status,
            "ticked": bool(households),
        },
    )
    return meeting


def _check_cluster_attendance(cluster: Meeting, present: int, household_ids: set[int]) -> None:
    """No household twice across the clusters, and no more households than the area has."""
    siblings = Meeting.objects.filter(part_of_id=cluster.part_of_id).exclude(pk=cluster.pk)
    if household_ids:
        twice = (
            Attendance.objects.filter(meeting__in=siblings, household_id__in=household_ids)
            .select_related("household", "meeting")
            .order_by("household__code")
        )
        codes = [f"{a.household.code} ({a.meeting.title})" for a in twice]
        if codes:
            raise ValidationError(
                {
                    "households": _(
                        "Already counted at another cluster's meeting: %(codes)s. A household "
                        "is counted once."
                    )
                    % {"codes": ", ".join(codes)}
                }
            )
    others = sum(s.households_present or 0 for s in siblings)
    total = cluster.area.household_count
    if others + present > total:
        raise ValidationError(
            {
                "households_present": _(
                    "%(present)s here and %(others)s at the other clusters make %(sum)s, but the "
                    "area has %(total)s households."
                )
                % {"present": present, "others": others, "sum": others + present, "total": total}
            }
        )


def _attendance_from_clusters(*, actor, meeting: Meeting, typed, ticked) -> Meeting:
    """A meeting by clusters: its households represented are its clusters' sum (a household
    ticked at two clusters cannot be: `_check_cluster_attendance`)."""
    sums = selectors.cluster_totals(meeting)
    if not sums.complete:
        raise ValidationError(
            _(
                "%(recorded)s of %(clusters)s cluster meetings are recorded: record every "
                "cluster's households first; the meeting adds them up."
            )
            % {"recorded": sums.recorded, "clusters": sums.clusters}
        )
    if ticked or (typed is not None and typed != sums.present):
        raise ValidationError(
            {
                "households_present": _(
                    "This meeting was held by clusters: its households represented are the "
                    "clusters' sum, %(sum)s, not counted again."
                )
                % {"sum": sums.present}
            }
        )
    total = meeting.area.household_count
    meeting.households_total = total
    meeting.households_present = sums.present
    meeting.status = Status.OPEN if arithmetic.has_quorum(sums.present, total) else Status.NOT_HELD
    meeting.recorded_at = timezone.now()
    meeting.save(update_fields=["households_total", "households_present", "status", "recorded_at"])
    audit_record(
        actor=actor,
        action=audit.ATTENDANCE_RECORDED,
        obj=meeting,
        unit=meeting.area,
        after={
            "present": sums.present,
            "total": total,
            "status": meeting.status,
            "clusters": sums.clusters,
        },
    )
    return meeting


def votes_problem(item: Item, votes, present: int) -> str | None:
    """What is wrong with an item's (for, against, abstained) among `present` households, with
    the numbers named; None when they can be."""
    if (
        votes is None
        or len(votes) != 3
        or any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in votes)
    ):
        return _("Item %(order)s: enter for, against and abstained.") % {"order": item.order}
    cast = sum(votes)
    if cast > present:
        return _(
            "Item %(order)s: %(for)s for + %(against)s against + %(abstained)s abstained = "
            "%(cast)s, more than the %(present)s households represented."
        ) % {
            "order": item.order,
            "for": votes[0],
            "against": votes[1],
            "abstained": votes[2],
            "cast": cast,
            "present": present,
        }
    return None


def _count(value, field: str, errors: dict) -> int | None:
    if value is None or not isinstance(value, int) or value < 0:
        errors[field] = _("Enter a number (0 or more).")
        return None
    return value


@transaction.atomic
def results_record(
    *,
    actor,
    meeting: Meeting,
    chair_name: str,
    chair_for: int,
    secretary_name: str,
    secretary_for: int,
    method: str,
    method_for: int,
    results: dict[int, tuple[int, int, int]],
    summaries: dict[int, str] | None = None,
    ended_at: datetime.time | None = None,
    methods: dict[int, str] | None = None,
) -> Meeting:
    """Chair, secretary and voting method (each approved by more than half of those present) and
    every item's for/against/abstained, all or nothing. Decisions are counted against all
    households of the area (R-4.6); the page says which passed.

    `methods` is each voted item's method (show of hands or secret ballot; the meeting's
    `method` by default). A meeting held by clusters takes its items' votes from its clusters'
    sums (`selectors.cluster_totals`): `results` are not typed for it."""
    meeting = locked(meeting, "area")
    if meeting.status == Status.HELD:
        return meeting
    if meeting.status != Status.OPEN:
        raise ValidationError(
            _("Record the households represented first; the meeting needs a quorum.")
        )
    present = meeting.households_present or 0
    errors: dict = {}
    names: dict[str, str] = {}
    for field, name in (("chair_name", chair_name), ("secretary_name", secretary_name)):
        try:
            names[field] = _text(name, field, _("Write the name."), max_length=120)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if method not in Method.values:
        errors["method"] = _("Choose the voting method.")
    procedural: dict[str, int] = {}
    for field, value in (
        ("chair_for", chair_for),
        ("secretary_for", secretary_for),
        ("method_for", method_for),
    ):
        n = _count(value, field, errors)
        if n is None:
            continue
        if n > present:
            errors[field] = _(
                "%(n)s in favour, but only %(present)s households are represented."
            ) % {"n": n, "present": present}
        elif not arithmetic.procedural_passed(n, present):
            needed = arithmetic.needed_more_than(present, policy.PROCEDURAL_SHARE.value)
            errors[field] = _(
                "%(n)s of %(present)s present is not more than half (%(needed)s needed): this was "
                "not approved. Record what the meeting approved."
            ) % {"n": n, "present": present, "needed": needed}
        procedural[field] = n
    items = list(meeting.items.all())
    summaries = summaries or {}
    methods = methods or {}
    if meeting.clusters.exists():
        sums = selectors.cluster_totals(meeting)
        if sums.voted < sums.clusters:
            raise ValidationError(
                _(
                    "%(voted)s of %(clusters)s cluster meetings have recorded their votes: "
                    "record every cluster's votes first; the meeting adds them up."
                )
                % {"voted": sums.voted, "clusters": sums.clusters}
            )
        results = sums.votes
    chosen: dict[int, str] = {}
    for item in items:
        votes = results.get(item.pk)
        if item.kind != Item.Kind.RECORD and votes is not None:
            item_method = methods.get(item.pk) or method
            if item_method not in MEETING_METHODS:
                errors[f"item_{item.pk}_method"] = _(
                    "Item %(order)s: choose show of hands or secret ballot."
                ) % {"order": item.order}
            else:
                chosen[item.pk] = item_method
        if item.kind == Item.Kind.RECORD:
            continue
        if item.kind == Item.Kind.COMMENT and votes is None:
            continue
        problem = votes_problem(item, votes, present)
        if problem:
            errors[f"item_{item.pk}"] = problem
    if errors:
        raise ValidationError(errors)
    meeting.chair_name = names["chair_name"]
    meeting.secretary_name = names["secretary_name"]
    meeting.chair_for = procedural["chair_for"]
    meeting.secretary_for = procedural["secretary_for"]
    meeting.method = method
    meeting.method_for = procedural["method_for"]
    meeting.ended_at = ended_at
    meeting.status = Status.HELD
    meeting.save()
    for item in items:
        votes = results.get(item.pk)
        if votes is not None and item.kind != Item.Kind.RECORD:
            item.votes_for, item.votes_against, item.votes_abstained = votes
            item.method = chosen[item.pk]
        item.summary = (summaries.get(item.pk) or "").strip()[:3000]
    Item.objects.bulk_update(
        items, ["votes_for", "votes_against", "votes_abstained", "method", "summary"]
    )
    audit_record(
        actor=actor,
        action=audit.RESULTS_RECORDED,
        obj=meeting,
        unit=meeting.area,
        after={
            "chair": meeting.chair_name,
            "secretary": meeting.secretary_name,
            "method": method,
            "items": {
                str(i.order): [i.votes_for, i.votes_against, i.votes_abstained, i.method]
                for i in items
            },
            "passed": [i.order for i in items if i.passed],
        },
    )
    return meeting


@transaction.atomic
def minutes_upload(*, actor, meeting: Meeting, file) -> Meeting:
    """The signed paper minutes, scanned or photographed (judged by content; EXIF stripped)."""
    meeting = locked(meeting, "area")
    if meeting.status not in (Status.HELD, Status.NOT_HELD, Status.BALLOTED):
        raise ValidationError(_("Minutes are uploaded after the meeting is recorded."))
    if file is None:
        raise ValidationError({"file": _("Choose a file.")})
    try:
        checked = uploads.check_upload(file, kinds=frozenset({uploads.IMAGE, uploads.PDF}))
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    if checked.kind == uploads.IMAGE:
        file = uploads.strip_image(file)
    meeting.minutes_scan = file
    meeting.minutes_scan_type = checked.content_type
    meeting.save(update_fields=["minutes_scan", "minutes_scan_type"])
    audit_record(
        actor=actor,
        action=audit.MINUTES_UPLOADED,
        obj=meeting,
        unit=meeting.area,
        after={"name": meeting.minutes_scan.name, "type": checked.content_type},
    )
    return meeting
