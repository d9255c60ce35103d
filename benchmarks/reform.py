"""The 2025 reform for the whole country: `make bench-reform` (or `python benchmarks/reform.py
[--provinces 25,26,17]`).

On an empty database (its own var/bench-reform/, made anew; or an empty BENCH_DATABASE_URL) it
imports Vietnam as it was on 30 June 2025 (63 provinces, the `vietnamadminunits` legacy list), then
today's 34 provinces (vietnam-provinces 2025.10.1) as one whole-country import with no mapping file:
the mapping comes with the data. Prints each step's time and what it recorded (units created and
changed, mapping lines, divided communes, restructurings by kind), and, as the baseline measured in
the same run, the dry run of the same 2025 import (everything checked and counted, nothing
saved): the ratio says what saving costs beyond checking. `--provinces` limits both imports to some
provinces (the test suite's smoke run)."""

import argparse
import json
import os
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-reform"
if not os.environ.get("BENCH_DATABASE_URL") and not os.environ.get("CAUNOI_VAR_DIR"):
    shutil.rmtree(VAR, ignore_errors=True)  # its own SQLite file, made anew each run
os.environ.setdefault("CAUNOI_VAR_DIR", str(VAR))
sys.path.insert(0, str(ROOT / "benchmarks"))

import run  # noqa: E402, F401  (sets Django up on CAUNOI_VAR_DIR / BENCH_DATABASE_URL)
import vietnam_provinces  # noqa: E402
from django.core.management import call_command  # noqa: E402

from caunoi.demo.reform import COMMUNES_ACT  # noqa: E402
from caunoi.territory import vnunits  # noqa: E402
from caunoi.territory.importers import vnprovinces  # noqa: E402
from caunoi.territory.models import Level, Restructuring, Unit  # noqa: E402


def _timed(label: str, call):
    started = time.perf_counter()
    report = call()
    seconds = time.perf_counter() - started
    if not report.ok:
        sys.exit(f"{label}: refused: {[str(e) for e in report.errors[:3]]}")
    return report, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--provinces", default="", help="comma-separated codes (default: all)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Unit.objects.exists():
        sys.exit("benchmarks/reform.py needs a database without units (a new one)")
    wanted = {c.strip() for c in args.provinces.split(",") if c.strip()}
    legacy = vnunits.legacy_province_codes()
    before = vnunits.legacy_provinces(wanted or legacy)
    data = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    today = [p for p in data if not wanted or f"{p['code']:02d}" in wanted]
    whole = not wanted

    old, old_s = _timed(
        "30/06/2025", lambda: vnprovinces.import_units(before, actor=None, valid_from=None)
    )
    counts = Counter(Unit.objects.values_list("level", flat=True))
    print(f"Vietnam on 30/06/2025 ({vnunits.source_label()}), {len(before)} provinces:")
    print(f"  import            {old_s:8.1f} s   created {dict(old.created)}")
    print(
        f"  units             {counts[Level.PROVINCE]} provinces, "
        f"{counts[Level.DISTRICT]} districts, {counts[Level.COMMUNE]} communes"
    )

    def reform(dry_run: bool):
        return vnprovinces.import_units(
            today, actor=None, decision=COMMUNES_ACT, whole_country=whole, dry_run=dry_run
        )

    dry, dry_s = _timed("2025, dry run", lambda: reform(True))
    new, new_s = _timed("2025", lambda: reform(False))
    current = Counter(Unit.objects.filter(valid_to__isnull=True).values_list("level", flat=True))
    kinds = Counter(Restructuring.objects.values_list("kind", flat=True))
    print(
        f"\nThe 2025 reform (vietnam-provinces {vietnam_provinces.__version__}), "
        f"{len(today)} provinces{' (whole country)' if whole else ''}, no mapping file:"
    )
    print(f"  dry run (baseline) {dry_s:7.1f} s   1.00 × baseline")
    print(f"  import            {new_s:8.1f} s   {new_s / dry_s:.2f} × baseline")
    print(f"  created {dict(new.created)}, changed {dict(new.changed)}, unchanged {new.unchanged}")
    print(f"  mapping lines     {len(new.mapping)}, divided communes {len(new.divided)}")
    print(f"  restructurings    {dict(sorted(kinds.items()))}")
    print(
        f"  today             {current[Level.PROVINCE]} provinces, "
        f"{current[Level.DISTRICT]} districts, {current[Level.COMMUNE]} communes"
    )


if __name__ == "__main__":
    main()
