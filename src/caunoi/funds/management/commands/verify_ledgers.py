"""Recompute every fund's hash chain (or one area's, or one fund's) and report the first entry
that does not hold. Exit status 1 when any chain is broken (for cron and monitoring)."""

import sys

from django.core.management.base import BaseCommand

from caunoi.funds import selectors
from caunoi.funds.models import Fund


class Command(BaseCommand):
    help = "Verify the SHA-256 chains of the funds' ledgers."

    def add_arguments(self, parser):
        parser.add_argument("--area", help="only the funds of this residential area (code)")
        parser.add_argument("--fund", type=int, help="only this fund (id)")

    def handle(self, *args, area=None, fund=None, **options):
        funds = Fund.objects.select_related("area").order_by("pk")
        if area:
            funds = funds.filter(area__code=area)
        if fund:
            funds = funds.filter(pk=fund)
        broken = checked = entries = 0
        for f in funds.iterator():
            verdict = selectors.fund_verdict(f)
            checked += 1
            entries += verdict.entries
            if not verdict.ok:
                broken += 1
                self.stdout.write(
                    f"BROKEN fund {f.pk} ({f.name}, {f.area.code}): entry #{verdict.bad_seq} "
                    f"({verdict.problem})"
                )
        self.stdout.write(f"{checked} funds, {entries} entries checked, {broken} broken")
        if broken:
            sys.exit(1)
