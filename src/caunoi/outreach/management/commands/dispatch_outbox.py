from django.conf import settings
from django.core.management.base import BaseCommand

from caunoi.core import outbox


class Command(BaseCommand):
    help = (
        "Hand the outbox's pending events to the workers (scheduled notices that came due, events "
        "a broker outage held back, work of a dead worker). Without a broker, or with --inline, "
        "run them in this process. Run it from cron every minute where no Celery beat runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--inline", action="store_true", help="send in this process")
        parser.add_argument("--limit", type=int, default=1000)

    def handle(self, *args, inline=False, limit=1000, **options):
        if inline or settings.CELERY_TASK_ALWAYS_EAGER:
            n = outbox.outbox_run_inline(limit=limit)
            self.stdout.write(f"{n} outbox event(s) run in this process.")
        else:
            n = outbox.outbox_relay(limit=limit)
            self.stdout.write(f"{n} outbox event(s) handed to the broker.")
