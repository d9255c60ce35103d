"""The due times and limits of residents' questions (see caunoi.core.policy)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.policy import rule

HEAD_DAYS = rule(
    "FEEDBACK_HEAD_DAYS",
    3,
    label=_("Working days the head has to answer (default for a new category)"),
    basis=_("Commune practice; each category may set its own."),
)
COMMUNE_DAYS = rule(
    "FEEDBACK_COMMUNE_DAYS",
    10,
    label=_("Working days the commune has to answer (default for a new category)"),
    basis=_(
        "Luật Tiếp công dân and Luật Khiếu nại set 10 working days to accept a petition; commune "
        "practice for an answer."
    ),
)
MAX_PER_PHONE_PER_DAY = rule(
    "FEEDBACK_MAX_PER_PHONE_PER_DAY",
    5,
    label=_("Questions accepted from one phone number in 24 hours"),
    basis=_("Protection against abuse; not a legal rule."),
)
MAX_TEXT = rule(
    "FEEDBACK_MAX_TEXT",
    4000,
    label=_("Longest question or answer (characters)"),
    basis=_("Commune practice, so that a question is read whole; not a legal rule."),
)
OPEN311_MAX_PER_KEY_PER_HOUR = rule(
    "OPEN311_MAX_PER_KEY_PER_HOUR",
    200,
    label=_("Reports one Open311 api key may send in an hour"),
    basis=_("Protection against abuse; not a legal rule."),
)
RULES = [HEAD_DAYS, COMMUNE_DAYS, MAX_PER_PHONE_PER_DAY, MAX_TEXT, OPEN311_MAX_PER_KEY_PER_HOUR]
# The rules shown where categories and their due times are kept.
DUE_RULES = [HEAD_DAYS, COMMUNE_DAYS]
