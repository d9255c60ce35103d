from django import template

from caunoi.people.access import Access
from caunoi.territory.models import Level, Unit

from .. import permissions, selectors

register = template.Library()


@register.simple_tag
def my_open_tasks(user):
    """The user's open tasks (by due date), or None when they head no area."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not Access.for_user(user).paths(permissions.WORK):
        return None
    open_items, _closed = selectors.inbox(user)
    return open_items[:10]


@register.simple_tag
def my_follow_links(user):
    """The grounds (commune, district, province) whose tasks the user follows."""
    if not getattr(user, "is_authenticated", False):
        return []
    acc = Access.for_user(user)
    paths = acc.paths(permissions.FOLLOW)
    if not paths or "" in paths:
        return []
    return list(
        Unit.objects.filter(
            path__in=paths, level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]
        ).order_by("level", "code")
    )
