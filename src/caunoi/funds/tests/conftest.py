import datetime

import pytest
from django.db import connection

from caunoi.funds import guard, services
from caunoi.people.models import Role
from caunoi.testing import BANK, appoint, decide, make_fund

TODAY = datetime.date(2026, 3, 15)


@pytest.fixture(autouse=True)
def _english(english):
    """Messages are asserted by their English msgids (the root `english` fixture)."""


@pytest.fixture
def treasurer_a1(world):
    return appoint("Đặng Thị Lan", "0912000005", Role.TREASURER, world.area_a1)


@pytest.fixture
def fund(world):
    subject = "Lập Quỹ khuyến học, mỗi hộ đóng 100.000 đồng một năm"
    decision = decide(world, 120, 150, number="01/NQ-KDC", subject=subject)
    purpose = "Thưởng học sinh giỏi của khu"
    return make_fund(world, decision, purpose=purpose, **BANK, bank_account_name="Hoàng Văn Sơn")


def contribute(world, fund, amount=100_000, *, paid_on=datetime.date(2026, 3, 1), **kw):
    """A contribution of household_a1, recorded by its head (cash unless `method` says)."""
    kw.setdefault("method", "cash")
    return services.contribution_record(
        actor=world.head_a1,
        fund=fund,
        household=world.household_a1,
        amount=amount,
        paid_on=paid_on,
        **kw,
    )


def spend(world, fund, amount=1000, *, actor=None, **kw):
    """An expense of `fund`, recorded by the area's head unless `actor` says (pending until a
    second keeper approves it); paid to "X" for "Y" on 1 March 2026 unless `kw` says."""
    kw = {"payee": "X", "purpose": "Y", "spent_on": datetime.date(2026, 3, 1), **kw}
    return services.expense_record(actor=actor or world.head_a1, fund=fund, amount=amount, **kw)


def tamper(sql, params):
    """What someone with SQL access could do: switch the guard off and edit a row."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = replica")  # triggers off (superuser)
            cur.execute(sql, params)
            cur.execute("SET session_replication_role = DEFAULT")
        else:
            for drop in guard.remove_sql("sqlite"):
                cur.execute(drop)
            cur.execute(sql, params)
