from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from caunoi.core import backup


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with a backup made by `manage.py backup` "
        "(stop the app servers and workers first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--yes", action="store_true", help="do not ask")

    def handle(self, *args, directory, yes, **options):
        source = Path(directory)
        if not (source / "backup.json").exists():
            raise CommandError(f"{source} holds no backup (no backup.json)")
        if not yes and input("Replace the database and the files? Type 'yes': ") != "yes":
            raise CommandError("Nothing restored.")
        backup.restore(source)
        self.stdout.write(f"Restored from {source}; the cache was cleared.")
