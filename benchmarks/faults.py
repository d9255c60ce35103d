"""PostgreSQL restarted under load: `python benchmarks/faults.py --pgdata DIR --pg-url URL`.

For a PostgreSQL server of your own (never a shared one: it is restarted), whose database holds
the demo (`manage.py backup` from the bench database, `restore_backup` into it). Serves it with
gunicorn (2 workers, DEBUG=0), has 8 clients read the area page signed out, /healthz and ask
questions through Open311 for --seconds, restarts the server (`pg_ctl restart -m fast`, as the
owner of DIR) after a third of the time, and prints the answers second by second, whether the
503s were the Vietnamese page, and the questions the clients were told were saved against those
stored. The app is never restarted.
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
    import pages

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pgdata", required=True)
    parser.add_argument("--pg-url", required=True)
    parser.add_argument("--pg-user", default="postgres", help="the owner of --pgdata")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--area", default="08170-01")
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": args.pg_url,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "caunoi.settings",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.setdefault("CAUNOI_VAR_DIR", str(ROOT / "var" / "bench-faults"))
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


if __name__ == "__main__":
    main()
