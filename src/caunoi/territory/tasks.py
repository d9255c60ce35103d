"""Celery tasks of the territory app: large imports (published by the outbox after the upload's
transaction commits; in-process when no broker is configured)."""

from celery import shared_task

from caunoi.core import outbox
from caunoi.core.models import OutboxEvent

from . import jobs


@shared_task(name="territory.import", acks_late=True)
def run_import(event_id: int) -> dict:
    event = OutboxEvent.objects.filter(pk=event_id).first()
    if event is None or event.done_at is not None:
        return {"skipped": True}
    job = jobs.import_job_run(event.payload["job"])
    outbox.outbox_done(event_id)
    return {"job": event.payload["job"], "status": job.status if job else "taken"}


outbox.register(jobs.TOPIC, run_import)
