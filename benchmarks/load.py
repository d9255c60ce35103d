"""Pages under load over loopback: `make bench-load` (wrk; `apt-get install wrk`).

For each database (SQLite, and PostgreSQL when BENCH_DATABASE_URL is set; `--db` chooses), builds
the Phú Thọ demo once into its own database (var/bench-load/ for SQLite; sizes as for `make bench`:
HOUSEHOLDS, default 20, BENCH_AREAS, BENCH_TASKS_PER_COMMUNE), serves it with gunicorn (2 workers,
DEBUG=0, production settings but plain HTTP) and runs `wrk -t2 -c<connections> -d<seconds>` on
each page in turn, as a phone would ask (Accept-Encoding: gzip). Prints req/s, p50 and p99,
each page's p99 beside /healthz's and its req/s as a share of /healthz's, and the server's CPU
time per request (gunicorn's processes, from /proc) with /healthz's as a share of it: the share
a page would have on a machine of its own, which another program's load moves less. /healthz
runs before the first page and after each one, and a page is compared with the two runs beside
it, so that the machine's drift (it is shared) falls on both alike: the figures are only
comparable within one run. At 50 connections the mean latency is 50 / req/s (Little's law), so
a p99 under 100 ms needs more than 500 req/s, which the header compares with /healthz's own.
Then /healthz and the first public pages again at LOAD_LOW_CONNECTIONS (10; 0: not), the
latency of a server that is not saturated. Before each run a one-second burst at 4 connections
warms every worker's cache (each gunicorn process has its own LocMemCache).

Cases: /healthz (the baseline); public pages read signed out (area, commune, province, an area's
fund, a public notice, the demo's survey results published at the province, the commune's FAQ,
the funds' statement PDF), the area page's repeat visit
(If-None-Match: a 304), search and the Open311 list (not cached); signed in (kept per session,
`@reader_page`): the head's inbox, the resident's home and their household's notices.

    make bench-load                      # SQLite (and PostgreSQL with BENCH_DATABASE_URL)
    python benchmarks/load.py --seconds 12 --connections 50 --db postgres
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
PORT = int(os.environ.get("BENCH_PORT", "8180"))
LOW = int(os.environ.get("LOAD_LOW_CONNECTIONS", "10"))


def session_cookie(person) -> str:
    """A signed-in session for `person` (in a process set up on the bench database)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(person.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = person.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def bench_env(db: str) -> dict[str, str]:
    """The environment of the bench database's processes (the demo builder's and gunicorn's)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if db == "postgres":
        env["CAUNOI_VAR_DIR"] = str(ROOT / "var" / "bench-load-pg")
        env["DATABASE_URL"] = env["BENCH_DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        env["CAUNOI_VAR_DIR"] = os.environ.get("BENCH_VAR_DIR", str(ROOT / "var" / "bench-load"))
        env.pop("BENCH_DATABASE_URL", None)
    Path(env["CAUNOI_VAR_DIR"], "static").mkdir(parents=True, exist_ok=True)
    env.setdefault("BENCH_TASKS_PER_COMMUNE", "10")
    return env


def prepare() -> None:
    """(In a child process set up on the bench database.) Build the demo, print the cases."""
    import run  # sets Django up on CAUNOI_VAR_DIR / BENCH_DATABASE_URL

    run.build_demo(int(os.environ.get("HOUSEHOLDS", "20")))
    from caunoi.funds.models import Fund
    from caunoi.outreach.models import Notice
    from caunoi.people.models import Person
    from caunoi.territory.models import Level, Unit

    def session(phone: str) -> str:
        return session_cookie(Person.objects.get(phone=phone))

    dx = Unit.objects.get(
        level=Level.COMMUNE, short_name="Đồng Xuân", parent__short_name="Thanh Ba"
    )
    khu = Unit.objects.get(level=Level.AREA, code=f"{dx.code}-01")
    fund = Fund.objects.filter(area=khu).first()
    today = datetime.date.today()
    notice = Notice.objects.filter(is_public=True, status="published").order_by("pk").first()
    public = [
        ("/healthz (baseline)", "/healthz"),
        (f"area page /khu/{khu.code}/", f"/khu/{khu.code}/"),
        (f"commune page /xa/{dx.code}/", f"/xa/{dx.code}/"),
        ("province page /tinh/25/", "/tinh/25/"),
    ]
    if fund:
        public += [
            ("an area's fund (public ledger)", f"/khu/{khu.code}/quy/{fund.pk}/"),
            (
                "the fund's half-year statement PDF",
                f"/khu/{khu.code}/quy/{fund.pk}/cong-khai.pdf?ky=half&nam={today.year}"
                f"&so={1 if today.month <= 6 else 2}",
            ),
        ]
    if notice:
        public.append(("a public notice", f"/thong-bao/{notice.pk}/"))
    publication = published_results()
    if publication:
        public.append(("published survey results", publication.get_absolute_url()))
    public += [
        ("the commune's FAQ", f"/xa/{dx.code}/cau-hoi-thuong-gap/"),
        ("search (not cached)", "/tim-kiem/?q=khu+1+dong+xuan"),
        ("Open311 requests list (not cached)", "/open311/v2/requests.json"),
    ]
    cases = [{"label": label, "path": path, "headers": []} for label, path in public]
    cases.insert(
        2,
        {"label": "area page, repeat visit (304)", "path": f"/khu/{khu.code}/", "etag": True},
    )
    head, resident = session("0912000001"), session("0912000002")
    cases += [
        {
            "label": "signed in: head's inbox /viec/",
            "path": "/viec/",
            "headers": [f"Cookie: {head}"],
        },
        {"label": "signed in: resident's home /", "path": "/", "headers": [f"Cookie: {resident}"]},
        {
            "label": "signed in: household's notices",
            "path": "/thong-bao-cua-toi/",
            "headers": [f"Cookie: {resident}"],
        },
    ]
    print("CASES " + json.dumps(cases))


def published_results():
    """The demo's first survey published at its province (once: the bench database is its own)."""
    from caunoi.people.models import Mandate, Person
    from caunoi.reports.models import Publication
    from caunoi.reports.services import publication_create
    from caunoi.surveys.models import Campaign

    found = Publication.objects.filter(withdrawn_at=None).order_by("pk").first()
    campaign = Campaign.objects.filter(unit__isnull=False).order_by("pk").first()
    if found or campaign is None:
        return found
    officer = Mandate.objects.filter(unit=campaign.unit).order_by("pk").first()
    actor = officer.person if officer else Person.objects.order_by("pk").first()
    return publication_create(actor=actor, campaign=campaign, unit=campaign.unit)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def server_cpu(group: int) -> float:
    """CPU seconds used so far by the processes of `group` (gunicorn's master and workers), from
    /proc: what a request costs the server, whatever else the (shared) machine runs meanwhile;
    0 where there is no /proc."""
    ticks, total = os.sysconf("SC_CLK_TCK"), 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == group:  # pgrp; utime and stime are fields 14 and 15 of stat
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def wrk(url: str, headers: list[str], seconds: int, connections: int) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for h in ["Accept-Encoding: gzip", *headers]:
        cmd += ["-H", h]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "requests": requests,
        "p50": p50,
        "p99": p99,
        "bad": int(bad.group(1)) if bad else 0,
        "socket": errors.group(1) if errors else "",
    }


def run_database(db: str, seconds: int, connections: int) -> None:
    import pages  # gunicorn as `make bench-pages` starts it

    env = bench_env(db)
    child = subprocess.run(
        [sys.executable, __file__, "--prepare"], env=env, capture_output=True, text=True, cwd=ROOT
    )
    if child.returncode:
        raise SystemExit(child.stdout[-2000:] + child.stderr[-3000:])
    line = next(x for x in child.stdout.splitlines() if x.startswith("CASES "))
    cases = json.loads(line[len("CASES ") :])
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    static = Path(env["CAUNOI_VAR_DIR"]) / "static"
    server = pages.start_server(static, PORT)
    try:
        base = f"http://127.0.0.1:{PORT}"
        baseline, pages_ = cases[0], cases[1:]

        def measure(case: dict, conns: int) -> dict:
            headers = list(case.get("headers", []))
            if case.get("etag"):
                with urllib.request.urlopen(base + case["path"]) as r:
                    headers.append(f"If-None-Match: {r.headers['ETag']}")
            urllib.request.urlopen(base + case["path"]).read()
            # warm the cache of every worker (each gunicorn process has its own LocMemCache):
            # the figures are those of the page read again, as it is hundreds of times a write
            wrk(base + case["path"], headers, 1, 4)
            cpu = server_cpu(server.pid)
            r = wrk(base + case["path"], headers, seconds, conns)
            r["cpu"] = 1000 * (server_cpu(server.pid) - cpu) / max(r["requests"], 1)
            return r

        # /healthz before the first page and after each one: a page's share is of the two runs
        # beside it, so that the machine's drift (it is shared) falls on both alike
        hz = [measure(baseline, connections)]
        rows = []
        for case in pages_:
            rows.append((case["label"], measure(case, connections)))
            hz.append(measure(baseline, connections))
        # the first pages again at low concurrency (LOAD_LOW_CONNECTIONS, 0: none): the latency
        # a reader sees when the server is not saturated
        low = []
        if LOW:
            low_hz = measure(baseline, LOW)
            low = [(c["label"], measure(c, LOW)) for c in pages_[:4] if not c.get("etag")]
    finally:
        pages.stop_server(server)
        os.environ.clear()
        os.environ.update(saved)
    mean = {k: sum(h[k] for h in hz) / len(hz) for k in ("rps", "p50", "p99", "cpu")}
    width = max(len(label) for label, _ in rows)
    print(f"\n{db}: gunicorn 2 workers, DEBUG=0; wrk -t2 -c{connections} -d{seconds}s, loopback")
    print(
        f"/healthz, run {len(hz)} times (before the first page and after each): "
        f"{mean['rps']:.0f} req/s on average ({min(h['rps'] for h in hz):.0f}–"
        f"{max(h['rps'] for h in hz):.0f}), p99 {mean['p99']:.0f} ms"
    )
    print("share of /healthz and p99 beside it: of the two /healthz runs beside the page")
    print(
        "server CPU: gunicorn's CPU ms per request (from /proc), and /healthz's as a share of "
        "the page's: the share the page would have on a machine of its own"
    )
    # Little's law: `connections` requests are always in flight, so the mean latency is
    # connections / req/s whatever the page; a p99 under 100 ms needs well over that many req/s
    print(
        f"at -c{connections} the mean latency is {connections} / req/s: /healthz's "
        f"{1000 * connections / mean['rps']:.0f} ms; a p99 of 100 ms needs > "
        f"{connections / 0.1:.0f} req/s"
    )
    head = (
        f"{'page':<{width}}  {'req/s':>7}  {'p50 ms':>7}  {'p99 ms':>7}  "
        f"{'/healthz p99':>12}  {'of /healthz':>11}  {'CPU ms':>6}  {'CPU share':>9}"
    )
    print(head)
    print(_row("/healthz (mean of its runs)", mean, width, mean))
    for i, (label, r) in enumerate(rows):
        beside = {k: (hz[i][k] + hz[i + 1][k]) / 2 for k in ("rps", "p99", "cpu")}
        print(_row(label, r, width, beside))
    if low:
        print(f"\nthe same at -c{LOW}, beside one /healthz run at -c{LOW}")
        print(head)
        print(_row("/healthz", low_hz, width, low_hz))
        for label, r in low:
            print(_row(label, r, width, low_hz))


def _row(label: str, r: dict, width: int, beside: dict) -> str:
    note = f"  ({r['bad']} not 2xx/3xx)" if r.get("bad") else ""
    note += f"  (socket errors: {r['socket']})" if r.get("socket") else ""
    return (
        f"{label:<{width}}  {r['rps']:>7.0f}  {r['p50']:>7.1f}  {r['p99']:>7.1f}  "
        f"{beside['p99']:>12.1f}  {r['rps'] / beside['rps']:>10.0%}  {r['cpu']:>6.2f}  "
        f"{beside['cpu'] / r['cpu'] if r['cpu'] else 0:>8.0%}{note}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOAD_SECONDS", "5")))
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--db", default="both", choices=["both", "sqlite", "postgres"], help="default: both"
    )
    args = parser.parse_args()
    if args.prepare:
        prepare()
        return
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in dbs and not os.environ.get("BENCH_DATABASE_URL"):
        if args.db == "postgres":
            raise SystemExit("Set BENCH_DATABASE_URL=postgres://… for PostgreSQL.")
        print("PostgreSQL skipped: set BENCH_DATABASE_URL=postgres://… (the database must exist).")
        dbs.remove("postgres")
    for db in dbs:
        run_database(db, args.seconds, args.connections)


if __name__ == "__main__":
    main()
