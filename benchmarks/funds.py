"""Funds benchmark: a province whose areas' ledgers hold N entries in all (`FUNDS_BENCH_N`,
default 1,000,000; `FUNDS_BENCH_AREAS`, default 2,328 areas, one fund each).

    PYTHONPATH=src .venv/bin/python benchmarks/funds.py            # full size
    FUNDS_BENCH_N=100000 PYTHONPATH=src .venv/bin/python benchmarks/funds.py

Builds once into var/bench-funds/ (SQLite; delete it to rebuild, or set BENCH_DATABASE_URL to an
existing PostgreSQL database) with valid hash chains, then times in one run, in-process through
Django's test client: /healthz (the baseline), an area's public fund page (which re-verifies that
fund's chain on every view), the area's funds page, the statements (PDF and xlsx, six months),
the province overview; and, outside HTTP, the full chain verification of every fund against a
plain scan of the very same rows (same query, no hashing). Prints medians and ratios.
"""

import datetime
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("CAUNOI_VAR_DIR", str(ROOT / "var" / "bench-funds"))
os.environ["DJANGO_SETTINGS_MODULE"] = "caunoi.settings"
os.environ["DEBUG"] = "0"
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["ALLOWED_HOSTS"] = "testserver"
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
else:
    os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

(Path(os.environ["CAUNOI_VAR_DIR"]) / "static").mkdir(parents=True, exist_ok=True)
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from caunoi.funds import chain, selectors  # noqa: E402
from caunoi.funds.models import Entry, Fund  # noqa: E402
from caunoi.people.models import Mandate, Person, Role  # noqa: E402
from caunoi.territory.models import AreaType, Kind, Level, Unit, UnitVersion  # noqa: E402
from caunoi.territory.services import unit_create  # noqa: E402

override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
).enable()

logging.getLogger("fontTools").setLevel(logging.WARNING)
N = int(os.environ.get("FUNDS_BENCH_N", "1000000"))
AREAS = int(os.environ.get("FUNDS_BENCH_AREAS", "2328"))
REPS = int(os.environ.get("FUNDS_BENCH_REPS", "15"))
PROVINCE = "99"
TODAY = datetime.date.today()


@transaction.atomic
def build() -> None:
    print(f"Building a province with {AREAS} areas and {N:,} ledger entries …")
    started = time.perf_counter()
    province = unit_create(actor=None, kind=Kind.PROVINCE, code=PROVINCE, name="Tỉnh Thử")
    communes = [
        unit_create(
            actor=None, kind=Kind.COMMUNE, code=f"99{i:03d}", name=f"Xã Thử {i}", parent=province
        )
        for i in range(max(1, AREAS // 10))
    ]
    areas = [
        Unit(
            level=Level.AREA,
            code=f"{communes[i % len(communes)].code}-{i:04d}",
            kind=Kind.AREA,
            area_type=AreaType.KHU,
            name=f"Khu {i}",
            short_name=f"Khu {i}",
            parent=communes[i % len(communes)],
            path="",
            search_key="",
        )
        for i in range(AREAS)
    ]
    Unit.objects.bulk_create(areas, batch_size=2000)
    areas = list(Unit.objects.filter(level=Level.AREA, path="").select_related("parent"))
    for a in areas:
        a.path = f"{a.parent.path}{a.pk}/"
    Unit.objects.bulk_update(areas, ["path"], batch_size=2000)
    UnitVersion.objects.bulk_create([UnitVersion.of(a) for a in areas], batch_size=2000)
    funds = Fund.objects.bulk_create(
        [
            Fund(
                area=a,
                commune=a.parent,  # a province without districts: the keys are known here
                province=province,
                name="Quỹ khuyến học",
                kind="study",
                purpose="Khen thưởng học sinh",
            )
            for a in areas
        ],
        batch_size=2000,
    )
    per_fund = max(1, -(-N // len(funds)))  # at least N in all
    span = 730
    batch = []
    for f, a in zip(funds, areas, strict=True):
        prev, balance = chain.GENESIS, 0
        for seq in range(1, per_fund + 1):
            amount = 100_000 if seq % 5 else -150_000
            if balance + amount < 0:
                amount = 100_000
            balance += amount
            booked = TODAY - datetime.timedelta(days=span - (seq * span) // per_fund)
            fields = {
                "seq": seq,
                "kind": "contribution" if amount > 0 else "expense",
                "amount": amount,
                "balance": balance,
                "booked_on": booked,
                "description": "Đóng góp năm" if amount > 0 else "Mua vở thưởng học sinh giỏi",
                "household_ref": f"{a.code}-{seq % 170:03d}" if amount > 0 else "",
                "document": f"PT{seq:05d}" if amount > 0 else f"C{seq:04d}",
            }
            h, seal = chain.link(prev, fund_id=f.pk, reverses_seq=None, **fields)
            batch.append(Entry(fund=f, **fields, prev_hash=prev, hash=h, seal=seal))
            prev = h
        f.last_seq, f.last_hash, f.balance, f.last_entry_on = per_fund, prev, balance, TODAY
        if len(batch) >= 20000:
            Entry.objects.bulk_create(batch)
            batch = []
    Entry.objects.bulk_create(batch)
    Fund.objects.bulk_update(
        funds, ["last_seq", "last_hash", "balance", "last_entry_on"], batch_size=2000
    )
    officer = Person.objects.create_user(username="bench.tinh", full_name="Cán bộ tỉnh")
    Mandate.objects.create(
        person=officer, role=Role.PROVINCE_OFFICER, unit=province, start=datetime.date(2020, 1, 1)
    )
    print(f"Built in {time.perf_counter() - started:.1f} s.")


def timed(fn, reps=REPS) -> list[float]:
    fn()  # warm
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    if not Unit.objects.filter(level=Level.PROVINCE, code=PROVINCE).exists():
        build()
        with connection.cursor() as cur:
            cur.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    total = Entry.objects.count()
    fund = Fund.objects.select_related("area").order_by("pk").first()
    area = fund.area
    client = Client()
    officer = Person.objects.get(username="bench.tinh")
    signed = Client()
    signed.force_login(officer)
    half = 1 if TODAY.month <= 6 else 2

    def get(c, url):
        def run():
            r = c.get(url)
            assert r.status_code == 200, (url, r.status_code)

        return run

    cases = [
        ("healthz (baseline)", get(client, "/healthz")),
        (
            f"fund page ({fund.last_seq} entries, verified live)",
            get(client, f"/khu/{area.code}/quy/{fund.pk}/"),
        ),
        ("area funds page", get(client, f"/khu/{area.code}/quy/")),
        (
            "statement PDF (6 months)",
            get(
                client,
                f"/khu/{area.code}/quy/{fund.pk}/cong-khai.pdf?ky=half&nam={TODAY.year}&so={half}",
            ),
        ),
        (
            "statement xlsx (6 months)",
            get(
                client,
                f"/khu/{area.code}/quy/{fund.pk}/cong-khai.xlsx?ky=half&nam={TODAY.year}&so={half}",
            ),
        ),
        ("province overview (all areas)", get(signed, f"/tinh/{PROVINCE}/quy/")),
    ]
    print(
        f"\n{total:,} entries in {Fund.objects.count():,} funds on {connection.vendor}; "
        f"{REPS} runs each\n"
    )
    print(f"{'case':<48} {'median ms':>10} {'p95 ms':>9} {'× baseline':>11}")
    base = None
    for name, fn in cases:
        ms = timed(fn)
        med = statistics.median(ms)
        base = base or med
        p95 = sorted(ms)[max(0, int(len(ms) * 0.95) - 1)]
        print(f"{name:<48} {med:>10.2f} {p95:>9.2f} {med / base:>11.1f}")

    funds = list(Fund.objects.order_by("pk"))

    def scan():
        n = 0
        for f in funds:
            rows = (
                Entry.objects.filter(fund_id=f.pk).order_by("seq").values_list(*chain.FIELDS)
            ).iterator(chunk_size=5000)
            for _row in rows:
                n += 1
        return n

    def verify():
        bad = 0
        for f in funds:
            bad += not selectors.fund_verdict(f).ok
        assert bad == 0
        return bad

    t = time.perf_counter()
    scanned = scan()
    scan_s = time.perf_counter() - t
    t = time.perf_counter()
    verify()
    verify_s = time.perf_counter() - t
    print(
        f"\nfull chain verification: {verify_s:.2f} s for {scanned:,} entries "
        f"({scanned / verify_s:,.0f}/s); plain scan of the same rows {scan_s:.2f} s; "
        f"ratio {verify_s / scan_s:.2f}"
    )


if __name__ == "__main__":
    main()
