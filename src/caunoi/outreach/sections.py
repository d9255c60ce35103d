"""What outreach adds to other apps' pages (see caunoi.core.sections): a unit's page shows an
area's public notices and, to those who follow them, the way to the notices' work; the signed-in
home page leads a resident to their household's notices and a head or officer to their notices."""

from caunoi.core.sections import section
from caunoi.people import access
from caunoi.people import selectors as people_selectors

from . import permissions as perms
from . import selectors


@section("unit", "outreach/_unit_section.html", order=20)
def outreach_on_unit(request, unit):
    can_reach = access.can(request.user, perms.REACH, unit)
    if not unit.is_area and not can_reach:
        return None
    return {
        "notices": selectors.notice_list_public(area=unit) if unit.is_area else [],
        "can_reach": can_reach,
        "can_publish": (unit.is_area or unit.is_commune)
        and unit.is_current
        and access.can(request.user, perms.PUBLISH, unit),
    }


@section("home", "outreach/_home.html", order=20)
def outreach_on_home(request):
    households = people_selectors.household_list_represented(request.user)
    work = selectors.work_unit_list(request.user)
    if not households and not work:
        return None
    return {
        "households": households,
        "unread": selectors.delivery_unread_count(household=households[0]) if households else 0,
        "work": work,
    }
