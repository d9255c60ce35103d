"""The heads' terms and profile rules, and sign-in protection (see caunoi.core.policy). The sign-in
limits are counted by caunoi.core.ratelimit in fixed windows of their length."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.policy import rule

SIGNIN_MAX_FAILURES = rule(
    "SIGNIN_MAX_FAILURES",
    5,
    label=_("Wrong codes or passwords before a phone or account is locked"),
    basis=_("Security practice (OWASP authentication guidance); not a legal rule."),
)
SIGNIN_LOCK_MINUTES = rule(
    "SIGNIN_LOCK_MINUTES",
    15,
    label=_("Minutes in which wrong codes or passwords are counted (a lock lasts until they end)"),
    basis=_("Security practice; not a legal rule."),
)
OTP_TTL_MINUTES = rule(
    "OTP_TTL_MINUTES",
    5,
    label=_("Minutes a one-time code stays valid"),
    basis=_("Security practice; not a legal rule."),
)
OTP_RESEND_SECONDS = rule(
    "OTP_RESEND_SECONDS",
    60,
    label=_("Seconds in which one phone is sent at most one code"),
    basis=_("Cost and abuse control; not a legal rule."),
)
OTP_MAX_PER_HOUR = rule(
    "OTP_MAX_PER_HOUR",
    5,
    label=_("One-time codes one phone may ask for in an hour"),
    basis=_("Cost and abuse control; not a legal rule."),
)
OTP_MAX_PER_IP_PER_HOUR = rule(
    "OTP_MAX_PER_IP_PER_HOUR",
    30,
    label=_("One-time codes one network address may ask for in an hour"),
    basis=_("Cost and abuse control (many households may share an address); not a legal rule."),
)
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
