import pytest
from django.urls import reverse
from django.utils import timezone

from caunoi.core.indicators import indicator_list
from caunoi.reports import selectors
from caunoi.testing import build_two_level, send_directive

pytestmark = pytest.mark.django_db


def url(unit, **query):
    base = reverse("reports:report", args=[unit.url_prefix, unit.code])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def sent(world):
    """A task Đồng Xuân sent to its two areas today, due in 30 days."""
    return send_directive(world, body="Lập danh sách.")


def test_every_app_declares_its_indicators():
    keys = {i.key for i in indicator_list()}
    assert {
        "outreach.reach",
        "directives.done",
        "directives.lead",
        "funds.published",
        "feedback.answered",
        "people.party",
    } <= keys


@pytest.mark.parametrize("who", ["province_officer", "district_officer", "officer_a"])
def test_report_pages_at_every_level(world, client, sent, who):
    client.force_login(getattr(world, who))
    for unit in (world.province, world.district, world.commune_a, world.area_a1):
        if who == "officer_a" and not unit.path.startswith(world.commune_a.path):
            continue
        if who == "district_officer" and unit == world.province:
            continue
        page = client.get(url(unit))
        assert page.status_code == 200, unit
        text = page.content.decode()
        assert "<svg" in text


def test_structure_and_drill_down(world, client, sent):
    client.force_login(world.province_officer)
    text = client.get(url(world.province)).content.decode()
    assert url(world.district, nam=timezone.localdate().year).replace("&", "&amp;") in text
    report = selectors.unit_report(world.province, year=timezone.localdate().year)
    f = report.structure.figures
    assert (f["districts"], f["communes"], f["areas"]) == (1, 2, 3)
    lesson5 = {s.indicator.key: s for s in report.lessons[4].sections}["directives.lead"]
    assert lesson5.table.total["directives"] == 1
    assert [line.unit for line in lesson5.lines] == [world.district]
    commune = selectors.unit_report(world.commune_a, year=timezone.localdate().year)
    done = {s.indicator.key: s for s in commune.lessons[1].sections}["directives.done"]
    assert [line.unit for line in done.lines] == [world.area_a1, world.area_a2]


def test_two_level_province(world, client):
    two = build_two_level(areas=2)
    client.force_login(two.province_officer)
    page = client.get(url(two.province))
    assert page.status_code == 200
    report = selectors.unit_report(two.province, year=timezone.localdate().year)
    assert report.structure.figures["districts"] == 0
    assert [line.unit for line in report.structure.children] == [two.ward, two.commune]
    assert client.get(url(two.ward)).status_code == 200


def test_access(world, client, sent):
    client.force_login(world.officer_b)
    assert client.get(url(world.commune_a)).status_code == 404
    assert client.get(url(world.area_a1)).status_code == 404
    client.force_login(world.head_a1)
    assert client.get(url(world.area_a1)).status_code == 403
    client.force_login(world.resident_a1)  # (sees the commune's public pages, not its report)
    assert client.get(url(world.commune_a)).status_code == 403
    client.logout()
    assert client.get(url(world.province)).status_code == 302
    client.force_login(world.province_officer)
    assert client.post(url(world.province)).status_code == 405
