"""A real Celery worker (on the Redis at TEST_REDIS_URL, PostgreSQL) imports today's Phú Thọ
(vietnam-provinces 2025.10.1, 148 communes) over the test world from a job the outbox published:
the page of the job then shows the report. Skipped on SQLite or without Redis."""

import datetime
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import vietnam_provinces
from django.utils import timezone

from caunoi.core.models import OutboxEvent
from caunoi.territory import jobs
from caunoi.territory.models import ImportJob, Level, Unit
from caunoi.testing import celery_worker_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[4]


def test_a_worker_imports_a_province_from_the_outbox(world, tmp_path, client_for, english):
    queue = f"territory-test-{uuid.uuid4().hex[:8]}"
    env = celery_worker_env(tmp_path, queue)
    data = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    content = json.dumps([p for p in data if p["code"] == 25]).encode()
    decision = {"effective_date": "2025-07-01", "number": "1676/NQ-UBTVQH15", "date": None}
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.UNITS,
        unit=world.province,
        actor=world.province_officer,
        content=content,
        file_name="phu-tho-2025.json",
        options={"decision": decision, "mapping": {}, "dry_run": False},
    )
    OutboxEvent.objects.create(
        topic=jobs.TOPIC, payload={"job": job.pk}, created_at=timezone.now(),
        available_at=timezone.now(),
    )  # fmt: skip
    page = client_for(world.province_officer).get(f"/tinh/25/nhap/{job.pk}/").content.decode()
    assert "Waiting for a worker" in page and 'http-equiv="refresh"' in page
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "caunoi", "worker", "--pool=solo", "-Q", queue,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        relay = subprocess.run(
            [sys.executable, "manage.py", "dispatch_outbox"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert relay.returncode == 0, relay.stderr
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.finished:
                break
            time.sleep(0.5)
    finally:
        worker.kill()
        worker.wait()
    assert job.status == ImportJob.Status.DONE, (job.status, job.error, job.report)
    assert OutboxEvent.objects.get(topic=jobs.TOPIC).done_at is not None
    today = datetime.date(2025, 7, 2)
    communes = Unit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True)
    assert communes.filter(path__startswith=world.province.path).count() == 148
    assert job.report["created"] and today  # the counts the worker recorded
    page = client_for(world.province_officer).get(f"/tinh/25/nhap/{job.pk}/").content.decode()
    assert "Imported" in page and "http-equiv" not in page
