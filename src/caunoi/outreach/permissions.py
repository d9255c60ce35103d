"""The outreach permissions, and the only way views and API handlers get a notice, a channel
decision or a household of a notice (see caunoi.people.access): missing and "not yours" are one
error (404); 403 where the object is on the person's ground but they may not do this."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from caunoi.people import access
from caunoi.people.access import COMMUNE_STAFF, HEADS, OVERSIGHT, Permission
from caunoi.people.models import DelegationKind as Kind
from caunoi.territory.models import Household

from . import selectors
from .models import Attachment, ChannelDecision, Notice

# Write and publish notices, record channels, mark visits, remind.
PUBLISH = Permission("outreach.publish", *HEADS, *COMMUNE_STAFF, delegable=(Kind.PUBLISH,))
# See who was reached and who acknowledged.
REACH = Permission("outreach.reach", *HEADS, *COMMUNE_STAFF, *OVERSIGHT, delegable=(Kind.PUBLISH,))


def access_notice(*, user: Any, pk: int, perm: Permission) -> Notice:
    """A notice for its work pages (publish, reach, remind, mark), with `notice.scope`: its areas
    on which `user` holds `perm` (a commune's notice may reach a head for one area only)."""
    notice = access.found(selectors.notice_get(pk))
    notice.scope = selectors.notice_target_list(notice, user=user, perm=perm)
    if not notice.scope:
        access.check(user, perm, notice.unit)  # 403 on their ground, 404 elsewhere
    return notice


def access_notice_to_read(*, user: Any, pk: int) -> Notice:
    """A notice to read (its page, attachments, print, loudspeaker script), with
    `notice.household` (the user's household it went to, or None) and `notice.reach` (its areas
    on which the user follows the reach). Those who work on it read it even as a draft; anyone
    reads a visible public notice, its households a visible private one. For everyone else it is
    missing: a notice never hints that it exists."""
    notice = access.found(selectors.notice_get(pk))
    notice.household = selectors.notice_household_get(notice, user=user)
    notice.reach = selectors.notice_target_list(notice, user=user, perm=REACH)
    if notice.reach:
        return notice
    if access.can(user, PUBLISH, notice.unit):
        return notice
    if not notice.is_visible:
        raise Http404
    if not notice.is_public and notice.household is None:
        raise Http404
    return notice


def access_attachment(*, user: Any, notice_pk: int, pk: int) -> Attachment:
    """An attachment of a notice the user may read."""
    notice = access_notice_to_read(user=user, pk=notice_pk)
    return access.found(notice.attachments.filter(pk=pk).first())


def access_notice_household(
    *, user: Any, pk: int, code: str, perm: Permission
) -> tuple[Notice, Household]:
    """The notice (from `access_notice`) and a household it went to, in the notice's areas on
    which `user` holds `perm`."""
    notice = access_notice(user=user, pk=pk, perm=perm)
    household = selectors.household_get(code=code, areas=[t.area for t in notice.scope])
    return notice, access.found(household)


def access_channel_decision(*, user: Any, pk: int, perm: Permission) -> ChannelDecision:
    """A channel an area's community chose, if `user` holds `perm` on that area."""
    decision = ChannelDecision.objects.select_related("area").filter(pk=pk).first()
    return access.check_object(user, perm, decision, lambda d: d.area)
