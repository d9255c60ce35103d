"""What the meetings add to other apps' pages (see caunoi.core.sections)."""

from caunoi.core.sections import section
from caunoi.people import access

from . import permissions as perms
from . import selectors


@section("unit", "meetings/_unit_section.html", order=5)
def meetings_on_unit(request, unit):
    """An area's public page: the coming meetings (date, place, agenda) and the results of the
    recorded ones, counts only (no names: the minutes themselves are for the area's households
    and officers). A commune's page, for those who follow it: the way to the readiness view."""
    if unit.is_area:
        return {
            "upcoming": list(selectors.meeting_upcoming(area=unit).prefetch_related("items")[:5]),
            "recorded": selectors.meeting_recorded(area=unit, limit=5),
            "can_read": access.can(request.user, perms.READ, unit),
        }
    if not unit.is_area and access.can(request.user, perms.FOLLOW, unit):
        return {}
    return None


@section("home", "meetings/_home.html", order=5)
def meetings_on_home(request):
    """The coming meetings of the areas where the reader is a household or the head."""
    user = request.user
    if not user.is_authenticated:
        return None
    meetings = selectors.meeting_upcoming_for(user=user)
    return {"meetings": meetings} if meetings else None
