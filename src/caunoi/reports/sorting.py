"""The order of a report's tables: the reader sorts one indicator's lines by one of its columns
("<indicator>:[-]<column>", the `?xep=` of the report page); the other tables stay by code. The
stored report is sorted on each read (`figures.report_read`), its lines' cells formatted once."""

from __future__ import annotations

from typing import Any

from caunoi.core.indicators import Line, Table


def parse_sort(value: str) -> tuple[str, str]:
    """ "outreach.reach:-share" → ("outreach.reach", "-share")."""
    key, _sep, column = (value or "").partition(":")
    return key, column


def sorted_lines(table: Table, sort: str) -> list[Line]:
    """The table's lines by `sort` ("column" or "-column"; those without a value last), else as
    they are."""
    key = sort.lstrip("-")
    if key not in {c.key for c in table.columns}:
        return table.lines
    missing = [line for line in table.lines if line.values.get(key) is None]
    present = [line for line in table.lines if line.values.get(key) is not None]
    present.sort(key=lambda line: (line.values[key], line.unit.code), reverse=sort.startswith("-"))
    return present + missing


def apply_sort(report: Any, sort: str) -> Any:
    """Order one indicator's lines of a `selectors.Report` ("<indicator>:[-]<column>"), the others
    by code."""
    sort_key, sort_column = parse_sort(sort)
    for lesson in report.lessons:
        for section in lesson.sections:
            section.sort = sort_column if section.indicator.key == sort_key else ""
            section.lines = sorted_lines(section.table, section.sort)
    return report
