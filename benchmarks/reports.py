"""The province's report at national scale: `python benchmarks/reports.py` (`make bench-reports`).

Builds, into its own database (var/bench-reports/, or BENCH_DATABASE_URL=postgres://…), a
national territory (REPORTS_BENCH_AREAS residential areas, default 100,000, the country's ~100,000
in ~3,300 communes; 34 provinces, 30 areas per commune, each area's household count kept as
the territory keeps it — REPORTS_BENCH_HOUSEHOLDS per area, default 280, i.e. 28 million at full
size — without a row per household), a year of tasks (REPORTS_BENCH_TASKS per commune, default
4, each sent to every area of its commune, a share of them done and a share rushed) and a
national survey of REPORTS_BENCH_RESPONSES responses (default 300,000, a declared tenth of the
issue's 3,000,000). Notices, questions and fund entries are not generated (their indicators read
empty).

The set is built in two steps, so that one run also shows how the national report grows with the
data: first 1/REPORTS_BENCH_GROWTH of it (default 10: 10,000 areas), where the national report is
timed, then the rest (communes added to every province, with their tasks and responses). A set
already built at full size is reused, and the growth is then not measured again.

Then, in one run, times BENCH_N requests (default 20) through Django's test client of `/healthz`
(the baseline), the national report (`/ca-nuoc/bao-cao/`, every province), a commune's report
and a province's report, each read from its stored figures
(`caunoi.reports.figures`), and the same two reports computed from the apps' facts (what a read
without the stored figures costs, and what the refresh task does), and prints each median's
ratio to the baseline's, the national/province ratio of the stored reads and the national
report's at full size over its time at 1/REPORTS_BENCH_GROWTH of the data.

Delete var/bench-reports/ (or the PostgreSQL database's tables) to rebuild at another size.
"""

import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

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
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from surveys import _units  # noqa: E402  (the national tree, as the survey benchmark builds it)

from caunoi.directives.models import Assignment, Directive, Status  # noqa: E402
from caunoi.feedback import models as feedback  # noqa: E402
from caunoi.outreach.models import Notice, NoticeArea  # noqa: E402
from caunoi.people.models import Mandate, Person, Role  # noqa: E402
from caunoi.reports import figures  # noqa: E402
from caunoi.reports.models import ReportFigures  # noqa: E402
from caunoi.surveys import services as surveys  # noqa: E402
from caunoi.surveys.models import Channel  # noqa: E402
from caunoi.surveys.models import Response as SurveyResponse  # noqa: E402
from caunoi.territory import rollup  # noqa: E402
from caunoi.territory.models import AreaType, Kind, Level, Unit  # noqa: E402

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
N = int(os.environ.get("BENCH_N", "20"))
PROVINCES = 34
PER_COMMUNE = 30
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


def computed(unit, n: int) -> list[float]:
    times = []
    for _i in range(n):
        t0 = time.perf_counter()
        figures.figures_refresh(unit=unit, year=YEAR, lang="vi")
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


def main() -> None:
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
        f"{SurveyResponse.objects.count():,} responses; {N} requests each ({slow} computed)"
    )
    print(f"{'case':<32} {'median ms':>10} {'p95 ms':>9} {'× baseline':>11}")
    base = statistics.median(rows[0][1])
    medians = {}
    for label, times in rows:
        median = statistics.median(times)
        medians[label] = median
        high = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"{label:<32} {median:>10.1f} {high:>9.1f} {median / base:>11.1f}")
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
            f"{small['areas']:,}: {grown:.2f}× (goal ≤ 2× for 10× the data)"
        )


if __name__ == "__main__":
    main()
