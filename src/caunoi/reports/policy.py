"""The commendation rules (see caunoi.core.policy and reference/domain.md R-2.5.3, R-6.5): when
proposals and decisions are in time, who may be proposed. The law sets no deadline for heads'
commendation: these are the province's practice, declared so that they can be changed."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.policy import rule

PROPOSE_DAYS = rule(
    "COMMENDATION_PROPOSE_WORKING_DAYS",
    20,
    label=_("Proposals to commend heads for a year: due within (working days after the year ends)"),
    basis=_(
        "Province practice in its emulation rules (quy chế thi đua): Luật Thi đua, khen thưởng "
        "2022 and NĐ 98/2023 set no deadline for heads; lesson 5 of the Phú Thọ review asks for "
        "commendation in time. An example, not a legal rule."
    ),
)
DECIDE_DAYS = rule(
    "COMMENDATION_DECIDE_WORKING_DAYS",
    10,
    label=_("Decision on a proposal: due within (working days after it is submitted)"),
    basis=_(
        "Province practice in its emulation rules (quy chế thi đua); not a legal rule. Lesson 5 "
        "of the Phú Thọ review: commend good heads in time."
    ),
)
REMIND_DAYS = rule(
    "COMMENDATION_REMIND_WORKING_DAYS",
    3,
    label=_("Reminder before a commendation deadline (working days)"),
    basis=_("Commune practice; not a legal rule."),
)
GRADES = rule(
    "COMMENDATION_GRADES",
    ["excellent", "good"],
    label=_("Scorecard grades with which a head may be proposed"),
    basis=_(
        "TT 04/2012/TT-BNV Điều 13 khoản 2: heads who complete their tasks excellently are "
        "praised and commended; the grades are the province's emulation rules."
    ),
)

RULES = [PROPOSE_DAYS, DECIDE_DAYS, REMIND_DAYS, GRADES]
