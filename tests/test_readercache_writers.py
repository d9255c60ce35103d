"""Never a stale signed-in page: the head's inbox and a person's home are kept per session
(`caunoi.core.pagecache.reader_page`), keyed by the versions of the units the person reads and
of their own row. For each writer that changes what those pages show, the page is read (the
second time from the cache: one query), the write goes through the app's service as a real user
would make it, and the next read shows it. On SQLite and on PostgreSQL (the versions are written
at commit, hence transactional tests)."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caunoi.accounts import services as accounts
from caunoi.directives import reminders
from caunoi.directives import services as directives
from caunoi.feedback import services as feedback
from caunoi.outreach import services as outreach
from caunoi.people import services as people
from caunoi.people.models import Mandate, Role
from caunoi.surveys import services as surveys
from caunoi.testing import make_person

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


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
    notice = outreach.notice_create(
        actor=world.head_a1, unit=world.area_a1, areas=[world.area_a1],
        title="Lịch tiêm phòng", body="Tiêm phòng dại cho chó mèo sáng Chủ nhật.",
        category="health",
    )  # fmt: skip
    outreach.notice_publish(actor=world.head_a1, notice=notice)
    assert "1 thông báo mới" in resident.read()
    resident.warm()
    outreach.delivery_mark_read(notice=notice, household=world.household_a1)
    assert "thông báo mới" not in resident.read()


def test_a_households_notices_follow_its_got_it(world):
    notice = outreach.notice_create(
        actor=world.head_a1, unit=world.area_a1, areas=[world.area_a1],
        title="Lịch tiêm phòng", body="Tiêm phòng dại cho chó mèo sáng Chủ nhật.",
        category="health",
    )  # fmt: skip
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
    campaign = surveys.campaign_create(
        actor=world.province_officer, unit=world.province, form=surveys.form_builtin(),
        title="Đánh giá trưởng khu", start=TODAY - datetime.timedelta(days=1),
        end=TODAY + datetime.timedelta(days=30),
    )  # fmt: skip
    resident = Reader(world.resident_a1)
    before = resident.warm()
    surveys.response_submit_household(
        campaign=campaign, household=world.household_a1, raw={"danh_gia": "rat_tot"}
    )
    assert resident.read() != before
