"""The demo carried through the 2025 reform: today's Phú Thọ with 148 communes and no district,
the 2022 picture intact as of 13/06/2022, the legal acts named, officers in their new units."""

import datetime
import random

import pytest

from caunoi.demo import builder, reform
from caunoi.people.models import Mandate, Role
from caunoi.territory import selectors
from caunoi.territory.models import Level, Restructuring, Unit


@pytest.mark.django_db
def test_the_demo_carries_phu_tho_2022_into_todays_phu_tho():
    builder.build(households_per_area=1, log=lambda *a: None)
    reform.build(rng=random.Random(1), households_per_area=1, log=lambda *a: None)
    assert reform.reformed()
    p = Unit.objects.get(level=Level.PROVINCE, code="25")
    today = selectors.unit_figures(selectors.unit_descendant_counts(p))
    assert today["districts"] == 0 and today["communes"] == 148
    assert dict(today["commune_kinds"]) == {"Xã": 133, "Phường": 15}
    then = selectors.unit_figures(
        selectors.unit_descendant_counts(p, on=datetime.date(2022, 6, 13))
    )
    assert (then["districts"], then["communes"], then["areas"]) == (13, 225, 2328)
    # Vĩnh Phúc and Hòa Bình as in 2022 (136 and 151 communes), Vĩnh Phúc's 2024 arrangement
    # (121 on 30/06/2025), then merged into Phú Thọ by the Quốc hội's resolution
    vinh_phuc = Unit.objects.get(level=Level.PROVINCE, code="26")
    hoa_binh = Unit.objects.get(level=Level.PROVINCE, code="17")
    for unit, day, communes in [
        (vinh_phuc, datetime.date(2022, 6, 13), 136),
        (hoa_binh, datetime.date(2022, 6, 13), 151),
        (vinh_phuc, datetime.date(2025, 6, 30), 121),
    ]:
        seen = selectors.unit_figures(selectors.unit_descendant_counts(unit, on=day))
        assert seen["communes"] == communes, (unit.name, day)
    merge = Restructuring.objects.get(kind=Restructuring.Kind.MERGE, results__level=Level.PROVINCE)
    assert merge.decision_number == "202/2025/QH15"
    assert {u.code for u in merge.sources.all()} == {"17", "25", "26"}
    communes = Restructuring.objects.filter(
        kind=Restructuring.Kind.MERGE, results__level=Level.COMMUNE
    )
    assert {r.decision_number for r in communes} == {"1676/NQ-UBTVQH15"}
    # signed in today, the Đồng Xuân officer works in the commune Đồng Xuân became
    (now,) = Mandate.objects.active().filter(
        person__username="xa.dongxuan", role=Role.COMMUNE_OFFICER
    )
    assert now.unit.name == "Xã Thanh Ba" and now.unit.parent == p
    assert not Mandate.objects.active().filter(person__username="huyen.thanhba").exists()
    # the sign-ins printed for the demo: no district officer (that level ended on 01/07/2025)
    listed = builder.accounts()
    assert [a for a in listed if a.login == "huyen.thanhba"] == []
    (officer,) = [a for a in listed if a.login == "xa.dongxuan"]
    assert officer.name.endswith("Xã Thanh Ba")
