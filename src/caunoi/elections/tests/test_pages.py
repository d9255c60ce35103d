"""The elections through HTTP: the commune's flow decide → candidates → publish → count →
recognise, the documents read back, access for each kind of person, bad input."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from caunoi.core.submissions import new_key
from caunoi.elections import services
from caunoi.elections.models import Election, Leaving, Status
from caunoi.meetings.models import Meeting
from caunoi.meetings.tests.test_pages import docx_text, pdf_text
from caunoi.people.models import Mandate, Role

from .conftest import ELIGIBLE, arrive, ballot, candidate, decide, households, ready

pytestmark = pytest.mark.django_db


def url(name, obj, *extra):
    return reverse(f"elections:{name}", args=[obj.pk, *extra])


def iso(day: datetime.date) -> str:
    return day.isoformat()


def test_the_commune_runs_an_election_from_decision_to_recognition(world, client_for):
    households(world.area_a1, 310)
    client = client_for(world.officer_a)
    status = reverse("elections:status", args=["xa", world.commune_a.code])
    page = client.get(status).content.decode()
    assert "Khu 3" in page and "Decide an election" in page
    add = reverse("elections:decide", args=[world.area_a1.code])
    assert client.get(add).status_code == 200
    day = timezone.localdate() + datetime.timedelta(days=22)
    body = {
        "reason": "term_end",
        "decision_number": "125/QĐ-UBND",
        "decided_on": iso(timezone.localdate()),
        "team_on": iso(day - datetime.timedelta(days=11)),
        "list_due_on": iso(day - datetime.timedelta(days=16)),
        "notice_on": iso(day - datetime.timedelta(days=7)),
        "election_day": iso(day),
        "at": "08:00",
        "place": "Nhà văn hóa Khu 3",
        "team_leader": "Nguyễn Văn Tổ",
        "team_members": "Trần Thị Một",
        "submission": new_key(),
    }
    late = client.post(add, {**body, "notice_on": iso(day - datetime.timedelta(days=6))})
    assert late.status_code == 200 and "is too late" in late.content.decode()
    assert not Election.objects.exists()
    r = client.post(add, body)
    assert r.status_code == 302
    client.post(add, body)  # the same submission again
    election = Election.objects.get()
    assert r["Location"] == election.get_absolute_url()
    meeting_page = client.get(election.meeting.get_absolute_url()).content.decode()
    assert f'href="{election.get_absolute_url()}"' in meeting_page  # the meeting leads back
    for name, phone in (("Hoàng Văn Sơn", "0912000001"), ("Vũ Thị Lan", "0912 000 902")):
        r = client.post(
            url("candidate_add", election),
            {
                "full_name": name,
                "phone": phone,
                "birth_year": "1972",
                "nominated": "ctmt",
                "eligibility": ELIGIBLE,
                "submission": new_key(),
            },
        )
        assert r.status_code == 302
    bad = client.post(
        url("candidate_add", election),
        {
            "full_name": "",
            "phone": "abc",
            "birth_year": "năm",
            "nominated": "ctmt",
            "submission": new_key(),
        },
    )
    assert bad.status_code == 200 and election.candidates.count() == 2
    assert client.get(url("publish", election)).status_code == 200
    assert client.post(url("publish", election), {"submission": new_key()}).status_code == 302
    assert (
        "Announce the election to every household"
        in client.get(url("election", election)).content.decode()
    )
    invite = reverse("meetings:invite", args=[election.meeting_id])
    assert client.post(invite, {"submission": new_key()}).status_code == 302
    election.meeting.refresh_from_db()
    assert election.meeting.notice is not None  # the public notice through outreach
    assert "Bầu" in election.meeting.notice.body or "Election" in election.meeting.notice.body
    public = client.get(reverse("elections:area", args=[world.area_a1.code])).content.decode()
    assert "Vũ Thị Lan" in public and "0912000902" not in public
    decision = pdf_text(client.get(url("document", election, "quyet-dinh", "pdf")))
    assert "QUYẾT ĐỊNH" in decision and "Nguyễn Văn Tổ" in decision
    assert "125/QĐ-UBND" in docx_text(client.get(url("document", election, "quyet-dinh", "docx")))
    election = arrive(election)
    son, lan = election.candidates.all()
    count = {
        "households_present": "216",
        "method": "ballot",
        "counting_board": "Ông A\nBà B\nÔng C",
        "board_for": "200",
        "ballots_issued": "216",
        "ballots_returned": "216",
        "ballots_valid": "210",
        "ballots_invalid": "6",
        f"votes_{son.pk}": "170",
        f"votes_{lan.pk}": "40",
        "submission": new_key(),
    }
    wrong = client.post(url("count", election), {**count, "ballots_valid": "211"})
    assert wrong.status_code == 200 and "not the 216 returned" in wrong.content.decode()
    assert client.post(url("count", election), count).status_code == 302
    page = client.get(election.get_absolute_url()).content.decode()
    assert 'data-elected="yes"' in page and "156 needed" in page
    minutes = pdf_text(client.get(url("document", election, "bien-ban-kiem-phieu", "pdf")))
    for field in ("310", "216", "210", "Số phiếu không hợp lệ", "54,8 %"):
        assert field in minutes, field
    assert client.get(url("document", election, "cong-nhan", "pdf")).status_code == 404
    r = client.post(
        url("recognise", election),
        {
            "recognition_number": "140/QĐ-UBND",
            "recognised_on": iso(timezone.localdate()),
            "signed_by": "Nguyễn Văn Chủ",
            "submission": new_key(),
        },
    )
    assert r.status_code == 302
    election.refresh_from_db()
    assert election.status == Status.RECOGNISED
    head = Mandate.objects.active().get(unit=world.area_a1, role=Role.HEAD)
    assert head.person.full_name == "Hoàng Văn Sơn"
    word = docx_text(client.get(url("document", election, "cong-nhan", "docx")))
    assert "140/QĐ-UBND" in word and "Hoàng Văn Sơn" in word and "170" in word
    page = client.get(status).content.decode()
    assert 'data-election="recognised"' in page


def test_access(world, client, client_for):
    households(world.area_a1, 10)
    election = decide(world)
    candidate(world, election)
    detail = election.get_absolute_url()
    status = reverse("elections:status", args=["xa", world.commune_a.code])
    assert client.get(detail).status_code == 302  # signed out: to sign-in
    client.force_login(world.officer_b)  # the neighbour commune
    assert client.get(detail).status_code == 404
    assert client.get(url("document", election, "quyet-dinh", "pdf")).status_code == 404
    assert client.get(url("count", election)).status_code == 404
    assert client.get(status).status_code == 404
    assert client.get(reverse("elections:decide", args=[world.area_a1.code])).status_code == 404
    client.force_login(world.resident_a1)  # sees, cannot act
    assert client.get(detail).status_code == 200
    assert client.get(url("document", election, "quyet-dinh", "pdf")).status_code == 200
    assert client.get(url("candidate_add", election)).status_code == 403
    assert client.post(url("publish", election), {"submission": new_key()}).status_code == 403
    assert client.get(reverse("elections:decide", args=[world.area_a1.code])).status_code == 403
    assert client.get(status).status_code == 403
    client.force_login(world.head_a1)  # the head may be a candidate: the commune acts
    assert client.get(url("count", election)).status_code == 403
    assert "Add a candidate" not in client.get(detail).content.decode()
    client.force_login(world.officer_a)
    assert client.get(status).status_code == 200
    assert "Add a candidate" in client.get(detail).content.decode()
    assert client.get(url("document", election, "quyet-dinh", "exe")).status_code == 404
    assert client.get(url("document", election, "nope", "pdf")).status_code == 404
    assert client.get("/bau-cu/" + "9" * 30 + "/").status_code == 404
    client.force_login(world.province_officer)  # the province's election season
    page = client.get(reverse("elections:status", args=["tinh", world.province.code]))
    assert page.status_code == 200 and "Khu 1" in page.content.decode()
    client.logout()  # the area's public page
    assert client.get(reverse("elections:area", args=[world.area_a1.code])).status_code == 200
    assert client.get(reverse("elections:area", args=["nope"])).status_code == 404


def test_failed_round_pages_offer_re_election(world, client_for):
    e = ready(world)
    son, lan = e.candidates.all()
    services.election_count(
        actor=world.officer_a, election=e, votes={son.pk: 110, lan.pk: 100}, **ballot(216, 210)
    )
    client = client_for(world.officer_a)
    page = client.get(e.get_absolute_url()).content.decode()
    assert 'data-elected="no"' in page and "Decide a re-election" in page
    minutes = pdf_text(client.get(url("document", e, "bien-ban-kiem-phieu", "pdf")))
    assert "35,5 %" in minutes and "bầu lại" in minutes
    assert client.get(url("recognise", e)).status_code == 200
    refused = client.post(
        url("recognise", e),
        {
            "recognition_number": "1",
            "recognised_on": iso(timezone.localdate()),
            "signed_by": "x",
            "submission": new_key(),
        },
    )
    assert refused.status_code == 200 and "Only an election with an elected head" in (
        refused.content.decode()
    )
    assert client.get(url("re_election", e)).status_code == 200
    day = timezone.localdate() + datetime.timedelta(days=9)
    r = client.post(
        url("re_election", e),
        {
            "decision_number": "130/QĐ-UBND",
            "decided_on": iso(timezone.localdate()),
            "team_on": iso(timezone.localdate()),
            "notice_on": iso(timezone.localdate()),
            "election_day": iso(day),
            "at": "08:00",
            "place": "Nhà văn hóa",
            "team_leader": "Nguyễn Văn Tổ",
            "submission": new_key(),
        },
    )
    assert r.status_code == 302
    second = Election.objects.get(previous=e)
    assert second.round == 2 and second.candidates.count() == 2


def test_leaving_office_pages(world, client_for):
    households(world.area_a1, 10)
    client = client_for(world.officer_a)
    start = reverse("elections:leaving_start", args=[world.area_a1.code])
    assert client.get(start).status_code == 200
    body = {
        "ground": "petition",
        "text": "Không còn được tín nhiệm",
        "petition_households": "4",
        "date": iso(timezone.localdate() + datetime.timedelta(days=3)),
        "at": "19:30",
        "place": "Nhà văn hóa",
        "convener_name": "Trưởng ban CTMT",
        "submission": new_key(),
    }
    refused = client.post(start, body)
    assert refused.status_code == 200 and "4 of 10" in refused.content.decode()
    assert client.post(start, {**body, "petition_households": "5"}).status_code == 302
    leaving = Leaving.objects.get()
    Meeting.objects.filter(pk=leaving.meeting_id).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert client.get(leaving.get_absolute_url()).status_code == 200
    r = client.post(
        url("leaving_count", leaving),
        {"households_present": "9", "votes_for": "6", "submission": new_key()},
    )
    assert r.status_code == 302
    r = client.post(
        url("leaving_decide", leaving),
        {
            "decision_number": "9/QĐ-UBND",
            "decided_on": iso(timezone.localdate()),
            "submission": new_key(),
        },
    )
    assert r.status_code == 302
    assert not Mandate.objects.active().filter(unit=world.area_a1, role=Role.HEAD).exists()
    client.force_login(world.resident_a1)
    assert client.get(leaving.get_absolute_url()).status_code == 200
    assert client.get(url("leaving_decide", leaving)).status_code == 403
    client.force_login(world.officer_b)
    assert client.get(leaving.get_absolute_url()).status_code == 404


def test_the_api_reads_elections(world, client_for, client):
    e = ready(world)
    son, lan = e.candidates.all()
    services.election_count(
        actor=world.officer_a, election=e, votes={son.pk: 110, lan.pk: 100}, **ballot(216, 210)
    )
    api = client_for(world.officer_a)
    listed = api.get(f"/api/v1/elections/areas/{world.area_a1.code}").json()
    assert listed["count"] == 1 and listed["items"][0]["status"] == "failed"
    one = api.get(f"/api/v1/elections/{e.pk}").json()
    assert one["households_total"] == 310 and one["households_present"] == 216
    assert one["votes_needed"] == 156 and one["winner"] is None
    assert {c["votes"] for c in one["candidates"]} == {110, 100}
    assert "bien-ban-kiem-phieu_docx" in one["documents"] and "phone" not in one["candidates"][0]
    client.force_login(world.officer_b)
    assert client.get(f"/api/v1/elections/{e.pk}").status_code == 404
    assert client.get(f"/api/v1/elections/areas/{world.area_a1.code}").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_public_page_is_kept_and_follows_each_write(world, page_cache_on):
    """The area's public elections page is kept for readers signed out (`core.pagecache`), and
    each write of the election (publish, count) moves the area's version: never stale."""
    from django.test import Client

    url = reverse("elections:area", args=[world.area_a1.code])
    reader = Client()
    assert "Vũ Thị Lan" not in reader.get(url).content.decode()
    assert reader.get(url).status_code == 200  # now from the cache
    e = ready(world)
    assert "Vũ Thị Lan" in reader.get(url).content.decode()
    son, lan = e.candidates.all()
    services.election_count(
        actor=world.officer_a, election=e, votes={son.pk: 200, lan.pk: 10}, **ballot(216, 210)
    )
    page = reader.get(url).content.decode()
    assert 'data-status="elected"' in page and 'data-status="published"' not in page
