from django.core.management.base import BaseCommand

from caunoi.feedback.services import api_client_create


class Command(BaseCommand):
    help = (
        "Issue an Open311 api_key for a client application (printed once; only its hash is kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the application, e.g. 'Zalo mini app of xã Đồng Xuân'")

    def handle(self, *args, name, **options):
        _client, key = api_client_create(actor=None, name=name)
        self.stdout.write(key)
