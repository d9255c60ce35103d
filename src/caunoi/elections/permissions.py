"""The elections' permissions and their `access_<entity>()` functions. The commune decides,
records the count (for the election team, whose leader is not a Cầu Nối role) and recognises;
the area's households and those above read."""

from typing import Any

from caunoi.meetings import permissions as meetings
from caunoi.people import access
from caunoi.people.access import Permission
from caunoi.people.models import Role

from .models import Election, Leaving

# Deciding an election, its candidates, its count, recognising it; a head leaving office. Not the
# head: the head may be a candidate.
DECIDE = Permission("elections.decide", Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER)
# Reading an election and its documents: whoever reads the area's meetings (its households too).
READ = Permission("elections.read", *meetings.READ.roles)
# The election status of the areas: whoever follows the areas' meetings.
FOLLOW = Permission("elections.follow", *meetings.FOLLOW.roles)


def access_election(*, user: Any, pk: int, perm: Permission) -> Election:
    election = (
        Election.objects.filter(pk=pk).select_related("area__parent", "meeting", "winner").first()
    )
    return access.check_object(user, perm, election, lambda e: e.area)


def access_leaving(*, user: Any, pk: int, perm: Permission) -> Leaving:
    leaving = Leaving.objects.filter(pk=pk).select_related("area__parent", "meeting").first()
    return access.check_object(user, perm, leaving, lambda x: x.area)
