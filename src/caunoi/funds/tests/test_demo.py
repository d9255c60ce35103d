"""The demo's funds build on an area like Khu 1 of Đồng Xuân and verify."""

import pytest

from caunoi.funds import demo, selectors
from caunoi.funds.models import Expense, Fund
from caunoi.people.models import Role
from caunoi.territory.models import AreaType, Kind
from caunoi.territory.services import household_create, unit_create
from caunoi.testing import give, make_person

pytestmark = pytest.mark.django_db


def _khu1(world, households):
    khu1 = unit_create(
        actor=None,
        kind=Kind.AREA,
        code="08119-01",
        name="Khu 1",
        short_name="Khu 1",
        parent=world.commune_a,
        area_type=AreaType.KHU,
    )
    for i in range(1, households + 1):
        household_create(
            actor=None,
            area=khu1,
            code=f"08119-01-{i:03d}",
            address=f"Số {i}",
            representative_name=f"Hộ {i}",
            representative_phone="",
            members=3,
        )
    give(make_person("Trưởng khu", phone="0912000099", password=None), Role.HEAD, khu1)
    return khu1


def test_demo_funds(world):
    khu1 = _khu1(world, 7)
    demo.build(log=lambda line: None)
    fund = Fund.objects.get(area=khu1)
    assert fund.decision is not None and fund.balance > 0
    assert selectors.fund_verdict(fund).ok
    assert Expense.objects.filter(fund=fund, status="pending").count() == 1
    assert Expense.objects.filter(fund=fund, status="approved").exclude(invoice="").count() == 1


@pytest.mark.parametrize("households", [1, 2])
def test_a_small_demo_keeps_a_fund_it_does_not_overspend(world, households):
    """`make demo HOUSEHOLDS=2` and the benchmarks' small demos: the decision still passes and
    nothing is spent that was not collected."""
    khu1 = _khu1(world, households)
    demo.build(log=lambda line: None)
    fund = Fund.objects.get(area=khu1)
    assert fund.decision is not None and fund.balance >= 0
    assert selectors.fund_verdict(fund).ok
    assert not Expense.objects.filter(fund=fund).exists()
