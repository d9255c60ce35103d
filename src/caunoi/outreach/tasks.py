"""Celery tasks of the outreach app. The outbox (caunoi.core.outbox) publishes them after the
notice's transaction commits; they run in-process when no broker is configured."""

import logging

from celery import shared_task
from django.conf import settings

from caunoi.core import outbox
from caunoi.core.models import OutboxEvent

from . import dispatch, services

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="outreach.dispatch", acks_late=True, max_retries=12)
def dispatch_event(self, event_id: int, part: int = 0, parts: int = 1) -> dict:
    """Send what a notice's outbox event asks for; retry with back-off while messages wait.
    A big notice is shared: the first task hands parts of it to OUTREACH_DISPATCH_PARTS − 1
    sibling tasks, so that every worker process helps."""
    event = OutboxEvent.objects.filter(pk=event_id).first()
    if event is None or event.done_at is not None:
        return {"skipped": True}
    notice_id = event.payload["notice"]
    wanted = settings.OUTREACH_DISPATCH_PARTS
    if parts == 1 and wanted > 1 and dispatch.pending_messages(notice_id) > dispatch.BATCH:
        parts = wanted
        for sibling in range(1, parts):
            dispatch_event.apply_async(args=[event_id], kwargs={"part": sibling, "parts": parts})
    outcome = dispatch.dispatch_notice(notice_id, part=part, parts=parts)
    if outcome.finished and dispatch.pending_messages(notice_id):
        return {"sent": outcome.sent, "failed": outcome.failed, "others": True}
    if outcome.finished:
        outbox.outbox_done(event_id)
    elif not self.request.is_eager and self.request.retries < self.max_retries:
        # Exponential back-off comes from the messages' own due times (at least one second).
        raise self.retry(countdown=max(outcome.retry_in or 0, 1))
    # Eager (no broker) or out of retries: the event stays pending; the relay runs it again.
    return {"sent": outcome.sent, "failed": outcome.failed, "retry_in": outcome.retry_in}


@shared_task(name="outbox.relay")
def relay() -> int:
    """Celery beat runs this every minute in production: publish what the outbox still holds."""
    return outbox.outbox_relay()


@shared_task(name="outreach.speak", acks_late=True)
def speak(event_id: int) -> dict:
    """Make a notice's audio (eSpeak NG, in this process: a typical notice takes well under a
    second of CPU)."""
    event = OutboxEvent.objects.filter(pk=event_id).first()
    if event is None or event.done_at is not None:
        return {"skipped": True}
    audio = services.notice_audio_make(audio_id=event.payload["audio"])
    outbox.outbox_done(event_id)
    return {"audio": audio.pk if audio else None, "status": audio.status if audio else None}


outbox.register(services.TOPIC_DISPATCH, dispatch_event)
outbox.register(services.TOPIC_SPEAK, speak)
