"""The thresholds of community meetings (see caunoi.core.policy and reference/domain.md §3–4).
Every share is "more than": `count > share × denominator` (caunoi.meetings.arithmetic)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.policy import rule

QUORUM_SHARE = rule(
    "MEETINGS_QUORUM_SHARE",
    0.5,
    share=True,
    label=_(
        "Share of all the area's households that must be represented for a meeting to be "
        "held (more than)"
    ),
    basis=_(
        "NĐ 59/2023 and the legacy NQLT 09/2008 Điều 8: a community meeting proceeds when more "
        "than half of the area's households are represented (probable: the article was not seen)."
    ),
)
PROCEDURAL_SHARE = rule(
    "MEETINGS_PROCEDURAL_SHARE",
    0.5,
    share=True,
    label=_(
        "Share of the representatives present needed to approve the chair, the secretary "
        "and the voting method (more than)"
    ),
    basis=_(
        "NĐ 59/2023 Điều 3 khoản 5 and Điều 7: more than half of the household "
        "representatives present."
    ),
)
DECISION_SHARE = rule(
    "MEETINGS_DECISION_SHARE",
    0.5,
    share=True,
    label=_(
        "Share of all the area's households that must be in favour for a decision to "
        "pass (more than)"
    ),
    basis=_(
        "Luật Thực hiện dân chủ ở cơ sở 2022 Điều 15–16 with NĐ 59/2023: a matter residents decide "
        "is adopted when more than half of all households of the area agree, not of those present "
        "(probable reading; the legacy PL 34/2007 Điều 11–12 said so)."
    ),
)
REGULAR_PER_YEAR = rule(
    "MEETINGS_REGULAR_PER_YEAR",
    2,
    label=_("Regular community meetings a year (mid-year and year-end)"),
    basis=_(
        "The head reports to the community meeting at mid-year and year-end (TT 04/2012 Điều 10 as "
        "amended); TT 04/2012 Điều 9 is recalled as twice a year (unconfirmed)."
    ),
)
READINESS_DAYS = rule(
    "MEETINGS_READINESS_DAYS",
    30,
    label=_("Days ahead the commune's readiness page looks at"),
    basis=_("Cầu Nối's choice for the commune's planning view."),
)
BALLOT_REPORT_WORKDAYS = rule(
    "MEETINGS_BALLOT_REPORT_WORKDAYS",
    5,
    label=_("Working days to send a decision taken by household ballot to the commune"),
    basis=_(
        "NĐ 59/2023 Điều 4 khoản 7: no later than 5 working days after the ballot period ends "
        "(probable: read from the clause label)."
    ),
)
CODE_TRIES_PER_IP = rule(
    "MEETINGS_CODE_TRIES_PER_IP",
    20,
    label=_("Ballot codes tried from one network address in an hour"),
    basis=_("Cầu Nối's protection against guessing the households' codes."),
)
RULES = [
    QUORUM_SHARE,
    PROCEDURAL_SHARE,
    DECISION_SHARE,
    REGULAR_PER_YEAR,
    READINESS_DAYS,
    BALLOT_REPORT_WORKDAYS,
    CODE_TRIES_PER_IP,
]
