from django.core.management.base import BaseCommand

from caunoi.directives.reminders import reminders_send


class Command(BaseCommand):
    help = "Remind heads of tasks due soon or overdue (in-app)."

    def handle(self, *args, **options):
        self.stdout.write(f"{reminders_send()} new reminders")
