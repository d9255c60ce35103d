from celery import shared_task

from .reminders import reminders_send


@shared_task(name="directives.send_reminders")
def send_reminders() -> int:
    """Run daily (celery beat): reminders before the due date and for overdue tasks."""
    return reminders_send()
