"""The directives app's permissions, each naming the roles holding it, and the one way a view or
an API handler gets a directive, an assignment or one of their files (see caunoi.people.access):
a missing object is 404 like someone else's; on one's ground without the right, 403."""

from __future__ import annotations

from typing import Any

from caunoi.people import access
from caunoi.people.access import COMMUNE_STAFF, HEADS, OVERSIGHT, Permission
from caunoi.people.models import DelegationKind as Kind
from caunoi.people.models import Role

from .models import Assignment, Attachment, Directive, Evidence

# Write, send, amend and withdraw a commune's tasks: only the commune's own officers (not the
# district or province).
ISSUE = Permission("directives.issue", *COMMUNE_STAFF, Role.SYSADMIN)
# See a commune's tasks, completion, evidence and the lesson-5 figures: the commune and above.
FOLLOW = Permission("directives.follow", *COMMUNE_STAFF, *OVERSIGHT)
# Acknowledge, report on and finish an area's tasks: its head and deputy.
WORK = Permission("directives.work", *HEADS, delegable=(Kind.PROGRESS,))


def access_directive(
    *, user: Any, pk: int, perm: Permission, commune_code: str | None = None
) -> Directive:
    """The directive with its commune, if `user` holds `perm` on that commune. With
    `commune_code` (the page's address), a directive of another commune is missing."""
    directive = Directive.objects.select_related("commune").filter(pk=pk).first()
    if (
        directive is not None
        and commune_code is not None
        and directive.commune.code != commune_code
    ):
        directive = None
    return access.check_object(user, perm, directive, lambda d: d.commune)


def access_assignment(*, user: Any, pk: int, perm: Permission = WORK) -> Assignment:
    """A sent (or withdrawn) directive's assignment, with its directive, commune and area, if
    `user` holds `perm` on the area. A draft's assignments do not exist for anyone yet."""
    a = (
        Assignment.objects.exclude(directive__state=Directive.State.DRAFT)
        .select_related("directive", "directive__commune", "area")
        .filter(pk=pk)
        .first()
    )
    return access.check_object(user, perm, a, lambda a: a.area)


def _is_recipient(user: Any, directive: Directive) -> bool:
    """`user` works for one of the areas the (sent) directive went to (one query)."""
    if directive.is_draft:
        return False
    ground = access.Access.for_user(user).unit_filter(WORK)
    return directive.assignments.filter(ground).exists()


def access_attachment(*, user: Any, pk: int, directive_pk: int, commune_code: str) -> Attachment:
    """A directive's file: for those who follow its commune and for the heads it was sent to."""
    stored = access.found(
        Attachment.objects.select_related("directive", "directive__commune")
        .filter(pk=pk, directive_id=directive_pk, directive__commune__code=commune_code)
        .first()
    )
    if not _is_recipient(user, stored.directive):
        access.check(user, FOLLOW, stored.directive.commune)
    return stored


def access_evidence(*, user: Any, pk: int, assignment_pk: int) -> Evidence:
    """A photo or file of a head's report: for the area's head and those who follow the
    commune."""
    stored = access.found(
        Evidence.objects.select_related("report__assignment__area", "report__assignment__commune")
        .exclude(report__assignment__directive__state=Directive.State.DRAFT)
        .filter(pk=pk, report__assignment_id=assignment_pk)
        .first()
    )
    a = stored.report.assignment
    if not access.can(user, FOLLOW, a.commune):
        access.check(user, WORK, a.area)
    return stored
