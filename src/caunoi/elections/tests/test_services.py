"""The election's rules: the timeline of R-3.1, candidates, the count of R-3.6.1 (the worked case
310 / 216 / 210 / 110 and the edges), re-election, temporary head, recognition starting the
mandate, leaving office."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from caunoi.core.audit import AuditEntry
from caunoi.elections import deadlines, services
from caunoi.elections.models import Election, Leaving, Status
from caunoi.meetings.models import Meeting
from caunoi.meetings.models import Status as MeetingStatus
from caunoi.people.models import Mandate, Role, TermState

from .conftest import arrive, ballot, candidate, decide, households, ready, timeline

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_the_timeline_is_checked_against_the_lead_times(world):
    day = TODAY() + datetime.timedelta(days=25)
    problems = services.timeline_problems(
        decided_on=day - datetime.timedelta(days=19),
        team_on=day - datetime.timedelta(days=10),  # exactly 10 days: on time
        notice_on=day - datetime.timedelta(days=6),
        list_due_on=day - datetime.timedelta(days=14),
        election_day=day,
    )
    assert set(problems) == {"decided_on", "notice_on", "list_due_on"}
    assert "20 days" in problems["decided_on"] and "NĐ 59/2023 Điều 6" in problems["decided_on"]
    # Too late is refused with the rule and its basis; nothing is created.
    with pytest.raises(ValidationError) as exc:
        decide(world, election_day=TODAY() + datetime.timedelta(days=15))
    assert "decided_on" in exc.value.message_dict
    assert "no later than" in exc.value.message_dict["decided_on"][0]
    assert not Election.objects.exists() and not Meeting.objects.exists()


def test_decide_makes_an_election_meeting_chaired_by_the_team(world):
    e = decide(world)
    assert e.meeting.kind == "election" and e.meeting.convener == "election_team"
    assert e.meeting.convener_name == "Nguyễn Văn Tổ"
    assert AuditEntry.objects.filter(action="elections.election.decided").count() == 1
    with pytest.raises(ValidationError, match="already has an election"):
        decide(world)
    with pytest.raises(ValidationError):
        decide(world, area=world.commune_a)
    with pytest.raises(ValidationError) as exc:
        decide(world, decision_number="  ", team_leader="x" * 121)
    assert {"decision_number", "team_leader"} <= set(exc.value.message_dict)


def test_candidates_follow_the_rules(world):
    e = decide(world)
    young = e.election_day.year - 20
    with pytest.raises(ValidationError) as exc:
        candidate(world, e, birth_year=young, eligibility=["health"])
    assert {"birth_year", "eligibility"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError, match="election team"):
        candidate(world, e, name="Le Van Hai")  # a team member, typed without the marks
    with pytest.raises(ValidationError, match="at the election meeting"):
        candidate(world, e, nominated="self")  # not before the day
    with pytest.raises(ValidationError):
        candidate(world, e, phone="12")
    c = candidate(world, e, name="Hoa\u0300ng Văn Sơn")  # NFD typed
    assert c.full_name == "Hoàng Văn Sơn"
    with pytest.raises(ValidationError, match="already a candidate"):
        candidate(world, e)
    assert e.candidates.count() == 1


def test_publishing_needs_a_candidate_and_is_once(world):
    e = decide(world)
    with pytest.raises(ValidationError, match="at least 1"):
        services.list_publish(actor=world.officer_a, election=e)
    candidate(world, e)
    services.list_publish(actor=world.officer_a, election=e)
    services.list_publish(actor=world.officer_a, election=e)
    e.refresh_from_db()
    assert e.status == Status.PUBLISHED
    assert AuditEntry.objects.filter(action="elections.list.published").count() == 1
    with pytest.raises(ValidationError, match="published"):
        candidate(world, e, name="Người Thứ Hai", phone="0912000777")


def test_publishing_after_the_list_was_due_is_refused(world):
    e = decide(world)
    candidate(world, e)
    with pytest.raises(ValidationError, match="was due"):
        services.list_publish(
            actor=world.officer_a, election=e, on=e.list_due_on + datetime.timedelta(days=1)
        )


def test_the_worked_case_310_216_210_110_is_not_elected(world):
    e = ready(world)
    son, lan = e.candidates.all()
    e = services.election_count(
        actor=world.officer_a,
        election=e,
        votes={son.pk: 110, lan.pk: 100},
        **ballot(216, 210, 6),
    )
    # 110 is a majority of the 210 valid ballots but only 35.5 % of the 310 households.
    assert e.status == Status.FAILED and e.winner is None
    assert e.meeting.households_present == 216 and e.meeting.households_total == 310
    assert e.meeting.status == MeetingStatus.OPEN  # the meeting was held (216 > 155)


@pytest.mark.parametrize(
    ("votes", "elected"),
    [(155, False), (156, True)],  # exactly half of 310 is not more than half
)
def test_exactly_half_of_the_households_is_not_enough(world, votes, elected):
    e = ready(world)
    son, lan = e.candidates.all()
    e = services.election_count(
        actor=world.officer_a, election=e, votes={son.pk: votes, lan.pk: 0}, **ballot(200, 200)
    )
    assert (e.winner_id == son.pk) is elected
    assert e.status == (Status.ELECTED if elected else Status.FAILED)


def test_a_tie_elects_nobody():
    assert services.winner_of({1: 100, 2: 100}, 310) is None
    assert services.winner_of({1: 156, 2: 3}, 310) == 1
    assert services.winner_of({1: 0}, 0) is None


@given(
    total=st.integers(min_value=1, max_value=2000),
    votes=st.integers(min_value=0, max_value=2000),
)
def test_the_win_is_more_than_half_of_all_households(total, votes):
    assert (services.winner_of({1: votes}, total) == 1) is (2 * votes > total)


def test_exactly_half_represented_is_no_quorum(world):
    e = ready(world)
    son, lan = e.candidates.all()
    e = services.election_count(
        actor=world.officer_a, election=e, votes={son.pk: 150, lan.pk: 0}, **ballot(155, 150)
    )
    assert e.status == Status.NOT_HELD
    assert e.meeting.status == MeetingStatus.NOT_HELD
    son.refresh_from_db()
    assert son.votes is None


def test_counts_that_cannot_be_are_refused_with_the_numbers(world):
    e = ready(world)
    son, lan = e.candidates.all()
    cases = [
        ({**ballot(311, 200)}, "households_present", "311"),
        ({**ballot(216, 210), "ballots_issued": 217}, "ballots_issued", "217"),
        (
            {**ballot(216, 210), "ballots_returned": 215, "ballots_issued": 214},
            "ballots_returned",
            "215",
        ),
        ({**ballot(216, 200, 6), "ballots_valid": 201}, "ballots_valid", "201"),
        ({**ballot(216, 210), "counting_board": "Ông A\nBà B"}, "counting_board", "2"),
        (
            {**ballot(216, 210), "counting_board": "Ông A\nBà B\nVũ Thị Lan"},
            "counting_board",
            "candidate",
        ),
        ({**ballot(216, 210), "board_for": 108}, "board_for", "108"),
    ]
    for body, field, number in cases:
        with pytest.raises(ValidationError) as exc:
            services.election_count(
                actor=world.officer_a, election=e, votes={son.pk: 100, lan.pk: 100}, **body
            )
        assert field in exc.value.message_dict, (field, exc.value.message_dict)
        assert number in exc.value.message_dict[field][0]
    with pytest.raises(ValidationError) as exc:
        services.election_count(
            actor=world.officer_a, election=e, votes={son.pk: 150, lan.pk: 61}, **ballot(216, 210)
        )
    assert "211" in exc.value.message_dict["votes"][0]
    with pytest.raises(ValidationError):
        services.election_count(
            actor=world.officer_a, election=e, votes={son.pk: -1, lan.pk: 1}, **ballot(216, 210)
        )
    e.refresh_from_db()
    e.meeting.refresh_from_db()
    assert e.status == Status.PUBLISHED and not e.meeting.is_recorded  # nothing half-saved


def test_show_of_hands_counts_against_those_present(world):
    e = ready(world, n_households=10)
    son, lan = e.candidates.all()
    with pytest.raises(ValidationError, match="households represented"):
        services.election_count(
            actor=world.officer_a,
            election=e,
            households_present=7,
            method="hands",
            votes={son.pk: 6, lan.pk: 2},
        )
    e = services.election_count(
        actor=world.officer_a,
        election=e,
        households_present=7,
        method="hands",
        votes={son.pk: 6, lan.pk: 1},
    )
    assert e.winner_id == son.pk and e.ballots_valid is None


def test_counting_before_the_day_or_twice(world):
    households(world.area_a1, 10)
    e = decide(world)
    candidate(world, e)
    services.list_publish(actor=world.officer_a, election=e)
    with pytest.raises(ValidationError, match="from that day"):
        services.election_count(
            actor=world.officer_a,
            election=e,
            households_present=8,
            method="hands",
            votes={e.candidates.get().pk: 8},
        )
    e = arrive(e)
    c = e.candidates.get()
    args = {"households_present": 8, "method": "hands", "votes": {c.pk: 8}}
    services.election_count(actor=world.officer_a, election=e, **args)
    services.election_count(actor=world.officer_a, election=e, **{**args, "votes": {c.pk: 1}})
    c.refresh_from_db()
    assert c.votes == 8
    assert AuditEntry.objects.filter(action="elections.election.counted").count() == 1


def test_recognition_starts_the_mandate_and_ends_the_previous(world):
    old = Mandate.objects.get(person=world.head_a1, role=Role.HEAD)
    e = ready(world, n_households=10, names=("Vũ Thị Lan",))
    lan = e.candidates.get()
    e = services.election_count(
        actor=world.officer_a, election=e, votes={lan.pk: 7}, **ballot(8, 8)
    )
    with pytest.raises(ValidationError):
        services.election_recognise(
            actor=world.officer_a,
            election=e,
            recognition_number="140/QĐ-UBND",
            recognised_on=TODAY() + datetime.timedelta(days=1),
            signed_by="Chủ tịch",
        )
    e = services.election_recognise(
        actor=world.officer_a,
        election=e,
        recognition_number="140/QĐ-UBND",
        recognised_on=TODAY(),
        signed_by="Nguyễn Văn Chủ",
    )
    assert e.status == Status.RECOGNISED
    old.refresh_from_db()
    assert old.end == TODAY()
    new = e.mandate
    assert new.person.full_name == "Vũ Thị Lan" and new.start == TODAY()
    assert new.term_state == TermState.ELECTED and new.decision_number == "140/QĐ-UBND"
    assert list(Mandate.objects.active().filter(unit=world.area_a1, role=Role.HEAD)) == [new]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "people.mandate.ended",
        "people.mandate.created",
        "elections.election.recognised",
    } <= actions
    again = services.election_recognise(
        actor=world.officer_a,
        election=e,
        recognition_number="x",
        recognised_on=TODAY(),
        signed_by="x",
    )
    assert again.recognition_number == "140/QĐ-UBND"


def test_failed_round_then_re_election_then_temporary_head(world):
    e = ready(world)
    son, lan = e.candidates.all()
    e = services.election_count(
        actor=world.officer_a, election=e, votes={son.pk: 110, lan.pk: 100}, **ballot(216, 210)
    )
    with pytest.raises(ValidationError, match="1 failed rounds"):
        services.temporary_appoint(
            actor=world.officer_a,
            election=e,
            phone="0912000555",
            full_name="Tạm Thời",
            decision_number="1/QĐ",
            on=TODAY(),
        )
    day = TODAY() + datetime.timedelta(days=16)
    fields = {k: v for k, v in timeline(day).items() if k not in ("reason", "list_due_on")}
    fields["notice_on"] = day - datetime.timedelta(days=7)
    with pytest.raises(ValidationError, match="15 days after"):
        services.re_election_decide(actor=world.officer_a, election=e, **fields)
    day = TODAY() + datetime.timedelta(days=10)
    fields.update(election_day=day, notice_on=day - datetime.timedelta(days=7), team_on=TODAY())
    second = services.re_election_decide(actor=world.officer_a, election=e, **fields)
    assert second.round == 2 and second.previous == e and second.reason == "re_election"
    assert [c.full_name for c in second.candidates.all()] == ["Hoàng Văn Sơn", "Vũ Thị Lan"]
    with pytest.raises(ValidationError, match="already been decided"):
        services.re_election_decide(actor=world.officer_a, election=e, **fields)
    services.list_publish(actor=world.officer_a, election=second)
    second = arrive(second)
    a, b = second.candidates.all()
    second = services.election_count(
        actor=world.officer_a, election=second, votes={a.pk: 120, b.pk: 90}, **ballot(216, 210)
    )
    assert second.status == Status.FAILED and services.failed_rounds(second) == 2
    mandate = services.temporary_appoint(
        actor=world.officer_a,
        election=second,
        phone="0912000555",
        full_name="Trần Tạm Thời",
        decision_number="150/QĐ-UBND",
        on=TODAY(),
    )
    assert mandate.term_state == TermState.TEMPORARY and mandate.start == TODAY()


def test_petition_needs_at_least_half_and_the_meeting_decides(world):
    households(world.area_a1, 10)
    starts = timezone.now() + datetime.timedelta(days=3)
    common = {
        "text": "Không hoàn thành nhiệm vụ",
        "starts_at": starts,
        "place": "Nhà văn hóa",
        "convener_name": "Trưởng ban CTMT",
    }
    with pytest.raises(ValidationError) as exc:
        services.leaving_start(
            actor=world.officer_a,
            area=world.area_a1,
            ground="petition",
            petition_households=4,
            **common,
        )
    assert "4 of 10" in exc.value.message_dict["petition_households"][0]
    leaving = services.leaving_start(  # exactly half: "at least 50 %" is enough
        actor=world.officer_a,
        area=world.area_a1,
        ground="petition",
        petition_households=5,
        **common,
    )
    assert leaving.meeting.kind == "dismissal" and leaving.meeting.convener == "ctmt_head"
    Meeting.objects.filter(pk=leaving.meeting_id).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match="only 6"):
        services.leaving_count(
            actor=world.officer_a, leaving=leaving, households_present=6, votes_for=7
        )
    with pytest.raises(ValidationError, match="agreed"):
        services.leaving_decide(
            actor=world.officer_a, leaving=leaving, decision_number="9/QĐ", decided_on=TODAY()
        )
    leaving = services.leaving_count(
        actor=world.officer_a, leaving=leaving, households_present=8, votes_for=6
    )
    assert leaving.state == Leaving.State.AGREED
    leaving = services.leaving_decide(
        actor=world.officer_a, leaving=leaving, decision_number="9/QĐ-UBND", decided_on=TODAY()
    )
    leaving.mandate.refresh_from_db()
    assert leaving.state == Leaving.State.DECIDED and leaving.mandate.end == TODAY()
    assert not Mandate.objects.active().filter(unit=world.area_a1, role=Role.HEAD).exists()


def test_half_of_the_households_do_not_dismiss(world):
    households(world.area_a1, 10)
    leaving = services.leaving_start(
        actor=world.officer_a,
        area=world.area_a1,
        ground="resignation",
        text="Sức khỏe yếu",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        place="Nhà văn hóa",
        convener_name="Trưởng ban CTMT",
    )
    assert leaving.petition_households is None
    Meeting.objects.filter(pk=leaving.meeting_id).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    leaving = services.leaving_count(
        actor=world.officer_a, leaving=leaving, households_present=9, votes_for=5
    )
    assert leaving.state == Leaving.State.REFUSED


def test_recognition_is_overdue_after_the_declared_working_days(world, client_for):
    from caunoi.core.workdays import add_working_days

    e = ready(world, n_households=10, names=("Vũ Thị Lan",))
    e = services.election_count(
        actor=world.officer_a, election=e, votes={e.candidates.get().pk: 7}, **ballot(8, 8)
    )
    due = add_working_days(e.election_day, 4)
    assert deadlines.recognition_due(e) == due
    assert not deadlines.recognition_overdue(e, today=due)
    assert deadlines.recognition_overdue(e, today=due + datetime.timedelta(days=1))
    Election.objects.filter(pk=e.pk).update(election_day=TODAY() - datetime.timedelta(days=30))
    page = client_for(world.officer_a).get(f"/xa/{world.commune_a.code}/bau-cu/").content.decode()
    assert "Overdue" in page


def test_the_commune_chair_convenes_when_the_head_leads_the_front_committee(world):
    from caunoi.people.models import HeadProfile

    HeadProfile.objects.create(person=world.head_a1, front_head=True)
    leaving = services.leaving_start(
        actor=world.officer_a, area=world.area_a1, ground="proposal", text="Vi phạm pháp luật",
        starts_at=timezone.now() + datetime.timedelta(days=2), place="Nhà văn hóa",
        convener_name="Chủ tịch UBND xã",
    )  # fmt: skip
    assert leaving.meeting.convener == "commune_chair"
    with pytest.raises(ValidationError, match="already under way"):
        services.leaving_start(
            actor=world.officer_a, area=world.area_a1, ground="resignation", text="x",
            starts_at=timezone.now() + datetime.timedelta(days=2), place="x", convener_name="x",
        )  # fmt: skip
