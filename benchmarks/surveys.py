"""Survey benchmarks: `python benchmarks/surveys.py` (sizes from the environment).

Builds once, into its own database (var/bench-surveys/, or BENCH_DATABASE_URL=postgres://…), a
national territory (34 provinces, SURVEY_BENCH_AREAS residential areas, default 20,000; the
country has ~100,000) and a national campaign of SURVEY_BENCH_RESPONSES responses (default
300,000; the issue's target is 3,000,000), then, in one run:

- times N requests (BENCH_N, default 20) of /healthz (the baseline), a province's results page and
  the national results page, through Django's test client, and prints each median's ratio to the
  baseline's;
- imports SURVEY_BENCH_IMPORT rows (default 20,000) of a CSV through the real import service
  (parse, check every answer, insert, add to tallies; all or nothing) and inserts the same rows
  raw (PostgreSQL: COPY; SQLite: executemany INSERT), and prints rows per second and the ratio.

Delete var/bench-surveys/ (or the PostgreSQL database's tables) to rebuild at another size.
"""

import csv
import io
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

os.environ.setdefault("CAUNOI_VAR_DIR", str(ROOT / "var" / "bench-surveys"))
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

from caunoi.people.models import Mandate, Person, Role  # noqa: E402
from caunoi.surveys import services  # noqa: E402
from caunoi.surveys.models import Campaign, Channel, Response  # noqa: E402
from caunoi.territory.models import AreaType, Kind, Level, Unit  # noqa: E402

override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
).enable()

RESPONSES = int(os.environ.get("SURVEY_BENCH_RESPONSES", "300000"))
AREAS = int(os.environ.get("SURVEY_BENCH_AREAS", "20000"))
IMPORT_ROWS = int(os.environ.get("SURVEY_BENCH_IMPORT", "20000"))
N = int(os.environ.get("BENCH_N", "20"))
PROVINCES = 34
TITLE = "Benchmark: national campaign"
RATINGS = ["rat_tot"] * 619 + ["hieu_qua"] * 377 + ["chua_hieu_qua"] * 4


def _units(level, kind, parents, per_parent, prefix, area_type=""):
    rows = []
    for parent in parents:
        for i in range(per_parent):
            code = f"{prefix}{parent.pk if parent else ''}-{i}"
            rows.append(
                Unit(
                    level=level,
                    code=code,
                    kind=kind,
                    area_type=area_type,
                    name=f"{prefix} {code}",
                    short_name=code,
                    parent=parent,
                    path="",
                    search_key="",
                )
            )
    Unit.objects.bulk_create(rows, batch_size=2000)
    made = list(Unit.objects.filter(level=level, path="").select_related("parent"))
    for u in made:
        u.path = f"{u.parent.path if u.parent else '/'}{u.pk}/"
    Unit.objects.bulk_update(made, ["path"], batch_size=2000)
    return made


def build() -> Campaign:
    call_command("migrate", verbosity=0, interactive=False)
    campaign = Campaign.objects.filter(title=TITLE).first()
    if campaign is not None:
        print(f"National campaign present ({campaign.responses.count():,} responses): reused.")
        return campaign
    started = time.perf_counter()
    communes_per_province = max(1, AREAS // (PROVINCES * 30))
    with transaction.atomic():
        provinces = _units(Level.PROVINCE, Kind.PROVINCE, [None], PROVINCES, "P")
        communes = _units(Level.COMMUNE, Kind.COMMUNE, provinces, communes_per_province, "C")
        areas = _units(Level.AREA, Kind.AREA, communes, 30, "A", AreaType.KHU)
        officer = Person.objects.create_user(username="bench.tinh", full_name="Bench", password="x")
        Mandate.objects.create(
            person=officer, role=Role.PROVINCE_OFFICER, unit=provinces[0], start="2020-01-01"
        )
        Person.objects.create_superuser("bench.admin", "x", full_name="Bench admin")
        campaign = services.campaign_create(
            actor=None,
            unit=None,
            form=services.form_builtin(),
            title=TITLE,
            start="2026-01-01",
            end="2026-12-31",
            target=RESPONSES,
        )
    print(f"Territory: {len(provinces)} provinces, {len(communes)} communes, {len(areas)} areas.")
    rng = random.Random(2022)
    done, chunk = 0, 100_000
    while done < RESPONSES:
        size = min(chunk, RESPONSES - done)
        rows = [(rng.choice(areas), {"danh_gia": rng.choice(RATINGS)}) for _i in range(size)]
        with transaction.atomic():
            services.responses_bulk(campaign=campaign, rows=rows, channel=Channel.IMPORT)
        done += size
        print(f"  {done:,} responses", end="\r", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    print(f"\nBuilt in {time.perf_counter() - started:.0f} s.")
    return campaign


def timed(client: Client, url: str) -> list[float]:
    assert client.get(url).status_code == 200, url
    times = []
    for _i in range(N):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    return times


def pages(campaign: Campaign) -> None:
    province = Unit.objects.filter(level=Level.PROVINCE).order_by("pk").first()
    officer = Client()
    officer.force_login(Person.objects.get(username="bench.tinh"))
    admin = Client()
    admin.force_login(Person.objects.get(username="bench.admin"))
    cases = [
        ("healthz (baseline)", officer, "/healthz"),
        ("province results page", officer, f"/khao-sat/{campaign.pk}/tinh/{province.code}/"),
        ("national results page", admin, f"/khao-sat/{campaign.pk}/toan-quoc/"),
    ]
    base = None
    print(f"\n{connection.vendor}: {campaign.responses.count():,} responses; {N} requests each")
    print(f"{'case':<24} {'median ms':>10} {'p95 ms':>9} {'× baseline':>11}")
    for label, client, url in cases:
        times = sorted(timed(client, url))
        median = statistics.median(times)
        base = base or median
        high = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"{label:<24} {median:>10.1f} {high:>9.1f} {median / base:>11.0f}")


def imports() -> None:
    province = Unit.objects.filter(level=Level.PROVINCE).order_by("pk").last()
    campaign = services.campaign_create(
        actor=None,
        unit=province,
        form=services.form_builtin(),
        title="Benchmark: import",
        start="2026-01-01",
        end="2026-12-31",
    )
    codes = list(
        Unit.objects.filter(level=Level.AREA, path__startswith=province.path).values_list(
            "pk", "code"
        )
    )
    rng = random.Random(7)
    picked = [
        (rng.choice(codes), rng.choice(RATINGS), rng.choice(["co", "khong", ""]))
        for _i in range(IMPORT_ROWS)
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["khu", "danh_gia", "thong_bao"])
    for (_pk, code), rating, notice in picked:
        writer.writerow([code, rating, notice])
    data = out.getvalue().encode()
    t0 = time.perf_counter()
    report = services.responses_import(
        actor=None, campaign=campaign, data=data, filename="bench.csv"
    )
    service_s = time.perf_counter() - t0
    assert report.ok and report.created == IMPORT_ROWS, report.errors[:3]

    rows = [
        (
            campaign.pk,
            pk,
            json.dumps({"danh_gia": r, **({"thong_bao": n} if n else {})}),
            "import",
            "",
            "2026-06-01",
            "{}",
        )
        for (pk, _code), r, n in picked
    ]
    columns = "campaign_id, area_id, answers, channel, respondent_name, received_on, meta"
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY surveys_response ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            how = "COPY"
        else:
            cursor.executemany(
                f"INSERT INTO surveys_response ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
            how = "executemany INSERT"
    raw_s = time.perf_counter() - t0
    Response.objects.filter(campaign=campaign).delete()
    print(
        f"\nimport of {IMPORT_ROWS:,} rows (CSV, checked, all or nothing, tallies): "
        f"{IMPORT_ROWS / service_s:,.0f} rows/s"
    )
    print(
        f"raw {how} of the same rows: {IMPORT_ROWS / raw_s:,.0f} rows/s; "
        f"raw is {service_s / raw_s:.1f}× faster"
    )
    campaign.tallies.all().delete()
    campaign.delete()


if __name__ == "__main__":
    campaign = build()
    pages(campaign)
    imports()
