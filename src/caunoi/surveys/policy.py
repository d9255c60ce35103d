"""The thresholds of survey results (see caunoi.core.policy)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.policy import rule

MIN_RESPONSES = rule(
    "SURVEY_MIN_RESPONSES",
    5,
    label=_("Fewest responses before a unit's results are shown"),
    basis=_(
        "Statistical practice: below this, shares say little and could point to one household; "
        "such units count only in the totals above them."
    ),
)
RULES = [MIN_RESPONSES]
