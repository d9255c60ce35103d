"""The thresholds the community funds follow (see caunoi.core.policy)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.policy import rule

DECISION_THRESHOLD = rule(
    "FUNDS_DECISION_THRESHOLD",
    0.5,
    share=True,
    # Every decision: a fund, a campaign or an expense rests only on a decision that passed.
    label=_(
        "Share of all the area's households that must be in favour for a residents' decision "
        "to pass (more than)"
    ),
    # Luật THDCCS 2022 Điều 15, 21–22; NĐ 59/2023; reference/domain.md §9 "decision_threshold".
    basis=_(
        "Luật Thực hiện dân chủ ở cơ sở 2022: a matter residents decide is adopted when more than "
        "half of all households of the area agree (probable reading; to be checked on the text)."
    ),
)
SILENT_DAYS = rule(
    "FUNDS_SILENT_DAYS",
    90,
    label=_("Days without a published entry before a fund is flagged as silent"),
    basis=_("Province practice for the overview: funds are made public at least each quarter."),
)
RULES = [DECISION_THRESHOLD, SILENT_DAYS]
