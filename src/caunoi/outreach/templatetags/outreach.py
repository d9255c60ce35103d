from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("outreach/_unit_section_body.html", takes_context=True)
def outreach_unit_section(context, unit):
    """On an area's public page: its public notices; links to the notices' work for those who
    hold it."""
    from caunoi.people.access import Access

    from .. import permissions as perms

    request = context.get("request")
    acc = Access.for_user(request.user) if request else Access()
    return {
        "unit": unit,
        "notices": selectors.area_public_notices(unit) if unit.level == 4 else [],
        "can_reach": acc.can(perms.REACH, unit),
        "can_publish": unit.is_current and acc.can(perms.PUBLISH, unit) and unit.level in (3, 4),
    }


@register.inclusion_tag("outreach/_home_body.html", takes_context=True)
def outreach_home(context):
    request = context.get("request")
    user = request.user if request else None
    households = selectors.resident_households(user)
    unread = 0
    if households:
        unread = selectors.household_notices(households[0]).filter(read_at__isnull=True).count()
    work = []
    for m in context.get("mandates") or []:
        if m.unit is not None and m.role in WORK_ROLES:
            work.append(m.unit)
    return {"households": households, "unread": unread, "work": work}


WORK_ROLES = {"head", "deputy_head", "commune_officer", "commune_leader"}
