"""Meetings by residential cluster (họp cụm dân cư, R-4.1, R-4.9): the head authorises a chair
for each cluster's sub-meeting; each sub-meeting records the households it gathered and its votes
on the meeting's items; the meeting's own figures are their sums, for the quorum and for every
decision (against all households of the area, as ever).

Never counted twice: a household ticked at one cluster cannot be ticked at another, typed counts
together cannot exceed the area's households (`services.attendance_record`), a cluster records
once, and the meeting adds its clusters up (`selectors.cluster_totals`) rather than taking a count
of its own beside them. This module builds on `services` (a cluster is a meeting it makes);
`services` does not import it."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core.audit import audit_record
from caunoi.core.models import locked

from . import audit, services
from .models import ClusterResult, Convener, Item, Kind, Meeting, Status


def cluster_list(*, meeting: Meeting) -> list[Meeting]:
    return list(meeting.clusters.order_by("starts_at", "id"))


@transaction.atomic
def cluster_authorise(
    *,
    actor,
    meeting: Meeting,
    title: str,
    starts_at: datetime.datetime,
    place: str,
    chair_name: str,
) -> Meeting:
    """The head authorises `chair_name` to chair a cluster's sub-meeting of `meeting`."""
    meeting = locked(meeting, "area")
    if meeting.kind == Kind.CLUSTER:
        raise ValidationError(_("A cluster meeting is part of a meeting of the same area."))
    if meeting.is_recorded:
        raise ValidationError(
            _("This meeting has been recorded: its preparation can no longer change.")
        )
    cluster = services.meeting_create(
        actor=actor,
        area=meeting.area,
        kind=Kind.CLUSTER,
        title=title,
        starts_at=starts_at,
        place=place,
        convener_name=chair_name,
        part_of=meeting,
    )
    cluster.convener = Convener.AUTHORISED
    cluster.authorised_by = actor
    cluster.authorised_at = timezone.now()
    cluster.save(update_fields=["convener", "authorised_by", "authorised_at"])
    audit_record(
        actor=actor,
        action=audit.CLUSTER_AUTHORISED,
        obj=cluster,
        unit=meeting.area,
        after={"meeting": meeting.pk, "chair": cluster.convener_name},
    )
    return cluster


@transaction.atomic
def cluster_results_record(
    *, actor, cluster: Meeting, results: dict[int, tuple[int, int, int]]
) -> Meeting:
    """The cluster's for/against/abstained on each item of the meeting voted on, all or nothing;
    recorded once."""
    cluster = locked(cluster, "area")
    if cluster.kind != Kind.CLUSTER or cluster.part_of_id is None:
        raise ValidationError(_("Only a cluster meeting is part of another meeting."))
    if cluster.status == Status.HELD:
        return cluster
    if cluster.status != Status.OPEN:
        raise ValidationError(_("Record the households represented at this cluster first."))
    parent = Meeting.objects.get(pk=cluster.part_of_id)
    if parent.status not in (Status.PREPARING, Status.INVITED, Status.OPEN):
        raise ValidationError(_("The meeting has been counted: its clusters can no longer change."))
    present = cluster.households_present or 0
    items = list(parent.items.exclude(kind=Item.Kind.RECORD).order_by("order"))
    errors: dict = {}
    rows = []
    for item in items:
        votes = results.get(item.pk)
        if votes is None and item.kind == Item.Kind.COMMENT:
            continue
        problem = services.votes_problem(item, votes, present)
        if problem or votes is None:
            errors[f"item_{item.pk}"] = problem
            continue
        rows.append(
            ClusterResult(cluster=cluster, item=item, **dict(zip(VOTES, votes, strict=True)))
        )
    if errors:
        raise ValidationError(errors)
    ClusterResult.objects.bulk_create(rows)
    cluster.status = Status.HELD
    cluster.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=audit.CLUSTER_RESULTS_RECORDED,
        obj=cluster,
        unit=cluster.area,
        after={
            "meeting": parent.pk,
            "items": {
                str(r.item.order): [r.votes_for, r.votes_against, r.votes_abstained] for r in rows
            },
        },
    )
    return cluster


VOTES = ("votes_for", "votes_against", "votes_abstained")
