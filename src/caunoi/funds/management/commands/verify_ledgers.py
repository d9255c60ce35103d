"""Recompute every fund's hash chain (or one area's, or one fund's), check each entry's seal (under
LEDGER_KEY) and every published checkpoint, and report the first entry that does not hold. Exit
status 1 when any chain is broken (for cron and monitoring).

`--checkpoint FUND:SEQ:CODE` checks a tip read from a paper (a statement or a poster on the notice
board: the entry number and the code printed after it) against today's ledger: what a resident or
the inspection board does when they doubt the database itself. Repeatable."""

import sys

from django.core.management.base import BaseCommand, CommandError

from caunoi.funds import chain, selectors
from caunoi.funds.models import Fund


def _checkpoint(text: str) -> tuple[int, int, str]:
    try:
        fund, seq, code = text.split(":", 2)
        digits = chain.parse_tip(code)
        if len(digits) < chain.TIP_SHOWN:
            raise ValueError
        return int(fund), int(seq.lstrip("#")), digits
    except ValueError:
        raise CommandError(
            f"--checkpoint {text!r}: give FUND:SEQ:CODE, the code with at least "
            f"{chain.TIP_SHOWN} hex digits (e.g. 12:40:3f2a91c07be45d18)"
        ) from None


class Command(BaseCommand):
    help = "Verify the funds' ledgers: chains, seals, published checkpoints."

    def add_arguments(self, parser):
        parser.add_argument("--area", help="only the funds of this residential area (code)")
        parser.add_argument("--fund", type=int, help="only this fund (id)")
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FUND:SEQ:CODE",
            help="a tip printed on a published paper, to check against today's ledger",
        )

    def handle(self, *args, area=None, fund=None, checkpoint=(), **options):
        papers = [_checkpoint(text) for text in checkpoint]
        funds = Fund.objects.select_related("area").order_by("pk")
        if area:
            funds = funds.filter(area__code=area)
        if fund:
            funds = funds.filter(pk=fund)
        if papers:
            funds = funds.filter(pk__in={f for f, _, _ in papers})
        broken = checked = entries = 0
        for f in funds.iterator():
            verdict = selectors.fund_verdict(f)
            checked += 1
            entries += verdict.entries
            if not verdict.ok:
                broken += 1
                where = f"entry #{verdict.bad_seq}" if verdict.bad_seq else "an approved expense"
                self.stdout.write(
                    f"BROKEN fund {f.pk} ({f.name}, {f.area.code}): {where} ({verdict.problem})"
                )
        disagree = 0
        for fund_id, seq, digits in papers:
            f = Fund.objects.filter(pk=fund_id).first()
            if f is not None and selectors.checkpoint_check(fund=f, seq=seq, tip=digits):
                self.stdout.write(f"AGREES fund {fund_id} entry #{seq}: {digits}")
            else:
                disagree += 1
                self.stdout.write(f"DISAGREES fund {fund_id} entry #{seq}: {digits}")
        self.stdout.write(f"{checked} funds, {entries} entries checked, {broken} broken")
        if papers:
            self.stdout.write(f"{len(papers)} checkpoints checked, {disagree} disagree")
        if broken or disagree:
            sys.exit(1)
