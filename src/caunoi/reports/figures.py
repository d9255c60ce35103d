"""Pre-aggregated reports: a unit's report for a year is computed once, stored
(`ReportFigures`) and read from there, so that the report page costs the same for a commune and
for a province of a million households.

Why a refresh task rather than figures kept by the writers in their transactions: the report's
figures are medians, shares and intervals over a unit's whole ground (a directive's median lead
time, the acknowledgement share, a survey's interval); kept by every writer they would put one
hot row per province under every resident's acknowledgement. Instead every write already moves
the unit's page version (`core.pagecache.bump`, in the writer's transaction); a read that finds
the stored figures older than the version shows them with their "as of" time and asks for a
refresh through the outbox (run by a Celery worker; without a broker, in the embedded default,
the read itself computes again), at most one at a time per unit, year and language. The stored
data is the report as this server wrote it (pickled, like Django's own cache backends)."""

from __future__ import annotations

import datetime
import io
import pickle
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise

from caunoi.core import outbox

from .models import ReportFigures
from .selectors import report_version, unit_report
from .sorting import apply_sort

TOPIC = "reports.figures"


@dataclass
class Stored:
    report: Any  # selectors.Report
    as_of: datetime.datetime
    stale: bool  # a write came after: a refresh is on its way


def _compute(unit: Any, *, year: int, lang: str) -> tuple[Any, float]:
    from django.utils import translation

    t0 = time.perf_counter()
    with translation.override(lang):
        report = unit_report(unit, year=year, lang=lang)
    return report, time.perf_counter() - t0


def figures_refresh(*, unit: Any, year: int, lang: str) -> ReportFigures:
    """Compute the report and store it (the version is read first: a write during the
    computation leaves the row stale, never wrongly fresh)."""
    from django.utils import translation

    at = report_version(unit)
    report, seconds = _compute(unit, year=year, lang=lang)
    with translation.override(lang):  # the lazy labels are kept as they read in `lang`
        _shown(report)
        data = _dumps(report)
    row, _created = ReportFigures.objects.update_or_create(
        unit=unit,
        year=year,
        lang=lang,
        defaults={
            "version": at,
            "computed_at": timezone.now(),
            "seconds": seconds,
            "refresh_asked_at": None,
            "data": data,
        },
    )
    return row


def _shown(report: Any) -> None:
    """Each table line's address and cells, formatted once here rather than on every read:
    the cells' filters were most of a stored report's rendering (a line's cells do not depend on
    the reader's sort, only their order does)."""
    from django.urls import reverse
    from django.utils.html import format_html_join  # (escapes each cell)

    from .templatetags.reports import figure

    for lesson in report.lessons:
        for section in lesson.sections:
            columns = section.table.columns
            for line in section.table.lines:
                line.href = (
                    reverse("reports:report", args=[line.unit.url_prefix, line.unit.code])
                    + f"?nam={report.year}"
                )
                line.cells = format_html_join(
                    "",
                    '<td class="n">{}</td>',
                    ((figure(line.values.get(c.key), c.kind),) for c in columns),
                )


class _Pickler(pickle.Pickler):
    """Lazy translations as the text they read in the row's language (the rows are kept per
    language): unpickling a lazy proxy rebuilds its class each time, the slowest part of a read."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Promise):
            return str, (str(obj),)
        return NotImplemented


def _dumps(report: Any) -> bytes:
    """The report as bytes; each section's indicator (which holds functions) by its key."""
    kept = []
    for lesson in report.lessons:
        for section in lesson.sections:
            kept.append((section, section.indicator))
            section.indicator = section.indicator.key
    try:
        out = io.BytesIO()
        _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(report)
        return out.getvalue()
    finally:
        for section, indicator in kept:
            section.indicator = indicator


def _loads(data: Any) -> Any:
    from caunoi.core.indicators import REGISTRY

    report = pickle.loads(bytes(data))  # noqa: S301  (written by this server: see above)
    for lesson in report.lessons:
        lesson.sections = [s for s in lesson.sections if s.indicator in REGISTRY]
        for section in lesson.sections:
            section.indicator = REGISTRY[section.indicator]
    return report


def _ask_refresh(row: ReportFigures) -> None:
    lease = timezone.now() - datetime.timedelta(seconds=settings.REPORT_REFRESH_LEASE_SECONDS)
    with transaction.atomic():
        asked = (
            ReportFigures.objects.filter(pk=row.pk)
            .exclude(refresh_asked_at__gt=lease)
            .update(refresh_asked_at=timezone.now())
        )
        if asked:
            outbox.outbox_add(
                topic=TOPIC, payload={"unit": row.unit_id, "year": row.year, "lang": row.lang}
            )


def report_read(unit: Any, *, year: int, lang: str, sort: str = "") -> Stored:
    """The stored report of `unit` (None: the whole country) for `year` (computed now if there
    is none), sorted."""
    row = ReportFigures.objects.filter(unit=unit, year=year, lang=lang).first()
    if row is None:
        row = figures_refresh(unit=unit, year=year, lang=lang)
        report = _loads(row.data)
        stale = False
    else:
        report = _loads(row.data)
        stale = row.version != report_version(unit)
        if stale and settings.CELERY_TASK_ALWAYS_EAGER:
            # No worker (the embedded default): the read after a write computes again.
            row = figures_refresh(unit=unit, year=year, lang=lang)
            report, stale = _loads(row.data), False
        elif stale:
            _ask_refresh(row)
    if unit is not None:
        report.unit = unit  # today's name, and the breadcrumbs' lineage
    apply_sort(report, sort)
    return Stored(report, row.computed_at, stale)
