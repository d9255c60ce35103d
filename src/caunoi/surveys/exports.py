"""Excel files of the surveys: the results of a unit, its responses, and the template for importing
responses. Cells are real numbers and dates; shares are percentages rounded half up to one
decimal, as the pages show them (the `pct` filter)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from caunoi.core import xlsx

from . import xlsform
from .models import Campaign
from .selectors import Results


def percent(share: float) -> float:
    """A share (0.42857) as the percentage shown on the pages: 42.9 (half up, like `pct`)."""
    return float(Decimal(str(share * 100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def results_workbook(res: Results) -> Workbook:
    """The official layout: the unit and its total, then one block per question; the child units
    on a second sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Results")[:31]
    xlsx.append(ws, [res.campaign.title], bold=True)
    place = res.unit.name if res.unit is not None else _("The whole country")
    xlsx.append(ws, [place, _("Responses"), res.total])
    if res.suppressed:
        xlsx.append(ws, [_("Not enough responses")])
    for q in res.questions:
        ws.append([])
        xlsx.append(ws, [q.label], bold=True)
        header = [_("Answer"), _("Responses"), _("Share (%)"), _("95% CI low (%)")]
        xlsx.append(ws, [*header, _("95% CI high (%)")], bold=True)
        for c in q.choices:
            xlsx.append(
                ws,
                [
                    c.label,
                    c.share.count,
                    percent(c.share.value),
                    percent(c.share.low),
                    percent(c.share.high),
                ],
            )
        xlsx.append(ws, [_("Total"), q.total, 100.0 if q.total else 0.0])
    ws.column_dimensions["A"].width = 40
    if res.children:
        label = res.key_choice.label if res.key_choice else ""
        rows: list[list[Any]] = []
        for row in res.children:
            if row.suppressed or row.share is None:
                rows.append([row.unit.name, row.unit.code, None, _("Not enough responses")])
            else:
                rows.append(
                    [
                        row.unit.name,
                        row.unit.code,
                        row.total,
                        percent(row.share.value),
                        percent(row.share.low),
                        percent(row.share.high),
                        (_("higher") if row.z > 0 else _("lower")) if row.meaningful else "",
                    ]
                )
        xlsx.table(
            wb.create_sheet(),
            title=_("By unit"),
            header=[
                _("Unit"),
                _("Code"),
                _("Responses"),
                f"{label} (%)",
                _("95% CI low (%)"),
                _("95% CI high (%)"),
                _("Meaningful difference"),
            ],
            rows=rows,
        )
    return wb


def _cell(ws, value, *, bold: bool = False) -> WriteOnlyCell:
    value, fmt = xlsx.cell_value(value)
    cell = WriteOnlyCell(ws, value=value)
    if fmt:
        cell.number_format = fmt
    if bold:
        cell.font = Font(bold=True)
    return cell


def _meta_cell(kind: str, value: str | None):
    """A response's metadata as a cell: a date (today) or a local date and time (start, end)."""
    if not value:
        return None
    try:
        if kind == "today":
            return datetime.date.fromisoformat(value)
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return value


def responses_workbook(campaign: Campaign, responses, lang: str) -> Workbook:
    """One row per response: area, channel, day, the form's metadata start, end and today (as
    KoboToolbox exports them: date and time cells) and answers (choice names, as in the import).
    Free text is left out unless the campaign is named, so an anonymous export cannot carry
    words that identify someone. Days and date answers are date cells (the import reads them
    back). Written row by row (a province has many responses)."""
    questions = [q for q in campaign.form.questions if q["type"] != "note"]
    if not campaign.named:
        questions = [q for q in questions if q["type"] != "text"]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("responses")
    names = [q["name"] for q in questions]
    dates = {q["name"] for q in questions if q["type"] == "date"}
    recorded = xlsform.recorded_metadata(campaign.form.definition)
    header = ["khu", "channel", "received_on", *(["respondent_name"] if campaign.named else [])]
    header += [m["name"] for m in recorded] + names
    ws.freeze_panes = "A2"
    for i, width in enumerate([12, 10, 12], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.append([_cell(ws, h, bold=True) for h in header])
    for area_code, channel, day, name, answers, meta in responses:
        row = [area_code, channel, day]
        if campaign.named:
            row.append(name)
        row += [_meta_cell(m["type"], (meta or {}).get(m["name"])) for m in recorded]
        for n in names:
            value = answers.get(n)
            if isinstance(value, list):
                value = " ".join(value)
            elif n in dates and value:
                value = datetime.date.fromisoformat(value)
            row.append(value)
        ws.append([_cell(ws, v) for v in row])
    return wb


def import_template(campaign: Campaign) -> Workbook:
    wb = Workbook()
    names = [q["name"] for q in campaign.form.questions if q["type"] != "note"]
    xlsx.table(wb.active, title="responses", header=["khu", *names], rows=[])
    return wb
