from celery import shared_task

from .reminders import reminders_send


@shared_task
def send_reminders() -> int:
    """Run daily (celery beat): reminders before the due date and for overdue tasks."""
    return reminders_send()
