"""Lesson-5 roll-ups at province scale: `python benchmarks/directives.py [-n 30]`.

Builds the Phú Thọ 2022 territory (2,328 areas, one head each; 2 households per area, since the
roll-ups never read households) into var/bench-directives/ once, with a year of tasks sized so
each head receives about BENCH_TASKS_PER_HEAD (default 50) a year, then times, in-process through
Django's test client, the trivial /healthz (baseline) against: the province's lesson-5 page (every
commune ranked), a district's, a commune's task page (with its heads' load), the province figures
through the API, and the demo head's inbox. Prints medians, 95th percentiles and each median as a
ratio to the baseline measured in the same run. `BENCH_DATABASE_URL=postgres://…` for PostgreSQL.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("CAUNOI_VAR_DIR", str(ROOT / "var" / "bench-directives"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (sets Django up on the bench database)
from django.db import connection  # noqa: E402

from caunoi.directives import demo  # noqa: E402
from caunoi.directives.models import Assignment, Directive  # noqa: E402
from caunoi.territory.models import Level, Unit  # noqa: E402

SHARE_OF_AREAS = 0.85  # the demo sends 70% of tasks to all areas, 30% to half of them


def ensure_tasks(per_head: int) -> None:
    heads = Unit.objects.filter(level=Level.AREA).count()
    have = Assignment.objects.count()
    stale = Directive.objects.filter(recipients=0).exists()  # made before the counters existed
    if heads and abs(have / heads - per_head) <= per_head * 0.15 and not stale:
        return
    print(f"Making a year of tasks: about {per_head} per head …")
    started = time.perf_counter()
    Assignment.objects.all()._raw_delete("default")  # a bench database: no cascade needed
    Directive.objects.all()._raw_delete("default")
    per_commune = round(per_head / SHARE_OF_AREAS)
    demo.build(seed=1, per_commune=per_commune)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    print(f"Made in {time.perf_counter() - started:.1f} s.\n")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=int(os.environ.get("BENCH_N", "30")))
    parser.add_argument(
        "--per-head", type=int, default=int(os.environ.get("BENCH_TASKS_PER_HEAD", "50"))
    )
    args = parser.parse_args()
    run.build_demo(int(os.environ.get("HOUSEHOLDS", "2")))
    ensure_tasks(args.per_head)
    heads = Unit.objects.filter(level=Level.AREA).count()
    print(
        f"Database: {connection.vendor}; {heads} heads, {Directive.objects.count()} tasks, "
        f"{Assignment.objects.count()} area assignments "
        f"({Assignment.objects.count() / heads:.1f} per head); {args.n} requests per case.\n"
    )
    dong_xuan = Unit.objects.get(level=Level.COMMUNE, short_name="Đồng Xuân")
    cases = [
        ("healthz (baseline)", "/healthz", None),
        ("province lesson 5 /tinh/25/nhiem-vu/", "/tinh/25/nhiem-vu/", "tinh.phutho"),
        ("province lesson 5, ranked by lead", "/tinh/25/nhiem-vu/?xep=lead", "tinh.phutho"),
        ("district lesson 5", f"/huyen/{dong_xuan.parent.code}/nhiem-vu/", "tinh.phutho"),
        ("commune tasks + heads' load", f"/xa/{dong_xuan.code}/nhiem-vu/", "xa.dongxuan"),
        ("API lesson5 province", "/api/v1/lesson5/province/25", "tinh.phutho"),
        ("head's inbox /viec/", "/viec/", "0912000001"),
    ]
    clients: dict = {}
    rows, baseline = [], None
    for label, url, login in cases:
        times = run.time_case(run.client_for(login, clients), url, args.n)
        median = statistics.median(times)
        baseline = baseline or median
        rows.append((label, median, run.p95(times), median / baseline))
    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  {'median ms':>10}  {'p95 ms':>9}  {'× baseline':>10}")
    for label, median, high, ratio in rows:
        print(f"{label:<{width}}  {median:>10.1f}  {high:>9.1f}  {ratio:>10.0f}")


if __name__ == "__main__":
    main()
