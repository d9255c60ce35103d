"""The head register as an Excel workbook: the review's figures, then one row per area. Real cells
(dates, numbers) through `caunoi.core.xlsx`; shares as percentages rounded half up to one decimal,
as the page's `pct` filter shows them."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from caunoi.core import xlsx

YEAR = "0"  # a year of birth, without a thousands separator


def _percent(share: float | None) -> Decimal | None:
    """A share (0.619) as the percentage shown on the page (61.9), half up."""
    if share is None:
        return None
    return Decimal(str(share * 100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _one_decimal(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _figures(ws, unit, stats, today) -> None:
    ws.title = _("Figures")[:31]
    xlsx.append(ws, [_("Heads of residential areas"), unit.name], bold=True)
    xlsx.append(ws, [_("As of"), today])
    ws.append([])
    for label, value in [
        (_("Residential areas"), stats.areas),
        (_("Heads in post"), stats.heads),
        (_("Posts vacant"), stats.vacant),
        (_("Profiles recorded"), stats.profiles),
        (_("Aged 60 or more (%)"), _percent(stats.aged_60)),
        (_("Party members (%)"), _percent(stats.party)),
        (_("Holding concurrent posts (%)"), _percent(stats.concurrent)),
        (_("Women (%)"), _percent(stats.women)),
        (_("Median age"), _one_decimal(stats.median_age)),
        (_("Median years in post"), _one_decimal(stats.median_years)),
    ]:
        xlsx.append(ws, [label, value])
    for title, key in [
        (_("General education"), "education"),
        (_("Professional qualification"), "qualification"),
        (_("Political theory"), "theory"),
    ]:
        ws.append([])
        ws.append([title])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for label, n in getattr(stats, key):
            xlsx.append(ws, [str(label), n])
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 24


def _concurrent_posts(p) -> str:
    if p is None:
        return ""
    posts = [
        _("party-cell secretary") if p.party_cell_secretary else "",
        _("head of the Front committee") if p.front_head else "",
        p.other_posts,
    ]
    return ", ".join(x for x in posts if x)


def _head_row(r, yes: str, no: str) -> list:
    m, p, allowance = r.head, r.profile, r.allowance
    return [
        r.area.parent.name,
        r.area.parent.code,
        r.area.name,
        r.area.code,
        m.person.full_name if m else "",
        p.birth_year if p else None,
        p.get_sex_display() if p and p.sex else "",
        (yes if p.party_member else no) if p else "",
        _concurrent_posts(p),
        p.get_education_display() if p and p.education else "",
        p.get_qualification_display() if p and p.qualification else "",
        p.get_political_theory_display() if p and p.political_theory else "",
        m.start if m else None,
        r.term_end,
        m.get_term_state_display() if m and m.term_state else "",
        allowance.amount if allowance else None,
        "; ".join(str(label) for _key, label in r.alerts),
    ]


def register_workbook(unit, rows, stats, today) -> Workbook:
    wb = Workbook()
    _figures(wb.active, unit, stats, today)
    sheet = wb.create_sheet()
    header = [
        _("Commune"),
        _("Commune code"),
        _("Residential area"),
        _("Area code"),
        _("Head"),
        _("Year of birth"),
        _("Sex"),
        _("Party member"),
        _("Concurrent posts"),
        _("General education"),
        _("Professional qualification"),
        _("Political theory"),
        _("In post since"),
        _("Term ends"),
        _("How the post is held"),
        _("Monthly allowance (đồng)"),
        _("Alerts"),
    ]
    yes, no = _("yes"), _("no")
    xlsx.table(
        sheet,
        title=_("Heads"),
        header=header,
        rows=(_head_row(r, yes, no) for r in rows),
        widths=[18, 8, 12, 10, 24, 8, 6, 8, 24, 14, 14, 14, 12, 12, 16, 14, 40],
    )
    year = header.index(_("Year of birth")) + 1
    for (cell,) in sheet.iter_rows(min_row=2, min_col=year, max_col=year):
        cell.number_format = YEAR
    return wb
