"""Outreach benchmark: one notice to a synthetic province, on PostgreSQL.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/caunoi_outreach \
    OUTREACH_BENCH_HOUSEHOLDS=1000000 python benchmarks/outreach.py

1. Fan-out: a province notice to every household (web + SMS, so 2 delivery rows per household and
   one outbox row), i.e. `notice_publish` in one transaction, against the baseline: a raw COPY of
   the same number of rows into a table shaped like the delivery table (same indexes) in the same
   run. Goal: ratio ≤ 3. Peak memory of this process (ru_maxrss), goal ≤ 300 MB.
2. Reach: the draft's one row per area (`NoticeArea`, with its level keys) written by
   `notice_create`; then 20 more notices (each to two communes) and the ground's reach roll-up
   (`selectors.notice_reach_summary`, the page `/tinh|huyen|xa/<code>/thong-bao/`) for the
   province and one commune: milliseconds and queries.
3. Dispatch: OUTREACH_BENCH_DISPATCH SMS messages (console backend, output to /dev/null) sent by
   one, then two Celery worker processes on Redis (OUTREACH_BENCH_BROKER, default
   redis://127.0.0.1:6379/2), against the baseline of calling the console backend in a loop in
   this process. Skipped without Redis.

The synthetic province (code 99, about 170 households per area) is built once and reused;
`--rebuild` drops and builds it again.
"""

import argparse
import os
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ["DJANGO_SETTINGS_MODULE"] = "caunoi.settings"
os.environ["DEBUG"] = "0"
os.environ.setdefault("CAUNOI_VAR_DIR", str(ROOT / "var" / "bench"))
if not os.environ.get("BENCH_DATABASE_URL"):
    sys.exit("Set BENCH_DATABASE_URL=postgres://… (this benchmark measures PostgreSQL).")
os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ.pop("CELERY_BROKER_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max, Min  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from caunoi.core import outbox  # noqa: E402
from caunoi.core.models import OutboxEvent  # noqa: E402
from caunoi.outreach import selectors, services  # noqa: E402
from caunoi.outreach.models import ChannelDecision, Delivery, Notice  # noqa: E402
from caunoi.people.models import Person  # noqa: E402
from caunoi.territory.models import Household, Kind, Level, Unit  # noqa: E402

PER_AREA = 170
AREAS_PER_COMMUNE = 12
PROVINCE = "99"


def mb(kb: int) -> float:
    return kb / 1024


def rss_peak_mb() -> float:
    return mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def build(households: int, rebuild: bool) -> Unit:
    call_command("migrate", verbosity=0, interactive=False)
    province = Unit.objects.filter(level=Level.PROVINCE, code=PROVINCE).first()
    if (
        province
        and not rebuild
        and Household.objects.filter(area__path__startswith=province.path).count() == households
    ):
        return province
    if province:
        print("dropping the previous synthetic province …", flush=True)
        with connection.cursor() as c:
            c.execute(
                "TRUNCATE outreach_delivery, outreach_acknowledgement, outreach_noticearea, "
                "outreach_attachment, outreach_notice, outreach_channeldecision, core_outboxevent, "
                "territory_household, core_auditentry CASCADE"
            )
        for level in (4, 3, 1):
            Unit.objects.filter(level=level, path__startswith=province.path).delete()
    print(f"building a province of {households:,} households …", flush=True)
    t = time.perf_counter()
    province = Unit.objects.create(
        level=1,
        code=PROVINCE,
        kind=Kind.PROVINCE,
        name="Tỉnh Thử Nghiệm",
        short_name="Thử Nghiệm",
        path="",
    )
    province.path = f"/{province.pk}/"
    province.save()
    areas_needed = -(-households // PER_AREA)
    communes = []
    for i in range(-(-areas_needed // AREAS_PER_COMMUNE)):
        communes.append(
            Unit(
                level=3,
                code=f"99{i:05d}",
                kind=Kind.COMMUNE,
                name=f"Xã {i}",
                short_name=f"Xã {i}",
                parent=province,
                path="",
            )
        )
    Unit.objects.bulk_create(communes, batch_size=2000)
    communes = list(Unit.objects.filter(parent=province))
    for c in communes:
        c.path = f"{province.path}{c.pk}/"
    Unit.objects.bulk_update(communes, ["path"], batch_size=2000)
    areas = []
    for i in range(areas_needed):
        commune = communes[i // AREAS_PER_COMMUNE]
        areas.append(
            Unit(
                level=4,
                code=f"{commune.code}-{i % AREAS_PER_COMMUNE:02d}",
                kind=Kind.AREA,
                name=f"Khu {i}",
                short_name=f"Khu {i}",
                parent=commune,
                path="",
            )
        )
    Unit.objects.bulk_create(areas, batch_size=2000)
    areas = list(
        Unit.objects.filter(level=4, path="", parent__parent=province).select_related("parent")
    )
    for a in areas:
        a.path = f"{a.parent.path}{a.pk}/"
    Unit.objects.bulk_update(areas, ["path"], batch_size=2000)
    # Households by COPY, streamed in chunks.
    left = households
    with connection.cursor() as cursor:
        copy_sql = (
            "COPY territory_household (area_id, code, address, representative_name, "
            "representative_phone, email, members, is_active, search_key) FROM STDIN"
        )
        with cursor.cursor.copy(copy_sql) as copy:
            for a in areas:
                n = min(PER_AREA, left)
                for k in range(n):
                    copy.write_row(
                        (
                            a.pk,
                            f"{a.code}-{k:03d}",
                            f"Số {k}",
                            f"Hộ {k}",
                            f"09{(a.pk * 1000 + k) % 10**8:08d}",
                            "",
                            3,
                            True,
                            "",
                        )
                    )
                left -= n
                a.household_count = n
    Unit.objects.bulk_update(areas, ["household_count"], batch_size=2000)
    ChannelDecision.objects.bulk_create(
        [
            ChannelDecision(
                area=a, channel="sms", decision="Biên bản họp", decided_on=timezone.localdate()
            )
            for a in areas
        ],
        batch_size=2000,
    )
    with connection.cursor() as c:
        c.execute("ANALYZE")
    print(f"  built in {time.perf_counter() - t:.1f} s", flush=True)
    return province


def fan_out(province: Unit) -> tuple[float, int, int]:
    author, _ = Person.objects.get_or_create(username="bench.tinh", defaults={"full_name": "Bench"})
    areas = list(Unit.objects.filter(level=4, path__startswith=province.path))
    t = time.perf_counter()
    notice = services.notice_create(
        actor=author,
        unit=province,
        areas=areas,
        title="Cảnh báo mưa lớn",
        body="Đề phòng lũ quét.",
        category="disaster",
    )
    print(
        f"draft: notice_create with one row per area for {len(areas):,} areas in "
        f"{(time.perf_counter() - t) * 1000:.0f} ms",
        flush=True,
    )
    published = []
    real_publish = outbox.outbox_publish
    outbox.outbox_publish = published.append  # measure the writes, not the sending
    try:
        t = time.perf_counter()
        services.notice_publish(actor=author, notice=notice)
        elapsed = time.perf_counter() - t
    finally:
        outbox.outbox_publish = real_publish
    rows = Delivery.objects.filter(notice=notice).count()
    OutboxEvent.objects.filter(pk__in=published).update(done_at=timezone.now())
    return elapsed, rows, notice.pk


def copy_baseline(notice_id: int, province: Unit) -> tuple[float, int]:
    """COPY the same rows (web + SMS per household) into a table shaped like the delivery table:
    the same columns, indexes, unique constraint and foreign keys."""
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute("CREATE TABLE bench_copy (LIKE outreach_delivery INCLUDING ALL)")
        for column, table in [
            ("notice_id", "outreach_notice"),
            ("household_id", "territory_household"),
            ("area_id", "territory_unit"),
        ]:
            cursor.execute(
                f"ALTER TABLE bench_copy ADD FOREIGN KEY ({column}) REFERENCES {table} (id) "
                "DEFERRABLE INITIALLY DEFERRED"
            )
        households = Household.objects.filter(area__path__startswith=province.path).order_by("pk")
        t = time.perf_counter()
        now = timezone.now()
        last = 0
        with transaction.atomic():
            while True:  # read a chunk, then COPY it (one connection cannot do both at once)
                chunk = list(
                    households.filter(pk__gt=last).values_list(
                        "pk", "area_id", "representative_phone"
                    )[:50_000]
                )
                if not chunk:
                    break
                last = chunk[-1][0]
                with cursor.cursor.copy(
                    "COPY bench_copy (notice_id, household_id, area_id, channel, round, status, "
                    "recipient, attempts, reason, sent_at) FROM STDIN"
                ) as copy:
                    for pk, area, phone in chunk:
                        copy.write_row(
                            (notice_id, pk, area, "web", 0, "delivered", phone, 0, "", now)
                        )
                        copy.write_row(
                            (notice_id, pk, area, "sms", 0, "queued", phone, 0, "", None)
                        )
                rows += 2 * len(chunk)
        elapsed = time.perf_counter() - t
        cursor.execute("DROP TABLE bench_copy")
    return elapsed, rows


def reach_bench(province: Unit, notices: int = 20, runs: int = 7) -> None:
    """`notices` more notices from the province, each to the areas of two of its communes, then
    the ground's reach roll-up (the latest 20 notices) for the province and for one commune."""
    author = Person.objects.get(username="bench.tinh")
    communes = list(Unit.objects.filter(parent=province).order_by("code"))
    real_publish = outbox.outbox_publish
    outbox.outbox_publish = lambda pk: None
    try:
        for i in range(notices):
            chosen = [communes[i % len(communes)], communes[(i + 1) % len(communes)]]
            notice = services.notice_create(
                actor=author,
                unit=province,
                areas=list(Unit.objects.filter(parent__in=chosen)),
                title=f"Thông báo {i}",
                body="Lịch họp.",
                category="other",
            )
            services.notice_publish(actor=author, notice=notice)
    finally:
        outbox.outbox_publish = real_publish
    OutboxEvent.objects.filter(done_at__isnull=True).update(done_at=timezone.now())
    for unit in (province, communes[0]):
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                t = time.perf_counter()
                rows = selectors.notice_reach_summary(unit=unit)
                times.append(time.perf_counter() - t)
        times.sort()
        print(
            f"reach roll-up of {unit.name}: {len(rows)} notice(s), median "
            f"{times[runs // 2] * 1000:.1f} ms over {runs} runs, {len(queries)} queries",
            flush=True,
        )


def dispatch_bench(province: Unit, n: int, broker: str) -> None:
    import redis

    try:
        redis.Redis.from_url(broker, socket_connect_timeout=1).ping()
    except Exception:
        print(f"dispatch: skipped (no Redis at {broker})")
        return
    import logging

    from caunoi import channels
    from caunoi.channels.backends import ConsoleBackend

    logging.getLogger("caunoi.channels").setLevel(logging.WARNING)
    devnull = open(os.devnull, "w")
    real_stdout, sys.stdout = sys.stdout, devnull
    backend = ConsoleBackend(channels.SPECS[channels.SMS])
    text = "Cảnh báo mưa lớn. http://127.0.0.1:8000/thong-bao/1/"
    t = time.perf_counter()
    for i in range(n):
        backend.send(channels.Message(to=f"09{i:08d}", text=text))
    baseline = time.perf_counter() - t
    sys.stdout = real_stdout
    print(
        f"dispatch baseline: console backend in a loop, {n:,} messages: {baseline:.2f} s "
        f"({n / baseline:,.0f}/s)"
    )
    author = Person.objects.get(username="bench.tinh")
    area_ids = list(
        Unit.objects.filter(level=4, path__startswith=province.path).values_list("pk", flat=True)[
            : -(-n // PER_AREA)
        ]
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "SMS_BACKEND": "console",
        "LOG_LEVEL": "WARNING",
        "OUTREACH_DISPATCH_PARTS": "4",
    }
    for workers in (1, 2):
        queue = f"bench-{uuid.uuid4().hex[:6]}"
        env["CELERY_TASK_DEFAULT_QUEUE"] = queue
        areas = list(Unit.objects.filter(pk__in=area_ids))
        notice = services.notice_create(
            actor=author,
            unit=province,
            areas=areas,
            title="Lịch cắt điện",
            body="Sáng mai.",
            category="other",
        )
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "caunoi",
                    "worker",
                    "--pool=solo",
                    "-Q",
                    queue,
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                    "-l",
                    "warning",
                    "-n",
                    f"w{i}@bench",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for i in range(workers)
        ]
        time.sleep(4)  # let the workers connect
        real_publish = outbox.outbox_publish
        outbox.outbox_publish = lambda pk: None
        services.notice_publish(actor=author, notice=notice)
        outbox.outbox_publish = real_publish
        sms = Delivery.objects.filter(notice=notice, channel="sms")
        total = sms.exclude(status="failed").count()
        t = time.perf_counter()
        relay = subprocess.run(
            [sys.executable, "manage.py", "dispatch_outbox"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert "1 outbox event" in relay.stdout, relay.stdout + relay.stderr
        while sms.filter(status__in=["queued", "sending"]).exists():
            time.sleep(0.2)
        wall = time.perf_counter() - t
        span = sms.aggregate(first=Min("claimed_at"), last=Max("sent_at"))
        elapsed = (span["last"] - span["first"]).total_seconds()  # the workers' own time
        sent = sms.filter(status="sent").count()
        for p in procs:
            p.terminate()
            p.wait()
        print(
            f"dispatch with {workers} worker process(es): {sent:,}/{total:,} sent in "
            f"{elapsed:.2f} s ({sent / elapsed:,.0f}/s; {wall:.1f} s counting the relay's "
            f"start-up), {elapsed / baseline:.1f}× the baseline"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    households = int(os.environ.get("OUTREACH_BENCH_HOUSEHOLDS", "100000"))
    dispatch_n = int(os.environ.get("OUTREACH_BENCH_DISPATCH", "5000"))
    broker = os.environ.get("OUTREACH_BENCH_BROKER", "redis://127.0.0.1:6379/2")
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only.")
    province = build(households, args.rebuild)
    before = rss_peak_mb()
    elapsed, rows, notice_id = fan_out(province)
    baseline, copied = copy_baseline(notice_id, province)
    assert copied == rows, (copied, rows)
    print(
        f"fan-out: {rows:,} delivery rows + 1 outbox row for {households:,} households in "
        f"{elapsed:.2f} s; raw COPY of {rows:,} rows: {baseline:.2f} s; "
        f"ratio {elapsed / baseline:.2f} (goal ≤ 3)"
    )
    print(
        f"peak memory of this process: {rss_peak_mb():.0f} MB "
        f"(before the fan-out {before:.0f} MB; goal ≤ 300 MB)"
    )
    reach_bench(province)
    if dispatch_n:
        dispatch_bench(province, dispatch_n, broker)
    Notice.objects.filter(unit=province).delete()


if __name__ == "__main__":
    main()
