"""The heads' terms, profile and allowance rules (see caunoi.core.policy). The sign-in rules are in
caunoi.accounts.policy."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.policy import rule

HEAD_TERM_MONTHS = rule(
    "HEAD_TERM_MONTHS",
    60,
    label=_("Length of a head's term (months)"),
    basis=_(
        "2.5 or 5 years as the provincial People's Committee decides (TT 04/2012 Điều 12 khoản 2, "
        "amended by TT 14/2018)."
    ),
)
HEAD_TERM_ENDING_ALERT_DAYS = rule(
    "HEAD_TERM_ENDING_ALERT_DAYS",
    90,
    label=_("Days before a term ends when the commune is alerted"),
    basis=_("Commune practice: time to prepare the election (NĐ 59/2023 Điều 6)."),
)
HEAD_TEMPORARY_MAX_MONTHS = rule(
    "HEAD_TEMPORARY_MAX_MONTHS",
    6,
    label=_("Longest a temporary head may serve (months)"),
    basis=_("TT 14/2018 (amending TT 04/2012)."),
)
HEAD_VACANCY_ELECTION_DAYS = rule(
    "HEAD_VACANCY_ELECTION_DAYS",
    60,
    label=_("Days within which a vacant post must be filled by election"),
    basis=_("NĐ 59/2023 Điều 9 khoản 3."),
)
HEAD_MIN_AGE = rule(
    "HEAD_MIN_AGE",
    21,
    label=_("Youngest age of a head"),
    basis=_("TT 04/2012 Điều 11 (a 2023 draft proposed 18)."),
)
ALLOWANCE_LARGE_AREA_HOUSEHOLDS = rule(
    "ALLOWANCE_LARGE_AREA_HOUSEHOLDS",
    350,
    label=_("Households from which an area counts as large (allowances)"),
    basis=_("NĐ 33/2023 Điều 34 khoản 2."),
)
# The rules each page applies, shown on it (core/_rules.html).
REGISTER_RULES = [
    HEAD_TERM_MONTHS,
    HEAD_TERM_ENDING_ALERT_DAYS,
    HEAD_TEMPORARY_MAX_MONTHS,
    HEAD_VACANCY_ELECTION_DAYS,
    ALLOWANCE_LARGE_AREA_HOUSEHOLDS,
]
PROFILE_RULES = [HEAD_MIN_AGE, HEAD_TERM_MONTHS]
ALLOWANCE_RULES = [ALLOWANCE_LARGE_AREA_HOUSEHOLDS]
