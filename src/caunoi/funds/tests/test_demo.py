"""The demo's funds build on an area like Khu 1 of Đồng Xuân and verify."""

import pytest

from caunoi.funds import demo, selectors
from caunoi.funds.models import Expense, Fund
from caunoi.people.models import Role
from caunoi.territory.models import AreaType, Kind
from caunoi.territory.services import household_create, unit_create
from caunoi.testing import give, make_person

pytestmark = pytest.mark.django_db


def test_demo_funds(world):
    khu1 = unit_create(
        actor=None,
        kind=Kind.AREA,
        code="08119-01",
        name="Khu 1",
        short_name="Khu 1",
        parent=world.commune_a,
        area_type=AreaType.KHU,
    )
    for i in range(1, 8):
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
    demo.build(log=lambda line: None)
    fund = Fund.objects.get(area=khu1)
    assert fund.decision is not None and fund.balance > 0
    assert selectors.fund_verdict(fund).ok
    assert Expense.objects.filter(fund=fund, status="pending").count() == 1
    assert Expense.objects.filter(fund=fund, status="approved").exclude(invoice="").count() == 1
