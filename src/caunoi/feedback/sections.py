"""What the feedback app adds to other apps' pages (see caunoi.core.sections): the questions and
answers of a unit's public page, and the signed-in home's answers and questions waiting."""

from caunoi.core.sections import section
from caunoi.people import access

from . import permissions, selectors


@section("unit", "feedback/_unit_section.html", order=30)
def feedback_on_unit(request, unit):
    user = request.user
    can_list = access.can(user, permissions.VIEW, unit)
    can_stats = access.can(user, permissions.STATS, unit)
    if not (unit.is_area or unit.is_commune or can_list or can_stats):
        return None  # a province or district page, for someone who may not see its questions
    return {
        "answers": selectors.request_public_list(unit, limit=5) if unit.is_area else [],
        "can_list": can_list,
        "can_stats": can_stats,
    }


@section("home", "feedback/_home.html", order=40)
def feedback_on_home(request):
    user = request.user
    if not user.is_authenticated:
        return None
    notifications = selectors.notification_unread_list(user)
    waiting = selectors.request_waiting_list(user)
    asked = selectors.request_list_asked_by(user).exists()
    ask_areas = selectors.ask_area_list(user)
    if not (notifications or waiting or asked or ask_areas):
        return None
    return {
        "notifications": notifications,
        "waiting": waiting,
        "asked": asked,
        "ask_areas": ask_areas,
    }
