"""The roll-up kit's additions: keys read from the areas' paths, one roll-up per value of a
column, and areas as facts of their own (their keys mapped onto their parents), in both tree
shapes."""

import pytest
from django.db.models import Count, Sum

from caunoi.surveys.models import Campaign, Form, Tally
from caunoi.territory import rollup
from caunoi.territory.models import Kind, Level
from caunoi.testing import make_unit

pytestmark = pytest.mark.django_db


def make(kind, code, parent=None):
    return make_unit(kind, code, code, parent)


@pytest.fixture
def two_level(world):
    """Beside the 2022 world: province 26 with one ward of two areas, directly under it."""
    province = make(Kind.PROVINCE, "26")
    ward = make(Kind.WARD, "09001", province)
    return province, ward, [make(Kind.AREA, f"09001-0{i}", ward) for i in (1, 2)]


def test_ground_ids_read_the_keys_from_the_path_without_a_query(
    world, two_level, django_assert_num_queries
):
    _province, ward, areas = two_level
    everyone = [world.area_a1, world.area_b1, *areas]
    with django_assert_num_queries(0):
        ids = {a.pk: rollup.ground_ids(a) for a in everyone}
    for a in everyone:
        keys = rollup.ground_keys(a)
        assert ids[a.pk] == {f"{name}_id": u.pk if u else None for name, u in keys.items()}
    assert ids[areas[0].pk]["district_id"] is None and ids[areas[0].pk]["commune_id"] == ward.pk


@pytest.fixture
def tallies(world, two_level):
    form = Form.objects.create(title="Khảo sát", definition={})
    campaigns = [
        Campaign.objects.create(
            form=form, title=f"Đợt {i}", unit=world.province, start="2022-06-01", end="2022-06-30"
        )
        for i in (1, 2)
    ]
    areas = [world.area_a1, world.area_a2, world.area_b1, *two_level[2]]
    for n, (campaign, area) in enumerate([(c, a) for c in campaigns for a in areas], start=1):
        Tally.objects.create(
            campaign=campaign,
            question="",
            choice="",
            count=n,
            path=area.path,
            **rollup.ground_ids(area),
        )
    return campaigns


FIGURES = {"n": Sum("count"), "rows": Count("id")}


@pytest.mark.parametrize("where", ["province", "district", "commune_a", "area_a1", "two_level"])
def test_rollup_each_is_rollup_for_each_value(
    world, two_level, tallies, where, django_assert_num_queries
):
    unit = two_level[0] if where == "two_level" else getattr(world, where)
    with django_assert_num_queries(1 if unit.is_area else 3):  # an area has no children
        each = rollup.rollup_each(Tally.objects.all(), unit, by="campaign_id", figures=FIGURES)
    assert set(each) == {c.pk for c in tallies}
    for campaign in tallies:
        one = rollup.rollup(Tally.objects.filter(campaign=campaign), unit, figures=FIGURES)
        got = each[campaign.pk]
        assert (got.child_level, got.total.figures) == (one.child_level, one.total.figures)
        assert [(x.unit, x.figures) for x in got] == [(x.unit, x.figures) for x in one]


def test_rollup_each_without_facts(world):
    assert rollup.rollup_each(Tally.objects.all(), world.province, by="campaign_id",
                              figures=FIGURES) == {}  # fmt: skip


@pytest.mark.parametrize("where", ["province", "district", "commune_a", "two_level", "country"])
def test_areas_as_facts_count_the_areas_of_each_child(world, two_level, where):
    unit = {"two_level": two_level[0], "country": None}.get(where) or getattr(world, where, None)
    result = rollup.rollup(rollup.area_facts(unit), unit, figures={"areas": Count("pk")})
    for line in result:
        assert line.figures.areas == (1 if line.unit.is_area else _areas_under(line.unit))
    assert result.total.figures.areas == sum(line.figures.areas for line in result)
    if where == "province":
        assert result.child_level == Level.DISTRICT
    if where == "two_level":
        assert result.child_level == Level.COMMUNE and result.total.figures.areas == 2
    if where == "country":
        assert {x.unit.code: x.figures.areas for x in result} == {"25": 3, "26": 2}


def _areas_under(unit):
    from caunoi.territory.models import Unit

    return Unit.objects.filter(level=Level.AREA, path__startswith=unit.path).count()


def test_areas_as_facts_follow_a_moved_area(world):
    area = world.area_a2
    area.parent = world.commune_b
    area.path = f"{world.commune_b.path}{area.pk}/"
    area.save()
    result = rollup.rollup(rollup.area_facts(world.district), world.district,
                           figures={"areas": Count("pk")})  # fmt: skip
    assert {x.unit.code: x.figures.areas for x in result} == {"08119": 1, "08122": 2}
