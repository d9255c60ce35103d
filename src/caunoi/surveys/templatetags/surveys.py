"""{{ share|x100 }} → "61.90" (a number for SVG coordinates, never shown as text);
{% surveys_home %} and {% surveys_unit unit %} for the home page and the public unit pages."""

from django import template
from django.utils import timezone

from caunoi.core.templatetags import caunoi as caunoi_tags

register = template.Library()


@register.filter
def x100(value) -> str:
    return f"{float(value or 0) * 100:.2f}"


@register.filter
def y(index, step=40) -> int:
    return int(index) * int(step)


@register.inclusion_tag("surveys/_home_list.html", takes_context=True)
def surveys_home(context):
    from caunoi.people.models import Mandate, Role

    from .. import selectors
    from ..models import Campaign

    user = context["request"].user
    today = timezone.localdate()
    visible = list(selectors.campaigns_visible(user)[:5]) if user.is_authenticated else []
    to_answer = []
    if user.is_authenticated:
        from django.db.models import Q

        from ..services import household_answered

        for mandate in (
            Mandate.objects.active()
            .filter(person=user, role=Role.RESIDENT, household__isnull=False)
            .select_related("household__area")
        ):
            household = mandate.household
            ids = [int(p) for p in household.area.path.strip("/").split("/") if p]
            for campaign in Campaign.objects.filter(
                Q(unit_id__in=ids) | Q(unit__isnull=True), start__lte=today, end__gte=today
            ):
                if not household_answered(campaign=campaign, household=household):
                    to_answer.append(campaign)
    return {"visible": visible, "to_answer": to_answer}


# A share as a Vietnamese percentage, rounded: 0.61896 → 61,9%.
share = register.filter("share", caunoi_tags.pct)
