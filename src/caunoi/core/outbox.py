"""The transactional outbox: side effects (messages to send) are recorded in the writer's
transaction, then handed to Celery after the commit; a broker outage delays them, never loses them.

    with transaction.atomic():
        notice = ...                                   # the change
        outbox_add(topic="outreach.dispatch", payload={"notice": notice.pk})

* `outbox_add` writes an `OutboxEvent`; once the transaction commits, the event is published to its
  Celery task (run in-process when no broker is configured: CELERY_TASK_ALWAYS_EAGER).
* A topic is declared once, by the app that handles it: `register(topic, task)`; the task receives
  the event id and calls `outbox_done(event_id)` when nothing is left to do.
* `outbox_relay()` publishes again every due event that is not done and was not published within
  OUTBOX_LEASE_SECONDS: events whose first publication failed (broker down), scheduled events that
  have come due, and events whose worker died. `manage.py dispatch_outbox` runs it (cron or Celery
  beat); with `--inline` it runs the handlers in this process, for a server without any broker.

Tasks must be idempotent: an event may be published more than once (a retry, a relay after a
lease, a redelivered message); each handler makes its own at-most-once guarantee.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from caunoi.core.models import OutboxEvent

logger = logging.getLogger(__name__)

_TASKS: dict = {}


def register(topic: str, task) -> None:
    """`task` is a Celery task taking the event id."""
    _TASKS[topic] = task


def task_for(topic: str):
    try:
        return _TASKS[topic]
    except KeyError:
        raise LookupError(f"No task registered for outbox topic {topic!r}") from None


def outbox_add(*, topic: str, payload: dict, available_at: datetime.datetime | None = None):
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_add must run inside the writer's transaction")
    task_for(topic)  # fail now, inside the transaction, for an unknown topic
    now = timezone.now()
    event = OutboxEvent.objects.create(
        topic=topic, payload=payload, created_at=now, available_at=available_at or now
    )
    if event.available_at <= now:
        transaction.on_commit(lambda: outbox_publish(event.pk))
    return event


def outbox_publish(event_id: int) -> bool:
    """Hand the event to its task (after the commit). False when the broker could not take it:
    the event stays pending for the relay."""
    event = OutboxEvent.objects.filter(pk=event_id, done_at__isnull=True).first()
    if event is None:
        return True
    OutboxEvent.objects.filter(pk=event_id).update(
        published_at=timezone.now(), attempts=F("attempts") + 1
    )
    try:
        task_for(event.topic).apply_async(args=[event.pk], retry=False)
    except Exception as exc:  # broker down, refused, timed out: the relay will try again
        logger.warning("Outbox event %s not published: %r", event_id, exc)
        OutboxEvent.objects.filter(pk=event_id).update(
            published_at=None, last_error=repr(exc)[:300]
        )
        return False
    return True


def pending(now=None, *, lease: bool = True):
    """Events due, not done, and (with `lease`) not published within the lease."""
    now = now or timezone.now()
    events = OutboxEvent.objects.filter(done_at__isnull=True, available_at__lte=now)
    if not lease:
        return events
    stale = now - datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    return events.filter(Q(published_at__isnull=True) | Q(published_at__lt=stale))


def outbox_relay(*, limit: int = 1000) -> int:
    """Publish again what is due and not taken; the number of events handed to the broker."""
    ids = list(pending().order_by("available_at", "pk").values_list("pk", flat=True)[:limit])
    return sum(1 for pk in ids if outbox_publish(pk))


def outbox_run_inline(*, limit: int = 1000) -> int:
    """Run every due event's task in this process (no broker, so no lease: nothing else runs
    them; the tasks are idempotent anyway): the number of events run."""
    due = pending(lease=False).order_by("available_at", "pk")
    ids = list(due.values_list("pk", "topic")[:limit])
    for pk, topic in ids:
        OutboxEvent.objects.filter(pk=pk).update(
            published_at=timezone.now(), attempts=F("attempts") + 1
        )
        task_for(topic).apply(args=[pk])
    return len(ids)


def outbox_done(event_id: int) -> None:
    OutboxEvent.objects.filter(pk=event_id, done_at__isnull=True).update(done_at=timezone.now())
