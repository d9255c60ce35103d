from django.core.management.base import BaseCommand

from caunoi.feedback.services import requests_escalate_overdue


class Command(BaseCommand):
    help = "Send every overdue question still with a head to the commune (run daily)."

    def handle(self, *args, **options):
        moved = requests_escalate_overdue()
        self.stdout.write(f"{moved}")
