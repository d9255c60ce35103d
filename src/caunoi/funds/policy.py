"""The thresholds the community funds follow (see caunoi.core.policy).

A fund, a campaign or an expense rests on a residents' decision, and a residents' decision passes
by one rule only: the meetings' `MEETINGS_DECISION_SHARE` (more than that share of all the area's
households in favour; Luật Thực hiện dân chủ ở cơ sở 2022 Điều 15–16 with NĐ 59/2023). A decision
typed in from paper minutes is judged by the same rule and the same exact arithmetic as one
recorded on Cầu Nối (`caunoi.meetings.arithmetic.decision_passed`); there is no funds' own
threshold to drift from it (the former `FUNDS_DECISION_THRESHOLD` is gone)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.policy import rule
from caunoi.meetings.policy import DECISION_SHARE

# The meetings' rule, under the name the funds' pages and services have always used.
DECISION_THRESHOLD = DECISION_SHARE

SILENT_DAYS = rule(
    "FUNDS_SILENT_DAYS",
    90,
    label=_("Days without a published entry before a fund is flagged as silent"),
    basis=_("Province practice for the overview: funds are made public at least each quarter."),
)
RULES = [DECISION_THRESHOLD, SILENT_DAYS]
