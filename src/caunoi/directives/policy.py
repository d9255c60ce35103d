"""The limits the directives follow, read from settings, each with where it comes from.

Officers see these on the pages where they apply, so nobody mistakes a commune's policy for law.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Rule:
    setting: str
    label: str
    basis: str

    @property
    def value(self) -> int:
        return getattr(settings, self.setting)


MIN_LEAD = Rule(
    "DIRECTIVE_MIN_LEAD_WORKING_DAYS",
    _("Minimum lead time (working days)"),
    _(
        "Commune policy following lesson 5 of the Phú Thọ review: assign work early; not a legal "
        "rule."
    ),
)
MAX_OPEN = Rule(
    "DIRECTIVE_MAX_OPEN_PER_HEAD",
    _("Most open tasks on one head"),
    _("Commune policy against piled-up work (lesson 5); not a legal rule."),
)
BURST_HOURS = Rule(
    "DIRECTIVE_BURST_HOURS",
    _("Burst window (hours)"),
    _("Several tasks to the same head within this window count as a rushed batch."),
)
REMIND = Rule(
    "DIRECTIVE_REMIND_WORKING_DAYS",
    _("Reminder before the due date (working days)"),
    _("Commune practice."),
)
RULES = [MIN_LEAD, MAX_OPEN, BURST_HOURS, REMIND]
