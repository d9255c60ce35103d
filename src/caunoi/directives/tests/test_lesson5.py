"""Lesson 5 on the territory roll-up: the same figures as a plain recount of the directives on
every level, in a province with districts (2022) and one without (today), in a fixed number of
queries; the migration fills the level keys of existing directives from the units' paths."""

import statistics
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from caunoi.core.workdays import add_working_days
from caunoi.directives import selectors, services
from caunoi.directives.models import Directive
from caunoi.people.models import Role
from caunoi.territory import rollup
from caunoi.testing import build_two_level, give, make_person

from .conftest import far_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def vinh_phuc(world):
    """A two-level province: communes right under it, one of them with no task yet."""
    two = build_two_level(areas=2)
    province, xuan_hoa, tam_dao, areas = two.province, two.ward, two.commune, two.areas
    officer = make_person("Cán bộ Xuân Hòa", username="xa.xuanhoa")
    give(officer, Role.COMMUNE_OFFICER, xuan_hoa)
    follower = two.province_officer
    for i, area in enumerate(areas):
        give(make_person(f"Trưởng tổ {i}", phone=f"097700000{i}", password=None), Role.HEAD, area)
    return province, xuan_hoa, tam_dao, areas, officer, follower


@pytest.fixture
def tasks(world, vinh_phuc, make_directive, head_a2):
    """Tasks in both provinces: rushed and not, done and not, one withdrawn, one draft."""
    province, xuan_hoa, _tam_dao, areas, officer, _follower = vinh_phuc
    soon = add_working_days(timezone.localdate(), 1)
    make_directive(areas=[world.area_a1], due=far_due(40))
    rushed = make_directive(areas=[world.area_a1, world.area_a2], due=soon)
    services.assignment_complete(
        actor=world.head_a1, assignment=rushed.assignments.get(area=world.area_a1), note="Xong"
    )
    make_directive(actor=world.officer_b, commune=world.commune_b, areas=[world.area_b1])
    make_directive(areas=[world.area_a2], send=False)
    for due in (soon, far_due(10), far_due(20)):
        d = make_directive(actor=officer, commune=xuan_hoa, areas=areas, due=due)
    services.assignment_complete(
        actor=d.assignments.get(area=areas[0]).head,
        assignment=d.assignments.get(area=areas[0]),
        note="Xong",
    )
    withdrawn = make_directive(actor=officer, commune=xuan_hoa, areas=areas[:1], due=soon)
    services.directive_withdraw(actor=officer, directive=withdrawn, reason="Trùng")


def recount(directives) -> tuple:
    """The lesson-5 figures counted in Python, straight from the directives (the old way)."""
    sent = [d for d in directives if d.state != Directive.State.DRAFT]
    standing = [d for d in sent if d.state == Directive.State.SENT]
    leads = [d.lead_working_days for d in sent if d.lead_working_days is not None]
    return (
        len(sent),
        sum(d.below_min_lead for d in sent),
        sum(d.in_burst for d in sent),
        sum(d.recipients for d in standing),
        sum(d.done_count for d in standing),
        sum(d.on_time_count for d in standing),
        max((d.peak_open for d in standing), default=0),
        statistics.median(leads) if leads else None,
    )


def figures(lesson5: selectors.Lesson5) -> tuple:
    f = lesson5
    return (f.directives, f.below_min, f.bursts, f.assignments, f.done, f.on_time, f.peak_open,
            f.median_lead)  # fmt: skip


def on_ground(unit):
    return list(Directive.objects.filter(commune__path__startswith=unit.path))


def test_every_level_of_both_shapes_adds_up_like_a_recount(world, vinh_phuc, tasks):
    province_26, xuan_hoa, tam_dao, _areas, _officer, _follower = vinh_phuc
    year = timezone.localdate().year
    for unit in (world.province, world.district, world.commune_a, province_26, xuan_hoa):
        report = selectors.directive_lesson5(unit, year=year, districts=True)
        assert report.total.unit == unit
        assert figures(report.total.figures) == recount(on_ground(unit)), unit
        for line in [*report.districts, *report.communes]:
            assert figures(line.figures) == recount(on_ground(line.unit)), line.unit
    three = selectors.directive_lesson5(world.province, year=year, districts=True)
    assert [line.unit for line in three.districts] == [world.district]
    assert [line.unit for line in three.communes] == [world.commune_a, world.commune_b]
    two = selectors.directive_lesson5(province_26, year=year, districts=True)
    assert two.districts == []  # two-level Vietnam: the communes are right under the province
    assert [line.unit for line in two.communes] == [xuan_hoa, tam_dao]
    assert figures(two.communes[1].figures) == (0, 0, 0, 0, 0, 0, 0, None)
    assert figures(two.total.figures)[:3] == (4, 2, 3)  # the withdrawn one counts as sent
    commune = selectors.directive_lesson5(xuan_hoa, year=year)
    assert [line.unit for line in commune.communes] == [xuan_hoa]


def test_the_pages_keep_their_number_of_queries(
    world, vinh_phuc, tasks, client_for, django_assert_num_queries
):
    def page(level, code):
        return reverse("directives:ground", args=[level, code])

    c = client_for(world.province_officer)
    c.get(page("tinh", "25"))  # the session, once
    # the page's own reads (breadcrumbs, session, user, mandates) and lesson 5: its total, the units
    # and one grouped query per level of lines
    with django_assert_num_queries(8):
        r = c.get(page("tinh", "25"))
    assert [line.unit for line in r.context["districts"]] == [world.district]
    with django_assert_num_queries(8):
        c.get(page("huyen", "230"))
    with django_assert_num_queries(12):  # with its task list and its heads' load
        c.get(page("xa", "08119"))
    c = client_for(vinh_phuc[5])
    c.get(page("tinh", "26"))
    with django_assert_num_queries(7):  # no district: no grouped query for districts
        r = c.get(page("tinh", "26"))
    assert r.context["districts"] == [] and len(r.context["rows"]) == 2
    page = r.content.decode()
    assert "/xa/09001/nhiem-vu/?nam=" in page and "/huyen/" not in page


def test_the_migration_fills_the_level_keys_from_the_paths(world, vinh_phuc, tasks):
    migration = import_module("caunoi.directives.migrations.0003_level_keys")
    expected = {d.pk: (d.district_id, d.province_id) for d in Directive.objects.all()}
    assert {k for _d, k in expected.values()} == {world.province.pk, vinh_phuc[0].pk}
    assert None in {d for d, _p in expected.values()}  # Vĩnh Phúc has no district
    Directive.objects.update(district=None, province=world.district)  # wrong on purpose

    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.keys_from_paths(apps, editor)
    found = {d.pk: (d.district_id, d.province_id) for d in Directive.objects.all()}
    assert found == expected
    for d in Directive.objects.select_related("commune", "district", "province"):
        keys = rollup.commune_keys(d.commune)  # what the services write today
        assert (d.district, d.province) == (keys["district"], keys["province"])
