"""Excel files of the surveys: the results of a unit, and the template for importing responses."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .models import Campaign
from .selectors import Results


def results_workbook(res: Results) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Results")[:31]
    bold = Font(bold=True)
    ws.append([res.campaign.title])
    ws["A1"].font = bold
    ws.append([res.unit.name, _("Responses"), res.total])
    if res.suppressed:
        ws.append([_("Not enough responses")])
    for q in res.questions:
        ws.append([])
        ws.append([q.label])
        ws.cell(ws.max_row, 1).font = bold
        ws.append(
            [_("Answer"), _("Responses"), _("Share (%)"), _("95% CI low (%)"), _("95% CI high (%)")]
        )
        for c in q.choices:
            ws.append(
                [
                    c.label,
                    c.share.count,
                    round(c.share.value * 100, 1),
                    round(c.share.low * 100, 1),
                    round(c.share.high * 100, 1),
                ]
            )
        ws.append([_("Total"), q.total, 100.0 if q.total else 0.0])
    if res.children:
        sheet = wb.create_sheet(_("By unit")[:31])
        label = res.key_choice.label if res.key_choice else ""
        sheet.append(
            [
                _("Unit"),
                _("Code"),
                _("Responses"),
                f"{label} (%)",
                _("95% CI low (%)"),
                _("95% CI high (%)"),
                _("Meaningful difference"),
            ]
        )
        for row in res.children:
            if row.suppressed or row.share is None:
                sheet.append([row.unit.name, row.unit.code, None, _("Not enough responses")])
            else:
                sheet.append(
                    [
                        row.unit.name,
                        row.unit.code,
                        row.total,
                        round(row.share.value * 100, 1),
                        round(row.share.low * 100, 1),
                        round(row.share.high * 100, 1),
                        (_("higher") if row.z > 0 else _("lower")) if row.meaningful else "",
                    ]
                )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def responses_workbook(campaign: Campaign, responses, lang: str) -> bytes:
    """One row per response: area, channel, day and answers (choice names, as in the import).
    Free text is left out unless the campaign is named, so an anonymous export cannot carry
    words that identify someone."""
    questions = [q for q in campaign.form.questions if q["type"] != "note"]
    if not campaign.named:
        questions = [q for q in questions if q["type"] != "text"]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("responses")
    names = [q["name"] for q in questions]
    ws.append(
        ["khu", "channel", "received_on", *(["respondent_name"] if campaign.named else []), *names]
    )
    for area_code, channel, day, name, answers in responses:
        row = [area_code, channel, day.strftime("%d/%m/%Y")]
        if campaign.named:
            row.append(name)
        for n in names:
            value = answers.get(n)
            row.append(" ".join(value) if isinstance(value, list) else value)
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def import_template(campaign: Campaign) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "responses"
    ws.append(["khu", *[q["name"] for q in campaign.form.questions if q["type"] != "note"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
