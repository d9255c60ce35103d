"""The province's report at national scale: `python benchmarks/reports.py` (`make bench-reports`).

Builds, into its own database (var/bench-reports/, or BENCH_DATABASE_URL=postgres://…), a
national territory (REPORTS_BENCH_AREAS residential areas, default 100,000, the country's ~100,000
in ~3,300 communes; REPORTS_BENCH_PROVINCES provinces, default 34, REPORTS_BENCH_PER_COMMUNE
areas per commune, default 30, each area's household count kept as the territory keeps it —
REPORTS_BENCH_HOUSEHOLDS per area, default 280, i.e. 28 million at full size — without a row per
household) and a year of every app's facts, loaded in bulk (bulk_create, the ledger by COPY):
tasks (REPORTS_BENCH_TASKS per commune, default 4, each sent to every area of its commune, a
share of them done and a share rushed), notices (REPORTS_BENCH_NOTICES per commune, default 2, to
every area, with the households reached and a share that acknowledged), questions
(REPORTS_BENCH_QUESTIONS per area, default 1, most answered), a study fund in every area with
REPORTS_BENCH_FUND_ENTRIES ledger entries in the year (default 12, one a month: a declared
fraction of a contribution per household; 1.2 million at full size), hash-chained and sealed
as the funds app writes them so that `verify_ledgers` finds every chain whole, a tenth of the
funds silent since mid-year; and a national survey of REPORTS_BENCH_RESPONSES responses (default
300,000, a declared tenth of the issue's 3,000,000).

The set is built in two steps, so that one run also shows how the national report grows with the
data: first 1/REPORTS_BENCH_GROWTH of it (default 10: 10,000 areas), where the national report is
timed, then the rest (communes added to every province, with their facts). A set already built
at full size is reused, and the growth is then not measured again.

Then, in one run, times BENCH_N requests (default 20) through Django's test client of `/healthz`
(the baseline), the national report (`/ca-nuoc/bao-cao/`, every province), a commune's report
and a province's report, each read from its stored figures (`caunoi.reports.figures`), and the
same three reports computed from the apps' facts (what a read without the stored figures costs,
and what the refresh task does). Then the same pages on the Phú Thọ demo, for 2022: the province
(`/tinh/25/bao-cao/`) and Đồng Xuân's report, stored, and the province's computed, with that
database's own `/healthz`. The demo is built once (the demo builder, HOUSEHOLDS per area, default
5, BENCH_AREAS and BENCH_TASKS_PER_COMMUNE as `make bench`) into a database of its own and reused:
BENCH_PHUTHO_DATABASE_URL, else `<BENCH_DATABASE_URL's database>_phutho` (created if absent),
else SQLite in BENCH_PHUTHO_VAR_DIR (default var/bench-reports-phutho/); it is measured by this
script in a second process on that database (`--phutho`), after the national cases, never at the
same time. REPORTS_BENCH_PHUTHO=0 leaves it out.

Prints each median's ratio to its database's `/healthz`, and the ratios the issue asks for:
national ÷ province (stored; goal ≤ 2×), the national report at full size ÷ at
1/REPORTS_BENCH_GROWTH of the data (goal ≤ 2× for 10×), and the Phú Thọ province and commune ÷
the synthetic ones.

Delete var/bench-reports/ (or the PostgreSQL database's tables) to rebuild at another size.
"""

import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

os.environ.setdefault("CAUNOI_VAR_DIR", str(ROOT / "var" / "bench-reports"))
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
from django.db import connection, connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from surveys import _units  # noqa: E402  (the national tree, as the survey benchmark builds it)

from caunoi.directives.models import Assignment, Directive, Status  # noqa: E402
from caunoi.feedback import models as feedback  # noqa: E402
from caunoi.funds import chain  # noqa: E402
from caunoi.funds.models import Entry, Fund  # noqa: E402
from caunoi.outreach.models import Notice, NoticeArea  # noqa: E402
from caunoi.people.models import Mandate, Person, Role  # noqa: E402
from caunoi.reports import figures  # noqa: E402
from caunoi.reports.models import ReportFigures  # noqa: E402
from caunoi.surveys import services as surveys  # noqa: E402
from caunoi.surveys.models import Channel  # noqa: E402
from caunoi.surveys.models import Response as SurveyResponse  # noqa: E402
from caunoi.territory import rollup  # noqa: E402
from caunoi.territory.models import AreaType, Household, Kind, Level, Unit  # noqa: E402

override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
).enable()

AREAS = int(os.environ.get("REPORTS_BENCH_AREAS", "100000"))
GROWTH = int(os.environ.get("REPORTS_BENCH_GROWTH", "10"))
HOUSEHOLDS = int(os.environ.get("REPORTS_BENCH_HOUSEHOLDS", "280"))
TASKS = int(os.environ.get("REPORTS_BENCH_TASKS", "4"))
NOTICES = int(os.environ.get("REPORTS_BENCH_NOTICES", "2"))  # per commune, to all its areas
QUESTIONS = int(os.environ.get("REPORTS_BENCH_QUESTIONS", "1"))  # per area
RESPONSES = int(os.environ.get("REPORTS_BENCH_RESPONSES", "300000"))
FUND_ENTRIES = int(os.environ.get("REPORTS_BENCH_FUND_ENTRIES", "12"))  # per area, in the year
N = int(os.environ.get("BENCH_N", "20"))
PROVINCES = int(os.environ.get("REPORTS_BENCH_PROVINCES", "34"))
PER_COMMUNE = int(os.environ.get("REPORTS_BENCH_PER_COMMUNE", "30"))
SILENT_SHARE = 0.1  # funds whose ledger stopped in mid-year: flagged silent
YEAR = timezone.localdate().year
RATINGS = ["rat_tot"] * 619 + ["hieu_qua"] * 377 + ["chua_hieu_qua"] * 4


def _tasks(communes, areas_of, rng) -> int:
    start = datetime.datetime(YEAR, 1, 5, 8, tzinfo=datetime.UTC)
    made = 0
    for chunk in range(0, len(communes), 200):
        rows = []
        for commune in communes[chunk : chunk + 200]:
            for i in range(TASKS):
                sent = start + datetime.timedelta(days=rng.randrange(0, 300))
                lead = rng.choice([2, 5, 8, 10, 15, 20])
                rows.append(
                    Directive(
                        commune=commune,
                        province_id=commune.ancestor_ids[0],
                        title=f"Việc {i}",
                        body="Làm.",
                        category="social",
                        due_date=(sent + datetime.timedelta(days=lead * 7 // 5)).date(),
                        state=Directive.State.SENT,
                        sent_at=sent,
                        lead_working_days=lead,
                        below_min_lead=lead < 5,
                        recipients=PER_COMMUNE,
                    )
                )
        Directive.objects.bulk_create(rows, batch_size=2000)
        assignments = []
        for d in rows:
            for area in areas_of[d.commune_id]:
                done = rng.random() < 0.8
                assignments.append(
                    Assignment(
                        directive=d,
                        area=area,
                        commune_id=d.commune_id,
                        path=area.path,
                        status=Status.DONE if done else Status.UNREAD,
                        percent=100 if done else 0,
                        closed_at=d.sent_at + datetime.timedelta(days=rng.randrange(1, 20))
                        if done
                        else None,
                    )
                )
        Assignment.objects.bulk_create(assignments, batch_size=5000)
        made += len(rows)
        print(f"  {made:,} tasks", end="\r", flush=True)
    return made


def _notices(communes, areas_of, author, rng) -> int:
    """NOTICES published notices per commune, each to every area of the commune, with the
    households it reached (the area's) and a share that acknowledged."""
    made = 0
    for chunk in range(0, len(communes), 500):
        notices = []
        for commune in communes[chunk : chunk + 500]:
            for i in range(NOTICES):
                at = datetime.datetime(YEAR, 1, 10, 8, tzinfo=datetime.UTC) + datetime.timedelta(
                    days=rng.randrange(0, 300)
                )
                notices.append(
                    Notice(
                        unit=commune,
                        author=author,
                        title=f"Thông báo {i}",
                        body="Nội dung.",
                        category="policy",
                        status=Notice.Status.PUBLISHED,
                        publish_at=at,
                        published_at=at,
                        households=HOUSEHOLDS * PER_COMMUNE,
                    )
                )
        Notice.objects.bulk_create(notices, batch_size=2000)
        rows = [
            NoticeArea(
                notice=n,
                area=area,
                **{k: v for k, v in rollup.ground_ids(area).items() if k != "area_id"},
                households=HOUSEHOLDS,
                acknowledged=rng.randrange(HOUSEHOLDS // 2, HOUSEHOLDS + 1),
            )
            for n in notices
            for area in areas_of[n.unit_id]
        ]
        NoticeArea.objects.bulk_create(rows, batch_size=5000)
        made += len(notices)
    return made


def _questions(communes, areas, rng) -> int:
    """QUESTIONS residents' questions per area in the year (a category per commune), most of
    them answered."""
    cats = feedback.Category.objects.bulk_create(
        [feedback.Category(commune=c, code=f"bench-{c.pk}", name="Đời sống") for c in communes],
        batch_size=2000,
    )
    cat_of = {c.commune_id: c.pk for c in cats}
    start = datetime.datetime(YEAR, 1, 2, 8, tzinfo=datetime.UTC)
    batch, made = [], 0
    for area in areas:
        keys = rollup.ground_ids(area)
        for i in range(QUESTIONS):
            created = start + datetime.timedelta(seconds=rng.randrange(300 * 86400))
            answered = rng.random() < 0.85
            text = f"Câu hỏi {area.pk}-{i}"
            batch.append(
                feedback.Request(
                    **keys,
                    path=area.path,
                    category_id=cat_of[keys["commune_id"]],
                    text=text,
                    public_text=text,
                    token=f"r{area.pk:09d}{i:02d}",
                    level="head",
                    status=feedback.Status.RESOLVED if answered else feedback.Status.OPEN,
                    level_since=created,
                    due_date=(created + datetime.timedelta(days=5)).date(),
                    answer="Đã xử lý." if answered else "",
                    answered_by_level="head" if answered else "",
                    answered_at=created + datetime.timedelta(hours=rng.randrange(1, 200))
                    if answered
                    else None,
                    created_at=created,
                    updated_at=created,
                )
            )
        if len(batch) >= 20000:
            feedback.Request.objects.bulk_create(batch)
            made, batch = made + len(batch), []
    feedback.Request.objects.bulk_create(batch)
    return made + len(batch)


def _copy(table: str, columns: list[str], rows) -> None:
    """Rows straight into `table`: COPY on PostgreSQL, executemany INSERTs on SQLite (no model
    instances: the ledger's rows are the bulk of the set)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 20000:
                cursor.executemany(sql, batch)
                batch = []
        cursor.executemany(sql, batch)


def _funds(areas, rng) -> int:
    """A study fund in every area, and its ledger's year: FUND_ENTRIES entries (contributions,
    every fourth an expense), hash-chained and sealed as `funds.services` writes them, so that
    `verify_ledgers` and the public ledger page find every chain whole. A SILENT_SHARE of the
    funds stopped writing in mid-year (the report's "silent" flag)."""
    funds = Fund.objects.bulk_create(
        [
            Fund(
                area_id=a.pk,
                **{k: v for k, v in rollup.ground_ids(a).items() if k != "area_id"},
                name="Quỹ khuyến học",
                kind=Fund.Kind.STUDY,
                purpose="Khen thưởng học sinh giỏi",
            )
            for a in areas
        ],
        batch_size=5000,
    )
    start = datetime.date(YEAR, 1, 1)
    days = max(1, (min(timezone.localdate(), datetime.date(YEAR, 12, 31)) - start).days)
    key = chain.ledger_key()
    now = timezone.now()
    tips = []

    def rows():
        for fund, area in zip(funds, areas, strict=True):
            span = days // 2 if rng.random() < SILENT_SHARE else days
            prev, balance = chain.GENESIS, 0
            booked = start
            for seq in range(1, FUND_ENTRIES + 1):
                spend = seq % 4 == 0 and balance > 150_000
                amount = -150_000 if spend else 50_000 * rng.randrange(1, 5)
                balance += amount
                booked = start + datetime.timedelta(days=span * seq // FUND_ENTRIES)
                fields = {
                    "seq": seq,
                    "kind": "expense" if spend else "contribution",
                    "amount": amount,
                    "balance": balance,
                    "booked_on": booked,
                    "description": "Mua vở thưởng học sinh giỏi" if spend else "Đóng góp năm",
                    "household_ref": "" if spend else f"{area.code}-{seq:03d}",
                    "document": f"C{seq:04d}" if spend else f"PT{seq:05d}",
                }
                h, sealed = chain.link(prev, key=key, fund_id=fund.pk, reverses_seq=None, **fields)
                yield (fund.pk, *fields.values(), prev, h, sealed, now)
                prev = h
            tips.append((fund.pk, FUND_ENTRIES, prev, balance, booked))

    columns = ["fund_id", "seq", "kind", "amount", "balance", "booked_on", "description"]
    columns += ["household_ref", "document", "prev_hash", "hash", "seal", "created_at"]
    _copy(Entry._meta.db_table, columns, rows())
    # Each fund's tip (writers lock and move it; here the ledger was loaded whole).
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_tip (id int, s int, h text, b bigint, d date)")
        _copy("bench_tip", ["id", "s", "h", "b", "d"], tips)
        cursor.execute(
            f"UPDATE {Fund._meta.db_table} SET last_seq = t.s, last_hash = t.h, balance = t.b, "
            "last_entry_on = t.d FROM bench_tip t WHERE t.id = "
            f"{Fund._meta.db_table}.id"
        )
        cursor.execute("DROP TABLE bench_tip")
    return len(funds) * FUND_ENTRIES


def _responses(campaign, areas, n: int, rng) -> None:
    done = 0
    while done < n:
        size = min(100_000, n - done)
        rows = [(rng.choice(areas), {"danh_gia": rng.choice(RATINGS)}) for _i in range(size)]
        with transaction.atomic():
            surveys.responses_bulk(campaign=campaign, rows=rows, channel=Channel.IMPORT)
        done += size
        print(f"  {done:,} responses", end="\r", flush=True)


def _grow(provinces, campaign, areas_total: int, step: str, rng) -> None:
    """Communes (30 areas each) added to every province up to `areas_total` areas in all, with
    their year of tasks and their share of the responses."""
    have = Unit.objects.filter(level=Level.AREA).count()
    per_province = max(1, (areas_total - have) // (PROVINCES * PER_COMMUNE))
    with transaction.atomic():
        communes = _units(Level.COMMUNE, Kind.COMMUNE, provinces, per_province, f"C{step}")
        areas = _units(Level.AREA, Kind.AREA, communes, PER_COMMUNE, f"A{step}", AreaType.KHU)
        Unit.objects.filter(pk__in=[a.pk for a in areas]).update(household_count=HOUSEHOLDS)
    print(f"Territory +{len(communes):,} communes, +{len(areas):,} areas")
    areas_of: dict[int, list] = {}
    for a in areas:
        areas_of.setdefault(a.parent_id, []).append(a)
    with transaction.atomic():
        print(f"\nTasks: +{_tasks(communes, areas_of, rng):,}")
        author = Person.objects.get(username="bench.tinh")
        print(f"Notices: +{_notices(communes, areas_of, author, rng):,}")
        print(f"Questions: +{_questions(communes, areas, rng):,}")
        print(f"Fund entries: +{_funds(areas, rng):,}")
    _responses(campaign, areas, RESPONSES * len(areas) // AREAS, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")


def build(measure_small) -> dict:
    """The national set; `measure_small()` is called on its first 1/GROWTH (on a new set)."""
    call_command("migrate", verbosity=0, interactive=False)
    if Unit.objects.filter(level=Level.PROVINCE).exists():
        print(f"National set present ({Unit.objects.filter(level=Level.AREA).count():,} areas).")
        return {}
    started = time.perf_counter()
    rng = random.Random(2022)
    with transaction.atomic():
        provinces = _units(Level.PROVINCE, Kind.PROVINCE, [None], PROVINCES, "P")
        officer = Person.objects.create_user(username="bench.tinh", full_name="Bench", password="x")
        Mandate.objects.create(
            person=officer, role=Role.PROVINCE_OFFICER, unit=provinces[0], start="2020-01-01"
        )
        admin = Person.objects.create_user(username="bench.admin", full_name="Bench", password="x")
        Mandate.objects.create(person=admin, role=Role.SYSADMIN, unit=None, start="2020-01-01")
    campaign = surveys.campaign_create(
        actor=None,
        unit=None,
        form=surveys.form_builtin(),
        title="Benchmark: national evaluation",
        start=f"{YEAR}-01-01",
        end=f"{YEAR}-12-31",
        target=RESPONSES,
    )
    small = {}
    if GROWTH > 1:
        _grow(provinces, campaign, AREAS // GROWTH, "s", rng)
        print(f"\nSmall set built in {time.perf_counter() - started:.0f} s.")
        small = measure_small()
    _grow(provinces, campaign, AREAS, "g", rng)
    print(f"\nBuilt in {time.perf_counter() - started:.0f} s.")
    return small


def timed(client: Client, url: str, n: int = N) -> list[float]:
    assert client.get(url).status_code == 200, url
    times = []
    for _i in range(n):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, url
    return sorted(times)


def computed(unit, n: int, *, year: int = YEAR) -> list[float]:
    times = []
    for _i in range(n):
        t0 = time.perf_counter()
        figures.figures_refresh(unit=unit, year=year, lang="vi")
        times.append((time.perf_counter() - t0) * 1000)
    return sorted(times)


def _national_client() -> Client:
    client = Client()
    client.force_login(Person.objects.get(username="bench.admin"))
    return client


def _small() -> dict:
    """The national report on the first 1/GROWTH of the set."""
    ReportFigures.objects.all().delete()
    areas = Unit.objects.filter(level=Level.AREA).count()
    stored = timed(_national_client(), "/ca-nuoc/bao-cao/")
    print(f"national report, stored, on {areas:,} areas: {statistics.median(stored):.1f} ms")
    return {"areas": areas, "stored": stored}


PHUTHO_YEAR = 2022  # the article's year, which the demo records


def _phutho_measure() -> None:
    """(In its own process, on the demo's database) the demo built once if absent, then the
    same cases on it; the times go back to the parent as one JSON line."""
    import run  # noqa: PLC0415  (the demo bench's setup and builder, on this process's database)

    run.build_demo(int(os.environ.get("HOUSEHOLDS", "5")))
    dong_xuan = Unit.objects.get(
        level=Level.COMMUNE, short_name="Đồng Xuân", parent__short_name="Thanh Ba"
    )
    province = Unit.objects.get(level=Level.PROVINCE, code="25")
    ReportFigures.objects.all().delete()
    client = Client()
    client.force_login(Person.objects.get(username="tinh.phutho"))
    slow = max(3, N // 5)
    year = f"?nam={PHUTHO_YEAR}"
    times = {
        "healthz": timed(client, "/healthz"),
        "commune": timed(client, f"/xa/{dong_xuan.code}/bao-cao/{year}"),
        "province": timed(client, f"/tinh/25/bao-cao/{year}"),
        "province computed": computed(province, slow, year=PHUTHO_YEAR),
    }
    areas = Unit.objects.filter(level=Level.AREA, path__startswith=province.path).count()
    households = Household.objects.filter(area__path__startswith=province.path).count()
    print(
        f"Phú Thọ demo ({connection.vendor}, {connection.settings_dict['NAME']}): {areas:,} areas, "
        f"{households:,} households, {Directive.objects.count():,} tasks, "
        f"{Entry.objects.count():,} fund entries, {SurveyResponse.objects.count():,} responses"
    )
    print("PHUTHO " + json.dumps(times))


def _phutho_database(url: str) -> str:
    """The demo's PostgreSQL database beside the national set's (`…_phutho`), created if absent."""
    import psycopg  # noqa: PLC0415

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_phutho"
    server = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(server, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _phutho() -> dict[str, list[float]] | None:
    """The Phú Thọ demo's times, measured by this script in a process of its own on the demo's
    database (BENCH_PHUTHO_DATABASE_URL; else beside BENCH_DATABASE_URL; else SQLite in
    BENCH_PHUTHO_VAR_DIR, default var/bench-reports-phutho/). REPORTS_BENCH_PHUTHO=0 skips it."""
    if os.environ.get("REPORTS_BENCH_PHUTHO", "1") == "0":
        return None
    env = dict(os.environ)
    env["CAUNOI_VAR_DIR"] = os.environ.get(
        "BENCH_PHUTHO_VAR_DIR", str(ROOT / "var" / "bench-reports-phutho")
    )
    url = os.environ.get("BENCH_PHUTHO_DATABASE_URL", "")
    if not url and os.environ.get("BENCH_DATABASE_URL"):
        url = _phutho_database(os.environ["BENCH_DATABASE_URL"])
    env.pop("DATABASE_URL", None)
    if url:
        env["BENCH_DATABASE_URL"] = url
    else:
        env.pop("BENCH_DATABASE_URL", None)
    for conn in connections.all():
        conn.close()  # nothing held open while the other process runs
    print("\nThe Phú Thọ demo, in its own process:", flush=True)
    done = subprocess.run(
        [sys.executable, __file__, "--phutho"], env=env, capture_output=True, text=True
    )
    lines = done.stdout.splitlines()
    for line in lines:
        if not line.startswith("PHUTHO "):
            print(f"  {line}")
    if done.returncode != 0:
        sys.exit(f"the Phú Thọ part failed:\n{done.stderr[-3000:]}")
    return json.loads(next(line for line in lines if line.startswith("PHUTHO "))[7:])


def _row(label: str, times: list[float], base: float) -> float:
    median = statistics.median(times)
    high = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{label:<40} {median:>10.1f} {high:>9.1f} {median / base:>11.1f}")
    return median


def main() -> None:
    if sys.argv[1:] == ["--phutho"]:
        _phutho_measure()
        return
    small = build(_small)
    province = Unit.objects.filter(level=Level.PROVINCE).order_by("pk").first()
    commune = Unit.objects.filter(level=Level.COMMUNE, parent=province).order_by("pk").first()
    ReportFigures.objects.all().delete()
    client = Client()
    client.force_login(Person.objects.get(username="bench.tinh"))
    national = _national_client()
    slow = max(3, N // 5)
    rows = [
        ("healthz (baseline)", timed(client, "/healthz")),
        ("commune report, stored", timed(client, f"/xa/{commune.code}/bao-cao/")),
        ("province report, stored", timed(client, f"/tinh/{province.code}/bao-cao/")),
        ("national report, stored", timed(national, "/ca-nuoc/bao-cao/")),
    ]
    if small:
        rows.append((f"national, stored, 1/{GROWTH} data", small["stored"]))
    rows += [
        ("commune report, computed", computed(commune, slow)),
        ("province report, computed", computed(province, slow)),
        ("national report, computed", computed(None, slow)),
    ]
    areas = Unit.objects.filter(level=Level.AREA, path__startswith=province.path).count()
    print(
        f"\n{connection.vendor}: {Unit.objects.filter(level=Level.AREA).count():,} areas in "
        f"{Unit.objects.filter(level=Level.COMMUNE).count():,} communes "
        f"({areas:,} in the province), {Directive.objects.count():,} tasks, "
        f"{Assignment.objects.count():,} assignments, "
        f"{NoticeArea.objects.count():,} notice areas, "
        f"{feedback.Request.objects.count():,} questions, "
        f"{Entry.objects.count():,} fund entries in {Fund.objects.count():,} funds, "
        f"{SurveyResponse.objects.count():,} responses; {N} requests each ({slow} computed)"
    )
    phutho = _phutho()
    print(f"{'case':<40} {'median ms':>10} {'p95 ms':>9} {'× baseline':>11}")
    base = statistics.median(rows[0][1])
    medians = {label: _row(label, times, base) for label, times in rows}
    if phutho:
        base = statistics.median(phutho["healthz"])
        _row("Phú Thọ: healthz (its baseline)", phutho["healthz"], base)
        for key in ("commune", "province"):
            label = f"Phú Thọ {PHUTHO_YEAR}: {key} report, stored"
            medians[label] = _row(label, phutho[key], base)
        _row(f"Phú Thọ {PHUTHO_YEAR}: province, computed", phutho["province computed"], base)
    ratio = medians["province report, stored"] / medians["commune report, stored"]
    national = medians["national report, stored"] / medians["province report, stored"]
    speedup = medians["national report, computed"] / medians["national report, stored"]
    print(
        f"province/commune, stored: {ratio:.2f}×; national/province, stored: {national:.2f}× "
        f"(goal ≤ 2×); national stored vs computed: {speedup:.0f}× faster"
    )
    if small:
        grown = medians["national report, stored"] / statistics.median(small["stored"])
        print(
            f"national at {Unit.objects.filter(level=Level.AREA).count():,} areas / at "
            f"{small['areas']:,}: {grown:.2f}× (goal ≤ 2× for {GROWTH}× the data)"
        )
    else:
        print("national at full size / at 1/GROWTH: not measured (set reused; rebuild to measure)")
    if phutho:
        demo = {
            k: medians[f"Phú Thọ {PHUTHO_YEAR}: {k} report, stored"]
            for k in ("province", "commune")
        }
        print(
            "Phú Thọ demo / synthetic, stored: province "
            f"{demo['province'] / medians['province report, stored']:.2f}×, commune "
            f"{demo['commune'] / medians['commune report, stored']:.2f}×"
        )


if __name__ == "__main__":
    main()
