"""The printed notice for the area's board: A4, black on white, with a QR code to the page."""

import io

import segno
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core.pdf import FONT, document
from caunoi.core.responses import pdf_response
from caunoi.core.text import slug

from .models import Notice


def notice_board_pdf(notice: Notice, *, link: str):
    pdf = document(title=notice.title)
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(width, 6, notice.unit.name.upper(), align="C")
    pdf.ln(4)
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(width, 10, _("NOTICE").upper(), align="C")
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(width, 8, notice.title, align="C")
    pdf.ln(4)
    pdf.set_font(FONT, "", 13)
    for paragraph in notice.body.split("\n"):
        if paragraph.strip():
            pdf.multi_cell(width, 7, paragraph)
            pdf.ln(2)
    pdf.ln(4)
    pdf.set_font(FONT, "I", 11)
    published = timezone.localtime(notice.publish_at)
    pdf.multi_cell(
        width,
        6,
        _("Published on %(date)s by %(author)s.")
        % {"date": published.strftime("%d/%m/%Y"), "author": notice.author.full_name},
    )
    if notice.ends_on:
        pdf.multi_cell(
            width, 6, _("Posted until %(date)s.") % {"date": notice.ends_on.strftime("%d/%m/%Y")}
        )
    if notice.is_public:
        qr = io.BytesIO()
        segno.make(link, error="m").save(qr, kind="png", scale=6, border=2)
        qr.seek(0)
        pdf.ln(4)
        y = pdf.get_y()
        pdf.image(qr, x=pdf.l_margin, y=y, w=35, h=35)
        pdf.set_xy(pdf.l_margin + 40, y + 8)
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(width - 40, 6, _("Scan to read this notice on your phone:") + "\n" + link)
    return pdf_response(
        pdf, f"thong-bao-{notice.pk}-{slug(notice.title, max_length=40) or 'cau-noi'}.pdf"
    )
