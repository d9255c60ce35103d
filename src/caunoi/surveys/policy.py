"""The thresholds of the surveys (see caunoi.core.policy): when a unit's results are shown, and how
many wrong one-time codes may be typed before code attempts are refused for the hour."""

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
CODE_TRIES_PER_IP = rule(
    "SURVEY_CODE_TRIES_PER_IP_PER_HOUR",
    30,
    label=_("Wrong survey codes one network address may type in an hour"),
    basis=_(
        "Security practice against guessing the 12-digit codes (many households may share an "
        "address: a commune hall, a mobile network); not a legal rule."
    ),
)
CODE_TRIES_PER_CAMPAIGN = rule(
    "SURVEY_CODE_TRIES_PER_CAMPAIGN_PER_HOUR",
    100,
    label=_("Wrong one-time codes typed on the paper sheets of one campaign in an hour"),
    basis=_(
        "Security practice: a guessed code would use up a household's one answer; not a legal rule."
    ),
)
RULES = [MIN_RESPONSES, CODE_TRIES_PER_IP, CODE_TRIES_PER_CAMPAIGN]
