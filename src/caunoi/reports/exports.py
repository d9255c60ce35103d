"""The report as files: every table of the page as one `Sheet` (named, with its header and typed
rows), from which come the multi-sheet workbook, each table's CSV and the PDF in the layout of an
official report (national motto, issuing body, place and date, numbered sections, signature)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook

from caunoi.core import xlsx
from caunoi.core.pdf import FONT, document

from .selectors import Nation, Report


@dataclass
class Sheet:
    name: str  # the CSV's name and the sheet's key: "co-cau", "outreach-reach"
    title: str
    header: list[str]
    rows: list[list[Any]]
    kinds: list[str]  # per column: text, count, share (as a percentage), days


def _percent(value: Any) -> float | None:
    return None if value is None else round(float(value) * 100, 1)


def _cell(value: Any, kind: str) -> Any:
    if kind == "share":
        return _percent(value)
    if kind == "days" and value is not None:
        return round(float(value), 1)
    return value


def _heading(label: Any, kind: str) -> str:
    if kind == "share":
        return f"{label} (%)"
    return str(label)


def report_sheets(report: Report) -> list[Sheet]:
    unit_h, code_h = _("Unit"), _("Code")
    sheets: list[Sheet] = []
    f = report.structure.figures
    rows: list[list[Any]] = [
        [line.unit.name, line.unit.code, line.figures["communes"], line.figures["areas"]]
        for line in report.structure.children
    ]
    rows.append([report.unit.name, report.unit.code, f["communes"], f["areas"]])
    sheets.append(
        Sheet(
            "co-cau",
            _("Structure"),
            [unit_h, code_h, _("Commune-level units"), _("Residential areas")],
            rows,
            ["text", "text", "count", "count"],
        )
    )
    # two-level Vietnam (since 01/07/2025) has no district level: no row for it
    kinds_rows: list[list[Any]] = (
        [[_("District-level units"), f["districts"]]] if f["districts"] else []
    )
    kinds_rows += [[str(label), n] for label, n in f["commune_kinds"]]
    kinds_rows += [[_("Residential areas"), f["areas"]], [_("Households"), f["households"]]]
    sheets.append(
        Sheet("don-vi", _("Units by kind"), [_("Kind"), _("Number")], kinds_rows, ["text", "count"])
    )
    h = report.heads
    profile: list[list[Any]] = [
        [_("Heads in post"), h.figures.heads],
        [_("Vacant posts"), h.figures.vacant],
        [_("Trained in the year"), h.trained],
    ]
    profile += [[f"{_('Age')}: {label}", n] for label, n in h.age_bands]
    profile += [[f"{_('Term')}: {label}", n] for label, n in h.terms]
    profile += [[f"{_('General education')}: {label}", n] for label, n in h.figures.education]
    sheets.append(
        Sheet("ho-so", _("The heads"), [_("Figure"), _("Number")], profile, ["text", "count"])
    )
    heads_rows: list[list[Any]] = [
        [
            line.unit.name,
            line.unit.code,
            line.figures.areas,
            line.figures.heads,
            line.figures.vacant,
            _percent(line.figures.party),
        ]
        for line in h.children
        if line.unit is not None
    ]
    heads_rows.append(
        [
            report.unit.name,
            report.unit.code,
            h.figures.areas,
            h.figures.heads,
            h.figures.vacant,
            _percent(h.figures.party),
        ]
    )
    sheets.append(
        Sheet(
            "truong-khu",
            _("Heads by unit"),
            [
                unit_h,
                code_h,
                _("Residential areas"),
                _("Heads in post"),
                _("Vacant posts"),
                _heading(_("Party members"), "share"),
            ],
            heads_rows,
            ["text", "text", "count", "count", "count", "share"],
        )
    )
    for n, res in enumerate(report.surveys, start=1):
        q = res.key_question
        if res.suppressed or q is None:
            continue
        sheets.append(
            Sheet(
                f"khao-sat-{n}",
                f"{res.campaign.title}: {q.label}",
                [
                    _("Answer"),
                    _("Responses"),
                    f"{_('Share')} (%)",
                    f"{_('From')} (%)",
                    f"{_('To')} (%)",
                ],
                [
                    [
                        c.label,
                        c.share.count,
                        _percent(c.share.value),
                        _percent(c.share.low),
                        _percent(c.share.high),
                    ]
                    for c in q.choices
                ],
                ["text", "count", "share", "share", "share"],
            )
        )
        if res.children:
            label = res.key_choice.label if res.key_choice else _("Share")
            sheets.append(
                Sheet(
                    f"khao-sat-{n}-don-vi",
                    f"{res.campaign.title}: {label}",
                    [
                        unit_h,
                        code_h,
                        _("Responses"),
                        f"{label} (%)",
                        f"{_('From')} (%)",
                        f"{_('To')} (%)",
                        _("Not enough responses"),
                    ],
                    [
                        [
                            row.unit.name,
                            row.unit.code,
                            row.total,
                            None if row.suppressed or not row.share else _percent(row.share.value),
                            None if row.suppressed or not row.share else _percent(row.share.low),
                            None if row.suppressed or not row.share else _percent(row.share.high),
                            row.suppressed,
                        ]
                        for row in res.children
                    ],
                    ["text", "text", "count", "share", "share", "share", "text"],
                )
            )
    for lesson in report.lessons:
        for s in lesson.sections:
            columns = s.table.columns
            rows = [
                [
                    line.unit.name,
                    line.unit.code,
                    *(_cell(line.values.get(c.key), c.kind) for c in columns),
                ]
                for line in s.lines
            ]
            rows.append(
                [
                    report.unit.name,
                    report.unit.code,
                    *(_cell(s.table.total.get(c.key), c.kind) for c in columns),
                ]
            )
            sheets.append(
                Sheet(
                    slugify(s.indicator.key.replace(".", "-")),
                    f"{_('Lesson')} {lesson.number}. {s.indicator.label}",
                    [unit_h, code_h, *(_heading(c.label, c.kind) for c in columns)],
                    rows,
                    ["text", "text", *(c.kind for c in columns)],
                )
            )
            if s.trend:
                column = s.table.chart_column
                assert column is not None  # (a trend follows the chart's column)
                sheets.append(
                    Sheet(
                        slugify(s.indicator.key.replace(".", "-")) + "-theo-nam",
                        f"{s.indicator.label}: {_('By year')}",
                        [_("Year"), _heading(column.label, column.kind)],
                        [[year, _cell(value, column.kind)] for year, value in s.trend],
                        ["count", column.kind],
                    )
                )
    return sheets


def report_workbook(report: Report) -> Workbook:
    wb = Workbook()
    about = wb.active
    xlsx.table(
        about,
        title=_("Report"),
        header=[_("Report"), _("Unit"), _("Code"), _("Year"), _("Made on")],
        rows=[[_("Report"), report.unit.name, report.unit.code, report.year, timezone.localtime()]],
    )
    for sheet in report_sheets(report):
        ws = wb.create_sheet()
        xlsx.table(ws, title=sheet.name, header=sheet.header, rows=sheet.rows)
    return wb


def _date_line(place: str, day: datetime.date) -> str:
    return _("%(place)s, %(day)s") % {
        "place": place,
        "day": _("day %(d)02d month %(m)02d year %(y)d")
        % {"d": day.day, "m": day.month, "y": day.year},
    }


def _text(value: Any, kind: str) -> str:
    from .templatetags.reports import figure

    if kind in ("text",):
        return (
            ""
            if value is None
            else str(value)
            if not isinstance(value, bool)
            else ("×" if value else "")
        )
    if kind == "share":  # (already a percentage in the sheet)
        return "—" if value is None else figure(value / 100, "share")
    return figure(value, kind)


def _issuer_names(report: Report) -> tuple[str, str]:
    """The unit's name and the one above it as the tree stood at the end of the report's year (or
    today): a commune's 2022 report names its district, its 2026 one the province (two-level
    Vietnam has no district)."""
    from caunoi.territory.selectors import unit_version_get

    day = min(datetime.date(report.year, 12, 31), timezone.localdate())
    unit = report.unit
    if isinstance(unit, Nation):
        return str(unit.name), ""
    version = unit_version_get(unit, on=day)
    if version is None:
        return unit.name, unit.parent.name if unit.parent else ""
    parent = version.parent
    parent_version = unit_version_get(parent, on=day) if parent is not None else None
    above = parent_version.name if parent_version else (parent.name if parent else "")
    return version.name, above


def report_pdf(report: Report) -> FPDF:
    unit = report.unit
    title = _("Report %(year)s") % {"year": report.year}
    pdf = document(title=f"{title} — {unit.name}")
    pdf.add_page()
    name, above = _issuer_names(report)
    pdf.set_font(FONT, "", 10)
    pdf.cell(80, 5, above.upper(), align="C", new_x="RIGHT")
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(80, 5, name.upper(), align="C", new_x="RIGHT")
    pdf.cell(0, 5, "Độc lập – Tự do – Hạnh phúc", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, "I", 10)
    place = unit.short_name or unit.name
    pdf.cell(
        0, 6, _date_line(place, timezone.localdate()), align="R", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(4)
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 7, _("REPORT"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(
        0,
        6,
        _("On the residential areas and their heads in %(year)s") % {"year": report.year},
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    for n, sheet in enumerate(report_sheets(report), start=1):
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(0, 6, f"{n}. {sheet.title}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 9)
        aligns = tuple("LEFT" if k == "text" else "RIGHT" for k in sheet.kinds)
        with pdf.table(
            text_align=aligns,
            headings_style=FontFace(emphasis="BOLD"),
            line_height=5,
            first_row_as_headings=True,
        ) as table:
            table.row(sheet.header)
            for values in sheet.rows:
                table.row([_text(v, k) for v, k in zip(values, sheet.kinds, strict=False)])
        pdf.ln(3)
    pdf.ln(6)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(
        0, 6, _("ON BEHALF OF THE PEOPLE'S COMMITTEE"), align="R", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(FONT, "I", 10)
    pdf.cell(0, 6, _("(signature, full name, seal)"), align="R", new_x="LMARGIN", new_y="NEXT")
    return pdf
