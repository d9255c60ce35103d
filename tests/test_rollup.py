"""The one territory roll-up: a figure for a unit and each of its children, at any level, in a
three-level tree (2022) and a two-level one (today), in three queries, following restructurings."""

import datetime

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Sum

from caunoi.surveys.models import Campaign, Form, Tally
from caunoi.territory import rollup
from caunoi.territory.models import Kind, Level
from caunoi.territory.services import unit_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def tallies(world):
    form = Form.objects.create(title="Đánh giá trưởng khu", definition={})
    campaign = Campaign.objects.create(
        form=form,
        title="Khảo sát 2022",
        unit=world.province,
        start=datetime.date(2022, 6, 1),
        end=datetime.date(2022, 6, 30),
    )

    def tally(area, n):
        return Tally.objects.create(
            campaign=campaign,
            question="",
            choice="",
            count=n,
            path=area.path,
            **rollup.ground_keys(area),
        )

    tally(world.area_a1, 3)
    tally(world.area_a2, 2)
    tally(world.area_b1, 5)
    return tally


FIGURES = {"n": Sum("count"), "rows": Count("id")}


def test_each_level_rolls_up_to_its_children(world, tallies):
    province = rollup.rollup(Tally.objects.all(), world.province, figures=FIGURES)
    assert province.child_level == Level.DISTRICT
    assert province.total.figures.n == 10
    assert [(line.unit, line.figures.n) for line in province] == [(world.district, 10)]

    district = rollup.rollup(Tally.objects.all(), world.district, figures=FIGURES)
    assert {line.unit.code: line.figures.n for line in district} == {
        world.commune_a.code: 5,
        world.commune_b.code: 5,
    }
    commune = rollup.rollup(Tally.objects.all(), world.commune_a, figures=FIGURES)
    assert commune.child_level == Level.AREA
    assert {line.unit: line.figures.n for line in commune} == {world.area_a1: 3, world.area_a2: 2}

    area = rollup.rollup(Tally.objects.all(), world.area_a1, figures=FIGURES)
    assert area.child_level is None and area.children == [] and area.total.figures.n == 3


def test_a_two_level_province_rolls_up_to_its_communes(world, tallies):
    province = unit_create(
        actor=None, kind=Kind.PROVINCE, code="26", name="Tỉnh Vĩnh Phúc", short_name="Vĩnh Phúc"
    )
    commune = unit_create(
        actor=None,
        kind=Kind.WARD,
        code="09001",
        name="Phường Xuân Hòa",
        short_name="Xuân Hòa",
        parent=province,
    )
    area = unit_create(
        actor=None,
        kind=Kind.AREA,
        code="09001-01",
        name="Tổ dân phố 1",
        short_name="TDP 1",
        parent=commune,
    )
    tallies(area, 4)
    result = rollup.rollup(Tally.objects.all(), province, figures=FIGURES)
    assert result.child_level == Level.COMMUNE
    assert [(line.unit, line.figures.n) for line in result] == [(commune, 4)]
    assert rollup.ground_keys(area)["district"] is None

    country = rollup.rollup(Tally.objects.all(), None, figures=FIGURES)
    assert country.child_level == Level.PROVINCE and country.total.figures.n == 14
    assert {line.unit.code: line.figures.n for line in country} == {"25": 10, "26": 4}


def test_children_without_facts_get_empty_figures_and_typed_rows(world, tallies):
    from dataclasses import dataclass

    @dataclass
    class Figures:
        n: int | None
        rows: int

    Tally.objects.filter(area=world.area_a2).delete()
    result = rollup.rollup(Tally.objects.all(), world.commune_a, figures=FIGURES, row=Figures)
    assert [line.figures for line in result] == [Figures(3, 1), Figures(None, 0)]


def test_three_queries_however_many_children(world, tallies, django_assert_num_queries):
    for i in range(10, 19):
        area = unit_create(
            actor=None,
            kind=Kind.AREA,
            code=f"{world.commune_a.code}-{i:02d}",
            name=f"Khu {i}",
            short_name=f"Khu {i}",
            parent=world.commune_a,
        )
        tallies(area, i)
    with django_assert_num_queries(3):
        result = rollup.rollup(Tally.objects.all(), world.commune_a, figures=FIGURES)
    assert len(result.children) == 11


def test_facts_follow_an_area_moved_to_another_commune(world, tallies, monkeypatch):
    monkeypatch.setattr(rollup, "FACTS", [])
    rollup.fact(Tally)
    area = world.area_a2
    area.parent = world.commune_b
    area.path = f"{world.commune_b.path}{area.pk}/"
    area.save()
    assert rollup.rekey([area]) == 1
    commune_b = rollup.rollup(Tally.objects.all(), world.commune_b, figures=FIGURES)
    assert commune_b.total.figures.n == 7


# --- Lines further down, and facts about a commune ------------------------------------------------


def test_rollup_down_gives_a_province_its_communes_through_its_districts_or_not(
    world, tallies, django_assert_num_queries
):
    with django_assert_num_queries(3):  # the units, then one grouped query per level
        lines = rollup.rollup_down(
            Tally.objects.all(),
            world.province,
            [Level.DISTRICT, Level.COMMUNE],
            figures=FIGURES,
        )
    assert [(line.unit, line.figures.n) for line in lines[Level.DISTRICT]] == [(world.district, 10)]
    assert [(line.unit.code, line.figures.n) for line in lines[Level.COMMUNE]] == [
        (world.commune_a.code, 5),
        (world.commune_b.code, 5),
    ]
    # the unit itself, when it is of the level asked; an empty level costs no grouped query
    own = rollup.rollup_down(Tally.objects.all(), world.commune_b, [Level.COMMUNE], figures=FIGURES)
    assert [(line.unit, line.figures.rows) for line in own[Level.COMMUNE]] == [(world.commune_b, 1)]

    province = unit_create(actor=None, kind=Kind.PROVINCE, code="26", name="Tỉnh Vĩnh Phúc")
    communes = [
        unit_create(
            actor=None, kind=Kind.WARD, code=f"0900{i}", name=f"Phường {i}", parent=province
        )
        for i in (2, 1)
    ]
    area = unit_create(
        actor=None, kind=Kind.AREA, code="09001-01", name="Tổ dân phố 1", parent=communes[1]
    )
    tallies(area, 4)
    with django_assert_num_queries(2):
        lines = rollup.rollup_down(
            Tally.objects.all(), province, [Level.DISTRICT, Level.COMMUNE], figures=FIGURES
        )
    assert lines[Level.DISTRICT] == []
    assert [(line.unit.code, line.figures.n) for line in lines[Level.COMMUNE]] == [
        ("09001", 4),
        ("09002", None),
    ]


def test_facts_about_a_commune_follow_it_when_the_district_level_goes(world, monkeypatch):
    from caunoi.directives.models import Directive

    monkeypatch.setattr(rollup, "COMMUNE_FACTS", [])
    assert rollup.commune_fact(Directive) is Directive
    with pytest.raises(FieldDoesNotExist):
        rollup.commune_fact(Form)  # no key columns
    keys = rollup.commune_keys(world.commune_a)
    assert keys == {
        "commune": world.commune_a,
        "district": world.district,
        "province": world.province,
    }
    directive = Directive.objects.create(
        **keys, title="Rà soát", body="—", category="admin", due_date=datetime.date(2026, 1, 5)
    )
    commune = world.commune_a
    commune.parent = world.province  # 1 July 2025: the district level is gone
    commune.path = f"{world.province.path}{commune.pk}/"
    commune.save()
    assert rollup.rekey_communes([commune]) == 1
    directive.refresh_from_db()
    assert (directive.district, directive.province) == (None, world.province)
    province = rollup.rollup(Directive.objects.all(), world.province, figures={"n": Count("id")})
    assert [(line.unit, line.figures.n) for line in province] == [
        (commune, 1),  # by code
        (world.district, 0),
    ]
