"""Page weight and first paint of the key pages, as a phone on a 3G network sees them.

Run on demand (not part of the test suite):

    make demo-data                       # builds var/caunoi.sqlite3 once
    .venv/bin/python benchmarks/pages.py
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/pages.py --runs 5
    .venv/bin/python benchmarks/pages.py --url http://127.0.0.1:8000   # a server already running

It collects the static files into a temporary directory, starts gunicorn (DEBUG off, WhiteNoise
serving compressed, hashed CSS as in production) on a free port against the database the
environment names (DATABASE_URL; default the demo SQLite file), then drives Debian Chromium
through Playwright with the old DevTools "Regular 3G" profile (100 ms latency, 750 kbit/s down,
250 kbit/s up). For every page:

- first load: a fresh browser context, HTTP cache disabled; bytes on the wire summed from CDP
  Network.loadingFinished encodedDataLength (headers + body as transferred);
- repeat load: the same page again in that context with the cache enabled;
- first contentful paint of the first load (median of --runs).

The budgets: first load ≤ 50 KB, repeat load ≤ 15 KB, FCP ≤ 2 s. The exit status is 1 when a
page is over a budget, so the script can gate a release. Use a copy of a database you care about:
SQLite is opened in WAL mode.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "e2e"))
from chromium import LAUNCH_ARGS, PHONE, chromium_path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
FIRST_BUDGET = 50 * 1024
REPEAT_BUDGET = 15 * 1024
FCP_BUDGET_MS = 2000
REGULAR_3G = {"latency": 100, "down_kbit": 750, "up_kbit": 250}
SERVER_ENV = {
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "LOG_LEVEL": "WARNING",
}


@dataclass
class Result:
    page: str
    url: str
    first_bytes: int
    repeat_bytes: int
    fcp_ms: float
    status: int

    @property
    def ok(self) -> bool:
        return (
            self.status == 200
            and self.first_bytes <= FIRST_BUDGET
            and self.repeat_bytes <= REPEAT_BUDGET
            and self.fcp_ms <= FCP_BUDGET_MS
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(static_root: Path) -> dict:
    env = {**os.environ, **SERVER_ENV, "STATIC_ROOT": str(static_root)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
    return env


def start_server(static_root: Path, port: int) -> subprocess.Popen:
    env = server_env(static_root)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
        cwd=ROOT,
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "caunoi.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise SystemExit("the server did not answer /healthz within 30 s")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def pick_pages(static_root: Path) -> list[tuple]:
    """The key pages, with a commune and an area taken from the database: the commune of the
    first commune officer (the demo's Đồng Xuân) and its first area, else the commune with the
    most areas; plus that area's household list, signed in as that officer."""
    if not os.environ.get("DATABASE_URL"):
        var_dir = Path(os.environ.get("CAUNOI_VAR_DIR", ROOT / "var"))
        if not (var_dir / "caunoi.sqlite3").exists():
            raise SystemExit(
                f"no demo database at {var_dir / 'caunoi.sqlite3'}: run `make demo-data`"
            )
    os.environ.update({k: v for k, v in server_env(static_root).items() if k not in os.environ})
    sys.path.insert(0, str(SRC))
    import django

    django.setup()
    from django.db.models import Count

    from caunoi.people.models import Mandate, Role
    from caunoi.territory.models import Level, Unit

    communes = Unit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True)
    staffed = (
        Mandate.objects.active()
        .filter(role=Role.COMMUNE_OFFICER, unit__in=communes, person__username__isnull=False)
        .order_by("pk")
        .first()
    )
    commune = (
        staffed.unit if staffed else communes.annotate(n=Count("children")).order_by("-n").first()
    )
    if commune is None:
        raise SystemExit("no commune in this database: run `make demo-data` first")
    area = commune.children.filter(valid_to__isnull=True).order_by("code").first()
    province = Unit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True).order_by("code")
    province = province.filter(code="25").first() or province.first()
    biggest = (
        communes.annotate(n=Count("children")).order_by("-n", "code").values_list("code", "n")
    ).first()
    pages = [
        ("home", "/"),
        ("browse", "/dia-ban/"),
        (f"province {province.code}", f"/tinh/{province.code}/"),
        (f"commune {commune.code}", f"/xa/{commune.code}/"),
    ]
    if biggest and biggest[0] != commune.code:
        pages.append((f"biggest commune {biggest[0]} ({biggest[1]} areas)", f"/xa/{biggest[0]}/"))
    if area is not None:
        pages.append((f"area {area.code}", f"/khu/{area.code}/"))
    pages += [
        ("search", "/tim-kiem/?q=khu+3+dong+xuan"),
        ("sign-in", "/dang-nhap/"),
    ]
    if staffed is not None and area is not None:
        # The heaviest page an official opens daily: an area's household list (signed in).
        n = area.households.filter(is_active=True).count()
        pages.append(
            (
                f"households {area.code} ({n}), signed in",
                f"/khu/{area.code}/ho/",
                staffed.person.username,
            )
        )
    return pages


class Meter:
    def __init__(self, context, page):
        self.cdp = context.new_cdp_session(page)
        self.bytes: dict[str, int] = {}
        self.pending: set[str] = set()
        self.cdp.send("Network.enable")
        self.cdp.on("Network.requestWillBeSent", lambda ev: self.pending.add(ev["requestId"]))
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", lambda ev: self.pending.discard(ev["requestId"]))

    def _finished(self, ev):
        self.pending.discard(ev["requestId"])
        self.bytes[ev["requestId"]] = int(ev["encodedDataLength"])

    def configure(self, *, cache: bool, latency: float, down_kbit: float, up_kbit: float, cpu=1):
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": not cache})
        self.cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": latency,
                "downloadThroughput": down_kbit * 1024 / 8,
                "uploadThroughput": up_kbit * 1024 / 8,
            },
        )
        if cpu > 1:
            self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})

    def reset(self):
        self.bytes.clear()
        self.pending.clear()

    def total(self) -> int:
        deadline = time.monotonic() + 5
        while self.pending and time.monotonic() < deadline:
            self.cdp.send("Runtime.evaluate", {"expression": "1"})
        return sum(self.bytes.values())


FCP_JS = "() => performance.getEntriesByName('first-contentful-paint').length > 0"
FCP_VALUE = "() => performance.getEntriesByName('first-contentful-paint')[0].startTime"


def load(page, meter, url) -> tuple[int, int, float]:
    meter.reset()
    response = page.goto(url, wait_until="load")
    page.wait_for_function(FCP_JS, timeout=30_000)
    return response.status, meter.total(), page.evaluate(FCP_VALUE)


def sign_in(page, username: str) -> None:
    """Password sign-in (demo accounts share DEMO_PASSWORD), before throttling starts."""
    page.goto("/dang-nhap/mat-khau/")
    page.fill("#id_username", username)
    page.fill("#id_password", os.environ.get("DEMO_PASSWORD", "caunoi-demo-2022"))
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("load")
    if "/dang-nhap/" in page.url:
        raise SystemExit(f"could not sign in as {username}: set DEMO_PASSWORD")


def measure(browser, base, name, path, runs, network, cpu, username=None):
    firsts, repeats, paints, status = [], [], [], 0
    for _ in range(runs):
        context = browser.new_context(base_url=base, **PHONE)
        page = context.new_page()
        if username:
            sign_in(page, username)
        meter = Meter(context, page)
        meter.configure(cache=False, cpu=cpu, **network)
        status, first, fcp = load(page, meter, path)
        meter.configure(cache=True, cpu=1, **network)
        _, repeat, _ = load(page, meter, path)
        context.close()
        firsts.append(first)
        repeats.append(repeat)
        paints.append(fcp)
    return Result(
        name,
        path,
        int(statistics.median(firsts)),
        int(statistics.median(repeats)),
        round(statistics.median(paints)),
        status,
    )


def table(results: list[Result]) -> str:
    head = (
        f"{'page':<40} {'first':>8} {'/50 KB':>7} {'repeat':>8} {'/15 KB':>7} "
        f"{'FCP 3G':>8} {'/2 s':>6}  ok"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(
            f"{r.page[:40]:<40} "
            f"{r.first_bytes / 1024:>6.1f}KB {r.first_bytes / FIRST_BUDGET:>7.0%} "
            f"{r.repeat_bytes / 1024:>6.1f}KB {r.repeat_bytes / REPEAT_BUDGET:>7.0%} "
            f"{r.fcp_ms:>6.0f}ms {r.fcp_ms / FCP_BUDGET_MS:>6.0%}  "
            + ("yes" if r.ok else f"NO{'' if r.status == 200 else f' (HTTP {r.status})'}")
        )
    return "\n".join(lines)


def find_chromium() -> str:
    found = chromium_path()
    if not found:
        raise SystemExit("Chromium not found: run `sudo make browser-deps`")
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="measure a server already running at this base URL")
    parser.add_argument("--runs", type=int, default=3, help="loads per page (median); default 3")
    parser.add_argument("--cpu", type=int, default=1, help="CPU slowdown factor, e.g. 4")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    static_root = Path(tempfile.mkdtemp(prefix="caunoi-bench-static-"))
    server = None
    try:
        pages = pick_pages(static_root)
        if args.url:
            base = args.url.rstrip("/")
        else:
            port = free_port()
            server = start_server(static_root, port)
            base = f"http://127.0.0.1:{port}"
        network = {
            "latency": REGULAR_3G["latency"],
            "down_kbit": REGULAR_3G["down_kbit"],
            "up_kbit": REGULAR_3G["up_kbit"],
        }
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=find_chromium(), args=LAUNCH_ARGS)
            results = [
                measure(browser, base, name, path, args.runs, network, args.cpu, *user)
                for name, path, *user in pages
            ]
            browser.close()
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(static_root, ignore_errors=True)

    from django.db import connection

    db = f"{connection.vendor} {connection.settings_dict['NAME']}"
    print(f"Cầu Nối pages on {base}, database {db}")
    print(
        f"Regular 3G: {REGULAR_3G['latency']} ms, {REGULAR_3G['down_kbit']} kbit/s down, "
        f"{REGULAR_3G['up_kbit']} kbit/s up; CPU x{args.cpu}; median of {args.runs} runs\n"
    )
    print(table(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps([asdict(r) | {"ok": r.ok} for r in results], indent=2), encoding="utf-8"
        )
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
