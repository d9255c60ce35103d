"""The national report (every province; the territory tree's top is the province): read from
stored figures like a province's, with a line per province, its exports, and only for those who
read reports over the whole country."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from caunoi.core.pdf import text_lines
from caunoi.people.models import Role
from caunoi.reports import figures
from caunoi.reports.models import ReportFigures
from caunoi.reports.tests.test_report import sent  # noqa: F401  (the fixture)
from caunoi.territory.models import Kind
from caunoi.testing import add_area, give, make_person, make_unit

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def admin(world):
    person = make_person("Quản trị", username="quantri")
    give(person, Role.SYSADMIN, None)
    return person


@pytest.fixture
def second(world):
    """A second province with one commune and two areas (no task)."""
    p = make_unit(Kind.PROVINCE, "26", "Tỉnh Vĩnh Phúc", short="Vĩnh Phúc")
    c = make_unit(Kind.COMMUNE, "09001", "Xã Tam Đảo", p, short="Tam Đảo")
    add_area(c, 1)
    add_area(c, 2)
    return p


def _section(report, key):
    return next(s for lesson in report.lessons for s in lesson.sections if s.indicator.key == key)


def test_national_figures_have_a_line_per_province_and_are_stored(world, second, sent):  # noqa: F811
    stored = figures.report_read(None, year=YEAR, lang="vi")
    report = stored.report
    assert report.unit.is_national and not stored.stale
    assert [line.unit.code for line in report.structure.children] == ["25", "26"]
    assert report.structure.figures["areas"] == 5  # 3 in Phú Thọ, 2 in Vĩnh Phúc
    lead = _section(report, "directives.lead")
    assert lead.table.total["directives"] == 1
    assert {line.unit.code: line.values["directives"] for line in lead.lines} == {"25": 1, "26": 0}
    assert report.heads.figures.areas == 5
    assert ReportFigures.objects.filter(unit=None, year=YEAR).count() == 1
    again = figures.report_read(None, year=YEAR, lang="vi")
    assert again.as_of == stored.as_of  # read, not computed


@pytest.mark.django_db(transaction=True)  # the page versions move at commit
def test_national_figures_go_stale_after_a_write_anywhere(world, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    first = figures.report_read(None, year=YEAR, lang="vi")
    from caunoi.reports.tests.helpers import send_task

    send_task(world, [world.area_a1])
    stale = figures.report_read(None, year=YEAR, lang="vi")
    assert stale.stale and stale.as_of == first.as_of
    from caunoi.core.models import OutboxEvent
    from caunoi.reports.tasks import figures_event

    event = OutboxEvent.objects.get(topic=figures.TOPIC)
    assert event.payload["unit"] is None
    assert figures_event(event.pk)
    fresh = figures.report_read(None, year=YEAR, lang="vi")
    assert not fresh.stale
    assert _section(fresh.report, "directives.lead").table.total["directives"] == 1


def test_national_page_and_exports_for_the_sysadmin(world, second, sent, admin, client):  # noqa: F811
    client.force_login(admin)
    page = client.get(reverse("reports:national"), {"nam": YEAR})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Việt Nam" in html and "Số liệu tính đến" in html
    assert reverse("reports:report", args=["tinh", "26"]) in html  # drills down to a province
    xlsx = client.get(reverse("reports:national_xlsx"), {"nam": YEAR})
    wb = load_workbook(io.BytesIO(xlsx.content))
    rows = [[c.value for c in r] for r in wb["co-cau"].iter_rows()]
    assert [r[1] for r in rows[1:]] == ["25", "26", None]  # the last line: the country
    pdf = client.get(reverse("reports:national_pdf"), {"nam": YEAR})
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(line.text for line in text_lines(pdf.content))
    assert "VIỆT NAM" in text and "Vĩnh Phúc" in text
    table = client.get(reverse("reports:national_csv", args=["co-cau"]), {"nam": YEAR})
    lines = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert lines[1][1] == "25"
    assert client.get(reverse("reports:national_csv", args=["nothing"])).status_code == 404


@pytest.mark.parametrize(
    "who", ["province_officer", "district_officer", "officer_a", "head_a1", "resident_a1"]
)
def test_national_page_is_refused_to_everyone_below_the_country(world, client, who):
    client.force_login(getattr(world, who))
    for name in ("national", "national_xlsx", "national_pdf"):
        assert client.get(reverse(f"reports:{name}")).status_code == 403
    assert client.get(reverse("reports:national_csv", args=["co-cau"])).status_code == 403


def test_national_page_sends_the_anonymous_to_sign_in(client):
    response = client.get(reverse("reports:national"))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_home_and_province_report_link_the_national_report_for_the_sysadmin(world, admin, client):
    url = reverse("reports:national")
    client.force_login(admin)
    assert url in client.get(reverse("core:home")).content.decode()
    province = client.get(reverse("reports:report", args=["tinh", world.province.code]))
    assert url in province.content.decode()
    client.force_login(world.province_officer)
    assert url not in client.get(reverse("core:home")).content.decode()
    province = client.get(reverse("reports:report", args=["tinh", world.province.code]))
    assert province.status_code == 200 and url not in province.content.decode()
