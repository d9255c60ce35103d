"""Benchmarks that cannot rot: every script under benchmarks/ runs here at a tiny size, on the
database the suite runs on (SQLite, or PostgreSQL with DATABASE_URL), and must finish and print
its ratios. Nothing here asserts a time: the figures are printed by `make bench-*` on demand.

Each script runs in its own process on its own database, cloned from the suite's migrated test
database so that no script migrates from scratch (SQLite: the online backup API; PostgreSQL:
CREATE DATABASE … TEMPLATE)."""

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection, connections

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)
TINY = {
    "BENCH_N": "2",
    "HOUSEHOLDS": "1",  # the demo at its smallest: one household per area,
    "BENCH_AREAS": "1",  # three areas per commune (the builder's floor),
    "BENCH_TASKS_PER_COMMUNE": "1",  # one task per commune
    "BENCH_TASKS_PER_HEAD": "1",
    "N": "60",  # questions (feedback)
    "R": "2",
    "FUNDS_BENCH_N": "60",
    "FUNDS_BENCH_AREAS": "4",
    "FUNDS_BENCH_REPS": "2",
    "SURVEY_BENCH_RESPONSES": "60",
    "SURVEY_BENCH_AREAS": "40",
    "SURVEY_BENCH_IMPORT": "20",
    "OUTREACH_BENCH_HOUSEHOLDS": "200",
    "OUTREACH_BENCH_DISPATCH": "0",  # the Celery dispatch part needs worker processes: on demand
}


class Clones:
    """Databases for the scripts, cloned from the migrated test database."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.pg = connection.vendor == "postgresql"
        self.made: list[str] = []
        if not self.pg:
            self.template = tmp / "template.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(self.template)
            connection.connection.backup(target)
            target.close()

    def _admin(self):
        import psycopg

        s = connection.settings_dict
        return psycopg.connect(
            dbname="postgres",
            user=s["USER"],
            password=s["PASSWORD"],
            host=s["HOST"],
            port=s["PORT"] or 5432,
            autocommit=True,
        )

    def env(self, name: str) -> dict[str, str]:
        var = self.tmp / name
        (var / "static").mkdir(parents=True, exist_ok=True)
        env = {
            k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")
        }
        env.update(TINY, PYTHONPATH=str(ROOT / "src"), CAUNOI_VAR_DIR=str(var))
        env.pop("BENCH_DATABASE_URL", None)
        if not self.pg:
            if not (var / "caunoi.sqlite3").exists():
                shutil.copy(self.template, var / "caunoi.sqlite3")
            return env
        s = connection.settings_dict
        db = f"{s['NAME']}_{name}_{uuid.uuid4().hex[:6]}"
        for conn in connections.all():
            conn.close()
            if hasattr(conn, "close_pool"):
                conn.close_pool()  # the template must have no session open
        with self._admin() as admin:
            admin.execute(f'CREATE DATABASE "{db}" TEMPLATE "{s["NAME"]}"')
        self.made.append(db)
        password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
        env["BENCH_DATABASE_URL"] = (
            f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{db}"
        )
        return env

    def drop(self) -> None:
        if self.made:
            with self._admin() as admin:
                for db in self.made:
                    admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


@pytest.fixture
def clones(tmp_path):
    made = Clones(tmp_path)
    yield made
    made.drop()


def bench(script: str, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, f"{script} failed:\n{out[-3000:]}"
    return done.stdout


def test_demo_benchmarks_run_at_a_tiny_size(clones):
    """`make bench`, `bench-directives` and `bench-feedback` on one tiny demo (built by the first,
    reused by the others), each printing every case's ratio to /healthz."""
    env = clones.env("demo")
    out = bench("run.py", env)
    assert "× baseline" in out and "province page /tinh/25/" in out
    out = bench("directives.py", env)
    assert "× baseline" in out and "head's inbox /viec/" in out
    out = bench("feedback.py", env)
    assert "× baseline" in out and "Open311 one request" in out


def test_funds_benchmark_runs_at_a_tiny_size(clones):
    out = bench("funds.py", clones.env("funds"))
    assert "× baseline" in out and "full chain verification" in out and "ratio" in out


def test_surveys_benchmark_runs_at_a_tiny_size(clones):
    out = bench("surveys.py", clones.env("surveys"))
    assert "× baseline" in out and "raw is" in out


@pytest.mark.postgres
def test_outreach_benchmark_runs_at_a_tiny_size(clones):
    out = bench("outreach.py", clones.env("outreach"))
    assert "fan-out:" in out and "ratio" in out and "reach roll-up" in out


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_load_benchmark_runs_at_a_tiny_size(clones):
    """`make bench-load` for one second a page at 4 connections: every page answers (2xx/3xx)
    and the table prints each share of /healthz and each p99 beside its own."""
    env = clones.env("load")
    env["BENCH_VAR_DIR"] = env["CAUNOI_VAR_DIR"]
    env["BENCH_PORT"] = os.environ.get("BENCH_PORT") or str(_free_port())
    env["LOAD_LOW_CONNECTIONS"] = "2"
    db = "postgres" if clones.pg else "sqlite"
    out = bench("load.py", env, "--seconds", "1", "--connections", "4", "--db", db)
    assert "of /healthz" in out and "/healthz p99" in out and "area page, repeat visit (304)" in out
    assert "signed in: resident's home" in out and "the same at -c2" in out
    assert "not 2xx/3xx" not in out and "socket errors" not in out


@pytest.mark.skipif(
    shutil.which("redis-server") is None and os.environ.get("CI") != "true",
    reason="redis-server is not installed (in CI, CI=true, the test runs and fails instead)",
)
def test_faults_benchmark_keeps_pages_and_messages_through_a_broker_outage(clones):
    """`benchmarks/faults.py --broker-down` for a few seconds on the tiny demo, with a Redis and a
    Celery worker of its own: every page answered 200 while the broker was down, every notice
    stored, every SMS sent once, the outbox empty at the end (the script exits 1 otherwise)."""
    env = clones.env("faults")
    env["BENCH_VAR_DIR"] = env["CAUNOI_VAR_DIR"]
    env["BENCH_PORT"] = os.environ.get("BENCH_PORT") or str(_free_port())
    env["FAULTS_BROKER_PORT"] = str(_free_port())
    out = bench("faults.py", env, "--broker-down", "2", "--seconds", "6")
    assert "(broker down)" in out and ", 0 not 200" in out
    assert "0 doubled, 0 lost" in out
    assert "outbox pending at the end (events due, not done): 0" in out


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_reform_benchmark_runs_for_the_three_provinces_of_todays_phu_tho(clones):
    """`make bench-reform` limited to Phú Thọ, Vĩnh Phúc and Hòa Bình: today's Phú Thọ with no
    district and its 148 communes, recorded with no mapping file."""
    out = bench("reform.py", clones.env("reform"), "--provinces", "25,26,17")
    assert "× baseline" in out and "today             1 provinces, 0 districts, 148 communes" in out


def test_reports_benchmark_runs_at_a_tiny_size(clones):
    """`make bench-reports` on a national set of three provinces (a commune of three areas each,
    grown once to two) with a year of every app's facts, fund entries included, and on the
    smallest Phú Thọ demo in a database of its own: every report timed against /healthz, and
    the ratios printed (national ÷ province, national grown ÷ national, Phú Thọ ÷ synthetic)."""
    env = clones.env("reports")
    demo = clones.env("reports_phutho")
    env.update(
        REPORTS_BENCH_PROVINCES="3",
        REPORTS_BENCH_PER_COMMUNE="3",
        REPORTS_BENCH_AREAS="18",
        REPORTS_BENCH_GROWTH="2",
        REPORTS_BENCH_TASKS="1",
        REPORTS_BENCH_RESPONSES="60",
        REPORTS_BENCH_FUND_ENTRIES="3",
        BENCH_PHUTHO_VAR_DIR=demo["CAUNOI_VAR_DIR"],
    )
    if "BENCH_DATABASE_URL" in demo:
        env["BENCH_PHUTHO_DATABASE_URL"] = demo["BENCH_DATABASE_URL"]
    out = bench("reports.py", env)
    assert "54 fund entries in 18 funds" in out
    assert "national report, stored" in out and "× baseline" in out
    assert "Phú Thọ 2022: province report, stored" in out
    assert "national/province, stored:" in out
    assert "national at 18 areas / at 9:" in out
    assert "Phú Thọ demo / synthetic, stored: province" in out
