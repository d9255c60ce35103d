"""The rules notices follow (see caunoi.core.policy)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.policy import rule

BROADCAST_DAYS = rule(
    "OUTREACH_BROADCAST_DAYS",
    3,
    label=_("Consecutive days a notice is read on the loudspeaker"),
    basis=_(
        "Luật Thực hiện dân chủ ở cơ sở 2022, Điều 13 khoản 3: what Điều 11 khoản 7–12 lists is "
        "also read on the commune loudspeaker for at least 3 consecutive days."
    ),
)
SMS_MAX_SEGMENTS = rule(
    "OUTREACH_SMS_MAX_SEGMENTS",
    3,
    label=_("Longest SMS a notice may send (segments)"),
    basis=_("Cost control; not a legal rule."),
)
RULES = [BROADCAST_DAYS, SMS_MAX_SEGMENTS]
