from celery import shared_task

from . import ratelimit


@shared_task(name="core.purge_rate_limits")
def purge_rate_limits() -> int:
    """Daily (celery beat): drop the rate-limit windows that have ended (`core.ratelimit`)."""
    return ratelimit.purge()
