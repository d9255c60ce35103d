from celery import shared_task

from .reminders import reminders_send


@shared_task(name="reports.commendation_reminders")
def commendation_reminders() -> int:
    """Daily (celery beat): reminders before the commendation deadlines."""
    return reminders_send()
