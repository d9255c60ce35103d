"""Never a stale public page: for each page kept in the cache (`caunoi.core.pagecache`), the
writers that change what it shows move its version in their own transaction. Each test reads
the page signed out (so from the cache the second time), writes through the app's service as a
real user would, and reads again: the change is there. Runs on SQLite and on PostgreSQL (the
versions are written at commit, hence transactional tests)."""

import datetime
import gzip

import pytest
from django.test import Client

from caunoi.core.pdf import text_lines
from caunoi.feedback import services as feedback
from caunoi.funds import services as funds
from caunoi.outreach import services as outreach
from caunoi.people import services as people
from caunoi.people.models import Role
from caunoi.testing import survey_campaign

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def _cache_on(page_cache_on):
    """Every test here with the page cache on (the root `page_cache_on`)."""


def read(url: str) -> str:
    """The page as a phone reads it: asking for gzip, so the cached copy is the compressed one
    (`core.pagecache` keeps it in pieces); the plain copy is read and compared too."""
    response = Client(HTTP_ACCEPT_ENCODING="gzip").get(url)
    assert response.status_code == 200, url
    assert response["Content-Encoding"] == "gzip", url
    body = gzip.decompress(response.content)
    plain = Client().get(url)
    assert "Content-Encoding" not in plain and len(plain.content) == len(body), url
    if response["Content-Type"].startswith("application/pdf"):
        return "\n".join(line.text for line in text_lines(body))
    return body.decode()


def warm(*urls: str) -> dict[str, str]:
    """Each page read twice (the second from the cache), as they were before the write."""
    pages = {url: read(url) for url in urls}
    for url in urls:
        read(url)
    return pages


def test_area_and_commune_pages_show_a_new_head_and_a_renamed_one(world):
    area, commune = world.area_a2, world.commune_a
    pages = warm(f"/khu/{area.code}/", f"/xa/{commune.code}/")
    head = people.person_get_or_create_by_phone(
        actor=world.officer_a, phone="0912777001", full_name="Lò Thị Mai"
    )
    people.mandate_create(
        actor=world.officer_a, person=head, role=Role.HEAD, unit=area, start=TODAY
    )
    for url in pages:
        assert "Lò Thị Mai" in read(url), url
    # renamed by an officer appointing her elsewhere: every page she is named on follows
    people.person_get_or_create_by_phone(
        actor=world.officer_b, phone="0912777001", full_name="Lò Thị Mai Anh", authoritative=True,
        unit=world.commune_b,
    )  # fmt: skip
    for url in pages:
        assert "Lò Thị Mai Anh" in read(url), url


def test_fund_pages_statement_and_poster_follow_the_ledger(world):
    area = world.area_a1
    warm(f"/khu/{area.code}/quy/", f"/khu/{area.code}/")
    fund = funds.fund_create(
        actor=world.head_a1, area=area, name="Quỹ đèn đường", kind="other",
        purpose="Thắp sáng ngõ xóm",
    )  # fmt: skip
    assert "Quỹ đèn đường" in read(f"/khu/{area.code}/quy/")
    assert "Quỹ đèn đường" in read(f"/khu/{area.code}/")
    pages = warm(
        f"/khu/{area.code}/quy/{fund.pk}/",
        f"/khu/{area.code}/quy/{fund.pk}/cong-khai.pdf?ky=month&nam={TODAY.year}&so={TODAY.month}",
        f"/khu/{area.code}/quy/ap-phich.pdf",
        f"/khu/{area.code}/quy/",
    )
    funds.contribution_record(
        actor=world.head_a1, fund=fund, household=world.household_a1, amount=345_000,
        method="cash", paid_on=TODAY,
    )  # fmt: skip
    for url, before in pages.items():
        after = read(url)
        assert after != before and "345.000" in after, url


def test_the_faq_shows_a_published_answer_and_drops_a_hidden_one(world):
    commune = world.commune_a
    url = f"/xa/{commune.code}/cau-hoi-thuong-gap/"
    warm(url)
    roads = feedback.category_create(actor=None, commune=commune, name="Đường giao thông")
    req = feedback.request_create(
        actor=world.resident_a1, area=world.area_a1, category=roads, public=True,
        text="Đèn đường ngõ 4 hỏng từ tuần trước.",
    )  # fmt: skip
    feedback.request_answer(actor=world.head_a1, request=req, answer="Đã báo điện lực sửa.")
    feedback.request_publish_edit(
        actor=world.head_a1, request=req, public_text="Đèn đường ngõ 4 hỏng.", faq=True
    )
    assert "Đèn đường ngõ 4 hỏng." in read(url)
    feedback.request_hide(actor=world.officer_a, request=req, reason="Trùng câu hỏi khác")
    assert "Đèn đường ngõ 4 hỏng." not in read(url)


def test_a_published_notice_shows_on_the_area_page_and_its_own_pages_follow(world):
    area = world.area_a1
    pages = warm(f"/khu/{area.code}/")
    notice = outreach.notice_create(
        actor=world.head_a1, unit=area, areas=[area], title="Họp khu dân cư tối thứ Bảy",
        body="Mời đại diện các hộ dự họp lúc 19 giờ.", category="meeting",
    )  # fmt: skip
    assert "Họp khu dân cư tối thứ Bảy" not in read(f"/khu/{area.code}/")  # a draft
    outreach.notice_publish(actor=world.head_a1, notice=notice)
    for url in pages:
        assert "Họp khu dân cư tối thứ Bảy" in read(url), url


def test_published_survey_results_follow_new_answers_and_a_withdrawal(world):
    from django.urls import reverse

    from caunoi.reports import services as reports
    from caunoi.surveys import services as surveys

    campaign = survey_campaign(world)
    rows = "khu,danh_gia\n" + f"{world.area_a1.code},rat_tot\n" * 6
    surveys.responses_import(
        actor=world.province_officer, campaign=campaign, data=rows.encode(), filename="x.csv"
    )
    publication = reports.publication_create(
        actor=world.province_officer, campaign=campaign, unit=world.province
    )
    commune = reverse("reports:published_at", args=[publication.pk, "xa", world.commune_a.code])
    pages = warm(publication.get_absolute_url(), commune)
    assert all("100,0%" in page for page in pages.values())
    surveys.response_submit_household(  # one household more, answering online: 6 of 7
        campaign=campaign, household=world.household_a1, raw={"danh_gia": "hieu_qua"}
    )
    for url, before in pages.items():
        after = read(url)
        assert after != before and "85,7%" in after, url
    reports.publication_withdraw(actor=world.province_officer, publication=publication)
    for url in pages:
        assert Client().get(url).status_code == 404, url
