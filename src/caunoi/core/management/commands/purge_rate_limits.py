from django.core.management.base import BaseCommand

from caunoi.core.ratelimit import purge


class Command(BaseCommand):
    help = "Drop the rate-limit windows that have ended (run daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"{purge()}")
