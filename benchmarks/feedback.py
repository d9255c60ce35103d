"""Residents' questions at province scale: `python benchmarks/feedback.py` (N=1000000 by default).

Builds the Phú Thọ 2022 demo (13 households per area: households do not matter here) into its own
SQLite file (var/bench-feedback-<N>/, reused on later runs) and adds N questions spread over the
province's 2,328 areas and the last 365 days (a quarter public, most answered, some overdue). Then
times, in-process through Django's test client, R requests of each case and prints the median, the
95th percentile and the ratio of the median to /healthz measured in the same run:

- the officers' lists (UI): province, commune, area head, the province's overdue filter, page 20;
- Open311: the default list (90 days, 1,000 rows) in JSON and XML, a page of 50, one commune's
  (jurisdiction_id) list, open only, one request;
- the public area page and the commune's answers search; the commune's and the province's
  statistics, counted afresh each time (the page caches them for FEEDBACK_STATS_SECONDS).

Environment: N (questions, default 1000000), R (requests per case, default 20),
BENCH_DATABASE_URL=postgres://… to run on PostgreSQL (the database must exist; filled once).
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

N = int(os.environ.get("N", "1000000"))
R = int(os.environ.get("R", "20"))
os.environ.setdefault("CAUNOI_VAR_DIR", str(ROOT / "var" / f"bench-feedback-{N}"))
os.environ["DJANGO_SETTINGS_MODULE"] = "caunoi.settings"
os.environ["DEBUG"] = "0"
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["FEEDBACK_STATS_SECONDS"] = "0"  # statistics counted on every request, not cached
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
else:
    os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

(Path(os.environ["CAUNOI_VAR_DIR"]) / "static").mkdir(parents=True, exist_ok=True)
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from caunoi.demo import builder  # noqa: E402
from caunoi.feedback.models import Category, Event, Request, Status  # noqa: E402
from caunoi.territory import rollup  # noqa: E402
from caunoi.territory.models import Level, Unit  # noqa: E402

override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
).enable()

TEXTS = [
    "Đường bê tông bị nứt, mưa là đọng nước",
    "Đèn đường ở ngã ba hỏng đã hai tuần",
    "Mương thoát nước sau chợ bị tắc",
    "Hỏi thủ tục làm căn cước cho người già",
    "Rác thải ven sông chưa được thu gom",
    "Xin hỏi về chế độ trợ cấp cho hộ nghèo",
]


def build(n: int) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    if not builder.demo_exists():
        # (13 households per area: the funds demo spends from a dozen households' contributions)
        print("Building the Phú Thọ demo (13 households per area) …")
        from run import demo_size

        builder.build(households_per_area=13, log=lambda line: None, **demo_size())
    have = Request.objects.count()
    if have >= n:
        print(f"{have:,} questions present in {connection.settings_dict['NAME']}: reused.")
        with connection.cursor() as cursor:  # planner statistics for any index added since
            cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
        return
    print(f"Adding {n - have:,} questions …")
    started = time.perf_counter()
    rng = random.Random(2022)
    areas = list(Unit.objects.filter(level=Level.AREA).only("level", "path"))
    cats: dict[int, list[int]] = {}
    for pk, commune in Category.objects.values_list("pk", "commune_id"):
        cats.setdefault(commune, []).append(pk)
    now = timezone.now()
    batch = []
    for i in range(have, n):
        area = areas[rng.randrange(len(areas))]
        keys = rollup.ground_ids(area)
        created = now - datetime.timedelta(seconds=rng.randrange(365 * 86400))
        roll = rng.random()
        status = (
            Status.OPEN if roll < 0.15 else (Status.ANSWERED if roll < 0.5 else Status.RESOLVED)
        )
        answered = status != Status.OPEN
        text = f"{TEXTS[i % len(TEXTS)]} (#{i})"
        batch.append(
            Request(
                **keys,
                path=area.path,
                category_id=rng.choice(cats[keys["commune_id"]]),
                text=text,
                public_text=text,
                public=rng.random() < 0.25,
                token=f"b{i:011d}",
                level="head" if rng.random() < 0.7 else "commune",
                status=status,
                level_since=created,
                due_date=(created + datetime.timedelta(days=5)).date(),
                answer="Đã xử lý xong." if answered else "",
                answered_by_level="head" if answered else "",
                answered_at=created + datetime.timedelta(hours=rng.randrange(1, 200))
                if answered
                else None,
                reopen_count=1 if rng.random() < 0.05 else 0,
                search_key=f" {text.lower()} " if answered else "",
                created_at=created,
                updated_at=created,
            )
        )
        if len(batch) == 20000:
            with transaction.atomic():
                Request.objects.bulk_create(batch)
            batch = []
            print(f"  {i + 1:,}", end="\r", flush=True)
    with transaction.atomic():
        Request.objects.bulk_create(batch)
    # Answer events for one commune's statistics (the province's would need one per question).
    dong_xuan = Unit.objects.get(
        level=Level.COMMUNE, short_name="Đồng Xuân", parent__short_name="Thanh Ba"
    )
    Event.objects.bulk_create(
        [
            Event(request_id=pk, kind=Event.Kind.ANSWERED, level="head", hours=rng.uniform(1, 200))
            for pk in Request.objects.filter(path__startswith=dong_xuan.path)
            .exclude(status=Status.OPEN)
            .values_list("pk", flat=True)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    print(f"Added in {time.perf_counter() - started:.0f} s.          ")


def cases():
    dx = Unit.objects.get(
        level=Level.COMMUNE, short_name="Đồng Xuân", parent__short_name="Thanh Ba"
    )
    khu = Unit.objects.filter(parent=dx).order_by("code").first()
    one = (
        Request.objects.filter(public=True).order_by("-created_at").values_list("pk", flat=True)[0]
    )
    o = "/open311/v2"
    return [
        ("healthz (baseline)", "/healthz", None),
        ("UI province list /tinh/25/hoi-dap/", "/tinh/25/hoi-dap/", "tinh.phutho"),
        ("UI province list, page 20", "/tinh/25/hoi-dap/?trang=20", "tinh.phutho"),
        ("UI province overdue", "/tinh/25/hoi-dap/?loc=qua-han", "tinh.phutho"),
        ("UI commune list", f"/xa/{dx.code}/hoi-dap/", "xa.dongxuan"),
        ("UI area list (head)", f"/khu/{khu.code}/hoi-dap/", "0912000001"),
        ("Open311 requests.json (90 d, 1000)", f"{o}/requests.json", None),
        ("Open311 requests.xml (90 d, 1000)", f"{o}/requests.xml", None),
        ("Open311 requests.json page_size=50", f"{o}/requests.json?page_size=50", None),
        (
            "Open311 one commune (jurisdiction)",
            f"{o}/requests.json?jurisdiction_id={dx.code}",
            None,
        ),
        ("Open311 status=open page_size=100", f"{o}/requests.json?status=open&page_size=100", None),
        ("Open311 one request", f"{o}/requests/{one}.json", None),
        ("public area page", f"/khu/{khu.code}/", None),
        ("commune answers search", f"/xa/{dx.code}/cau-hoi-thuong-gap/?q=den+duong", None),
        ("commune statistics", f"/xa/{dx.code}/hoi-dap/thong-ke/", "xa.dongxuan"),
        ("province statistics (uncached)", "/tinh/25/hoi-dap/thong-ke/", "tinh.phutho"),
    ]


def main() -> None:
    from run import client_for, p95, time_case

    build(N)
    total = Request.objects.count()
    print(f"Database: {connection.vendor}; {total:,} questions; {R} requests per case.\n")
    clients: dict = {}
    rows = []
    baseline = None
    for label, url, login in cases():
        times = time_case(client_for(login, clients), url, R)
        median = statistics.median(times)
        baseline = baseline or median
        rows.append((label, median, p95(times), median / baseline))
    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  {'median ms':>10}  {'p95 ms':>9}  {'× baseline':>10}")
    for label, median, high, ratio in rows:
        print(f"{label:<{width}}  {median:>10.1f}  {high:>9.1f}  {ratio:>10.0f}")


if __name__ == "__main__":
    main()
