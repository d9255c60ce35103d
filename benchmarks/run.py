"""Cầu Nối benchmarks: `make bench` (or `python benchmarks/run.py [-n 50] [--households 170]`).

Builds the full Phú Thọ 2022 demo once into its own SQLite file (var/bench/caunoi.sqlite3; reused
on later runs, delete var/bench/ to rebuild) and times, in-process through Django's test client
(the whole middleware stack and templates, no network), N requests of each case: the trivial
/healthz as the baseline, the province page (counts over ~390,000 households), a commune page,
the API, search. For each it prints the median and 95th percentile in milliseconds and the ratio
of the median to the baseline's median measured in the same run, so figures from different
machines compare.

`BENCH_DATABASE_URL=postgres://…` runs the same against PostgreSQL (the database must exist).
Page weights and first paint in a browser are measured by benchmarks/pages.py (`make bench-pages`).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

os.environ.setdefault("CAUNOI_VAR_DIR", str(ROOT / "var" / "bench"))
os.environ["DJANGO_SETTINGS_MODULE"] = "caunoi.settings"
os.environ["DEBUG"] = "0"  # production code paths (no query logging)
os.environ["SECURE_SSL_REDIRECT"] = "0"  # the test client speaks plain HTTP
os.environ["ALLOWED_HOSTS"] = "testserver"
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
else:
    os.environ.pop("DATABASE_URL", None)  # never touch the developer's database

import django  # noqa: E402

(Path(os.environ["CAUNOI_VAR_DIR"]) / "static").mkdir(parents=True, exist_ok=True)
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from caunoi.demo import builder  # noqa: E402
from caunoi.people.models import Person  # noqa: E402
from caunoi.territory.models import Level, Unit  # noqa: E402

# Unhashed static files: the pages render without running collectstatic first.
override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
).enable()


def demo_size() -> dict[str, int]:
    """The demo's size beyond households: `BENCH_AREAS` (default the real 2,328) and
    `BENCH_TASKS_PER_COMMUNE` (50); the test suite's smoke run makes both tiny."""
    return {
        "area_count": int(os.environ.get("BENCH_AREAS", "2328")),
        "tasks_per_commune": int(os.environ.get("BENCH_TASKS_PER_COMMUNE", "50")),
    }


def build_demo(households: int) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    if builder.demo_exists():
        print(f"Demo present in {connection.settings_dict['NAME']}: reused.")
        return
    print(f"Building the Phú Thọ demo ({households} households per area) …")
    started = time.perf_counter()
    builder.build(households_per_area=households, log=lambda line: print(line), **demo_size())
    with connection.cursor() as cursor:  # fresh planner statistics (and visibility map on PG)
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    print(f"Built in {time.perf_counter() - started:.1f} s.\n")


def cases() -> list[tuple[str, str, str | None]]:
    dong_xuan = Unit.objects.get(
        level=Level.COMMUNE, short_name="Đồng Xuân", parent__short_name="Thanh Ba"
    )
    found = [
        ("healthz (baseline)", "/healthz", None),
        ("province page /tinh/25/", "/tinh/25/", None),
        (f"commune page /xa/{dong_xuan.code}/", f"/xa/{dong_xuan.code}/", None),
        ("API province children", "/api/v1/units/province/25/children", None),
        ("API province children ?on=", "/api/v1/units/province/25/children?on=2023-01-01", None),
        (
            "API commune children",
            f"/api/v1/units/commune/{dong_xuan.code}/children",
            None,
        ),
        ("API search 'khu 1 dong xuan'", "/api/v1/units/search?q=khu+1+dong+xuan", None),
        ("search page 'khu 1 dong xuan'", "/tim-kiem/?q=khu+1+dong+xuan", None),
        ("API mandates (province officer)", "/api/v1/mandates?limit=100", "tinh.phutho"),
        (
            "API mandates of a commune",
            f"/api/v1/mandates?level=commune&code={dong_xuan.code}",
            "xa.dongxuan",
        ),
    ]
    return found


def client_for(login: str | None, clients: dict) -> Client:
    if login not in clients:
        client = Client()
        if login:
            person = Person.objects.filter(username=login).first() or Person.objects.get(
                phone=login
            )
            client.force_login(person)
        clients[login] = client
    return clients[login]


def time_case(client: Client, url: str, n: int) -> list[float]:
    response = client.get(url)  # warm up (and fail early)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=int(os.environ.get("BENCH_N", "30")))
    parser.add_argument("--households", type=int, default=int(os.environ.get("HOUSEHOLDS", "170")))
    parser.add_argument("--only", default="", help="run only cases whose label contains this")
    args = parser.parse_args()

    build_demo(args.households)
    print(f"Database: {connection.vendor}; {args.n} requests per case, after one warm-up.\n")
    clients: dict = {}
    rows = []
    baseline = None
    for label, url, login in cases():
        if args.only and args.only not in label and baseline is not None:
            continue
        times = time_case(client_for(login, clients), url, args.n)
        median = statistics.median(times)
        if baseline is None:
            baseline = median
        rows.append((label, median, p95(times), median / baseline))
    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  {'median ms':>10}  {'p95 ms':>9}  {'× baseline':>10}")
    for label, median, high, ratio in rows:
        print(f"{label:<{width}}  {median:>10.1f}  {high:>9.1f}  {ratio:>10.0f}")


if __name__ == "__main__":
    main()
