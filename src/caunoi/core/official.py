"""Official documents (văn bản hành chính) in one layout, written once and rendered twice: as a
PDF (`core.pdf`, fpdf2) to print or show, and as an editable Word file (python-docx) an officer
opens, corrects and signs.

    doc = Official(
        issuer=["UBND XÃ ĐỒNG XUÂN", "KHU 3"], number="Số: 01/GM-KDC",
        place_date="Khu 3, ngày 02 tháng 03 năm 2026",
        title="GIẤY MỜI", subtitle="Tham dự cuộc họp của cộng đồng dân cư",
        blocks=[Para("Kính gửi: ..."), Table(["Nội dung", "Kết quả"], [["1", "Thông qua"]])],
        signatures=[("NGƯỜI TRIỆU TẬP", "Hoàng Văn Sơn")],
    )
    pdf_response(to_pdf(doc), "giay-moi.pdf"); docx_response(to_docx(doc), "giay-moi.docx")

The header carries the national motto (Quốc hiệu, tiêu ngữ) on the right and the issuer on the
left, as Nghị định 30/2020/NĐ-CP lays out administrative documents. `pages` repeats the whole
document with different fields (one invitation per household)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from . import pdf as core_pdf
from .money import format_percent

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass
class Para:
    text: str
    bold: bool = False
    italic: bool = False
    center: bool = False


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None  # shares of the line, summing to 1


Block = Para | Table


@dataclass
class Official:
    issuer: list[str]
    place_date: str
    title: str
    blocks: list[Block]
    subtitle: str = ""
    number: str = ""
    signatures: list[tuple[str, str]] = field(default_factory=list)  # (position, name)


# ------------------------------------------------------------------------------------------ PDF


def _pdf_page(pdf, doc: Official) -> None:
    pdf.add_page()
    width = pdf.epw
    left_w, right_w = width * 0.42, width * 0.58
    top = pdf.get_y()
    pdf.set_font(core_pdf.FONT, "B", 10)
    for line in doc.issuer:
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(left_w, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    if doc.number:
        pdf.set_font(core_pdf.FONT, "", 10)
        pdf.multi_cell(left_w, 5, doc.number, align="C", new_x="LMARGIN", new_y="NEXT")
    bottom_left = pdf.get_y()
    pdf.set_xy(pdf.l_margin + left_w, top)
    pdf.set_font(core_pdf.FONT, "B", 10)
    pdf.multi_cell(right_w, 5, NATION, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(core_pdf.FONT, "BU", 11)
    pdf.multi_cell(right_w, 5, MOTTO, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(core_pdf.FONT, "I", 10)
    pdf.ln(2)
    pdf.multi_cell(right_w, 5, doc.place_date, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(bottom_left, pdf.get_y()) + 6)
    pdf.set_font(core_pdf.FONT, "B", 14)
    pdf.multi_cell(width, 7, doc.title, align="C", new_x="LMARGIN", new_y="NEXT")
    if doc.subtitle:
        pdf.set_font(core_pdf.FONT, "B", 11)
        pdf.multi_cell(width, 6, doc.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for block in doc.blocks:
        if isinstance(block, Para):
            style = ("B" if block.bold else "") + ("I" if block.italic else "")
            pdf.set_font(core_pdf.FONT, style, 11)
            align = "C" if block.center else "J"
            pdf.multi_cell(width, 6, block.text, align=align, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        else:
            pdf.set_font(core_pdf.FONT, "", 10)
            widths = block.widths or [1 / len(block.header)] * len(block.header)
            with pdf.table(
                col_widths=tuple(int(w * 100) for w in widths),
                line_height=6,
                text_align="LEFT",
                first_row_as_headings=True,
            ) as table:
                row = table.row()
                for cell in block.header:
                    row.cell(cell)
                for values in block.rows:
                    row = table.row()
                    for cell in values:
                        row.cell(str(cell))
            pdf.ln(3)
    if doc.signatures:
        pdf.ln(6)
        col = width / len(doc.signatures)
        top = pdf.get_y()
        for i, (position, name) in enumerate(doc.signatures):
            pdf.set_xy(pdf.l_margin + i * col, top)
            pdf.set_font(core_pdf.FONT, "B", 11)
            pdf.multi_cell(col, 6, position, align="C", new_x="LEFT", new_y="NEXT")
            pdf.set_font(core_pdf.FONT, "I", 9)
            pdf.multi_cell(col, 5, "(Ký, ghi rõ họ tên)", align="C", new_x="LEFT", new_y="NEXT")
            pdf.ln(16)
            pdf.set_font(core_pdf.FONT, "B", 11)
            pdf.multi_cell(col, 6, name, align="C", new_x="LEFT", new_y="NEXT")


def to_pdf(doc: Official, *, pages: list[Official] | None = None) -> bytes:
    pdf = core_pdf.document(title=doc.title.capitalize())
    for page in pages or [doc]:
        _pdf_page(pdf, page)
    return bytes(pdf.output())


# ----------------------------------------------------------------------------------------- Word


def _no_borders(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _docx_lines(cell, lines: list[tuple[str, bool, bool]]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.paragraphs[0].text = ""
    for i, (text, bold, italic) in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold, run.italic = bold, italic


def _docx_page(document, doc: Official) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    head = document.add_table(rows=1, cols=2)
    _no_borders(head)
    left = [(line, True, False) for line in doc.issuer]
    if doc.number:
        left.append((doc.number, False, False))
    _docx_lines(head.cell(0, 0), left)
    _docx_lines(
        head.cell(0, 1),
        [(NATION, True, False), (MOTTO, True, False), (doc.place_date, False, True)],
    )
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(doc.title).bold = True
    if doc.subtitle:
        sub = document.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        sub.add_run(doc.subtitle).bold = True
    for block in doc.blocks:
        if isinstance(block, Para):
            p = document.add_paragraph()
            if block.center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(block.text)
            run.bold, run.italic = block.bold, block.italic
        else:
            table = document.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = ""
                cell.paragraphs[0].add_run(text).bold = True
            for values in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, values, strict=True):
                    cell.text = str(text)
            document.add_paragraph()
    if doc.signatures:
        signs = document.add_table(rows=1, cols=len(doc.signatures))
        _no_borders(signs)
        for cell, (position, name) in zip(signs.rows[0].cells, doc.signatures, strict=True):
            _docx_lines(
                cell,
                [
                    (position, True, False),
                    ("(Ký, ghi rõ họ tên)", False, True),
                    ("", False, False),
                    ("", False, False),
                    (name, True, False),
                ],
            )


def to_docx(doc: Official, *, pages: list[Official] | None = None) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    for i, page in enumerate(pages or [doc]):
        if i:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _docx_page(document, page)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def percent_of(count: int, total: int) -> str:
    """`count` of `total` as a document writes it: "6,3 %" (rounded half up, as the pages' `pct`
    filter rounds), "—" of nothing."""
    return f"{format_percent(count / total)} %" if total else "—"
