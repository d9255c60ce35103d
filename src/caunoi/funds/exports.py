"""Documents: the "công khai thu – chi" statement (xlsx and PDF), the A4 poster with the public
page's QR code, and the printable receipt. Written in Vietnamese, the language of the notice board,
whatever the reader's interface language."""

import io

from django.utils import timezone
from django.utils.translation import override
from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from caunoi.core import xlsx
from caunoi.core.money import format_vnd, group
from caunoi.core.pdf import FONT, document

from . import chain, vietqr
from .selectors import Statement


def checkpoint_line(checkpoint) -> str:
    """The chain's position and tip as printed on paper, for anyone to check later against the
    ledger (the public page lists every published checkpoint; `verify_ledgers --checkpoint`)."""
    if checkpoint is None:
        return "Sổ quỹ chưa có bút toán nào."
    return (
        f"Kiểm tra sổ quỹ: đến bút toán {chain.tip_text(checkpoint.seq, checkpoint.hash)} "
        f"(số dư {group(checkpoint.balance)} đ). Mã này phải khớp với trang công khai của quỹ."
    )


def _date(d) -> str:
    return d.strftime("%d/%m/%Y")


def _place_line(area, when) -> str:
    return f"{area.name}, ngày {when.day:02d} tháng {when.month:02d} năm {when.year}"


def _lines(lines):
    """(number, day, what, document, amount) for each line of a statement."""
    for i, e in enumerate(lines, start=1):
        what = e.description
        if e.household_ref:
            what = f"{what} — hộ {e.household_ref}"
        if e.reverses_id:
            what = f"Điều chỉnh bút toán #{e.reverses.seq}: {what}"
        yield i, e.booked_on, what, e.document, abs(e.amount)


def statement_title(st: Statement) -> str:
    with override("vi"):
        return f"BẢNG CÔNG KHAI THU – CHI {st.fund.name.upper()}"


STATEMENT_HEADER = ["STT", "Ngày", "Nội dung", "Số biên lai / chứng từ", "Số tiền (đồng)"]
STATEMENT_WIDTHS = (8, 12, 48, 22, 16)


def statement_xlsx(st: Statement, *, checkpoint=None) -> Workbook:
    """The official layout (heading, opening balance, income, spending, closing balance,
    signatures) with real cells: dates are dates and amounts are numbers (caunoi.core.xlsx)."""
    with override("vi"):
        area = st.fund.area
        wb = Workbook()
        ws = wb.active
        ws.title = "Công khai thu – chi"
        thin = Side(style="thin")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        ws.append([area.parent.name if area.parent else ""])
        ws.append([area.name])
        ws.append([statement_title(st)])
        ws["A3"].font = Font(bold=True, size=14)
        ws.append([st.period.label])
        ws.append([])
        xlsx.append(ws, ["I. Số dư đầu kỳ", None, None, None, st.opening], bold=True)
        for title, lines, total_label, total in (
            ("II. Các khoản thu", st.income, "Cộng thu", st.total_income),
            ("III. Các khoản chi", st.spending, "Cộng chi", st.total_spending),
        ):
            ws.append([])
            xlsx.append(ws, [title], bold=True)
            xlsx.append(ws, STATEMENT_HEADER, bold=True)
            for cell in ws[ws.max_row]:
                cell.border = box
            for row in _lines(lines):
                xlsx.append(ws, row)
                for cell in ws[ws.max_row]:
                    cell.border = box
            xlsx.append(ws, [None, None, total_label, None, total], bold=True)
        ws.append([])
        xlsx.append(ws, ["IV. Số dư cuối kỳ", None, None, None, st.closing], bold=True)
        ws.append([])
        ws.append([None, None, None, _place_line(area, timezone.localdate())])
        ws.append(["Người lập biểu", None, "Ban Thanh tra nhân dân", "Trưởng khu dân cư"])
        ws.append([])
        ws.append([checkpoint_line(checkpoint)])
        for i, width in enumerate(STATEMENT_WIDTHS, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        for r in ws.iter_rows(min_col=3, max_col=3):
            for cell in r:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.print_title_rows = "1:4"
        return wb


def statement_pdf(st: Statement, *, checkpoint=None) -> FPDF:
    with override("vi"):
        area = st.fund.area
        pdf = document(title=f"Công khai thu – chi {st.fund.name} {st.period.label}")
        pdf.add_page()
        pdf.set_font(FONT, "B", 10)
        pdf.cell(90, 6, (area.parent.name if area.parent else "").upper(), new_x="RIGHT")
        pdf.cell(
            0, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.cell(90, 6, area.name.upper(), new_x="RIGHT")
        pdf.cell(0, 6, "Độc lập – Tự do – Hạnh phúc", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.set_font(FONT, "B", 14)
        pdf.multi_cell(0, 8, statement_title(st), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 11)
        pdf.cell(0, 7, st.period.label, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(
            0,
            6,
            f"Từ ngày {_date(st.period.start)} đến ngày {_date(st.period.end)}",
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(4)

        def heading(text, amount=None):
            pdf.set_font(FONT, "B", 11)
            pdf.cell(140, 7, text, new_x="RIGHT")
            pdf.cell(
                0,
                7,
                f"{group(amount)} đ" if amount is not None else "",
                align="R",
                new_x="LMARGIN",
                new_y="NEXT",
            )

        def table(lines, total_label, total):
            widths = (10, 22, 88, 25, 35)
            pdf.set_font(FONT, "B", 9)
            for w, h in zip(
                widths, ("STT", "Ngày", "Nội dung", "Chứng từ", "Số tiền (đ)"), strict=True
            ):
                pdf.cell(w, 7, h, border=1, align="C", new_x="RIGHT")
            pdf.ln()
            pdf.set_font(FONT, "", 9)
            rows = [(str(i), _date(d), *rest) for i, d, *rest in _lines(lines)]
            for i, d, what, doc, amount in rows or [("", "", "Không có", "", 0)]:
                # Plain cells (fpdf2's table lays out every cell twice: 5× slower); only the
                # description wraps, and the row takes its height.
                fits = pdf.get_string_width(what) <= widths[2] - 2
                if fits:
                    n_lines = 1
                else:
                    n_lines = len(pdf.multi_cell(widths[2], 5, what, dry_run=True, output="LINES"))
                h = 5 * max(1, n_lines) + 2
                if pdf.will_page_break(h):
                    pdf.add_page()
                x, y = pdf.get_x(), pdf.get_y()
                pdf.cell(widths[0], h, i, border=1, align="C")
                pdf.cell(widths[1], h, d, border=1, align="C")
                if fits:
                    pdf.cell(widths[2], h, what, border=1, align="L")
                else:
                    pdf.rect(pdf.get_x(), y, widths[2], h)
                    pdf.set_xy(pdf.get_x(), y + 1)
                    pdf.multi_cell(widths[2], 5, what, align="L", new_x="RIGHT", new_y="TOP")
                    pdf.set_xy(x + sum(widths[:3]), y)
                pdf.cell(widths[3], h, doc, border=1, align="C")
                pdf.cell(widths[4], h, group(amount), border=1, align="R")
                pdf.set_xy(x, y + h)
            pdf.set_font(FONT, "B", 9)
            pdf.cell(sum(widths[:4]), 7, total_label, border=1, align="R", new_x="RIGHT")
            pdf.cell(widths[4], 7, group(total), border=1, align="R", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)

        heading("I. Số dư đầu kỳ", st.opening)
        heading("II. Các khoản thu")
        table(st.income, "Cộng thu", st.total_income)
        heading("III. Các khoản chi")
        table(st.spending, "Cộng chi", st.total_spending)
        heading("IV. Số dư cuối kỳ", st.closing)
        pdf.ln(6)
        pdf.set_font(FONT, "I", 10)
        pdf.cell(
            0, 6, _place_line(area, timezone.localdate()), align="R", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font(FONT, "B", 10)
        for text in ("Người lập biểu", "Ban Thanh tra nhân dân", "Trưởng khu dân cư"):
            pdf.cell(60, 6, text, align="C", new_x="RIGHT")
        pdf.ln(30)
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 5, checkpoint_line(checkpoint), new_x="LMARGIN", new_y="NEXT")
        return pdf


def poster_pdf(*, area, funds, url: str, checkpoints=None) -> FPDF:
    """An A4 poster for the cultural house: the area's funds and a QR code to the public page."""
    with override("vi"):
        pdf = document(title=f"Công khai quỹ {area.name}")
        pdf.add_page()
        pdf.set_font(FONT, "B", 22)
        pdf.multi_cell(
            0, 11, "CÔNG KHAI THU – CHI CÁC QUỸ", align="C", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font(FONT, "B", 16)
        parent = f", {area.parent.name}" if area.parent else ""
        pdf.multi_cell(0, 9, f"{area.name}{parent}", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font(FONT, "", 13)
        pdf.multi_cell(
            0,
            7,
            "Mọi khoản đóng góp và mọi khoản chi của khu dân cư được ghi vào sổ quỹ công khai. "
            "Quét mã QR bằng điện thoại để xem số dư, từng khoản thu – chi và hóa đơn, không cần "
            "đăng nhập.",
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        png = io.BytesIO(vietqr.png(url, scale=10))
        size = 110
        pdf.image(png, x=(210 - size) / 2, y=pdf.get_y() + 4, w=size, h=size)
        pdf.set_y(pdf.get_y() + size + 8)
        pdf.set_font(FONT, "", 12)
        pdf.cell(0, 7, url, align="C", new_x="LMARGIN", new_y="NEXT", link=url)
        pdf.ln(4)
        pdf.set_font(FONT, "B", 13)
        for fund in funds:
            pdf.cell(120, 8, fund.name, new_x="RIGHT")
            pdf.cell(
                0,
                8,
                f"Số dư: {format_vnd(fund.balance)}".replace("\u00a0", " "),
                align="R",
                new_x="LMARGIN",
                new_y="NEXT",
            )
            cp = (checkpoints or {}).get(fund.pk)
            if cp is not None:
                pdf.set_font(FONT, "", 10)
                pdf.cell(
                    0,
                    6,
                    f"Kiểm tra sổ quỹ: bút toán {chain.tip_text(cp.seq, cp.hash)}",
                    new_x="LMARGIN",
                    new_y="NEXT",
                )
                pdf.set_font(FONT, "B", 13)
        pdf.set_font(FONT, "I", 11)
        pdf.cell(
            0,
            8,
            f"Cập nhật ngày {_date(timezone.localdate())}",
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        return pdf


def receipt_pdf(c, *, url: str, show_payer: bool = True, recorded_for=None) -> FPDF:
    """The receipt; `recorded_for` (an audit entry, `core.audit.done_for`) when a helper recorded
    it for the head: "X thay Y"."""
    with override("vi"):
        area = c.fund.area
        pdf = document(title=f"Biên lai {c.receipt_number}")
        pdf.add_page()
        pdf.set_font(FONT, "B", 11)
        pdf.cell(
            0,
            6,
            f"{area.name}, {area.parent.name if area.parent else ''}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font(FONT, "B", 18)
        pdf.cell(0, 12, "BIÊN LAI THU TIỀN", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 12)
        pdf.cell(0, 7, f"Số: {c.receipt_number}", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        for label, value in (
            ("Quỹ", c.fund.name),
            ("Khoản đóng góp", c.campaign.name if c.campaign else "Đóng góp tự nguyện"),
            (
                "Hộ gia đình",
                f"{c.household.code} — {c.payer_name}"
                if show_payer and c.payer_name
                else c.household.code,
            ),
            ("Số tiền", format_vnd(c.amount).replace("\u00a0", " ")),
            ("Hình thức", "Tiền mặt" if c.method == "cash" else "Chuyển khoản"),
            ("Ngày nộp", _date(c.paid_on)),
            (
                "Người thu",
                f"{recorded_for.actor.full_name} thay {recorded_for.on_behalf_of.full_name}"
                if recorded_for
                else (c.recorded_by.full_name if c.recorded_by else ""),
            ),
            ("Sổ quỹ", f"bút toán #{c.entry.seq}, mã {c.entry.hash[:16]}"),
        ):
            pdf.set_font(FONT, "B", 12)
            pdf.cell(50, 8, label, new_x="RIGHT")
            pdf.set_font(FONT, "", 12)
            pdf.multi_cell(0, 8, value, new_x="LMARGIN", new_y="NEXT")
        png = io.BytesIO(vietqr.png(url, scale=6))
        pdf.image(png, x=15, y=pdf.get_y() + 4, w=40, h=40)
        pdf.set_xy(60, pdf.get_y() + 10)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(
            0, 6, f"Quét mã để xem biên lai trên Cầu Nối:\n{url}", new_x="LMARGIN", new_y="NEXT"
        )
        return pdf
