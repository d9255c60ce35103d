"""Faults under load: PostgreSQL restarted (`--pgdata DIR --pg-url URL`) or the broker down
(`--broker-down [SECONDS]`): `python benchmarks/faults.py …`.

PostgreSQL restarted (`--pgdata DIR --pg-url URL`):

For a PostgreSQL server of your own (never a shared one: it is restarted), whose database holds
the demo (`manage.py backup` from the bench database, `restore_backup` into it). Serves it with
gunicorn (2 workers, DEBUG=0), has 8 clients read the area page signed out, /healthz and ask
questions through Open311 for --seconds, restarts the server (`pg_ctl restart -m fast`, as the
owner of DIR) after a third of the time, and prints the answers second by second, whether the
503s were the Vietnamese page, and the questions the clients were told were saved against those
stored. The app is never restarted.

The broker down (`--broker-down [SECONDS]`, default 60; `--seconds` defaults to twice that): builds
the demo (as `make bench-load`: HOUSEHOLDS, BENCH_AREAS, …) into a database of its own (SQLite in
var/bench-faults-broker/, or BENCH_VAR_DIR; PostgreSQL when BENCH_DATABASE_URL is set), starts a
redis-server of its own on FAULTS_BROKER_PORT (default 8185) as the Celery broker, one Celery
worker on it (solo pool, SMS and Zalo to files), the outbox relay every 5 s (as beat or cron would
run `dispatch_outbox`; OUTBOX_LEASE_SECONDS 15 here, so that what the killed broker held is handed
over again soon) and gunicorn (2 workers, DEBUG=0) on BENCH_PORT with the same broker. For the run
8 clients read /healthz, the area page signed out, the head's inbox /viec/ and the resident's home
signed in, while a publisher (the officer's service call, as the notice form makes it) publishes a
notice to the area's households every second. After a third of the time the broker is killed
(SIGKILL: what it held is lost, it saves nothing) for SECONDS and started again; once the load is
over the script waits for the outbox to drain, then prints the answers second by second, the
notices published against those stored, the SMS expected (the deliveries the publications made)
against the lines in the SMS file, the doubled ones ((recipient, text) twice), and the outbox left
pending. Exit status 1 on a page not answered 200, a lost or doubled message or an outbox not
empty.
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
PORT = int(os.environ.get("BENCH_PORT", "8184"))
PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")


def stored_questions(env: dict) -> int:
    code = (
        "import django; django.setup(); from caunoi.feedback.models import Request; "
        "print(Request.objects.count())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pgdata", help="PostgreSQL restarted: its data directory")
    parser.add_argument("--pg-url", help="PostgreSQL restarted: the database served")
    parser.add_argument("--pg-user", default="postgres", help="the owner of --pgdata")
    parser.add_argument(
        "--broker-down", type=int, nargs="?", const=60, metavar="SECONDS",
        help="the broker down for SECONDS (default 60) instead of PostgreSQL restarted",
    )  # fmt: skip
    parser.add_argument("--seconds", type=int, help="default 30; twice SECONDS with --broker-down")
    parser.add_argument("--area", default="08170-01")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        broker_child(args.child)
    elif args.broker_down is not None:
        sys.exit(broker_down(args.broker_down, args.seconds or 2 * args.broker_down))
    elif args.pgdata and args.pg_url:
        postgres_restarted(args)
    else:
        parser.error("give --pgdata and --pg-url (PostgreSQL restarted) or --broker-down")


def postgres_restarted(args) -> None:
    import pages

    args.seconds = args.seconds or 30
    env = {
        **os.environ,
        "DATABASE_URL": args.pg_url,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "caunoi.settings",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.setdefault("CAUNOI_VAR_DIR", str(ROOT / "var" / "bench-faults"))
    # the clients ask through the demo's one Open311 key: its hourly limit (200, an abuse guard)
    # would answer 429 after 200 questions, as in steady.py
    env.setdefault("OPEN311_MAX_PER_KEY_PER_HOUR", "100000")
    Path(env["CAUNOI_VAR_DIR"], "static").mkdir(parents=True, exist_ok=True)
    before = stored_questions(env)
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    server = pages.start_server(Path(env["CAUNOI_VAR_DIR"]) / "static", PORT)
    base = f"http://127.0.0.1:{PORT}"
    start = time.monotonic()
    seen: dict[int, collections.Counter] = collections.defaultdict(collections.Counter)
    told_saved = [0]
    vietnamese_503 = collections.Counter()
    lock = threading.Lock()

    def get(url: str, data: bytes | None = None) -> int:
        try:
            with urllib.request.urlopen(url, data=data, timeout=15) as r:
                r.read()
                return r.status
        except urllib.error.HTTPError as e:
            body = e.read().decode("utf-8", "replace")
            if e.code == 503:
                with lock:
                    vietnamese_503["Cầu Nối đang tạm gián đoạn" in body or "/healthz" in url] += 1
            return e.code
        except OSError:
            return 0

    def client(i: int) -> None:
        n = 0
        while time.monotonic() - start < args.seconds:
            second = int(time.monotonic() - start)
            if i % 4 == 0:
                form = {
                    "api_key": "demo-open311-dong-xuan",
                    "service_code": os.environ.get("FAULTS_SERVICE", ""),
                    "attribute[area]": args.area,
                    "address_string": "Cổng chợ",
                    "description": f"Câu hỏi {i}-{n}",
                }
                status = get(
                    f"{base}/open311/v2/requests.json", urllib.parse.urlencode(form).encode()
                )
                if status == 201:
                    with lock:
                        told_saved[0] += 1
            else:
                status = get(f"{base}/khu/{args.area}/" if i % 2 else f"{base}/healthz")
            with lock:
                seen[second][status] += 1
            n += 1
            time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    time.sleep(args.seconds / 3)
    restart_at = time.monotonic() - start
    pg_ctl = f"{PG_BIN}/pg_ctl -D {args.pgdata} -m fast -w restart -l {args.pgdata}/../log"
    subprocess.run(["su", args.pg_user, "-c", pg_ctl], check=True, capture_output=True)
    back_at = time.monotonic() - start
    for t in threads:
        t.join()
    pages.stop_server(server)
    os.environ.clear()
    os.environ.update(saved)
    stored = stored_questions(env) - before
    print(f"PostgreSQL restarted at {restart_at:.1f} s, accepting again at {back_at:.1f} s")
    print("second  answers (status: count; 0 = no answer)")
    for second in sorted(seen):
        print(f"{second:>6}  " + ", ".join(f"{k}: {v}" for k, v in sorted(seen[second].items())))
    print(
        f"503 answers: {sum(vietnamese_503.values())}, of which the Vietnamese page "
        f"(or /healthz's JSON): {vietnamese_503[True]}"
    )
    print(f"questions: the clients were told {told_saved[0]} saved; {stored} stored")
    print(json.dumps({"told": told_saved[0], "stored": stored}))


# The broker down (`--broker-down`): the demo's processes, each a child of this script.
BROKER_PORT = int(os.environ.get("FAULTS_BROKER_PORT", "8185"))
PUBLISH_EVERY = 1.0  # seconds between two notices


def broker_child(mode: str) -> None:
    """(In a child process set up on the bench database.) `prepare`: the demo built, the pages'
    sessions printed; `publish`: a notice to the area published every second for
    FAULTS_SECONDS; `relay`: the outbox relay every 5 s; `check`: what was stored and sent."""
    import run  # Django on CAUNOI_VAR_DIR / BENCH_DATABASE_URL

    if mode == "prepare":
        run.build_demo(int(os.environ.get("HOUSEHOLDS", "20")))

    from django.utils import timezone

    from caunoi.core.models import OutboxEvent
    from caunoi.outreach.models import Channel, Delivery, Notice
    from caunoi.people.models import Person
    from caunoi.territory.models import Level, Unit

    dx = Unit.objects.get(
        level=Level.COMMUNE, short_name="Đồng Xuân", parent__short_name="Thanh Ba"
    )
    khu = Unit.objects.get(level=Level.AREA, code=f"{dx.code}-01")
    head = Person.objects.get(phone="0912000001")
    if mode == "prepare":
        from load import session_cookie

        config = {
            "area": khu.code,
            "head": session_cookie(head),
            "resident": session_cookie(Person.objects.get(phone="0912000002")),
        }
        print("CONFIG " + json.dumps(config))
    elif mode == "publish":
        from caunoi.outreach import services

        end = time.monotonic() + float(os.environ["FAULTS_SECONDS"])
        i = 0
        while time.monotonic() < end:
            i += 1
            try:
                notice = services.notice_create(
                    actor=head, unit=khu, areas=[khu], title=f"Thông báo tải thử số {i}",
                    body="Nội dung thông báo.", category="other",
                )  # fmt: skip
                services.notice_publish(actor=head, notice=notice)
                print("published", notice.pk, flush=True)
            except Exception as exc:  # a write the officer would have seen fail
                print("failed", repr(exc)[:200], flush=True)
            time.sleep(PUBLISH_EVERY)
    elif mode == "relay":
        from caunoi.core.outbox import outbox_relay

        while True:
            try:
                outbox_relay()
            except Exception as exc:
                print("relay", repr(exc)[:200], flush=True)
            time.sleep(5)
    elif mode == "check":
        published = json.loads(os.environ["FAULTS_PUBLISHED"])
        sms = Delivery.objects.filter(notice_id__in=published, channel=Channel.SMS)
        no_phone = sms.filter(recipient="")  # failed at the fan-out: no message to send
        sms = sms.exclude(recipient="")
        events = OutboxEvent.objects.filter(
            topic="outreach.dispatch", payload__notice__in=published
        )
        counts = {
            "stored": Notice.objects.filter(pk__in=published, status="published").count(),
            "sms": sms.count(),
            "no_phone": no_phone.count(),
            "sms_not_sent": sms.exclude(status=Delivery.Status.SENT).count(),
            "outbox_pending": OutboxEvent.objects.filter(  # due and not done, whatever topic
                done_at__isnull=True, available_at__lte=timezone.now()
            ).count(),
            "refused": events.exclude(last_error="").count(),
            "handed_over_again": events.filter(attempts__gt=1).count(),
        }  # fmt: skip
        print("COUNTS " + json.dumps(counts))


def _broker_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    if env.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = env["BENCH_DATABASE_URL"]
        default = ROOT / "var" / "bench-faults-broker-pg"
    else:
        default = ROOT / "var" / "bench-faults-broker"
    var = Path(env.get("BENCH_VAR_DIR") or default)
    (var / "static").mkdir(parents=True, exist_ok=True)
    for name in ("sms.jsonl", "zalo.jsonl"):
        (var / name).unlink(missing_ok=True)
    env.setdefault("BENCH_TASKS_PER_COMMUNE", "10")
    env.update(
        CAUNOI_VAR_DIR=str(var),
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="caunoi.settings",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CELERY_BROKER_URL=f"redis://127.0.0.1:{BROKER_PORT}/0",
        CELERY_TASK_ALWAYS_EAGER="0",
        SMS_BACKEND="file",
        SMS_FILE_PATH=str(var / "sms.jsonl"),
        ZALO_BACKEND="file",
        ZALO_FILE_PATH=str(var / "zalo.jsonl"),
        OUTBOX_LEASE_SECONDS="15",
        OUTREACH_AUDIO_ON_PUBLISH="0",  # the messages are measured here, not the loudspeaker
    )
    return env


def _child_of(mode: str, env: dict, **extra) -> subprocess.Popen:
    """A child running for the whole load (its warnings, the broker refusing, in a log file)."""
    log = Path(env["CAUNOI_VAR_DIR"], f"faults-{mode}.log").open("w")
    return subprocess.Popen(
        [sys.executable, __file__, "--child", mode], env={**env, **extra}, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=log, text=True, start_new_session=True,
    )  # fmt: skip


def _child_json(mode: str, env: dict, tag: str, **extra) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode], env={**env, **extra}, cwd=ROOT,
        capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(done.stdout[-2000:] + done.stderr[-3000:])
    return json.loads(next(x for x in done.stdout.splitlines() if x.startswith(tag))[len(tag) :])


def _redis() -> subprocess.Popen:
    import redis

    p = subprocess.Popen(
        ["redis-server", "--port", str(BROKER_PORT), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(port=BROKER_PORT, socket_connect_timeout=0.5)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if client.ping():
                return p
        except redis.RedisError:
            time.sleep(0.1)
    p.kill()
    raise SystemExit(f"redis-server did not start on port {BROKER_PORT}")


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "caunoi", "worker", "--pool=solo",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


def _stop(p: subprocess.Popen) -> None:
    if p.poll() is None:
        p.kill()
    p.wait()


def _sent(path: Path) -> list[tuple[str, str]]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(x["to"], x["text"]) for x in map(json.loads, lines)]


def broker_down(down: int, seconds: int) -> int:
    import pages

    if seconds < down * 3 // 2:
        raise SystemExit("--seconds must leave the broker time to come back (≥ 1.5 × SECONDS)")
    env = _broker_env()
    started = time.monotonic()
    config = _child_json("prepare", env, "CONFIG ")
    print(f"demo ready in {time.monotonic() - started:.0f} s ({env['CAUNOI_VAR_DIR']})")
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    broker = _redis()
    procs = {"worker": _worker(env), "relay": _child_of("relay", env)}
    server = pages.start_server(Path(env["CAUNOI_VAR_DIR"]) / "static", PORT)
    base = f"http://127.0.0.1:{PORT}"
    cases = [
        ("/healthz", f"{base}/healthz", None),
        ("area page", f"{base}/khu/{config['area']}/", None),
        ("head's inbox", f"{base}/viec/", config["head"]),
        ("resident's home", f"{base}/", config["resident"]),
    ]
    seen: dict[int, collections.Counter] = collections.defaultdict(collections.Counter)
    bad: collections.Counter = collections.Counter()
    lock = threading.Lock()
    published: list[int] = []
    failed_writes: list[str] = []
    worker_restarts = [0]
    broker_up = threading.Event()
    broker_up.set()
    try:
        start = time.monotonic()
        publisher = _child_of("publish", env, FAULTS_SECONDS=str(seconds))

        def read_publisher() -> None:
            for line in publisher.stdout:
                if line.startswith("published "):
                    published.append(int(line.split()[1]))
                elif line.startswith("failed "):
                    failed_writes.append(line.strip())

        def client(i: int) -> None:
            label, url, cookie = cases[i % len(cases)]
            while time.monotonic() - start < seconds:
                second = int(time.monotonic() - start)
                request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
                try:
                    with urllib.request.urlopen(request, timeout=15) as r:
                        r.read()
                        status = r.status
                except urllib.error.HTTPError as e:
                    status = e.code
                except OSError:
                    status = 0
                with lock:
                    seen[second][status] += 1
                    if status != 200:
                        bad[(label, status)] += 1
                time.sleep(0.05)

        def watch_worker() -> None:  # a worker that lost its broker may exit: started again
            while time.monotonic() - start < seconds + 180:
                if procs["worker"].poll() is not None and broker_up.is_set():
                    procs["worker"] = _worker(env)
                    worker_restarts[0] += 1
                time.sleep(1)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
        threads.append(threading.Thread(target=read_publisher))
        watcher = threading.Thread(target=watch_worker, daemon=True)
        for t in [*threads, watcher]:
            t.start()
        time.sleep(seconds / 3)
        broker_up.clear()
        broker.kill()  # SIGKILL: the tasks it held are lost with it
        broker.wait()
        killed_at = time.monotonic() - start
        time.sleep(down)
        broker = _redis()
        back_at = time.monotonic() - start
        broker_up.set()
        for t in threads:
            t.join()
        publisher.wait()
        load_over = time.monotonic() - start
        extra = {"FAULTS_PUBLISHED": json.dumps(published)}
        while True:  # the outbox drains: every delivery sent, nothing pending
            counts = _child_json("check", env, "COUNTS ", **extra)
            drained = time.monotonic() - start
            if counts["outbox_pending"] == 0 and counts["sms_not_sent"] == 0:
                break
            if drained - load_over > 90:
                break
            time.sleep(3)
    finally:
        pages.stop_server(server)
        for p in procs.values():
            _stop(p)
        _stop(broker)
        os.environ.clear()
        os.environ.update(saved)
    sent = _sent(Path(env["SMS_FILE_PATH"]))
    doubled = len(sent) - len(set(sent))
    lost = counts["sms"] - len(set(sent))
    print(
        f"the broker killed at {killed_at:.1f} s, started again at {back_at:.1f} s; "
        f"the load over at {load_over:.1f} s, the outbox "
        f"{'drained' if counts['outbox_pending'] == 0 else 'NOT drained'} at {drained:.1f} s"
    )
    print("second  answers (status: count; 0 = no answer)")
    for second in sorted(seen):
        mark = "  (broker down)" if second + 1 > killed_at and second < back_at else ""
        print(
            f"{second:>6}  "
            + ", ".join(f"{k}: {v}" for k, v in sorted(seen[second].items()))
            + mark
        )
    total = sum(sum(c.values()) for c in seen.values())
    spans = {"before": [], "down": [], "after": []}
    for second, answers in seen.items():
        span = "before" if second + 1 <= killed_at else "after" if second >= back_at else "down"
        spans[span].append(sum(answers.values()))
    print(
        "answers per second, mean (min–max): "
        + "; ".join(f"{k} {sum(v) / len(v):.0f} ({min(v)}–{max(v)})" for k, v in spans.items() if v)
    )
    print(f"pages: {total} answers, {sum(bad.values())} not 200 {dict(bad) or ''}")
    print(
        f"notices: {len(published)} published, {counts['stored']} stored, "
        f"{len(failed_writes)} publications failed {failed_writes[:3] or ''}"
    )
    print(
        f"outbox: {counts['refused']} publications refused by the broker (they waited in the "
        f"outbox), {counts['handed_over_again']} handed over more than once; workers started "
        f"again: {worker_restarts[0]}"
    )
    print(
        f"SMS: {counts['sms']} expected (the publications' deliveries to a phone; "
        f"{counts['no_phone']} households without one), {len(sent)} lines in the "
        f"SMS file, {len(set(sent))} distinct, {doubled} doubled, {max(lost, 0)} lost; "
        f"deliveries not sent: {counts['sms_not_sent']}"
    )
    print(f"outbox pending at the end (events due, not done): {counts['outbox_pending']}")
    result = {
        "pages": total, "pages_not_200": sum(bad.values()), "published": len(published),
        "stored": counts["stored"], "failed_writes": len(failed_writes),
        "sms_expected": counts["sms"], "sms_lines": len(sent), "doubled": doubled,
        "lost": lost, "outbox_pending": counts["outbox_pending"],
        "refused": counts["refused"], "handed_over_again": counts["handed_over_again"],
    }  # fmt: skip
    print(json.dumps(result))
    ok = (
        not bad
        and not failed_writes
        and published
        and counts["stored"] == len(published)
        and counts["sms"] > 0
        and doubled == 0
        and lost == 0
        and counts["sms_not_sent"] == 0
        and counts["outbox_pending"] == 0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    main()
