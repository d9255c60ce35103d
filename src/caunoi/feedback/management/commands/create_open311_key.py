import secrets

from django.core.management.base import BaseCommand
from django.db import transaction

from caunoi.core.audit import audit_record
from caunoi.feedback.models import ApiClient, key_hash


class Command(BaseCommand):
    help = (
        "Issue an Open311 api_key for a client application (printed once; only its hash is kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the application, e.g. 'Zalo mini app of xã Đồng Xuân'")

    def handle(self, *args, name, **options):
        key = secrets.token_urlsafe(24)
        with transaction.atomic():
            client = ApiClient.objects.create(name=name, key_hash=key_hash(key))
            audit_record(actor=None, action="feedback.api_client.created", obj=client)
        self.stdout.write(key)
