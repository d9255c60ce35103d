"""PDF documents with an embedded Vietnamese-capable font (Noto Sans, OFL; see fonts/README.md).

    pdf = document(title="Công khai thu – chi")
    pdf.add_page()
    pdf.set_font("Noto", "B", 14)
    pdf.cell(text="Quỹ khuyến học")
    return pdf_response(pdf, "cong-khai.pdf")      # caunoi.core.responses

fpdf2 does the layout; read PDFs back in tests with pypdf.
"""

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "Noto"


def document(*, title: str, orientation: str = "P") -> FPDF:
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_creator("Cầu Nối")
    pdf.set_lang("vi")
    pdf.add_font(FONT, "", FONT_DIR / "NotoSans-Regular.ttf")
    pdf.add_font(FONT, "B", FONT_DIR / "NotoSans-Bold.ttf")
    pdf.add_font(FONT, "I", FONT_DIR / "NotoSans-Italic.ttf")
    pdf.set_font(FONT, size=11)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(15, 15, 15)
    return pdf
