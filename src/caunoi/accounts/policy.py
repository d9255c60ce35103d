"""Sign-in protection (see caunoi.core.policy): the lockout after wrong codes or passwords, and the
limits on asking for one-time codes. All are counted by caunoi.core.ratelimit in fixed windows of
their length."""

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
