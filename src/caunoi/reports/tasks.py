from celery import shared_task

from .reminders import reminders_send


@shared_task(name="reports.commendation_reminders")
def commendation_reminders() -> int:
    """Daily (celery beat): reminders before the commendation deadlines."""
    return reminders_send()


@shared_task(name="reports.figures", acks_late=True)
def figures_event(event_id: int) -> bool:
    """An outbox event asking for a unit's report to be computed again."""
    from caunoi.core import outbox
    from caunoi.core.models import OutboxEvent
    from caunoi.territory.models import Unit

    from .figures import figures_refresh

    event = OutboxEvent.objects.filter(pk=event_id).first()
    if event is None or event.done_at is not None:
        return False
    pk = event.payload["unit"]
    unit = Unit.objects.filter(pk=pk).first() if pk is not None else None
    if unit is not None or pk is None:  # (None: the national report)
        figures_refresh(unit=unit, year=event.payload["year"], lang=event.payload["lang"])
    outbox.outbox_done(event_id)
    return True


def _register() -> None:
    from caunoi.core import outbox

    from .figures import TOPIC

    outbox.register(TOPIC, figures_event)


_register()
