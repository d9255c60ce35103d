"""The rules of electing a head and of leaving office (NĐ 59/2023 Điều 6–9; reference/domain.md
§2.5–2.6, §3). Each lead time is "no later than N days before the election day": a date passes
when `date <= election_day - N days`. Shares are exact fractions (caunoi.meetings.arithmetic)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.policy import rule

PLAN_LEAD_DAYS = rule(
    "ELECTION_PLAN_LEAD_DAYS",
    20,
    label=_(
        "Days before the election day the commune decides the election and its plan (at least)"
    ),
    basis=_("NĐ 59/2023 Điều 6 khoản 1: the plan no later than 20 days before the election."),
)
TEAM_LEAD_DAYS = rule(
    "ELECTION_TEAM_LEAD_DAYS",
    10,
    label=_("Days before the election day the election team is set up (at least)"),
    basis=_("NĐ 59/2023 Điều 6 khoản 2: the election team no later than 10 days before."),
)
NOTICE_LEAD_DAYS = rule(
    "ELECTION_NOTICE_LEAD_DAYS",
    7,
    label=_("Days before the election day the decisions are announced to residents (at least)"),
    basis=_(
        "NĐ 59/2023 Điều 6 khoản 3: posted at the cultural house and on the loudspeaker no "
        "later than 7 days before."
    ),
)
LIST_LEAD_DAYS = rule(
    "ELECTION_LIST_LEAD_DAYS",
    15,
    label=_("Days before the election day the candidate list reaches the commune (at least)"),
    basis=_(
        "NĐ 59/2023 Điều 6 as explained by the Ministry of Home Affairs' guidance (probable: "
        "read from a press paraphrase, the clause was not seen)."
    ),
)
MIN_CANDIDATES = rule(
    "ELECTION_MIN_CANDIDATES",
    1,
    label=_("Candidates on the Front work committee's list (at least)"),
    basis=_("NĐ 59/2023 Điều 6 khoản 4: the list agreed with the party cell has at least one."),
)
WIN_SHARE = rule(
    "ELECTION_WIN_SHARE",
    0.5,
    share=True,
    label=_("Share of all the area's households a candidate needs to be elected (more than)"),
    basis=_(
        "NĐ 59/2023 Điều 7 with the legacy NQLT 09/2008: more than half; the denominator is all "
        "households of the area, not the votes cast (probable; the denominator is unconfirmed)."
    ),
)
COUNTING_BOARD_MIN = rule(
    "ELECTION_COUNTING_BOARD_MIN",
    3,
    label=_("Members of the counting board (at least)"),
    basis=_("NĐ 59/2023 Điều 7: a counting board of 3 to 5 people."),
)
COUNTING_BOARD_MAX = rule(
    "ELECTION_COUNTING_BOARD_MAX",
    5,
    label=_("Members of the counting board (at most)"),
    basis=_("NĐ 59/2023 Điều 7: a counting board of 3 to 5 people."),
)
RE_ELECTION_DAYS = rule(
    "ELECTION_RE_ELECTION_DAYS",
    15,
    label=_("Days after a failed election within which the re-election is held"),
    basis=_(
        "The legacy NQLT 09/2008: re-election no later than 15 days after the first; kept as a "
        "default (unconfirmed under NĐ 59/2023)."
    ),
)
FAILED_ROUNDS = rule(
    "ELECTION_FAILED_ROUNDS_BEFORE_TEMPORARY",
    2,
    label=_("Failed rounds after which the commune chair appoints a temporary head"),
    basis=_(
        "Practice reported in Hải Dương 2024–25 after two failed rounds; NĐ 59/2023 Điều 9 "
        "khoản 3 (a temporary head while the post is vacant). Probable."
    ),
)
RECOGNITION_WORKDAYS = rule(
    "ELECTION_RECOGNITION_WORKDAYS",
    4,
    label=_("Working days after the election for the commune chair's recognition decision"),
    basis=_(
        "NĐ 59/2023 Điều 8: the commune chair recognises the result (the 4 working days are "
        "recalled from the legacy rule, unconfirmed)."
    ),
)
PETITION_SHARE = rule(
    "ELECTION_DISMISSAL_PETITION_SHARE",
    0.5,
    share=True,
    label=_("Share of households whose petition starts a dismissal (at least)"),
    basis=_(
        "NĐ 59/2023 Điều 9 khoản 1 điểm b: at least half of the households (ít nhất 50 phần "
        "trăm), not more than half."
    ),
)
DISMISSAL_SHARE = rule(
    "ELECTION_DISMISSAL_SHARE",
    0.5,
    share=True,
    label=_(
        "Share of all the area's households that must agree to a head leaving office (more than)"
    ),
    basis=_(
        "NĐ 59/2023 Điều 9: the community meeting decides; the threshold was not seen and is "
        "taken as for other community decisions (R-4.6, unconfirmed)."
    ),
)
TIMELINE_RULES = [PLAN_LEAD_DAYS, TEAM_LEAD_DAYS, NOTICE_LEAD_DAYS, LIST_LEAD_DAYS]
COUNT_RULES = [WIN_SHARE, COUNTING_BOARD_MIN, COUNTING_BOARD_MAX]
RESULT_RULES = [RE_ELECTION_DAYS, FAILED_ROUNDS, RECOGNITION_WORKDAYS]
LEAVING_RULES = [PETITION_SHARE, DISMISSAL_SHARE]
RULES = TIMELINE_RULES + [MIN_CANDIDATES] + COUNT_RULES + RESULT_RULES + LEAVING_RULES
