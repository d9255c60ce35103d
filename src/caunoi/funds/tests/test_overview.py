"""The funds' overview on the territory roll-up: the same areas, flags and balances as a plain
recount of the funds on every level, in a province with districts (2022) and one without (today),
in a fixed number of queries; the migration fills the funds' level keys from the units' paths."""

import datetime
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from caunoi.funds import policy, selectors, services
from caunoi.funds.models import Contribution, Expense, Fund
from caunoi.territory import rollup
from caunoi.territory.selectors import in_order
from caunoi.territory.services import household_create
from caunoi.testing import build_two_level, jpeg_with_gps

pytestmark = pytest.mark.django_db


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("hoa-don.jpg", jpeg_with_gps(), content_type="image/jpeg")


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def vinh_phuc(world):
    """A two-level province: communes right under it; the second keeps no fund."""
    two = build_two_level(areas=3)
    return two.province, two.ward, two.commune, two.areas, two.province_officer


@pytest.fixture
def funds(world, vinh_phuc, fund, treasurer_a1):
    """Funds clean and flagged for each reason, two on one area, in both provinces."""
    _province, _xuan_hoa, _tam_dao, areas, _follower = vinh_phuc

    def household(area):
        return household_create(actor=None, area=area, representative_name=f"Hộ {area.code}")

    def income(f, amount, *, on, expense=None, invoice=None):
        h = household(f.area) if f.area != world.area_a1 else world.household_a1
        services.contribution_record(
            actor=None, fund=f, household=h, amount=amount, method="cash", paid_on=on
        )
        if expense:
            e = services.expense_record(
                actor=None,
                fund=f,
                amount=expense,
                payee="Cửa hàng",
                purpose="Mua vở",
                spent_on=on,
                invoice=invoice,
            )
            services.expense_approve(actor=world.head_a1, expense=e)

    def new(area, name="Quỹ khuyến học", kind="study"):
        return services.fund_create(actor=None, area=area, name=name, kind=kind, purpose="Giúp")

    # Khu 3 (a1): decided, fresh, its expense with an invoice; a second fund, bare and silent
    income(fund, 200_000, on=days_ago(3), expense=50_000, invoice=photo())
    new(world.area_a1, "Quỹ đường", "works")
    # Khu 4 (a2): no decision behind its contributions, an expense without invoice
    income(new(world.area_a2, "Quỹ vì người nghèo", "poor"), 90_000, on=days_ago(10), expense=10)
    # Khu 1 of Hanh Cù (b1): silent for too long
    income(new(world.area_b1), 30_000, on=days_ago(policy.SILENT_DAYS.value + 5))
    # Vĩnh Phúc: one clean-but-loose area, one silent area, one without a fund
    income(new(areas[0]), 10_000, on=days_ago(1))
    new(areas[1], "Quỹ nhân đạo", "social")


def recount(unit, today=None) -> dict:
    """{area: (funds, balance, flags)} on `unit`'s ground, counted in Python (the old way)."""
    since = (today or timezone.localdate()) - datetime.timedelta(days=policy.SILENT_DAYS.value)
    out = {}
    for f in Fund.objects.filter(area__path__startswith=unit.path).select_related("area"):
        n, balance, last = out.get(f.area, (0, 0, None))[:3]
        last = max(filter(None, [last, f.last_entry_on]), default=None)
        out[f.area] = (n + 1, balance + f.balance, last)
    flags = {}
    for area, (n, balance, last) in out.items():
        loose = Contribution.objects.filter(
            fund__area=area, fund__decision__isnull=True, campaign__isnull=True
        ).exists()
        approved = Expense.objects.filter(fund__area=area, status=Expense.Status.APPROVED)
        unbilled = approved.filter(invoice="").exists()
        silent = last is None or last < since
        flags[area] = (n, balance, (loose, unbilled, silent))
    return flags


def shown(line) -> tuple:
    f = line.figures
    return (f.funds, f.balance, (bool(f.loose), bool(f.unbilled), bool(f.silent)))


def test_every_level_of_both_shapes_has_the_flags_of_a_recount(world, vinh_phuc, funds):
    province_26, xuan_hoa, _tam_dao, areas, _follower = vinh_phuc
    for commune in (world.commune_a, world.commune_b, xuan_hoa):
        overview = selectors.fund_overview(unit=commune)
        assert {line.unit: shown(line) for line in overview.areas} == recount(commune)
        assert overview.communes == []
    assert [line.figures.flags for line in selectors.fund_overview(unit=world.commune_a).areas] == [
        [],  # Khu 3: one fund fresh and decided is enough
        ["contribution with no decision behind it", "expense with no invoice"],
    ]
    for unit in (world.province, world.district, province_26, xuan_hoa):
        overview = selectors.fund_overview(unit=unit)
        expected = recount(unit)
        assert overview.total.areas == len(expected)
        assert overview.total.flagged == sum(any(flags) for _n, _b, flags in expected.values())
        assert overview.total.balance == sum(b for _n, b, _f in expected.values())
        assert overview.total.funds == sum(n for n, _b, _f in expected.values())
        for line in overview.communes:
            mine = {a: v for a, v in expected.items() if a.parent == line.unit}
            assert (line.figures.areas, line.figures.flagged) == (
                len(mine),
                sum(any(flags) for _n, _b, flags in mine.values()),
            )
    # a province lists its communes through its districts, or right under it; only those with funds
    three = selectors.fund_overview(unit=world.province)
    assert [line.unit for line in three.communes] == [world.commune_a, world.commune_b]
    two = selectors.fund_overview(unit=province_26)
    assert [line.unit for line in two.communes] == [xuan_hoa]
    assert (two.total.areas, two.total.flagged) == (2, 2)  # loose, and silent
    assert [(k.kind, k.funds) for k in two.kinds] == [
        (Fund.Kind.SOCIAL.label, 1),
        (Fund.Kind.STUDY.label, 1),
    ]


def test_the_pages_keep_their_number_of_queries(
    world, vinh_phuc, funds, client_for, django_assert_num_queries
):
    def page(level, code):
        return reverse("funds:overview", args=[level, code])

    c = client_for(world.province_officer)
    c.get(page("tinh", "25"))  # the session, once
    # the page's own reads and the overview's four: its total, the units (or the children), one
    # grouped query of lines, the kinds of fund
    with django_assert_num_queries(8):
        html = c.get(page("tinh", "25")).content.decode()
    assert "/xa/08119/quy/" in html and "/xa/08122/quy/" in html
    with django_assert_num_queries(9):  # and one for the breadcrumbs' ancestors
        c.get(page("huyen", "230"))
    with django_assert_num_queries(9):
        html = c.get(page("xa", "08119")).content.decode()
    assert "expense with no invoice" in html and "/khu/08119-04/quy/" in html
    c = client_for(vinh_phuc[4])
    c.get(page("tinh", "26"))
    with django_assert_num_queries(8):
        html = c.get(page("tinh", "26")).content.decode()
    assert "Phường Xuân Hòa" in html and "Xã Tam Đảo" not in html


def test_funds_follow_an_area_moved_to_another_commune(world, funds):
    area = world.area_a2
    area.parent = world.commune_b
    area.path = f"{world.commune_b.path}{area.pk}/"
    area.save()
    assert rollup.rekey([area]) >= 1  # Fund is a registered fact
    overview = selectors.fund_overview(unit=world.commune_b)
    assert [line.unit for line in overview.areas] == in_order([world.area_a2, world.area_b1])
    assert selectors.fund_overview(unit=world.commune_a).total.areas == 1


def test_the_migration_fills_the_level_keys_from_the_paths(world, vinh_phuc, funds):
    migration = import_module("caunoi.funds.migrations.0004_level_keys")
    expected = {f.pk: (f.commune_id, f.district_id, f.province_id) for f in Fund.objects.all()}
    assert {p for _c, _d, p in expected.values()} == {world.province.pk, vinh_phuc[0].pk}
    assert None in {d for _c, d, _p in expected.values()}  # Vĩnh Phúc has no district
    Fund.objects.update(commune=world.province, district=None, province=world.district)

    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.keys_from_paths(apps, editor)
    assert {f.pk: (f.commune_id, f.district_id, f.province_id) for f in Fund.objects.all()} == (
        expected
    )
    for f in Fund.objects.select_related("area", "commune", "district", "province"):
        keys = rollup.ground_keys(f.area)  # what the services write today
        assert (f.commune, f.district, f.province) == (
            keys["commune"],
            keys["district"],
            keys["province"],
        )
