"""Builds Phú Thọ as the 2022 article saw it: 13 district-level units, 225 commune-level units
(197 xã, 11 thị trấn, 17 phường) from the `vietnam-provinces` 0.5.0 data shipped in `data/`, 2,328
residential areas with a head each, households around 170 per area, and one demo account per role.

Deterministic for a seed. Units go through the importer and services (audited); the ~400,000
households and 2,328 heads are bulk-inserted, as a one-off data load rather than user writes.
"""

import datetime
import random
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from caunoi.core.text import search_key
from caunoi.directives import demo as directives_demo
from caunoi.elections import demo as elections_demo
from caunoi.feedback import demo as feedback_demo
from caunoi.funds import demo as funds_demo
from caunoi.meetings import demo as meetings_demo
from caunoi.outreach import demo as outreach_demo
from caunoi.people import demo as people_demo
from caunoi.people.models import Mandate, Person, Role
from caunoi.surveys import demo as surveys_demo
from caunoi.territory.importers import vnprovinces
from caunoi.territory.models import AreaType, Household, Kind, Level, Unit, UnitVersion
from caunoi.territory.services import household_counts_refresh, unit_key_parts

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATA = Path(__file__).parent / "data" / "phu_tho_2022.json"
PROVINCE_CODE = "25"
AREAS_TOTAL = 2328
DENSITY: dict[str, float] = {Kind.WARD: 2.2, Kind.TOWNSHIP: 1.7, Kind.COMMUNE: 1.0}
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đỗ",
    "Bùi",
    "Đặng",
    "Ngô",
    "Dương",
    "Hà",
    "Đinh",
    "Cao",
    "Phan",
    "Lương",
    "Triệu",
    "Kiều",
]
MIDDLE_M = ["Văn", "Đức", "Minh", "Hữu", "Quang", "Xuân", "Đình", "Công", "Tiến"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Kim"]
GIVEN_M = [
    "Hùng",
    "Dũng",
    "Tuấn",
    "Sơn",
    "Bình",
    "Thắng",
    "Hải",
    "Long",
    "Nam",
    "Quý",
    "Tâm",
    "Thành",
    "Trung",
    "Việt",
    "Cường",
    "Hòa",
    "Lâm",
    "Toàn",
]
GIVEN_F = [
    "Lan",
    "Hương",
    "Mai",
    "Hoa",
    "Hạnh",
    "Thủy",
    "Nga",
    "Yến",
    "Liên",
    "Phượng",
    "Hằng",
    "Loan",
    "Vân",
    "Thảo",
    "Dung",
    "Huyền",
]


@dataclass
class DemoAccount:
    role: "StrOrPromise"  # the role's label, translated when shown
    name: str
    login: str
    how: str


def _name(rng: random.Random) -> str:
    if rng.random() < 0.55:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"


def allocate_areas(communes: list[Unit], total: int, rng: random.Random) -> list[int]:
    """Areas per commune: proportional to a density weight with noise, at least 3, summing to total
    (largest remainder)."""
    weights = [DENSITY.get(c.kind, 1.0) * rng.uniform(0.7, 1.3) for c in communes]
    floor = 3
    spare = total - floor * len(communes)
    shares = [spare * w / sum(weights) for w in weights]
    counts = [floor + int(s) for s in shares]
    order = sorted(range(len(communes)), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def demo_exists() -> bool:
    return Unit.objects.filter(level=Level.PROVINCE, code=PROVINCE_CODE).exists()


@transaction.atomic
def build(
    *,
    seed: int | None = None,
    households_per_area: int = 170,
    area_count: int = AREAS_TOTAL,
    tasks_per_commune: int = 50,
    log=print,
) -> None:
    """The demo; `area_count` (at least 3 per commune) and `tasks_per_commune` make it smaller
    for the benchmarks' smoke runs, `households_per_area` down to 1."""
    rng = random.Random(settings.DEMO_SEED if seed is None else seed)
    report = vnprovinces.import_units(DATA, actor=None, provinces={PROVINCE_CODE})
    if not report.ok:
        raise RuntimeError(f"demo data refused: {report.errors[:3]}")
    log(f"  territory: {report.created}")
    province = Unit.objects.get(level=Level.PROVINCE, code=PROVINCE_CODE)
    communes = list(
        Unit.objects.filter(level=Level.COMMUNE, path__startswith=province.path)
        .select_related("parent")
        .order_by("parent__code", "code")
    )
    counts = allocate_areas(communes, max(area_count, 3 * len(communes)), rng)
    populate(communes, counts, rng, households_per_area=households_per_area, log=log)
    _create_accounts(province)
    funds_demo.build(log=log)
    outreach_demo.build(log=log)
    people_demo.build(seed=rng.randrange(10**6), log=log)
    directives_demo.build(seed=rng.randrange(10**6), per_commune=tasks_per_commune, log=log)
    feedback_demo.build(province=province, log=log)
    surveys_demo.build(province=province, rng=rng, log=log)
    meetings_demo.build(log=log)
    funds_demo.build_from_meeting(log=log)
    elections_demo.build(log=log)


def populate(
    communes: list[Unit],
    counts: list[int],
    rng: random.Random,
    *,
    households_per_area: int,
    phone_prefix: str = "097",
    log=print,
) -> list[Unit]:
    """`counts[i]` numbered areas ("Khu 1"…) for each commune (under a district), a head for each
    (phones "<prefix>NNNNNNN") and households around `households_per_area` each; bulk-inserted."""
    areas = []
    for commune, n in zip(communes, counts, strict=True):
        for number in range(1, n + 1):
            areas.append(
                Unit(
                    level=Level.AREA,
                    code=f"{commune.code}-{number:02d}",
                    kind=Kind.AREA,
                    area_type=AreaType.KHU,
                    name=f"Khu {number}",
                    short_name=f"Khu {number}",
                    parent=commune,
                    path="",
                    search_key="",
                )
            )
    Unit.objects.bulk_create(areas, batch_size=1000)
    areas = list(
        Unit.objects.filter(level=Level.AREA, path="").select_related("parent__parent__parent")
    )
    for area in areas:
        parent = area.parent
        assert parent is not None and parent.parent is not None  # a commune, under its district
        assert parent.parent.parent is not None  # and its province
        area.path = f"{parent.path}{area.pk}/"
        area.search_key = unit_key_parts(area, [parent.parent.parent, parent.parent, parent])
    Unit.objects.bulk_update(areas, ["path", "search_key"], batch_size=1000)
    UnitVersion.objects.bulk_create(
        [UnitVersion.of(a) for a in areas],
        batch_size=1000,
    )
    log(f"  residential areas: {len(areas)}")

    heads = []
    for i in range(len(areas)):
        heads.append(
            Person(
                full_name=_name(rng),
                phone=f"{phone_prefix}{i:07d}",
                password="!",
                phone_public=rng.random() < 0.6,
            )
        )
    Person.objects.bulk_create(heads, batch_size=1000)
    heads = list(Person.objects.filter(phone__startswith=phone_prefix).order_by("phone"))
    Mandate.objects.bulk_create(
        [
            Mandate(
                person=p,
                role=Role.HEAD,
                unit=a,
                start=datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(0, 900)),
                decision_number=f"{rng.randrange(10, 400)}/QĐ-UBND",
            )
            for p, a in zip(heads, areas, strict=True)
        ],
        batch_size=1000,
    )
    log(f"  heads: {len(heads)}")

    total = 0
    batch: list[Household] = []
    for area in areas:
        parent = area.parent
        assert parent is not None  # the commune, loaded with the areas
        n = (
            households_per_area
            if households_per_area < 20
            else max(40, min(400, int(rng.gauss(households_per_area, households_per_area * 0.25))))
        )
        for k in range(1, n + 1):
            rep = _name(rng)
            address = f"Số {k}, {area.name}, {parent.short_name}"
            code = f"{area.code}-{k:03d}"
            batch.append(
                Household(
                    area=area,
                    code=code,
                    address=address,
                    representative_name=rep,
                    representative_phone=f"09{rng.randrange(10**8):08d}"
                    if rng.random() < 0.8
                    else "",
                    members=max(1, min(12, int(rng.gauss(3.6, 1.4)))),
                    search_key=search_key(code, rep, address),
                )
            )
        if len(batch) >= 20000:
            Household.objects.bulk_create(batch)
            total += len(batch)
            batch = []
    Household.objects.bulk_create(batch)
    total += len(batch)
    household_counts_refresh([a.pk for a in areas])
    log(f"  households: {total}")
    return areas


DEMO_LOGINS = [
    (Role.PROVINCE_OFFICER, "tinh.phutho"),
    (Role.DISTRICT_OFFICER, "huyen.thanhba"),
    (Role.COMMUNE_OFFICER, "xa.dongxuan"),
    (Role.HEAD, "0912000001"),
    (Role.RESIDENT, "0912000002"),
    (Role.TREASURER, "0912000051"),
    (Role.SYSADMIN, "admin"),
]


def accounts() -> list[DemoAccount]:
    """The demo's sign-ins, one per role, read back from the database."""
    found = []
    for role, login in DEMO_LOGINS:
        person = (
            Person.objects.filter(username=login).first()
            or Person.objects.filter(phone=login).first()
        )
        if person is None:
            continue
        # today's mandate of that role: a district officer's ended with the district level
        # (01/07/2025), so they are not offered; the commune officer's is the commune Đồng
        # Xuân became
        mandates = person.mandates.active().select_related("unit")
        place = mandates.filter(role=role).order_by("-start").first()
        if place is None and role not in (Role.RESIDENT, Role.SYSADMIN):
            continue
        place = place or mandates.order_by("-start").first()
        where = f"{place.unit.name}" if place and place.unit else ""
        how = (
            f"password {settings.DEMO_PASSWORD}"
            if person.has_usable_password()
            else "one-time code (printed by the server)"
        )
        found.append(
            DemoAccount(Role(role).label, f"{person.full_name}, {where}".strip(", "), login, how)
        )
    return found


def _create_accounts(province: Unit) -> None:
    password = settings.DEMO_PASSWORD
    thanh_ba = Unit.objects.get(
        level=Level.DISTRICT, path__startswith=province.path, short_name="Thanh Ba"
    )
    dong_xuan = Unit.objects.get(
        level=Level.COMMUNE, path__startswith=thanh_ba.path, short_name="Đồng Xuân"
    )
    khu = Unit.objects.get(level=Level.AREA, parent=dong_xuan, code=f"{dong_xuan.code}-01")
    start = datetime.date(2021, 7, 1)

    def official(username, name, role, unit):
        person = Person.objects.create_user(username=username, password=password, full_name=name)
        Mandate.objects.create(person=person, role=role, unit=unit, start=start)

    for args in [
        ("tinh.phutho", "Nguyễn Thị Thanh Hà", Role.PROVINCE_OFFICER, province),
        ("huyen.thanhba", "Trần Văn Bình", Role.DISTRICT_OFFICER, thanh_ba),
        ("xa.dongxuan", "Lê Thị Hồng Nhung", Role.COMMUNE_OFFICER, dong_xuan),
    ]:
        official(*args)
    head = Mandate.objects.select_related("person").get(unit=khu, role=Role.HEAD).person
    head.full_name = "Hoàng Văn Sơn"
    head.phone = "0912000001"
    head.phone_public = True
    head.save(update_fields=["full_name", "phone", "phone_public"])
    household = khu.households.order_by("code").first()
    assert household is not None  # bulk-inserted above
    resident = Person.objects.create_user(
        phone="0912000002", full_name=household.representative_name
    )
    household.representative_phone = resident.phone
    household.save(update_fields=["representative_phone"])
    Mandate.objects.create(
        person=resident, role=Role.RESIDENT, unit=khu, household=household, start=start
    )
    Person.objects.create_superuser("admin", password, full_name="Quản trị hệ thống")
