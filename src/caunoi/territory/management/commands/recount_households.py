from django.core.management.base import BaseCommand

from caunoi.territory.models import Level, Unit
from caunoi.territory.services import household_counts_refresh


class Command(BaseCommand):
    help = "Recount the active households of every residential area (a repair; services keep it)."

    def handle(self, *args, **options):
        ids = list(Unit.objects.filter(level=Level.AREA).values_list("pk", flat=True))
        for start in range(0, len(ids), 5000):
            household_counts_refresh(ids[start : start + 5000])
        self.stdout.write(f"Recounted {len(ids)} residential areas.")
