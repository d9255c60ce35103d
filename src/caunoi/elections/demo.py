"""The demo's elections in xã Đồng Xuân, built through the services like real use:

* one completed election, recognised by the commune chair (the head re-elected: the mandate
  restarts on the day of recognition);
* one whose first round failed as in the Q&A case (216 of 310 households represented, 210 valid
  ballots, 110 votes for the leading candidate: 35.5 % of all households, not elected), scaled to
  the area's real households, and was re-run: the second round elected a head, who awaits the
  commune's recognition;
* one whose round failed and that still needs the commune's re-election decision;
* one decided by the commune, its candidate list being drawn up.

Past elections are decided as if ahead and then moved to their day (a replay: `election_decide`
refuses a past election day)."""

from __future__ import annotations

import datetime

from django.db.models import F
from django.utils import timezone

from caunoi.meetings.models import Meeting
from caunoi.people.models import Mandate, Role
from caunoi.territory.models import Level, Unit

from . import services
from .models import ELIGIBILITY, Election

ELIGIBLE = [k for k, _label in ELIGIBILITY]
PHONES = iter(f"0986{n:06d}" for n in range(100_000, 999_999))


def _move(election: Election, day: datetime.date) -> Election:
    """Move an election decided ahead to `day` (its whole timeline with it)."""
    shift = election.election_day - day
    Election.objects.filter(pk=election.pk).update(
        election_day=day,
        decided_on=F("decided_on") - shift,
        team_on=F("team_on") - shift,
        notice_on=F("notice_on") - shift,
        list_due_on=F("list_due_on") - shift,
        published_on=F("published_on") - shift,
        created_at=F("created_at") - shift,
    )
    Meeting.objects.filter(pk=election.meeting_id).update(
        starts_at=F("starts_at") - shift, created_at=F("created_at") - shift
    )
    election.refresh_from_db()
    election.meeting.refresh_from_db()
    return election


def _decided(*, actor, area: Unit, candidates: list[tuple[str, str]], publish=True) -> Election:
    today = timezone.localdate()
    day = today + datetime.timedelta(days=25)
    election = services.election_decide(
        actor=actor,
        area=area,
        reason="term_end",
        decision_number=f"{100 + area.pk % 200}/QĐ-UBND",
        decided_on=today,
        team_on=day - datetime.timedelta(days=12),
        list_due_on=day - datetime.timedelta(days=16),
        notice_on=day - datetime.timedelta(days=8),
        election_day=day,
        team_leader="Nguyễn Văn Thành",
        team_members="Đỗ Thị Hằng\nPhan Văn Khải\nLưu Thị Thu",
        place=f"Nhà văn hóa {area.short_name}",
        at=datetime.time(8, 0),
    )
    for name, phone in candidates:
        services.candidate_add(
            actor=actor,
            election=election,
            full_name=name,
            phone=phone,
            birth_year=today.year - 52,
            nominated="ctmt",
            eligibility=ELIGIBLE,
        )
    if publish:
        services.list_publish(actor=actor, election=election)
    return election


def _count(*, actor, election: Election, present: int, valid: int, votes: list[int]) -> Election:
    return services.election_count(
        actor=actor,
        election=election,
        households_present=present,
        method="ballot",
        counting_board="Trần Văn Hùng\nNguyễn Thị Mai\nHoàng Văn Đức",
        board_for=present,
        ballots_issued=present,
        ballots_returned=present,
        ballots_valid=valid,
        ballots_invalid=present - valid,
        votes=dict(zip([c.pk for c in election.candidates.all()], votes, strict=True)),
    )


def _q_and_a_case(total: int) -> tuple[int, int, list[int]]:
    """The Q&A's 310 / 216 / 210 / 110 scaled to `total` households: present, valid, votes."""
    present = max(total // 2 + 1, round(total * 216 / 310))
    valid = min(present, max(1, round(total * 210 / 310)))
    lead = min(valid, round(total * 110 / 310))
    while 2 * lead > total:
        lead -= 1
    return present, valid, [lead, valid - lead]


def build(*, log=print) -> None:
    dong_xuan = Unit.objects.filter(level=Level.COMMUNE, short_name="Đồng Xuân").first()
    if dong_xuan is None:
        return
    officer = (
        Mandate.objects.active()
        .filter(unit=dong_xuan, role=Role.COMMUNE_OFFICER)
        .select_related("person")
        .first()
    )
    if officer is None:
        return
    actor = officer.person
    heads = {
        m.unit_id: m
        for m in Mandate.objects.active()
        .filter(unit__parent=dong_xuan, role=Role.HEAD)
        .select_related("person")
    }
    # Khu 1 keeps its demo head (the head's account); the elections are in the next areas.
    areas = [
        a
        for a in Unit.objects.filter(
            parent=dong_xuan, level=Level.AREA, valid_to__isnull=True
        ).order_by("code")[1:]
        if a.household_count >= 4
    ]
    today = timezone.localdate()
    made = []
    if areas and areas[0].pk in heads:  # completed and recognised: the head re-elected
        area, head = areas[0], heads[areas[0].pk]
        e = _decided(
            actor=actor,
            area=area,
            candidates=[(head.person.full_name, head.person.phone), ("Đào Văn Lâm", next(PHONES))],
        )
        e = _move(e, today - datetime.timedelta(days=45))
        total = area.household_count
        present = total * 3 // 4 + 1
        winner = min(present, total // 2 + 1 + total // 10)
        e = _count(actor=actor, election=e, present=present, valid=present,
                   votes=[winner, present - winner])  # fmt: skip
        if head.start < e.election_day + datetime.timedelta(days=2):
            services.election_recognise(
                actor=actor,
                election=e,
                recognition_number=f"{150 + area.pk % 100}/QĐ-UBND",
                recognised_on=e.election_day + datetime.timedelta(days=2),
                signed_by="Phạm Văn Quang",
            )
        made.append(area.short_name)
    if len(areas) > 1:  # the Q&A case, then re-run: elected, awaiting recognition
        area = areas[1]
        e = _decided(
            actor=actor,
            area=area,
            candidates=[("Lê Văn Toàn", next(PHONES)), ("Ngô Thị Bích", next(PHONES))],
        )
        e = _move(e, today - datetime.timedelta(days=5))
        present, valid, votes = _q_and_a_case(area.household_count)
        e = _count(actor=actor, election=e, present=present, valid=valid, votes=votes)
        second = services.re_election_decide(
            actor=actor,
            election=e,
            decision_number=f"{160 + area.pk % 100}/QĐ-UBND",
            decided_on=today,
            team_on=today,
            notice_on=today,
            election_day=today + datetime.timedelta(days=8),
            team_leader=e.team_leader,
            team_members=e.team_members,
            place=e.meeting.place,
            at=datetime.time(8, 0),
        )
        services.list_publish(actor=actor, election=second)
        second = _move(second, today - datetime.timedelta(days=1))
        total = area.household_count
        present = total * 4 // 5 + 1
        lead = min(present, total // 2 + 1)
        _count(actor=actor, election=second, present=present, valid=present,
               votes=[lead, present - lead])  # fmt: skip
        made.append(area.short_name)
    if len(areas) > 2:  # a round without a winner: the commune must decide a re-election
        area = areas[2]
        e = _decided(
            actor=actor,
            area=area,
            candidates=[("Trịnh Văn Sang", next(PHONES)), ("Mai Thị Hạnh", next(PHONES))],
        )
        e = _move(e, today - datetime.timedelta(days=3))
        present, valid, votes = _q_and_a_case(area.household_count)
        _count(actor=actor, election=e, present=present, valid=valid, votes=votes)
        made.append(area.short_name)
    if len(areas) > 3:  # decided, the list being drawn up
        _decided(
            actor=actor,
            area=areas[3],
            candidates=[("Vương Văn Tiến", next(PHONES))],
            publish=False,
        )
        made.append(areas[3].short_name)
    log(f"  elections: {len(made)} areas of {dong_xuan.name} ({', '.join(made)})")
