from django import template

from caunoi.people.access import Access

from .. import permissions as perms
from .. import selectors

register = template.Library()


@register.inclusion_tag("feedback/_unit_section_body.html", takes_context=True)
def feedback_unit_section(context, unit):
    user = context["request"].user
    return {
        "unit": unit,
        "answers": selectors.public_answers(unit, limit=5) if unit.level == 4 else [],
        "can_list": Access.for_user(user).can(perms.VIEW, unit),
        "can_stats": Access.for_user(user).can(perms.STATS, unit),
        "request": context["request"],
    }


@register.inclusion_tag("feedback/_home_body.html", takes_context=True)
def feedback_home(context):
    user = context["request"].user
    return {
        "notifications": selectors.unread_notifications(user),
        "waiting": selectors.waiting_for(user),
        "asked": selectors.my_requests(user).exists(),
        "request": context["request"],
    }
