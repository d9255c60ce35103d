"""The household ballot after a failed quorum: one answer per household, counted against all
households, sent to the commune within the declared working days."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from caunoi.core.pdf import lines_off_page, text_lines
from caunoi.core.submissions import new_key
from caunoi.meetings import ballots, services
from caunoi.meetings.models import Ballot, Slip, Status

from .conftest import begin

pytestmark = pytest.mark.django_db
LATER = timezone.localdate() + datetime.timedelta(days=7)


@pytest.fixture
def failed(world, meeting):
    begin(meeting)
    services.attendance_record(actor=world.head_a1, meeting=meeting, households_present=4)
    meeting.refresh_from_db()
    return meeting


def decision(meeting):
    return meeting.items.get(kind="decision")


def test_ballot_only_after_a_failed_quorum(world, meeting):
    with pytest.raises(ValidationError):
        ballots.ballot_open(actor=world.head_a1, meeting=meeting, closes_on=LATER)


def test_one_answer_per_household_counted_against_all(world, failed, households):
    ballot = ballots.ballot_open(actor=world.head_a1, meeting=failed, closes_on=LATER)
    assert ballot.slips.count() == 10
    codes = dict((h.code, c) for h, c in ballots.slips_issue(actor=world.head_a1, ballot=ballot))
    item = decision(failed)
    for h in households[:5]:
        ballots.slip_answer_code(code=codes[h.code], answers={item.pk: "for"})
    with pytest.raises(ValidationError):  # the code is used
        ballots.slip_answer_code(code=codes[households[0].code], answers={item.pk: "against"})
    with pytest.raises(ValidationError):  # the clerk cannot enter it again either
        ballots.slip_enter(
            actor=world.head_a1,
            ballot=ballot,
            household=households[0],
            answers={item.pk: "against"},
        )
    ballots.slip_enter(
        actor=world.head_a1, ballot=ballot, household=households[5], answers={item.pk: "for"}
    )
    ballots.slip_enter(
        actor=world.head_a1, ballot=ballot, household=households[6], answers={item.pk: "against"}
    )
    ballots.ballot_close(actor=world.head_a1, ballot=ballot)
    failed.refresh_from_db()
    item = decision(failed)
    assert failed.status == Status.BALLOTED
    assert (item.votes_for, item.votes_against, item.votes_abstained) == (6, 1, 0)
    assert item.passed  # 6 of 10 households: more than half of all
    with pytest.raises(ValidationError):  # closed
        ballots.slip_enter(
            actor=world.head_a1, ballot=ballot, household=households[7], answers={item.pk: "for"}
        )


def test_half_of_all_households_is_not_enough(world, failed, households):
    ballot = ballots.ballot_open(actor=world.head_a1, meeting=failed, closes_on=LATER)
    item = decision(failed)
    for h in households[:5]:
        ballots.slip_enter(
            actor=world.head_a1, ballot=ballot, household=h, answers={item.pk: "for"}
        )
    ballots.ballot_close(actor=world.head_a1, ballot=ballot)
    failed.refresh_from_db()
    assert not decision(failed).passed


def test_report_due_in_working_days(world, failed):
    ballot = ballots.ballot_open(actor=world.head_a1, meeting=failed, closes_on=LATER)
    with pytest.raises(ValidationError):
        ballots.ballot_report(actor=world.head_a1, ballot=ballot, reported_on=LATER)
    Ballot.objects.filter(pk=ballot.pk).update(closes_on=datetime.date(2026, 4, 24))
    ballot.refresh_from_db()
    ballots.ballot_close(actor=world.head_a1, ballot=ballot)
    ballot.refresh_from_db()
    # Friday 24/4/2026; the Hùng Kings' day (observed Monday 27/4), 30/4 and 1/5 are holidays:
    # 5 working days end on Wednesday 6/5.
    assert ballots.report_due(ballot) == datetime.date(2026, 5, 6)
    assert ballots.is_report_overdue(ballot)  # today is later
    ballot = ballots.ballot_report(
        actor=world.head_a1, ballot=ballot, reported_on=datetime.date(2026, 5, 6)
    )
    assert not ballots.is_report_overdue(ballot)


def test_household_answers_online_and_clerk_pages(world, failed, client_for, client):
    head = client_for(world.head_a1)
    r = head.post(
        reverse("meetings:ballot_open", args=[failed.pk]),
        {"closes_on": LATER.isoformat(), "submission": new_key()},
    )
    assert r.status_code == 302
    slips = head.post(reverse("meetings:ballot_slips", args=[failed.pk]))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(slips.content)).pages)
    assert "PHIẾU LẤY Ý KIẾN HỘ GIA ĐÌNH" in text and "Lập Quỹ khuyến học" in text
    assert (
        text_lines(slips.content) and lines_off_page(slips.content) == []
    )  # every line inside its page (issue 12, 3)
    code = text.split("với mã: ")[1].split(" (mỗi")[0]
    client.logout()
    answer = reverse("meetings:slip_answer")
    opened = client.post(answer, {"code": code})
    assert opened.status_code == 200 and "Lập Quỹ khuyến học" in opened.content.decode()
    item = decision(failed)
    done = client.post(answer, {"code": code, f"item_{item.pk}": "for", "submission": new_key()})
    assert done.status_code == 302
    assert Slip.objects.filter(answered_at__isnull=False).count() == 1
    again = client.post(
        answer, {"code": code, f"item_{item.pk}": "against", "submission": new_key()}
    )
    assert again.status_code == 200 and "not valid or has been used" in again.content.decode()
    resident = client_for(world.resident_a1)
    assert resident.get(reverse("meetings:slip_enter", args=[failed.pk])).status_code == 403


def test_ballot_on_the_meeting_page_and_in_the_minutes(world, failed, households, client_for):
    head = client_for(world.head_a1)
    page = head.get(failed.get_absolute_url()).content.decode()
    assert "Start a household ballot" in page
    ballot = ballots.ballot_open(actor=world.head_a1, meeting=failed, closes_on=LATER)
    item = decision(failed)
    for h in households[:6]:
        ballots.slip_enter(
            actor=world.head_a1, ballot=ballot, household=h, answers={item.pk: "for"}
        )
    page = head.get(failed.get_absolute_url()).content.decode()
    assert "6 of 10 households have answered" in page
    assert (
        head.post(
            reverse("meetings:ballot_close", args=[failed.pk]), {"submission": new_key()}
        ).status_code
        == 302
    )
    page = head.get(failed.get_absolute_url()).content.decode()
    assert 'data-passed="yes"' in page and "must reach the commune by" in page
    pdf = head.get(reverse("meetings:minutes", args=[failed.pk, "pdf"]))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "KẾT QUẢ LẤY Ý KIẾN HỘ GIA ĐÌNH" in text and "Thông qua" in text
    assert lines_off_page(pdf.content) == []
