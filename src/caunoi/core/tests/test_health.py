"""Health checks for monitors and the page people see when the database is away (issue 18)."""

import datetime

import pytest
from django.db.utils import OperationalError
from django.test import Client
from django.utils import timezone

from caunoi.core.models import OutboxEvent

pytestmark = pytest.mark.django_db


def test_all_well(client):
    r = client.get("/healthz/all")
    assert r.status_code == 200
    body = r.json()
    assert body["database"] == "ok" and body["cache"] == "ok" and body["status"] == "ok"
    assert body["broker"].startswith("none") and body["outbox"]["waiting"] == 0


def test_an_outbox_event_waiting_too_long_fails_the_check(client, settings):
    settings.HEALTH_OUTBOX_MAX_SECONDS = 600
    OutboxEvent.objects.create(
        topic="outreach.dispatch", available_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    r = client.get("/healthz/all")
    assert r.status_code == 503
    assert r.json()["outbox"] == {"waiting": 1, "oldest_waiting_seconds": 1200}
    assert "outbox" in r.json()["status"]


def test_a_broker_that_does_not_answer_fails_the_check(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    r = client.get("/healthz/all")
    assert r.status_code == 503 and r.json()["broker"] == "unreachable"


def test_database_away_is_the_vietnamese_503_page(world, monkeypatch):
    from caunoi.territory import selectors

    def away(**_kw):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(selectors, "unit_get", away)
    r = Client(raise_request_exception=False).get(f"/khu/{world.area_a1.code}/")
    assert r.status_code == 503 and r["Retry-After"] == "30"
    page = r.content.decode()
    assert "Cầu Nối đang tạm gián đoạn" in page and "chưa được lưu" in page
