from celery import shared_task

from .services import requests_escalate_overdue


@shared_task(name="feedback.escalate_overdue")
def escalate_overdue() -> int:
    """Daily (celery beat): overdue questions climb from the head to the commune."""
    return requests_escalate_overdue()
