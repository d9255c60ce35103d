"""Health checks for monitors (`/healthz/all`): database, cache, broker, outbox. Each check is
bounded in time, so a monitor's request never hangs on a dead service."""

import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.utils import DatabaseError
from django.utils import timezone


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unreachable"
    return "ok"


def _cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, 1, 10)
        ok = cache.get(key) == 1
        cache.delete(key)
    except Exception:  # noqa: BLE001 - any backend's failure is "unreachable"
        return "unreachable"
    return "ok" if ok else "unreachable"


def _broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "none (tasks run in the web process)"
    from caunoi.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001 - kombu raises many kinds
        return "unreachable"
    return "ok"


def _outbox() -> dict[str, Any]:
    from .models import OutboxEvent

    waiting = OutboxEvent.objects.filter(done_at__isnull=True, available_at__lte=timezone.now())
    oldest = waiting.order_by("available_at").values_list("available_at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {"waiting": waiting.count(), "oldest_waiting_seconds": round(age)}


def check_all() -> dict[str, Any]:
    report: dict[str, Any] = {"database": _database(), "cache": _cache(), "broker": _broker()}
    problems = [name for name, state in report.items() if state == "unreachable"]
    if report["database"] == "ok":
        report["outbox"] = _outbox()
        if report["outbox"]["oldest_waiting_seconds"] > settings.HEALTH_OUTBOX_MAX_SECONDS:
            problems.append("outbox")
    report["status"] = "ok" if not problems else "failing: " + ", ".join(problems)
    return report
