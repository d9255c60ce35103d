"""Test fixtures' building blocks: a small territory with two neighbouring communes and one person
per role, built through the services as real users would."""

import datetime
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connections

from caunoi.people.models import Mandate, Person, Role
from caunoi.territory.models import AreaType, Household, Kind, Level, Unit
from caunoi.territory.services import household_create, unit_create

START = datetime.date(2021, 7, 1)


@dataclass
class World:
    province: Unit
    district: Unit
    commune_a: Unit
    commune_b: Unit
    area_a1: Unit
    area_a2: Unit
    area_b1: Unit
    household_a1: Household
    household_b1: Household
    province_officer: Person
    district_officer: Person
    officer_a: Person
    officer_b: Person
    head_a1: Person
    resident_a1: Person
    head_b1: Person
    inspector_a1: Person


def make_person(
    name: str,
    *,
    username: str | None = None,
    phone: str | None = None,
    password: str | None = "correct-horse-battery",
) -> Person:
    return Person.objects.create_user(
        username=username, phone=phone, full_name=name, password=password
    )


def give(person: Person, role: str, unit: Unit, **extra) -> Mandate:
    return Mandate.objects.create(person=person, role=role, unit=unit, start=START, **extra)


def appoint(name: str, phone: str, role: str, unit: Unit, **extra: Any) -> Person:
    """Someone who signs in by phone, holding `role` on `unit` from START."""
    person = make_person(name, phone=phone, password=None)
    give(person, role, unit, **extra)
    return person


def make_unit(
    kind: str, code: str, name: str, parent: Unit | None = None, *, short: str = "", **extra: Any
) -> Unit:
    """A unit made through the service (audited, its path and counts kept), its short name
    `short` or its name."""
    return unit_create(
        actor=None, kind=kind, code=code, name=name, short_name=short or name, parent=parent,
        **extra,
    )  # fmt: skip


def add_area(commune: Unit, n: int, **extra: Any) -> Unit:
    """Khu `n` of `commune` (code `<commune>-NN`), made through the service."""
    name = f"Khu {n}"
    fields: dict[str, Any] = {
        "kind": Kind.AREA,
        "name": name,
        "short_name": name,
        "area_type": AreaType.KHU,
    }
    return unit_create(
        actor=None, code=f"{commune.code}-{n:02d}", parent=commune, **fields, **extra
    )


def add_households(
    area: Unit,
    numbers: Iterable[int],
    *,
    members: int = 2,
    phone: Callable[[int], str] = lambda n: "",
) -> list[Household]:
    """Households `<area>-NNN` of `area` for each number (address "Số N", represented by "Hộ N"),
    made through the service; the area is read again (its kept household count)."""
    made = []
    for n in numbers:
        fields = {"address": f"Số {n}", "representative_name": f"Hộ {n}", "members": members}
        code = f"{area.code}-{n:03d}"
        made.append(
            household_create(
                actor=None, area=area, code=code, representative_phone=phone(n), **fields
            )
        )
    area.refresh_from_db()
    return made


def add_household(
    area: Unit, n: int, name: str = "", *, phone: str = "", address: str = "", members: int = 2
) -> Household:
    """Household `<area>-NNN` of `area`, represented by `name` (reachable at `phone`), made
    through the service; the area is not read again (`add_households` does)."""
    code = f"{area.code}-{n:03d}"
    fields = {"address": address, "representative_name": name, "representative_phone": phone}
    return household_create(actor=None, area=area, code=code, members=members, **fields)


def build_world() -> World:
    def unit(kind, code, name, short, parent=None, **kw):
        return make_unit(kind, code, name, parent, short=short, **kw)

    province = unit(Kind.PROVINCE, "25", "Tỉnh Phú Thọ", "Phú Thọ")
    district = unit(Kind.RURAL_DISTRICT, "230", "Huyện Thanh Ba", "Thanh Ba", province)
    commune_a = unit(Kind.COMMUNE, "08119", "Xã Đồng Xuân", "Đồng Xuân", district)
    commune_b = unit(Kind.COMMUNE, "08122", "Xã Hanh Cù", "Hanh Cù", district)
    area_a1 = unit(Kind.AREA, "08119-03", "Khu 3", "Khu 3", commune_a, area_type=AreaType.KHU)
    area_a2 = unit(Kind.AREA, "08119-04", "Khu 4", "Khu 4", commune_a, area_type=AreaType.KHU)
    area_b1 = unit(Kind.AREA, "08122-01", "Khu 1", "Khu 1", commune_b, area_type=AreaType.KHU)
    household_a1 = add_household(
        area_a1, 1, "Bùi Thị Thảo", phone="0912 000 111", address="Số 1, Khu 3", members=4
    )
    household_b1 = add_household(
        area_b1, 1, "Ngô Văn Hải", phone="0912000222", address="Số 1, Khu 1", members=3
    )
    units = {"province": province, "district": district, "commune_a": commune_a}
    units |= {"commune_b": commune_b, "area_a1": area_a1, "area_a2": area_a2, "area_b1": area_b1}
    w = World(
        **units,
        household_a1=household_a1,
        household_b1=household_b1,
        province_officer=make_person("Nguyễn Thị Hà", username="tinh"),
        district_officer=make_person("Trần Văn Bình", username="huyen"),
        officer_a=make_person("Lê Thị Nhung", username="xa_a", phone="0913000001"),
        officer_b=make_person("Phạm Văn Nam", username="xa_b"),
        head_a1=make_person("Hoàng Văn Sơn", phone="0912000001", password=None),
        resident_a1=make_person("Bùi Thị Thảo", phone="0912000111", password=None),
        head_b1=make_person("Đinh Văn Long", phone="0912000003", password=None),
        inspector_a1=make_person("Vũ Thị Mai", phone="0912000004", password=None),
    )
    give(w.province_officer, Role.PROVINCE_OFFICER, province)
    give(w.district_officer, Role.DISTRICT_OFFICER, district)
    give(w.officer_a, Role.COMMUNE_OFFICER, commune_a)
    give(w.officer_b, Role.COMMUNE_OFFICER, commune_b)
    give(w.head_a1, Role.HEAD, area_a1)
    give(w.resident_a1, Role.RESIDENT, area_a1, household=household_a1)
    give(w.head_b1, Role.HEAD, area_b1)
    give(w.inspector_a1, Role.INSPECTOR, area_a1)
    return w


def record_results(
    meeting: Any,
    *,
    actor: Person | None,
    results: dict,
    votes: int,
    chair: str = "Hoàng Văn Sơn",
    secretary: str = "Bùi Thị Thảo",
    **extra: Any,
) -> Any:
    """The meeting's minutes as its head types them: a chair and a secretary elected, and the
    voting method chosen by show of hands, each by `votes` households; `results` {item pk: (for,
    against, abstain)}; `extra` (e.g. `methods`, `chair_for`) passed on to the service."""
    from caunoi.meetings import services

    fields: dict[str, Any] = {"chair_for": votes, "secretary_for": votes, "method_for": votes}
    fields.update(extra)
    return services.results_record(
        actor=actor,
        meeting=meeting,
        chair_name=chair,
        secretary_name=secretary,
        method="hands",
        results=results,
        **fields,
    )


def decide(
    world: World,
    favour: int,
    total: int,
    *,
    actor: Person | None = None,
    area: Unit | None = None,
    number: str = "01/NQ",
    date: datetime.date = datetime.date(2026, 1, 10),
    method: str = "meeting",
    subject: str = "x",
) -> Any:
    """A residents' decision typed from its minutes (funds): `favour` of `total` households
    agreed (on Khu 3 by its head unless `area` and `actor` say)."""
    from caunoi.funds import services

    return services.decision_record(
        actor=actor or world.head_a1,
        area=area or world.area_a1,
        number=number,
        date=date,
        method=method,
        subject=subject,
        households_in_favour=favour,
        households_total=total,
    )


BANK = {"bank_bin": "970405", "bank_name": "Agribank", "bank_account": "3100205123456"}


def make_fund(
    world: World,
    decision: Any = None,
    *,
    name: str = "Quỹ khuyến học",
    kind: str = "study",
    purpose: str = "Thưởng học sinh giỏi",
    **extra: Any,
) -> Any:
    """A fund of Khu 3 opened by its head (`actor` and `area` in `extra` say otherwise) on
    `decision`; `extra` passed on to the service (e.g. `**BANK`)."""
    from caunoi.funds import services

    extra.setdefault("actor", world.head_a1)
    extra.setdefault("area", world.area_a1)
    return services.fund_create(name=name, kind=kind, purpose=purpose, decision=decision, **extra)


def fund_campaign(
    actor: Person,
    fund: Any,
    name: str,
    start: datetime.date,
    end: datetime.date,
    *,
    level: str = "household",
    amount: int | None = 100_000,
    decision: Any = None,
) -> Any:
    """A collection campaign of `fund` set up by `actor`, on the fund's own decision unless
    `decision` says."""
    from caunoi.funds import services

    fields: dict[str, Any] = {"level": level, "amount": amount, "start": start, "end": end}
    decision = decision or fund.decision
    return services.campaign_create(actor=actor, fund=fund, name=name, decision=decision, **fields)


def survey_campaign(
    world: World, title: str = "Đánh giá trưởng khu", *, days: int = 30, **extra: Any
) -> Any:
    """An open survey campaign (from yesterday to `days` days on) of the province on the built-in
    form, set up by the province officer; `extra` passed on to the service (`actor`, `unit`,
    `form`, `start`, `target`, ...)."""
    from caunoi.surveys import services

    today = datetime.date.today()
    extra.setdefault("actor", world.province_officer)
    extra.setdefault("unit", world.province)
    extra.setdefault("start", today - datetime.timedelta(days=1))
    if "form" not in extra:
        extra["form"] = services.form_builtin()
    return services.campaign_create(title=title, end=today + datetime.timedelta(days=days), **extra)


def plan_meeting(world: World, **kw: Any) -> Any:
    """A residents' meeting of Khu 3 called by its head a week from now (`kw` says otherwise:
    `actor`, `area`, `kind`, `title`, `starts_at`, `place`, `convener_name`, ...)."""
    from django.utils import timezone

    from caunoi.meetings import services

    kw.setdefault("kind", "regular")
    kw.setdefault("title", "Họp khu dân cư cuối năm 2026")
    kw.setdefault("starts_at", timezone.now() + datetime.timedelta(days=7))
    kw.setdefault("place", "Nhà văn hóa Khu 3")
    kw.setdefault("convener_name", "Hoàng Văn Sơn")
    return services.meeting_create(
        actor=kw.pop("actor", world.head_a1), area=kw.pop("area", world.area_a1), **kw
    )


def send_directive(
    world: World,
    *,
    due: datetime.date | None = None,
    send: bool = True,
    reason: str = "",
    **kw: Any,
) -> Any:
    """A commune's task for its areas, due in 30 days unless `due` says, sent (with `reason`, for
    a rushed one) unless `send` is false; `kw` passed on to the service: Đồng Xuân's officer to
    Khu 3 and Khu 4 unless `actor`, `commune` and `areas` say (`title`, `body`, `files`, ...)."""
    from django.utils import timezone

    from caunoi.directives import services

    kw.setdefault("actor", world.officer_a)
    kw.setdefault("commune", world.commune_a)
    kw.setdefault("areas", [world.area_a1, world.area_a2])
    kw.setdefault("title", "Rà soát hộ nghèo")
    kw.setdefault("body", "Lập danh sách hộ nghèo của khu.")
    kw.setdefault("category", "social")
    due = due or timezone.localdate() + datetime.timedelta(days=30)
    d = services.directive_create(due_date=due, **kw)
    return services.directive_send(actor=kw["actor"], directive=d, reason=reason) if send else d


def household_count_drift() -> dict:
    """{area code: (kept, real)} for every area whose kept household count is wrong."""
    from django.db.models import Count, Q

    rows = Unit.objects.filter(level=Level.AREA).annotate(
        real=Count("households", filter=Q(households__is_active=True))
    )
    return {u.code: (u.household_count, u.real) for u in rows if u.household_count != u.real}


def run_parallel(n: int, work: Callable[[], Any]) -> list[tuple[str, Any]]:
    """Run `work` in `n` threads released at once, each on its own database connection (PostgreSQL
    tests: `@pytest.mark.postgres` with `django_db(transaction=True)`). Returns ("ok", result) or
    ("error", exception) for each, in the order they finished."""
    barrier = threading.Barrier(n)
    results: list[tuple[str, Any]] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(("ok", work()))
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            results.append(("error", exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(results) == n
    return results


@dataclass
class TwoLevel:
    """A province of two-level Vietnam (since 1 July 2025): communes right under it."""

    province: Unit
    ward: Unit  # with the areas
    commune: Unit  # with none (an empty line in every roll-up)
    areas: list[Unit]
    province_officer: Person


def build_two_level(*, areas: int = 2) -> TwoLevel:
    """Tỉnh Vĩnh Phúc (26) beside the test world: Phường Xuân Hòa with `areas` tổ dân phố, and Xã
    Tam Đảo with none; a province officer."""

    unit = make_unit
    province = unit(Kind.PROVINCE, "26", "Tỉnh Vĩnh Phúc")
    ward = unit(Kind.WARD, "09001", "Phường Xuân Hòa", province)
    commune = unit(Kind.COMMUNE, "09002", "Xã Tam Đảo", province)
    area_list = [
        unit(Kind.AREA, f"09001-0{i}", f"Tổ dân phố {i}", ward, area_type=AreaType.TO_DAN_PHO)
        for i in range(1, areas + 1)
    ]
    officer = make_person("Cán bộ tỉnh Vĩnh Phúc", username="tinh.vinhphuc")
    give(officer, Role.PROVINCE_OFFICER, province)
    return TwoLevel(province, ward, commune, area_list, officer)


def get_as(client: Any, url: str, world: World, *who: str) -> dict[str, int]:
    """{who: the status of GET `url`} for each person of `world` named, in turn, signed in on
    `client` ("signed_out": nobody); the client is left as the last one named."""
    got = {}
    for name in who:
        if name == "signed_out":
            client.logout()
        else:
            client.force_login(getattr(world, name))
        got[name] = client.get(url).status_code
    return got


def json_body(response: Any) -> Any:
    """An API response's JSON, read as UTF-8."""
    import json

    return json.loads(response.content.decode("utf-8"))


def bearer(raw: str) -> dict[str, str]:
    """The test client's headers for a request with the API token `raw`."""
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def jpeg_with_gps() -> bytes:
    """A small JPEG carrying EXIF with a maker and a GPS block (what a phone camera writes)."""
    import io

    from PIL import Image

    im = Image.new("RGB", (64, 48), (200, 180, 160))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 17.0, 0.0), 3: "E", 4: (105.0, 12.0, 0.0)}
    out = io.BytesIO()
    im.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def tiny_pdf() -> bytes:
    """A real one-page PDF (uploads are judged by parsing: `%PDF-` alone is refused)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    return bytes(pdf.output())


REFORM_DAY = datetime.date(2025, 7, 1)


def reform_decision() -> Any:
    """The decision the 2025 reform of the communes rests on: resolution 1676/NQ-UBTVQH15 of the
    Ủy ban Thường vụ Quốc hội, 16/06/2025, in force on 01/07/2025."""
    from caunoi.territory.services import Decision

    return Decision(
        effective_date=REFORM_DAY,
        number="1676/NQ-UBTVQH15",
        date=datetime.date(2025, 6, 16),
        authority="Ủy ban Thường vụ Quốc hội",
    )


def vn_2025_province(code: int = 25) -> list:
    """One province of today's Vietnam as the vietnam-provinces package ships it (2025 layout)."""
    import json

    import vietnam_provinces

    data = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text())
    return [p for p in data if p["code"] == code]


def vn_province(
    name: str, code: int, wards: Iterable[tuple] = (), *, districts: Iterable[tuple] = ()
) -> dict:
    """One province as the vietnam-provinces package writes it: `wards` (name, code[, division
    type, "xã" unless said]) right under it, the 2025 layout; or, with `districts` (name, code,
    wards), under its districts ("huyện"), the 2022 layout."""

    def ward_list(rows: Iterable[tuple]) -> list[dict]:
        return [{"name": r[0], "code": r[1], "division_type": (*r[2:], "xã")[0]} for r in rows]

    province: dict[str, Any] = {"name": name, "code": code, "division_type": "tỉnh"}
    if districts:
        province["districts"] = [
            {"name": d, "code": c, "division_type": "huyện", "wards": ward_list(w)}
            for d, c, w in districts
        ]
    else:
        province["wards"] = ward_list(wards)
    return province


def reform_2025(world: World, two_level: TwoLevel) -> Unit:
    """Carry the test world through the 2025 reform: today's Tỉnh Phú Thọ (25) holds Xã Đồng
    Xuân, Xã Hanh Cù and Vĩnh Phúc's Phường Xuân Hòa right under it, imported as a new user would
    (vietnam-provinces 2025 layout, with the mapping that comes with the data); Huyện Thanh Ba is
    retired and Tỉnh Vĩnh Phúc merged into Phú Thọ on 01/07/2025. Returns the province."""
    from caunoi.territory.importers import vnprovinces
    from caunoi.territory.services import Decision

    wards = [
        (world.commune_a.name, 8119),
        (world.commune_b.name, 8122),
        (two_level.ward.name, 9001, "phường"),
        (two_level.commune.name, 9002),
    ]
    data = [vn_province("Phú Thọ", 25, wards)]
    decision = Decision(effective_date=REFORM_DAY, number="1676/NQ-UBTVQH15")
    report = vnprovinces.import_units(data, actor=None, decision=decision)
    assert report.ok, report.errors
    world.province.refresh_from_db()
    return world.province


def celery_worker_env(tmp_path, queue: str, **extra: str) -> dict[str, str]:
    """The environment of a real Celery worker (and of `manage.py` runs beside it) for a test on
    PostgreSQL: this test database, the Redis at TEST_REDIS_URL as broker, its own queue."""
    import os

    from django.db import connection

    db = connection.settings_dict
    url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    root = Path(__file__).resolve().parents[2]
    return {
        **os.environ,
        "PYTHONPATH": str(root / "src"),
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/2"),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CAUNOI_VAR_DIR": str(tmp_path),
        "DEBUG": "0",
        "SECRET_KEY": "test-only",
        **extra,
    }
