"""List pages cost the same number of queries whatever their length; a ground's reach is rolled up
to its children (`territory.rollup`): per area for a commune, per commune for a district or a
two-level province, per district for a 2022 province."""

import pytest
from django.urls import reverse

from caunoi.outreach import selectors, services
from caunoi.outreach.models import NoticeArea
from caunoi.people.models import Role
from caunoi.territory import rollup
from caunoi.territory.models import Kind, Level
from caunoi.testing import add_households, give, make_person, make_unit

from .factories import publish


def more_households(world, n, start=10):
    add_households(
        world.area_a1, range(start, start + n), members=1, phone=lambda i: f"0912100{i:03}"
    )


def queries(client, url, django_assert_max_num_queries, n):
    with django_assert_max_num_queries(n) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "page",
    ["reach", "area", "mine", "ground_commune", "ground_province", "notice", "area_public"],
)
def test_constant_queries(outreach, client_for, django_assert_max_num_queries, page):
    def url(notice):
        return {
            "reach": reverse("outreach:reach", args=[notice.pk]),
            "area": reverse("outreach:area", args=[outreach.area_a1.code]),
            "mine": reverse("outreach:mine"),
            "ground_commune": reverse("outreach:ground", args=["xa", "08119"]),
            "ground_province": reverse("outreach:ground", args=["tinh", "25"]),
            "notice": notice.get_absolute_url(),
            "area_public": f"/khu/{outreach.area_a1.code}/",
        }[page]

    who = {
        "mine": outreach.resident_a1,
        "notice": outreach.resident_a1,
        "ground_province": outreach.province_officer,
    }.get(page, outreach.officer_a)
    client = client_for(who)
    notice = publish(outreach)
    small = queries(client, url(notice), django_assert_max_num_queries, 60)
    more_households(outreach, 12)
    for _ in range(4):
        notice = publish(outreach, actor=outreach.officer_a, unit=outreach.commune_a,
                         areas=[outreach.area_a1, outreach.area_a2])  # fmt: skip
    big = queries(client, url(notice), django_assert_max_num_queries, 60)
    assert big == small, f"{page}: {small} queries with 1 notice, {big} with 5"


def _parts(row):
    return [(p.unit.code, p.figures.acknowledged, p.figures.households) for p in row.parts]


def test_commune_per_area_and_province_rolled_up(outreach, client_for):
    notice = publish(
        outreach, actor=outreach.officer_a, unit=outreach.commune_a,
        areas=[outreach.area_a1, outreach.area_a2],
    )  # fmt: skip
    household_b = outreach.household_b1
    notice_b = publish(outreach, actor=outreach.head_b1, unit=outreach.area_b1)
    services.acknowledgement_record(
        notice=notice, household=outreach.household_a1, how="web", by=outreach.resident_a1
    )
    services.acknowledgement_record(
        notice=notice_b, household=household_b, how="visit", by=outreach.head_b1
    )
    commune = client_for(outreach.officer_a).get(reverse("outreach:ground", args=["xa", "08119"]))
    rows = commune.context["rows"]
    assert [r.notice.pk for r in rows] == [notice.pk]  # not the neighbour's notice
    assert rows[0].level == Level.AREA
    assert _parts(rows[0]) == [("08119-03", 1, 3), ("08119-04", 0, 0)]
    district = client_for(outreach.district_officer).get(
        reverse("outreach:ground", args=["huyen", "230"])
    )
    rows = {r.notice.pk: r for r in district.context["rows"]}
    assert _parts(rows[notice.pk]) == [("08119", 1, 3)]  # the commune it went to, only
    assert _parts(rows[notice_b.pk]) == [("08122", 1, 1)]
    province = client_for(outreach.province_officer).get(
        reverse("outreach:ground", args=["tinh", "25"])
    )
    rows = {r.notice.pk: r for r in province.context["rows"]}
    assert set(rows) == {notice.pk, notice_b.pk}
    # A 2022 province has districts: its roll-up is per district (the unit's children).
    assert rows[notice.pk].level == Level.DISTRICT
    assert _parts(rows[notice.pk]) == [("230", 1, 3)]
    assert rows[notice_b.pk].reach.share == 1.0
    assert '<th scope="col">District</th>' in province.content.decode()
    officer_b = client_for(outreach.officer_b).get(reverse("outreach:ground", args=["xa", "08119"]))
    assert officer_b.status_code == 404


@pytest.fixture
def two_level(outreach):
    """A province of today's shape: communes directly under it, one area each, one household."""
    province = make_unit(Kind.PROVINCE, "26", "Tỉnh Vĩnh Phúc", short="Vĩnh Phúc")
    officer = make_person("Cán bộ tỉnh Vĩnh Phúc", username="tinh26")
    give(officer, Role.PROVINCE_OFFICER, province)
    areas = []
    for code, name in (("09001", "Phường Xuân Hòa"), ("09002", "Xã Ngọc Thanh")):
        commune = make_unit(Kind.WARD, code, name, province)
        area = make_unit(Kind.AREA, f"{code}-01", "Tổ 1", commune)
        add_households(area, [1], members=1)
        areas.append(area)
    return province, officer, areas


def test_a_two_level_province_rolls_up_to_its_communes(outreach, two_level, client_for):
    province, officer, areas = two_level
    notice = publish(outreach, actor=officer, unit=province, areas=areas)
    household = areas[1].households.get()
    services.acknowledgement_record(notice=notice, household=household, how="visit", by=officer)
    row = client_for(officer).get(reverse("outreach:ground", args=["tinh", "26"])).context["rows"]
    assert [r.notice.pk for r in row] == [notice.pk]
    assert row[0].level == Level.COMMUNE
    assert _parts(row[0]) == [("09001", 0, 1), ("09002", 1, 1)]
    assert (row[0].reach.acknowledged, row[0].reach.households) == (1, 2)
    target = NoticeArea.objects.get(notice=notice, area=areas[0])
    assert (target.commune.code, target.district, target.province) == ("09001", None, province)


def test_reach_rollup_reads_the_same_few_queries_at_every_level(
    outreach, django_assert_num_queries
):
    for _ in range(3):
        publish(outreach, actor=outreach.officer_a, unit=outreach.commune_a,
                areas=[outreach.area_a1, outreach.area_a2])  # fmt: skip
    publish(outreach, actor=outreach.head_b1, unit=outreach.area_b1)
    for unit in (outreach.commune_a, outreach.district, outreach.province):
        # the notices, then the roll-up: their totals, the children, per notice and child
        with django_assert_num_queries(4):
            rows = selectors.notice_reach_summary(unit=unit)
        assert rows and all(r.parts for r in rows)


def test_reach_follows_an_area_moved_to_another_commune(outreach):
    notice = publish(outreach, actor=outreach.officer_a, unit=outreach.commune_a,
                     areas=[outreach.area_a1, outreach.area_a2])  # fmt: skip
    area = outreach.area_a2
    area.parent = outreach.commune_b
    area.path = f"{outreach.commune_b.path}{area.pk}/"
    area.save()
    assert rollup.rekey([area]) >= 1
    rows = selectors.notice_reach_summary(unit=outreach.district)
    assert _parts(rows[0]) == [("08119", 0, 3), ("08122", 0, 0)]
    assert NoticeArea.objects.get(notice=notice, area=area).commune == outreach.commune_b
