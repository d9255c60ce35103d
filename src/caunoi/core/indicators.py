"""The report's indicators: each app declares the figures it adds to the province's report (a
lesson's indicators), without the report knowing the app. Like `core.sections`, an app registers
them in its `indicators.py` (imported by its AppConfig.ready()):

    @indicator("outreach.reach", lesson=1, label=_("Notices that reached households"), order=10)
    def reach(unit, year, *, children=True) -> Table | None:
        ...                                   # None: nothing to say for this unit and year
        return Table(columns=[...], total={...}, lines=[Line(child, {...}), ...])

A `Table` has its columns (the one drawn as bars is `chart=True`), the unit's own values
(`total`) and a line per child unit (per residential area for a commune), each value a plain
number (shares as 0..1, `kind="share"`). `years(unit)` (optional) says in which years the app
holds facts on a unit's ground, for the trends. The report (`caunoi.reports`) renders every
registered indicator of a lesson in order: a table that sorts, a chart, drill-down links and the
trend by year; a new app (meetings) adds its indicator by declaring it, nothing else.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    StrOrPromise = str

KINDS = ("count", "share", "days", "money")


@dataclass(frozen=True)
class Column:
    key: str
    label: StrOrPromise
    kind: str = "count"  # count | share (0..1) | days | money
    chart: bool = False  # the figure drawn as bars and followed by year

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.key}: a column's kind is one of {KINDS}, not {self.kind!r}")


@dataclass
class Line:
    unit: Any  # a territory Unit (core imports no app)
    values: dict[str, Any]
    note: str = ""  # e.g. the area's head
    # The line as a stored report shows it, filled where the report is stored
    # (`reports.figures`): its drill-down address and its values as table cells (HTML).
    href: str = ""
    cells: str = ""


@dataclass
class Table:
    columns: list[Column]
    total: dict[str, Any]
    lines: list[Line] = field(default_factory=list)
    note: StrOrPromise = ""  # how the figures are counted, shown under the table

    @property
    def chart_column(self) -> Column | None:
        return next((c for c in self.columns if c.chart), None)

    @classmethod
    def of_rollup(
        cls,
        result: Any,
        columns: list[Column],
        values: Callable[[Any], dict[str, Any]],
        note: StrOrPromise = "",
    ) -> Table:
        """The table of a roll-up (`territory.rollup`): `values(figures)` of its total, and of each
        of its lines (a child unit's)."""
        lines = [Line(line.unit, values(line.figures)) for line in result]
        return cls(columns=columns, total=values(result.total.figures), lines=lines, note=note)


Compute = Callable[..., Table | None]


@dataclass(frozen=True)
class Indicator:
    key: str
    lesson: int
    label: StrOrPromise
    compute: Compute  # (unit, year, *, children=True) -> Table | None
    order: int = 50
    years: Callable[[Any], set[int]] | None = None


REGISTRY: dict[str, Indicator] = {}

LESSONS = (1, 2, 3, 4, 5)


def indicator(
    key: str,
    *,
    lesson: int,
    label: StrOrPromise,
    order: int = 50,
    years: Callable[[Any], set[int]] | None = None,
) -> Callable[[Compute], Compute]:
    """Declare an indicator of `lesson` (1–5, the article's lessons); `key` is "<app>.<name>"."""
    if lesson not in LESSONS:
        raise ValueError(f"{key}: lesson {lesson!r} is not one of {LESSONS}")

    def register(compute: Compute) -> Compute:
        REGISTRY[key] = Indicator(key, lesson, label, compute, order, years)
        return compute

    return register


def indicator_list(lesson: int | None = None) -> list[Indicator]:
    """The declared indicators (of one lesson), by lesson, order and key."""
    found = [i for i in REGISTRY.values() if lesson is None or i.lesson == lesson]
    return sorted(found, key=lambda i: (i.lesson, i.order, i.key))


def year_range(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first instant of `year` and of the next, in the site's time zone (for `__gte`/`__lt`)."""
    tz = timezone.get_current_timezone()
    return datetime.datetime(year, 1, 1, tzinfo=tz), datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def share(part: Any, whole: Any) -> float | None:
    return (part or 0) / whole if whole else None


def years_spanned(queryset: Any, field_name: str) -> set[int]:
    """The years from the earliest to the latest `field_name` (a date or datetime) of the facts:
    two index reads (Min, Max) rather than a truncation of every row."""
    from django.db.models import Max, Min

    span = queryset.aggregate(first=Min(field_name), last=Max(field_name))
    first, last = span["first"], span["last"]
    if first is None or last is None:
        return set()
    if isinstance(first, datetime.datetime):
        first, last = timezone.localtime(first), timezone.localtime(last)
    return set(range(first.year, last.year + 1))
