"""Carries the Phú Thọ 2022 demo through the reform of 1 July 2025 into today's Phú Thọ.

* The former Vĩnh Phúc and Hòa Bình (their districts and communes as on 30/06/2025, from
  `vietnamadminunits`) get generated residential areas, heads and households;
* today's Phú Thọ (148 commune-level units, no district; `vietnam-provinces` 2025.10.1) is imported
  over the three provinces in one import, with the mapping that comes with the data: mergers,
  renamings, transfers, retired districts, the two provinces merged into Phú Thọ;
* the legal acts are named: Nghị quyết 202/2025/QH15 of the Quốc hội (12/06/2025) on arranging
  province-level units, and Nghị quyết 1676/NQ-UBTVQH15 of the Ủy ban Thường vụ Quốc hội
  (16/06/2025) on arranging the commune-level units of Phú Thọ;
* officers follow their units: the Đồng Xuân officer works in the commune Đồng Xuân became, the
  Thanh Ba district officer's mandate ends with the district.

Everything before 1 July 2025 still reads as it was (`?ngay=13/06/2022`)."""

import datetime
import json
import random
from pathlib import Path

import vietnam_provinces
from django.db import transaction

from caunoi.people.models import Mandate, Role
from caunoi.people.services import mandate_create, mandate_end
from caunoi.territory import vnunits
from caunoi.territory.importers import vnprovinces
from caunoi.territory.models import Level, Restructuring, Unit
from caunoi.territory.services import Decision

from .builder import PROVINCE_CODE, populate

JULY_2025 = datetime.date(2025, 7, 1)
FORMER = {"17", "26"}  # Tỉnh Hòa Bình, Tỉnh Vĩnh Phúc
COMMUNES_ACT = Decision(
    effective_date=JULY_2025,
    number="1676/NQ-UBTVQH15",
    date=datetime.date(2025, 6, 16),
    authority="Ủy ban Thường vụ Quốc hội",
    note="Sắp xếp các đơn vị hành chính cấp xã của tỉnh Phú Thọ năm 2025",
)
PROVINCES_ACT = {
    "decision_number": "202/2025/QH15",
    "decision_date": datetime.date(2025, 6, 12),
    "decision_authority": "Quốc hội",
    "note": "Sắp xếp đơn vị hành chính cấp tỉnh: Phú Thọ, Vĩnh Phúc và Hòa Bình thành tỉnh Phú Thọ",
}


def reformed() -> bool:
    return Unit.objects.filter(level=Level.PROVINCE, code="26").exclude(valid_to=None).exists()


# Vĩnh Phúc's communes were rearranged once between 2022 and 2025 (136 → 121: the Ủy ban Thường
# vụ Quốc hội's arrangement of the 2023–2025 period, decided at its session of 14/11/2024; the
# resolution's number is not in domain.md nor in the packages' data, so it is not invented here).
ARRANGEMENT_2024 = Decision(
    effective_date=datetime.date(2025, 1, 1),
    number="",
    date=datetime.date(2024, 11, 14),
    authority="Ủy ban Thường vụ Quốc hội",
    note="Sắp xếp đơn vị hành chính cấp huyện, cấp xã tỉnh Vĩnh Phúc giai đoạn 2023–2025",
)
FORMER_2022 = Path(__file__).parent / "data" / "vinh_phuc_hoa_binh_2022.json"


@transaction.atomic
def build(*, rng: random.Random, households_per_area: int = 170, log=print) -> None:
    # Vĩnh Phúc and Hòa Bình as in 2022 (vietnam-provinces 0.5.0, as Phú Thọ 2022), then as on
    # 30/06/2025 (vietnamadminunits): the 2024 arrangement in between
    report = vnprovinces.import_units(FORMER_2022.read_bytes(), actor=None)
    if not report.ok:
        raise RuntimeError(f"former provinces (2022) refused: {report.errors[:3]}")
    report = vnprovinces.import_units(
        vnunits.legacy_provinces(FORMER), actor=None, decision=ARRANGEMENT_2024
    )
    if not report.ok:
        raise RuntimeError(f"former provinces (30/06/2025) refused: {report.errors[:3]}")
    log(f"  Vĩnh Phúc and Hòa Bình, 2022 → 30/06/2025: {report.changed}")
    communes = list(
        Unit.objects.filter(level=Level.COMMUNE, parent__parent__code__in=FORMER)
        .select_related("parent")
        .order_by("parent__code", "code")
    )
    log(f"  Vĩnh Phúc and Hòa Bình (30/06/2025): {len(communes)} communes")
    # fewer areas and households than Phú Thọ 2022, so the demo still builds in minutes
    counts = [rng.randint(3, 6) for _c in communes]
    populate(
        communes,
        counts,
        rng,
        households_per_area=min(households_per_area, 40),
        phone_prefix="096",
        log=log,
    )
    data = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    today = [p for p in data if f"{p['code']:02d}" == PROVINCE_CODE]
    report = vnprovinces.import_units(today, actor=None, decision=COMMUNES_ACT)
    if not report.ok:
        raise RuntimeError(f"the 2025 reform refused: {report.errors[:3]}")
    log(f"  the 2025 reform: {report.changed}, {len(report.mapping)} lines of the mapping")
    Restructuring.objects.filter(
        kind=Restructuring.Kind.MERGE, results__level=Level.PROVINCE, effective_date=JULY_2025
    ).update(**PROVINCES_ACT)
    _officers_follow()


def _officers_follow() -> None:
    """Officers of a unit the reform retired: their mandate ends on 01/07/2025; a commune
    officer goes on in the commune that took the former commune's areas."""
    day = JULY_2025
    for mandate in (
        Mandate.objects.active(on=day - datetime.timedelta(days=1))
        .filter(role__in=[Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER], unit__valid_to=day)
        .select_related("unit", "person")
    ):
        mandate_end(actor=None, mandate=mandate, end=day, note=COMMUNES_ACT.number)
        if mandate.role != Role.COMMUNE_OFFICER:
            continue
        successor = _successor(mandate.unit)
        if successor is not None:
            mandate_create(
                actor=None,
                person=mandate.person,
                role=mandate.role,
                unit=successor,
                start=day,
                decision_number=COMMUNES_ACT.number,
                decision_date=COMMUNES_ACT.date,
            )


def _successor(unit: Unit) -> Unit | None:
    """The current commune that the merge of `unit` resulted in."""
    merge = unit.restructurings_out.filter(kind=Restructuring.Kind.MERGE).first()
    if merge is None:
        return None
    return merge.results.filter(level=unit.level, valid_to__isnull=True).first()
