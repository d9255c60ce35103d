"""The head register as an Excel workbook: the review's figures, then one row per area."""

import io

from django.utils.translation import gettext as _


def _pct(value):
    return round(value * 100, 1) if value is not None else None


def register_workbook(unit, rows, stats, today) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Figures")[:31]
    bold = Font(bold=True)
    ws.append([_("Heads of residential areas"), unit.name])
    ws.append([_("As of"), today.strftime("%d/%m/%Y")])
    ws.append([])
    for label, value in [
        (_("Residential areas"), stats["areas"]),
        (_("Heads in post"), stats["heads"]),
        (_("Posts vacant"), stats["vacant"]),
        (_("Profiles recorded"), stats["profiles"]),
        (_("Aged 60 or more (%)"), _pct(stats["aged_60"])),
        (_("Party members (%)"), _pct(stats["party"])),
        (_("Holding concurrent posts (%)"), _pct(stats["concurrent"])),
        (_("Women (%)"), _pct(stats["women"])),
        (_("Median age"), stats["median_age"]),
        (
            _("Median years in post"),
            round(stats["median_years"], 1) if stats["median_years"] else None,
        ),
    ]:
        ws.append([label, value])
    for title, key in [
        (_("General education"), "education"),
        (_("Professional qualification"), "qualification"),
        (_("Political theory"), "theory"),
    ]:
        ws.append([])
        ws.append([title])
        ws.cell(ws.max_row, 1).font = bold
        for label, n in stats[key]:
            ws.append([str(label), n])
    ws.column_dimensions["A"].width = 40

    sheet = wb.create_sheet(_("Heads")[:31])
    header = [
        _("Commune"),
        _("Residential area"),
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
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = bold
    yes, no = _("yes"), _("no")
    for r in rows:
        m = r["head"]
        p = getattr(m.person, "head_profile", None) if m else None
        sheet.append(
            [
                r["area"].parent.name,
                r["area"].name,
                m.person.full_name if m else "",
                p.birth_year if p else None,
                p.get_sex_display() if p and p.sex else "",
                (yes if p.party_member else no) if p else "",
                ", ".join(
                    x
                    for x in [
                        _("party-cell secretary") if p and p.party_cell_secretary else "",
                        _("head of the Front committee") if p and p.front_head else "",
                        p.other_posts if p else "",
                    ]
                    if x
                ),
                p.get_education_display() if p and p.education else "",
                p.get_qualification_display() if p and p.qualification else "",
                p.get_political_theory_display() if p and p.political_theory else "",
                m.start.strftime("%d/%m/%Y") if m else "",
                r.get("term_end").strftime("%d/%m/%Y") if r.get("term_end") else "",
                m.get_term_state_display() if m and m.term_state else "",
                r["allowance"].amount if r.get("allowance") else None,
                "; ".join(str(label) for _key, label in r["alerts"]),
            ]
        )
    for col, width in zip(
        "ABCDEFGHIJKLMNO", [18, 12, 24, 8, 6, 8, 24, 14, 14, 14, 12, 12, 16, 12, 40], strict=True
    ):
        sheet.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
