"""manage.py import_units FILE --layout vnprovinces|gso [--province 25 ...] [--effective dd/mm/yyyy
--decision "1676/NQ-UBTVQH15" --decision-date dd/mm/yyyy --authority "..."] [--mapping old,new.csv]

Prints the import report; exits non-zero when the file was refused (nothing is written then)."""

import csv
import datetime
import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from caunoi.territory.importers import gso, vnprovinces
from caunoi.territory.services import Decision


def _date(value: str) -> datetime.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise CommandError(f"Not a date (dd/mm/yyyy): {value}")


def read_mapping(path: str) -> dict[str, str]:
    """old code,new code per line (a header line and blank lines are skipped)."""
    mapping = {}
    text = Path(path).read_text(encoding="utf-8-sig")
    for line_no, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in row if c.strip()]
        if not cells:
            continue
        if len(cells) != 2 or not all(c.isdigit() for c in cells):
            if line_no == 1:
                continue  # header
            raise CommandError(f"{path}:{line_no}: expected 'old code,new code'")
        mapping[cells[0].zfill(5)] = cells[1].zfill(5)
    return mapping


class Command(BaseCommand):
    help = "Import administrative units (vietnam-provinces JSON or GSO Excel), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--layout", choices=["vnprovinces", "gso"], required=True)
        parser.add_argument("--province", action="append", default=[], help="code, repeatable")
        parser.add_argument("--effective", help="effective date of the changes, dd/mm/yyyy")
        parser.add_argument("--decision", default="", help='e.g. "1676/NQ-UBTVQH15"')
        parser.add_argument("--decision-date", dest="decision_date")
        parser.add_argument("--authority", default="")
        parser.add_argument(
            "--whole-country",
            action="store_true",
            dest="whole_country",
            help="the file is the whole country: provinces it no longer holds are retired",
        )
        parser.add_argument("--mapping", help="CSV of old commune code,new commune code (merges)")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        decision = None
        if opts["effective"]:
            decision = Decision(
                effective_date=_date(opts["effective"]),
                number=opts["decision"],
                date=_date(opts["decision_date"]) if opts["decision_date"] else None,
                authority=opts["authority"],
            )
        elif opts["decision"] or opts["decision_date"]:
            raise CommandError("--decision needs --effective (the day the change took effect)")
        provinces = {p.zfill(2) for p in opts["province"]} or None
        if opts["whole_country"] and provinces:
            raise CommandError("--whole-country and --province exclude each other")
        mapping = read_mapping(opts["mapping"]) if opts["mapping"] else None
        module = vnprovinces if opts["layout"] == "vnprovinces" else gso
        report = module.import_units(
            path.read_bytes(),
            actor=None,
            provinces=provinces,
            decision=decision,
            mapping=mapping,
            whole_country=opts["whole_country"],
        )
        for fix in report.fixes:
            self.stdout.write(f"  fixed  {fix.row}: {fix.message}")
        for error in report.errors:
            self.stderr.write(f"  ERROR  {error.row}: {error.message}")
        if not report.ok:
            raise CommandError(f"Refused: {len(report.errors)} problems; nothing was written.")
        for what, n in report.created.items():
            self.stdout.write(f"  created {n} {what}")
        for what, n in report.changed.items():
            self.stdout.write(f"  {what}: {n}")
        self.stdout.write(f"  unchanged: {report.unchanged}")
        self.stdout.write(self.style.SUCCESS("Imported."))
