"""The one territory roll-up: a figure for a unit and each of its children, at any level, in a
three-level tree (2022) and a two-level one (today), in three queries, following restructurings."""

import datetime

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Sum

from caunoi.core.text import sort_key
from caunoi.surveys.models import Campaign, Form, Tally
from caunoi.territory import rollup
from caunoi.territory.models import Kind, Level
from caunoi.territory.selectors import in_order
from caunoi.territory.services import unit_create
from caunoi.testing import make_unit

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
    province = make_unit(Kind.PROVINCE, "26", "Tỉnh Vĩnh Phúc", short="Vĩnh Phúc")
    commune = make_unit(Kind.WARD, "09001", "Phường Xuân Hòa", province, short="Xuân Hòa")
    area = make_unit(Kind.AREA, "09001-01", "Tổ dân phố 1", commune, short="TDP 1")
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


def test_children_without_facts_get_what_an_empty_aggregation_gives(world, tallies):
    from django.db.models import Max, Value

    Tally.objects.filter(area=world.area_a2).delete()
    figures = {
        "n": Sum("count"),
        "zero": Sum("count", default=0),
        "rows": Count("id"),
        "most": Max("count"),
        "expr": Sum("count", default=Value(-1)),
    }
    result = rollup.rollup(Tally.objects.all(), world.commune_a, figures=figures)
    empty = Tally.objects.none().aggregate(**figures)
    assert vars(result.children[1].figures) == empty
    assert empty == {"n": None, "zero": 0, "rows": 0, "most": None, "expr": -1}


def test_three_queries_however_many_children(world, tallies, django_assert_num_queries):
    for i in range(10, 19):
        area = make_unit(Kind.AREA, f"{world.commune_a.code}-{i:02d}", f"Khu {i}", world.commune_a)
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


# --- Added with feedback and surveys on the roll-up ---------------------------------------------

DAY = datetime.date(2025, 7, 1)


def _two_level_province():
    """A province of today's two-level Vietnam: communes right under it."""
    province = make_unit(Kind.PROVINCE, "26", "Tỉnh Vĩnh Phúc", short="Vĩnh Phúc")
    commune = unit_create(
        actor=None, kind=Kind.WARD, code="09001", name="Phường Xuân Hòa", parent=province
    )
    area = unit_create(actor=None, kind=Kind.AREA, code="09001-01", name="TDP 1", parent=commune)
    return province, commune, area


def test_lines_at_a_deeper_level_cross_the_districts(world, tallies):
    result = rollup.rollup(
        Tally.objects.all(), world.province, figures=FIGURES, level=Level.COMMUNE
    )
    assert result.child_level == Level.COMMUNE and result.total.figures.n == 10
    assert [(line.unit, line.figures.n) for line in result] == [
        (world.commune_a, 5),
        (world.commune_b, 5),
    ]
    country = rollup.rollup(Tally.objects.all(), None, figures=FIGURES, level=Level.AREA)
    assert {line.unit: line.figures.n for line in country} == {
        world.area_a1: 3,
        world.area_a2: 2,
        world.area_b1: 5,
    }
    # at or below that level already: no lines
    assert (
        rollup.rollup(
            Tally.objects.all(), world.commune_a, figures=FIGURES, level=Level.COMMUNE
        ).children
        == []
    )


def test_by_a_column_in_the_same_grouped_query(world, tallies, django_assert_num_queries):
    Tally.objects.filter(area=world.area_a1).update(question="q1")
    with django_assert_num_queries(2):  # the children, one grouped query
        result = rollup.rollup(Tally.objects.all(), world.district, figures=FIGURES, by="question")
    assert result.total.figures.n == 10 and result.total.figures.rows == 3
    assert {k: v.n for k, v in result.by.items()} == {"q1": 3, "": 7}
    assert [line.figures.n for line in result] == [5, 5]
    with django_assert_num_queries(1):  # an area: no children
        own = rollup.rollup(Tally.objects.all(), world.area_a1, figures=FIGURES, by="question")
    assert own.children == [] and own.total.figures.n == 3 and list(own.by) == ["q1"]
    with pytest.raises(ValueError, match="adds up"):
        rollup.rollup(
            Tally.objects.all(),
            world.district,
            figures={"areas": Count("area", distinct=True)},
            by="question",
        )


def test_children_as_they_were_on_a_day(world, tallies):
    from caunoi.territory.services import Decision, unit_change

    unit_change(
        actor=None,
        unit=world.area_a2,
        parent=world.commune_b,
        decision=Decision(effective_date=DAY),
    )
    before = datetime.date(2024, 1, 1)
    assert rollup.children_of(world.commune_a, on=before) == in_order(
        [world.area_a1, world.area_a2]
    )
    assert rollup.children_of(world.commune_a) == [world.area_a1]
    assert rollup.children_of(world.province, on=before, level=Level.AREA) == in_order(
        [world.area_a1, world.area_a2, world.area_b1]
    )
    assert rollup.children_of(None, on=before) == [world.province]


def test_ground_ids_read_the_path_without_a_query(world, django_assert_num_queries):
    _province, commune, area = _two_level_province()
    with django_assert_num_queries(0):
        three = rollup.ground_ids(world.area_a1)
        two = rollup.ground_ids(area)
    assert three == {
        "province_id": world.province.pk,
        "district_id": world.district.pk,
        "commune_id": world.commune_a.pk,
        "area_id": world.area_a1.pk,
    }
    assert two["district_id"] is None and two["commune_id"] == commune.pk
    keys = rollup.ground_keys(world.area_a1)
    assert {f"{k}_id": (u.pk if u else None) for k, u in keys.items()} == three
    with pytest.raises(ValueError):
        rollup.ground_ids(world.commune_a)


def test_area_counts_per_unit_of_a_level(world, django_assert_num_queries):
    province, commune, _area = _two_level_province()
    with django_assert_num_queries(1):
        assert rollup.area_counts(world.province, Level.DISTRICT) == {world.district.pk: 3}
    assert rollup.area_counts(world.district, Level.COMMUNE) == {
        world.commune_a.pk: 2,
        world.commune_b.pk: 1,
    }
    assert rollup.area_counts(world.commune_a, Level.AREA) == {
        world.area_a1.pk: 1,
        world.area_a2.pk: 1,
    }
    assert rollup.area_counts(province, Level.COMMUNE) == {commune.pk: 1}
    assert rollup.area_counts(None, Level.PROVINCE) == {world.province.pk: 3, province.pk: 1}


# --- Facts follow the real restructurings (feedback.Request and surveys.Tally, both registered) --


@pytest.fixture
def facts(world, tallies):
    """A question and a tally about area B1 (commune B), through the apps' writers."""
    from caunoi.feedback import services as feedback

    category = feedback.category_create(actor=None, commune=world.commune_b, name="Môi trường")
    question = feedback.request_create(
        actor=world.head_b1, area=world.area_b1, category=category, text="Rác ven sông"
    )
    return question, Tally.objects.get(area=world.area_b1)


def _keys(obj):
    obj.refresh_from_db()
    return obj.commune_id, obj.district_id, obj.province_id, obj.path


def test_registered_facts():
    from caunoi.feedback.models import Request

    assert Request in rollup.FACTS and Tally in rollup.FACTS


def test_facts_follow_a_merge_of_communes(world, facts):
    from caunoi.feedback.models import Request
    from caunoi.territory.services import Decision, units_merge

    question, tally = facts
    keeper = units_merge(
        actor=None,
        sources=[world.commune_a, world.commune_b],
        keeper=world.commune_a,
        decision=Decision(effective_date=DAY),
    )
    area_b1 = world.area_b1.__class__.objects.get(pk=world.area_b1.pk)
    for fact in (question, tally):
        assert _keys(fact) == (keeper.pk, world.district.pk, world.province.pk, area_b1.path)
    result = rollup.rollup(Tally.objects.all(), keeper, figures=FIGURES)
    assert result.total.figures.n == 10
    assert {line.unit.code: line.figures.n for line in result}[area_b1.code] == 5
    assert Request.objects.on_ground(keeper).get() == question


def test_facts_follow_an_area_moved_by_the_service(world, facts):
    from caunoi.territory.services import Decision, unit_change

    question, tally = facts
    unit_change(
        actor=None,
        unit=world.area_b1,
        parent=world.commune_a,
        decision=Decision(effective_date=DAY),
    )
    assert _keys(tally)[0] == _keys(question)[0] == world.commune_a.pk
    commune_a = rollup.rollup(Tally.objects.all(), world.commune_a, figures=FIGURES)
    assert commune_a.total.figures.n == 10 and len(commune_a.children) == 3


def test_facts_follow_a_district_level_dissolved(world, facts):
    from caunoi.feedback.models import Request
    from caunoi.territory.services import Decision, unit_dissolve

    question, tally = facts
    unit_dissolve(
        actor=None,
        unit=world.district,
        children_to=world.province,
        decision=Decision(effective_date=DAY),
    )
    for fact in (question, tally):
        assert _keys(fact)[:3] == (world.commune_b.pk, None, world.province.pk)
    assert Tally.objects.filter(district__isnull=False).count() == 0
    province = rollup.rollup(Tally.objects.all(), world.province, figures=FIGURES)
    assert province.child_level == Level.COMMUNE
    assert [(line.unit, line.figures.n) for line in province] == [
        (world.commune_a, 5),
        (world.commune_b, 5),
    ]
    assert Request.objects.on_ground(world.district).count() == 0


def test_rekey_is_one_update_per_model_and_commune(world, tallies, django_assert_num_queries):
    areas = list(world.area_a1.__class__.objects.filter(level=Level.AREA))
    with django_assert_num_queries(2 * len(rollup.FACTS)):  # communes A and B
        assert rollup.rekey(areas) == 3


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
    assert [(line.unit, line.figures.n) for line in province] == sorted(
        [(commune, 1), (world.district, 0)], key=lambda row: sort_key(row[0].name)
    )  # in Vietnamese order of the names


def test_commune_facts_follow_the_real_dissolution_of_a_district(world):
    """`unit_dissolve` (through `rekey_below`) re-keys facts about communes too."""
    from caunoi.directives.models import Directive
    from caunoi.territory.services import Decision, unit_dissolve

    assert Directive in rollup.COMMUNE_FACTS
    directive = Directive.objects.create(
        **rollup.commune_keys(world.commune_b),
        title="Rà soát hộ nghèo",
        body="—",
        category="admin",
        due_date=datetime.date(2026, 1, 5),
    )
    unit_dissolve(
        actor=None,
        unit=world.district,
        children_to=world.province,
        decision=Decision(effective_date=DAY),
    )
    directive.refresh_from_db()
    assert (directive.commune, directive.district, directive.province) == (
        world.commune_b,
        None,
        world.province,
    )
