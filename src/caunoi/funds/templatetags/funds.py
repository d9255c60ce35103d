from django import template

from caunoi.people import access
from caunoi.territory.models import Level

from .. import permissions as perms
from .. import selectors

register = template.Library()


@register.inclusion_tag("funds/_section.html", takes_context=True)
def funds_section(context, unit):
    """The funds' part of a unit's public page: an area's funds and balances; for officers of a
    commune, district or province, the way to the overview."""
    request = context.get("request")
    acc = access.Access.for_user(getattr(request, "user", None))
    data = {"unit": unit, "level": unit.level, "request": request}
    if unit.level == Level.AREA:
        data["funds"] = list(selectors.area_funds(unit))
        data["can_record"] = unit.is_current and acc.can(perms.RECORD, unit)
    else:
        data["can_read"] = acc.can(perms.READ, unit)
    return data


@register.inclusion_tag("funds/_home_section.html", takes_context=True)
def funds_home(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    acc = access.Access.for_user(user)
    return {
        "pending": list(selectors.pending_for_user(user, acc.paths(perms.APPROVE))[:10])
        if user is not None and user.is_authenticated
        else [],
        "households": selectors.households_of_user(user),
        "request": request,
    }
