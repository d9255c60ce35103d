"""The meetings' permissions (see caunoi.people.access) and the `access_<entity>()` functions that
hand views and API handlers their scoped objects."""

from typing import Any

from caunoi.people import access
from caunoi.people.access import Permission
from caunoi.people.models import Role

from . import selectors
from .models import Ballot, Document, Meeting

# Preparing, inviting and recording: the head and deputy, and the commune (which convenes an
# election or dismissal meeting, or assigns a convener when the post is vacant).
PREPARE = Permission(
    "meetings.prepare", Role.HEAD, Role.DEPUTY_HEAD, Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER
)
# Reading a meeting's page, its invitation, documents and minutes: the area's households too.
READ = Permission(
    "meetings.read",
    Role.RESIDENT,
    Role.HEAD,
    Role.DEPUTY_HEAD,
    Role.INSPECTOR,
    Role.TREASURER,
    Role.COMMUNE_OFFICER,
    Role.COMMUNE_LEADER,
    Role.DISTRICT_OFFICER,
    Role.PROVINCE_OFFICER,
    Role.SYSADMIN,
)
# A household ballot's slips (which households answered, not what) and its tallies, and the
# meeting's decisions through the API: the area's officers and those above, not the residents.
BALLOTS = Permission(
    "meetings.ballots",
    Role.HEAD,
    Role.DEPUTY_HEAD,
    Role.INSPECTOR,
    Role.COMMUNE_OFFICER,
    Role.COMMUNE_LEADER,
    Role.DISTRICT_OFFICER,
    Role.PROVINCE_OFFICER,
    Role.SYSADMIN,
)
# The readiness of the areas' meetings, for the commune and those above.
FOLLOW = Permission(
    "meetings.follow",
    Role.COMMUNE_OFFICER,
    Role.COMMUNE_LEADER,
    Role.DISTRICT_OFFICER,
    Role.PROVINCE_OFFICER,
    Role.SYSADMIN,
)


def access_meeting(*, user: Any, pk: int, perm: Permission) -> Meeting:
    meeting = Meeting.objects.filter(pk=pk).select_related("area__parent", "notice").first()
    return access.check_object(user, perm, meeting, lambda m: m.area)


def access_document(*, user: Any, meeting: Meeting, pk: int) -> Document:
    return access.found(meeting.documents.filter(pk=pk).first())


def access_ballot(meeting: Meeting) -> Ballot:
    """The household ballot of a meeting the caller already has (`access_meeting`); 404 when none
    was opened."""
    return access.found(selectors.ballot_get(meeting=meeting))
