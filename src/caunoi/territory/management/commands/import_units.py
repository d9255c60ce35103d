"""manage.py import_units FILE --layout vnprovinces|gso [--province 25 ...] [--effective dd/mm/yyyy
--decision "1676/NQ-UBTVQH15" --decision-date dd/mm/yyyy --authority "..."] [--mapping old,new.csv]
[--dry-run]

Prints the import report; exits non-zero when the file was refused (nothing is written then)."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from caunoi.territory.importers import BadMappingLine, gso, parse_mapping, vnprovinces
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
    try:
        return parse_mapping(Path(path).read_text(encoding="utf-8-sig"))
    except BadMappingLine as exc:
        raise CommandError(f"{path}:{exc.line}: expected 'old code,new code'") from exc


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
        parser.add_argument(
            "--mapping",
            help="CSV of old commune code,new commune code (or area code,new commune code): "
            "changes lines of the mapping that comes with the data (vietnamadminunits)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            dest="dry_run",
            help="check and count everything, show the mapping, save nothing",
        )

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
            dry_run=opts["dry_run"],
        )
        for fix in report.fixes:
            self.stdout.write(f"  fixed  {fix.row}: {fix.message}")
        for note in report.notes:
            self.stdout.write(f"  kind   {note.row}: {note.message}")
        for line in report.mapping:
            divided = (
                f" (also divided into {', '.join(line.divided_into)})" if line.divided_into else ""
            )
            self.stdout.write(
                f"  mapped {line.old_name} ({line.old_code}) → {line.new_name} ({line.new_code}), "
                f"{line.areas} areas{divided} [{line.source}]"
            )
        for error in report.errors:
            self.stderr.write(f"  ERROR  {error.row}: {error.message}")
        if not report.ok:
            raise CommandError(f"Refused: {len(report.errors)} problems; nothing was written.")
        for what, n in report.created.items():
            self.stdout.write(f"  created {n} {what}")
        for what, n in report.changed.items():
            self.stdout.write(f"  {what}: {n}")
        self.stdout.write(f"  unchanged: {report.unchanged}")
        if report.dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
            return
        self.stdout.write(self.style.SUCCESS("Imported."))
