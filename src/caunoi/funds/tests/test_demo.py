"""The demo's funds build on an area like Khu 1 of Đồng Xuân and verify."""

import pytest

from caunoi.funds import demo, selectors
from caunoi.funds.models import Expense, Fund
from caunoi.people.models import Role
from caunoi.testing import add_area, add_households, give, make_person

pytestmark = pytest.mark.django_db


def _khu1(world, households):
    khu1 = add_area(world.commune_a, 1)
    add_households(khu1, range(1, households + 1), members=3)
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
