"""Importers of territory data. Each is all-or-nothing: it checks every row first and writes
only when no row is wrong, returning an `ImportReport` that says, row by row, what is wrong or
was fixed."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass
class RowProblem:
    row: str  # "3", "Tỉnh Phú Thọ › Huyện Thanh Ba", … whatever locates it for a person
    message: str
    column: str = ""


@dataclass
class MappingLine:
    """Where a former commune went: one line of the old → new mapping an import used."""

    old_code: str
    old_name: str
    new_code: str
    new_name: str
    source: str  # "vietnamadminunits 1.0.4", "your file", …
    areas: int = 0  # its current residential areas, which follow it
    divided_into: list[str] = field(default_factory=list)  # the other new communes it went to


@dataclass
class ImportReport:
    errors: list[RowProblem] = field(default_factory=list)
    fixes: list[RowProblem] = field(default_factory=list)
    # what the import changes and what says so (a change of kind: the name, the type field)
    notes: list[RowProblem] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    mapping: list[MappingLine] = field(default_factory=list)
    dry_run: bool = False  # checked and counted, then rolled back: nothing was saved

    @property
    def divided(self) -> list[MappingLine]:
        return [line for line in self.mapping if line.divided_into]

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row, message, column=""):
        self.errors.append(RowProblem(str(row), str(message), column))

    def fix(self, row, message, column=""):
        self.fixes.append(RowProblem(str(row), str(message), column))

    def note(self, row, message, column=""):
        self.notes.append(RowProblem(str(row), str(message), column))

    def discard_counts(self):
        """Nothing was written after all (the import rolled back): no counts to show."""
        self.created.clear()
        self.changed.clear()
        self.unchanged = 0

    def count(self, bucket: str, what: str, n: int = 1):
        target = self.created if bucket == "created" else self.changed
        target[what] = target.get(what, 0) + n


class ImportRefused(Exception):
    """Raised inside the import transaction to roll everything back; carries the report."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(
            _("The file was not imported: %(n)d rows are wrong.") % {"n": len(report.errors)}
        )


AREA_CODE = re.compile(r"\d{5}-\w+")


class BadMappingLine(ValueError):
    def __init__(self, line: int):
        self.line = line
        super().__init__(line)


def parse_mapping(text: str) -> dict[str, str]:
    """A user's changes to the mapping: "old commune code,new commune code" or "area code,new
    commune code" per line (commas or semicolons; a header line and blank lines skipped). Raises
    `BadMappingLine` with the number of the first wrong line."""
    mapping = {}
    for n, line in enumerate(text.splitlines(), start=1):
        cells = [c.strip() for c in line.replace(";", ",").split(",") if c.strip()]
        if not cells:
            continue
        area = len(cells) == 2 and AREA_CODE.fullmatch(cells[0]) is not None
        if len(cells) != 2 or not (area or cells[0].isdigit()) or not cells[1].isdigit():
            if n == 1:
                continue  # a header
            raise BadMappingLine(n)
        mapping[cells[0] if area else cells[0].zfill(5)] = cells[1].zfill(5)
    return mapping
