"""The limits the directives follow, each with where it comes from (see caunoi.core.policy).

Officers see these on the pages where they apply, so nobody mistakes a commune's policy for law.
"""

from django.utils.translation import gettext_lazy as _

from caunoi.core.policy import rule

MIN_LEAD = rule(
    "DIRECTIVE_MIN_LEAD_WORKING_DAYS",
    5,
    label=_("Minimum lead time (working days)"),
    basis=_(
        "Commune policy following lesson 5 of the Phú Thọ review: assign work early; not a legal "
        "rule."
    ),
)
MAX_OPEN = rule(
    "DIRECTIVE_MAX_OPEN_PER_HEAD",
    5,
    label=_("Most open tasks on one head"),
    basis=_("Commune policy against piled-up work (lesson 5); not a legal rule."),
)
BURST_HOURS = rule(
    "DIRECTIVE_BURST_HOURS",
    48,
    label=_("Burst window (hours)"),
    basis=_(
        "Commune policy following lesson 5: several tasks to the same head within this window "
        "count as a rushed batch; not a legal rule."
    ),
)
REMIND = rule(
    "DIRECTIVE_REMIND_WORKING_DAYS",
    1,
    label=_("Reminder before the due date (working days)"),
    basis=_("Commune practice."),
)
RULES = [MIN_LEAD, MAX_OPEN, BURST_HOURS, REMIND]
