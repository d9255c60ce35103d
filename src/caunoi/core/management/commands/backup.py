from pathlib import Path

from django.core.management.base import BaseCommand

from caunoi.core import backup


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup or pg_dump) and the uploaded files."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a new directory to write the backup into")

    def handle(self, *args, directory, **options):
        for path in backup.backup(Path(directory)):
            self.stdout.write(f"{path} ({path.stat().st_size:,} bytes)")
