"""What the elections add to other apps' pages (see caunoi.core.sections)."""

from caunoi.core.sections import section
from caunoi.people import access

from . import permissions as perms
from .models import Election, Status


@section("unit", "elections/_unit_section.html", order=6)
def elections_on_unit(request, unit):
    """An area's public page: its latest published election (candidates, result). A commune's
    (or higher unit's) page, for those who follow it: the way to the election status."""
    if unit.is_area:
        election = (
            Election.objects.filter(area=unit)
            .exclude(status=Status.DECIDED)
            .select_related("winner")
            .first()
        )
        return {"election": election} if election else None
    if access.can(request.user, perms.FOLLOW, unit):
        return {}
    return None
