"""Lessons 2 and 5 in the province's report (`core.indicators`): how heads carried out the
commune's tasks sent in a year, and how early the commune handed them out. On the directives'
level keys (facts about a commune) down to the communes; a commune's lines are its areas' heads."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from caunoi.core.indicators import Column, Line, Table, indicator, share, year_range, years_spanned
from caunoi.territory import rollup

from . import policy, selectors
from .models import Directive


def _years(unit) -> set[int]:
    unit = unit.parent if unit is not None and unit.is_area else unit
    sent = rollup.on_ground(Directive.objects.exclude(state=Directive.State.DRAFT), unit)
    return years_spanned(sent, "sent_at")


def _lines(unit, year: int, *, children: bool):
    """(the unit's Lesson5, its child lines of Lesson5 or of HeadRow)."""
    start, end = year_range(year)
    sent = Directive.objects.filter(sent_at__gte=start, sent_at__lt=end).exclude(
        state=Directive.State.DRAFT
    )
    if unit is None:  # the whole country: a line per province
        result = rollup.rollup(
            sent,
            None,
            figures=selectors.lesson5_figures(),
            row=selectors.Lesson5,
            children=children,
        )
        return result.total.figures, list(result)
    if unit.is_area:
        heads = [r for r in selectors.head_list(commune=unit.parent, year=year) if r.area == unit]
        return None, heads
    if unit.is_commune:
        total = rollup.rollup(
            sent, unit, figures=selectors.lesson5_figures(), row=selectors.Lesson5, children=False
        ).total.figures
        return total, selectors.head_list(commune=unit, year=year) if children else []
    result = rollup.rollup(
        sent, unit, figures=selectors.lesson5_figures(), row=selectors.Lesson5, children=children
    )
    return result.total.figures, list(result)


def _head(row) -> Line:
    return Line(
        row.area,
        {
            "assignments": None,
            "done": row.done,
            "on_time": row.on_time,
            "on_time_rate": row.on_time_rate,
            "median_lead": row.median_lead,
            "below_min_share": None,
            "directives": len(row.leads),
        },
        note=row.head.full_name if row.head else str(_("vacant")),
    )


def _l5(f) -> dict:
    return {
        "directives": f.directives,
        "assignments": f.assignments,
        "done": f.done,
        "on_time": f.on_time,
        "on_time_rate": f.on_time_rate,
        "completion": f.completion,
        "median_lead": f.median_lead,
        "below_min_share": f.below_min_share,
        "below_min": f.below_min,
        "bursts": f.bursts,
    }


def _table(unit, year: int, children: bool, columns: list[Column], note) -> Table | None:
    total, lines = _lines(unit, year, children=children)
    fair: dict[int, selectors.FairCounts] = {}
    if unit is not None and (unit.is_area or unit.is_commune):
        fair = selectors.head_fair_counts(commune=unit.parent if unit.is_area else unit, year=year)
    if unit is not None and unit.is_area:
        if not lines or not (lines[0].done or lines[0].leads):
            return None
        return Table(columns, _fair(_head(lines[0]), fair).values, [], note)
    if total is None or not total.directives:
        return None
    out = [
        _fair(_head(r), fair) if isinstance(r, selectors.HeadRow) else Line(r.unit, _l5(r.figures))
        for r in lines
    ]
    values = _l5(total)
    if fair:
        values["fair_on_time_rate"] = share(
            sum(f.on_time for f in fair.values()), sum(f.assigned for f in fair.values())
        )
        values["rushed"] = sum(f.rushed for f in fair.values())
    return Table(columns, values, out, note)


def _fair(line: Line, fair: dict[int, selectors.FairCounts]) -> Line:
    counts = fair.get(line.unit.pk, selectors.FairCounts())
    line.values["fair_on_time_rate"] = counts.on_time_rate
    line.values["rushed"] = counts.rushed
    line.values["rushed_done"] = counts.rushed_done
    return line


@indicator("directives.done", lesson=2, label=_("Tasks done, and done on time"), years=_years)
def done(unit, year: int, *, children: bool = True) -> Table | None:
    columns = [
        Column("directives", _("Tasks sent")),
        Column("done", _("Done")),
        Column("on_time", _("Done on time")),
        Column("on_time_rate", _("On time"), kind="share", chart=True),
    ]
    note = _(
        "On time: done by the due date, of the tasks whose due date has come (done, or still "
        "open past it)."
    )
    if unit is not None and (unit.is_commune or unit.is_area):
        columns += [
            Column("fair_on_time_rate", _("On time, of the tasks given in time"), kind="share"),
            Column("rushed", _("Tasks given below the minimum lead time (apart)")),
        ]
        note = _(
            "On time, of the tasks given in time: done by the due date, of the tasks sent with "
            "at least the minimum lead time and due by now. Tasks the commune sent below the "
            "minimum lead time are counted apart and never against the head."
        )
    return _table(unit, year, children, columns, note)


@indicator("directives.lead", lesson=5, label=_("Tasks handed out early"), years=_years)
def lead(unit, year: int, *, children: bool = True) -> Table | None:
    columns = [
        Column("directives", _("Tasks sent")),
        Column("median_lead", _("Median lead time (working days)"), kind="days", chart=True),
        Column("below_min_share", _("Sent below the minimum lead time"), kind="share"),
    ]
    note = _("Minimum lead time: %(n)s working days (weekends and public holidays excluded).") % {
        "n": policy.MIN_LEAD.value
    }
    return _table(unit, year, children, columns, note)
