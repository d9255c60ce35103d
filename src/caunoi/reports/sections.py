"""The reports app's sections on other pages (see caunoi.core.sections): an area's public page
shows the commendations its heads consented to show; a head's register entry lists theirs."""

from caunoi.core.sections import section
from caunoi.people import access

from . import permissions, selectors


@section("unit", "reports/_unit_commendations.html", order=60)
def commendations_on_unit(request, unit):
    items = selectors.commendation_list_public_of_area(unit) if unit.is_area else []
    user = request.user
    links = {}
    if user.is_authenticated:
        links = {
            "own": unit.is_area and access.can(user, permissions.COMMEND_OWN, unit),
            "follow": not unit.is_area and access.can(user, permissions.COMMEND_READ, unit),
        }
        links = {k: v for k, v in links.items() if v}
    if not items and not links:
        return None
    return {"items": items, "links": links}


@section("head", "reports/_head_commendations.html", order=50)
def commendations_of_head(request, mandate):
    return {"items": selectors.commendation_list_of_person(mandate.person)}


@section("home", "reports/_home.html", order=90)
def national_on_home(request):
    """The national report's link, for those who read reports over the whole country."""
    user = request.user
    if not user.is_authenticated:
        return None
    if not access.Access.for_user(user).holds_everywhere(permissions.READ):
        return None
    return {"national": True}
