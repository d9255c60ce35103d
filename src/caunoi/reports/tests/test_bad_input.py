"""Numbers typed into the reports' addresses and forms: a year that is no year falls back to the
default, a line that is no line of one's own is missing (404); never a 500."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from caunoi.core.pages import PER_PAGE
from caunoi.core.submissions import new_key
from caunoi.reports.models import Proposal, ProposalLine, Publication
from caunoi.reports.tests.helpers import task_done
from caunoi.surveys import services as survey_services
from caunoi.testing import survey_campaign

pytestmark = pytest.mark.django_db

BAD_NUMBERS = ["²", "-1", "abc", "9" * 40, "2\u0661", " "]


@pytest.mark.parametrize("raw", BAD_NUMBERS)
def test_a_bad_year_falls_back_to_the_default(world, client, raw):
    this = timezone.localdate().year
    client.force_login(world.province_officer)
    report = client.get(reverse("reports:report", args=["tinh", world.province.code]), {"nam": raw})
    assert report.status_code == 200 and report.context["report"].year == this
    xlsx = client.get(reverse("reports:xlsx", args=["tinh", world.province.code]), {"nam": raw})
    assert xlsx.status_code == 200 and f"bao-cao-{this}-" in xlsx["Content-Disposition"]
    for page in (
        client.get(reverse("reports:rules", args=[world.province.code]), {"nam": raw}),
        client.get(reverse("reports:support", args=[world.commune_a.code]), {"nam": raw}),
    ):
        assert page.status_code == 200 and page.context["year"] == this
    client.force_login(world.head_a1)
    card = client.get(reverse("reports:scorecard", args=[world.area_a1.code]), {"nam": raw})
    assert card.status_code == 200 and card.context["year"] == this
    client.force_login(world.officer_a)
    propose = client.get(reverse("reports:propose", args=[world.commune_a.code]), {"nam": raw})
    assert propose.status_code == 200 and propose.context["year"] in (this, this - 1)


@pytest.fixture
def decided(world):
    """A decided commune award with a line for each of the commune's two heads."""
    from caunoi.people.models import Role
    from caunoi.reports import services
    from caunoi.testing import appoint, give, make_person

    head_a2 = appoint("Đỗ Thị Hoa", "0912000009", Role.HEAD, world.area_a2)
    task_done(world, world.area_a1, world.head_a1)
    task_done(world, world.area_a2, head_a2)
    year = timezone.localdate().year
    proposal = services.proposal_create(
        actor=world.officer_a,
        commune=world.commune_a,
        year=year,
        award="commune",
        lines=[
            {"area": world.area_a1.pk, "reason": "Hoàn thành xuất sắc"},
            {"area": world.area_a2.pk, "reason": "Vận động 100% hộ"},
        ],
    )
    leader = make_person("Trịnh Văn Chủ", username="chutich")
    give(leader, Role.COMMUNE_LEADER, world.commune_a)
    services.proposal_decide(
        actor=leader,
        proposal=proposal,
        decisions={line.pk: ("approved", "") for line in proposal.lines.all()},
    )
    return proposal


@pytest.mark.parametrize("raw", [*BAD_NUMBERS, "0", str(2**63), ""])
def test_a_bad_line_is_missing(world, client, decided, raw):
    client.force_login(world.head_a1)
    own = reverse("reports:own_commendations", args=[world.area_a1.code])
    answer = client.post(own, {"line": raw, "public": "1", "submission": new_key()})
    assert answer.status_code == 404
    assert not ProposalLine.objects.filter(public=True).exists()


def test_only_ones_own_line_is_consented(world, client, decided):
    client.force_login(world.head_a1)
    own = reverse("reports:own_commendations", args=[world.area_a1.code])
    other = decided.lines.exclude(person=world.head_a1).get()
    mine = decided.lines.get(person=world.head_a1)
    body = {"public": "1", "submission": new_key()}
    assert client.post(own, {**body, "line": other.pk}).status_code == 404
    assert client.post(own, {**body, "line": mine.pk}).status_code == 302
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.public and not other.public


def test_withdraw_says_so_once(world, client):
    campaign = survey_campaign(world)
    survey_services.responses_import(
        actor=world.province_officer,
        campaign=campaign,
        data=(f"khu,danh_gia\n{world.area_a1.code},rat_tot\n" * 1).encode(),
        filename="x.csv",
    )
    client.force_login(world.officer_a)
    publish = reverse("reports:publish", args=[campaign.pk, "xa", world.commune_a.code])
    client.post(publish, {"note": ""})
    publication = Publication.objects.get()
    key = new_key()
    url = reverse("reports:withdraw", args=[publication.pk])
    done = client.post(url, {"submission": key})
    back = reverse("reports:report", args=["xa", world.commune_a.code])
    assert done.status_code == 302 and done["Location"] == back
    said = [str(m) for m in get_messages(done.wsgi_request)]
    assert said[-1] == "Kết quả đã công bố đã được thu hồi."
    publication.refresh_from_db()
    withdrawn_at = publication.withdrawn_at
    assert withdrawn_at is not None
    again = client.post(url, {"submission": key})  # the same key: lands where the first did
    assert again.status_code == 302 and again["Location"] == back
    publication.refresh_from_db()
    assert publication.withdrawn_at == withdrawn_at


def test_the_commendations_list_is_paged(world, client):
    today = timezone.localdate()
    Proposal.objects.bulk_create(
        Proposal(
            commune=world.commune_a,
            year=1900 + n,
            award="commune",
            propose_by=today,
            decide_by=today + datetime.timedelta(days=30),
            submitted_by=world.officer_a,
        )
        for n in range(PER_PAGE + 1)
    )
    client.force_login(world.district_officer)
    url = reverse("reports:commendations", args=["huyen", world.district.code])
    first = client.get(url)
    assert first.status_code == 200 and len(first.context["proposals"]) == PER_PAGE
    assert "?trang=2" in first.content.decode()
    second = client.get(url, {"trang": "2"})
    assert [p.year for p in second.context["proposals"]] == [1900]
    assert second.context["reminders"] is not None
