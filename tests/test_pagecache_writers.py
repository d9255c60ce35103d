"""Never a stale page: for each page kept in the cache (`caunoi.core.pagecache`), the writers
that change what it shows move its version in their own transaction. Each test reads the page
(so from the cache the second time), writes through the app's service as a real user would, and
reads again: the change is there. Public pages are read signed out; the signed-in ones (the
head's inbox, a person's home, a household's notices: kept per session, keyed by the versions of
the units the person reads and of their own row) by their person. Runs on SQLite and on
PostgreSQL (the versions are written at commit, hence transactional tests)."""

import datetime
import gzip
import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caunoi.accounts import services as accounts
from caunoi.core.pdf import text_lines
from caunoi.directives import reminders
from caunoi.directives import services as directives
from caunoi.feedback import services as feedback
from caunoi.funds import services as funds
from caunoi.outreach import services as outreach
from caunoi.people import services as people
from caunoi.people.models import Mandate, Role
from caunoi.surveys import services as surveys
from caunoi.testing import make_person, survey_campaign

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


def notice_draft(world, title: str):
    """A notice of the head of area A1 to its households, not yet published."""
    return outreach.notice_create(
        actor=world.head_a1, unit=world.area_a1, areas=[world.area_a1], title=title,
        body="Mời đại diện các hộ dự họp lúc 19 giờ.", category="meeting",
    )  # fmt: skip


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
    notice = notice_draft(world, "Họp khu dân cư tối thứ Bảy")
    assert "Họp khu dân cư tối thứ Bảy" not in read(f"/khu/{area.code}/")  # a draft
    outreach.notice_publish(actor=world.head_a1, notice=notice)
    for url in pages:
        assert "Họp khu dân cư tối thứ Bảy" in read(url), url


def test_published_survey_results_follow_new_answers_and_a_withdrawal(world):
    from django.urls import reverse

    from caunoi.reports import services as reports

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


# --- signed-in pages ------------------------------------------------------------------------------


class Reader:
    """A person signed in on their own phone, reading one page again and again."""

    def __init__(self, person, url: str = "/"):
        self.client, self.url = Client(), url
        self.client.force_login(person)

    def read(self) -> str:
        response = self.client.get(self.url)
        assert response.status_code == 200, self.url
        return response.content.decode()

    def warm(self) -> str:
        """Read twice; the second answer comes from the cache (one statement)."""
        self.read()
        with CaptureQueriesContext(connection) as hit:
            page = self.read()
        assert len(hit) == 1, [q["sql"] for q in hit.captured_queries]
        return page


def test_a_residents_home_follows_a_notice_sent_and_read(world):
    resident = Reader(world.resident_a1)
    assert "thông báo mới" not in resident.warm()
    notice = notice_draft(world, "Lịch tiêm phòng")
    outreach.notice_publish(actor=world.head_a1, notice=notice)
    assert "1 thông báo mới" in resident.read()
    resident.warm()
    outreach.delivery_mark_read(notice=notice, household=world.household_a1)
    assert "thông báo mới" not in resident.read()


def test_a_households_notices_follow_its_got_it(world):
    notice = notice_draft(world, "Lịch tiêm phòng")
    outreach.notice_publish(actor=world.head_a1, notice=notice)
    mine = Reader(world.resident_a1, "/thong-bao-cua-toi/")
    assert "Lịch tiêm phòng" in mine.warm()
    outreach.acknowledgement_record(
        notice=notice, household=world.household_a1, how="web", by=world.resident_a1
    )
    assert "Bạn đã báo là đã biết" in mine.read()


def test_a_residents_home_follows_an_answer_and_its_reading(world):
    resident = Reader(world.resident_a1)
    resident.warm()
    roads = feedback.category_create(actor=None, commune=world.commune_a, name="Đường giao thông")
    req = feedback.request_create(
        actor=world.resident_a1, area=world.area_a1, category=roads, public=False,
        text="Ngõ 4 ngập nước khi mưa.",
    )  # fmt: skip
    resident.warm()
    feedback.request_answer(actor=world.head_a1, request=req, answer="Tuần sau khơi thông cống.")
    assert "Câu trả lời mới cho bạn" in resident.read()  # a notification, for her only
    resident.warm()
    feedback.notifications_read(person=world.resident_a1, request=req)
    assert "Câu trả lời mới cho bạn" not in resident.read()


def test_a_heads_inbox_follows_a_task_its_reminder_and_its_reading(world):
    head = Reader(world.head_a1, "/viec/")
    assert "Rà soát hộ nghèo" not in head.warm()
    d = directives.directive_create(
        actor=world.officer_a, commune=world.commune_a, title="Rà soát hộ nghèo",
        body="Lập danh sách hộ nghèo của khu.", category="social",
        due_date=TODAY + datetime.timedelta(days=2), areas=[world.area_a1],
    )  # fmt: skip
    assert "Rà soát hộ nghèo" not in head.read()  # a draft
    directives.directive_send(actor=world.officer_a, directive=d, reason="khẩn")
    assert "Rà soát hộ nghèo" in head.read()
    assert "Nhắc việc" not in head.warm()
    assert reminders.reminders_send(today=d.due_date) == 1  # the daily job (no audit)
    assert "Nhắc việc" in head.read()
    head.warm()
    reminders.reminders_mark_read(assignment=d.assignments.get())  # the head opened it
    assert "Nhắc việc" not in head.read()


def test_a_mandate_given_by_an_officer_shows_on_the_persons_home(world):
    person = make_person("Lò Văn Tâm", phone="0912777002", password=None)
    home = Reader(person)
    assert world.area_a2.name not in home.warm()
    people.mandate_create(
        actor=world.officer_a, person=person, role=Role.HEAD, unit=world.area_a2, start=TODAY
    )
    assert world.area_a2.name in home.read()


def test_a_helper_named_by_a_head_sees_the_area_they_help_in(world, settings):
    settings.SMS_BACKEND = "file"
    helper = make_person("Hoàng Thị Lan", phone="0912000099", password=None)
    home = Reader(helper)
    assert "Hoàng Văn Sơn" not in home.warm()
    delegation = accounts.delegation_name(
        actor=world.head_a1,
        mandate=Mandate.objects.get(person=world.head_a1, role=Role.HEAD),
        helper_phone=helper.phone,
        kinds=["answers"],
        end=TODAY + datetime.timedelta(days=30),
    )
    sent = Path(settings.SMS_FILE_PATH).read_text(encoding="utf-8").splitlines()
    code = re.search(r"\b(\d{6})\b", json.loads(sent[-1])["text"]).group(1)
    accounts.delegation_confirm(actor=world.head_a1, delegation=delegation, code=code)
    assert "Hoàng Văn Sơn" in home.read()  # whom she helps


def test_a_survey_answered_leaves_the_households_home(world):
    campaign = survey_campaign(world)
    resident = Reader(world.resident_a1)
    before = resident.warm()
    surveys.response_submit_household(
        campaign=campaign, household=world.household_a1, raw={"danh_gia": "rat_tot"}
    )
    assert resident.read() != before
