"""The elections' permissions and their `access_<entity>()` functions. The commune decides,
records the count (for the election team, whose leader is not a Cầu Nối role) and recognises;
the area's households and those above read."""

from typing import Any

from django.http import Http404

from caunoi.people import access
from caunoi.people.access import Permission
from caunoi.people.models import Role

from .models import Election, Leaving

# Deciding an election, its candidates, its count, recognising it; a head leaving office. Not the
# head: the head may be a candidate.
DECIDE = Permission("elections.decide", Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER)
READ = Permission(
    "elections.read",
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
FOLLOW = Permission(
    "elections.follow",
    Role.COMMUNE_OFFICER,
    Role.COMMUNE_LEADER,
    Role.DISTRICT_OFFICER,
    Role.PROVINCE_OFFICER,
    Role.SYSADMIN,
)


def access_election(*, user: Any, pk: int, perm: Permission) -> Election:
    election = (
        Election.objects.filter(pk=pk).select_related("area__parent", "meeting", "winner").first()
    )
    if election is None:
        raise Http404
    access.check(user, perm, election.area)
    return election


def access_leaving(*, user: Any, pk: int, perm: Permission) -> Leaving:
    leaving = Leaving.objects.filter(pk=pk).select_related("area__parent", "meeting").first()
    if leaving is None:
        raise Http404
    access.check(user, perm, leaving.area)
    return leaving
