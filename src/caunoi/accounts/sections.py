"""What accounts adds to others' pages (see caunoi.core.sections): a head's helpers, the places a
helper works on, and the commune's list of heads' helpers."""

from caunoi.core.pagecache import reader_scope
from caunoi.core.sections import section
from caunoi.people import access

from . import selectors


@section("home", "accounts/_home_helpers.html", order=5)
def helpers_on_home(request):
    user = request.user
    if not user.is_authenticated:
        return None
    held = selectors.delegation_list_held(user)
    is_head = bool(selectors.head_mandate_list(user))
    if not held and not is_head:
        return None
    return {"held": held, "is_head": is_head}


@section("unit", "accounts/_unit_helpers.html", order=90)
def helpers_on_commune(request, unit):
    if not unit.is_commune or not access.can(request.user, access.VIEW_AUDIT, unit):
        return None
    return {"unit": unit}


@reader_scope
def helped_areas(person):
    """A helper's signed-in pages read the areas they help in."""
    return [d.area.path for d in selectors.delegation_list_held(person)]
