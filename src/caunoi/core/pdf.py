"""PDF documents with an embedded Vietnamese-capable font (Noto Sans, OFL; see fonts/README.md).

    pdf = document(title="Công khai thu – chi")
    pdf.add_page()
    pdf.set_font("Noto", "B", 14)
    pdf.cell(text="Quỹ khuyến học")
    return pdf_response(pdf, "cong-khai.pdf")      # caunoi.core.responses

fpdf2 does the layout. `multi_cell` here leaves the cursor at the left margin of the next line
(fpdf2 leaves it at the right of the cell, so the next full-width cell would be drawn off the
page). Tests read PDFs back with `text_lines` (pypdf: each run of text with its position and its
width) and `lines_off_page` (what is not wholly on its page: none, for a good layout).
"""

import io
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "Noto"


class Document(FPDF):
    """A4 in millimetres whose `multi_cell` goes on from the left margin of the next line."""

    def multi_cell(self, *args, new_x=XPos.LMARGIN, new_y=YPos.NEXT, **kwargs):
        return super().multi_cell(*args, new_x=new_x, new_y=new_y, **kwargs)


def document(*, title: str, orientation: str = "P") -> FPDF:
    pdf = Document(orientation=orientation, unit="mm", format="A4")
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


# --- Reading a PDF back (tests) -----------------------------------------------------------------

PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class TextLine:
    """A run of text as drawn: its page (from 1), where it starts (x, y in points from the
    bottom left corner, as PDF counts), its font size and style and its measured width."""

    page: int
    x: float
    y: float
    size: float
    style: str
    text: str
    width: float
    page_width: float
    page_height: float

    @property
    def inside(self) -> bool:
        slack = 0.5
        return (
            -slack <= self.x
            and self.x + self.width <= self.page_width + slack
            and 0 <= self.y <= self.page_height
        )


def text_lines(data: bytes) -> list[TextLine]:
    """Every run of text of a PDF made with `document()`, with its position and its width
    measured with the same fonts (pypdf gives where a text starts, not where it ends)."""
    import pypdf  # a test dependency: only tests read PDFs back

    measure = FPDF(unit="pt")
    for style, name in (("", "Regular"), ("B", "Bold"), ("I", "Italic")):
        measure.add_font(FONT, style, FONT_DIR / f"NotoSans-{name}.ttf")
    found: list[TextLine] = []
    for number, page in enumerate(pypdf.PdfReader(io.BytesIO(data)).pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)

        def visit(text, cm, tm, font, size, number=number, width=width, height=height):
            if not text.strip():
                return
            a, b, c, d, e, f = _multiply(tm, cm)
            scale = (a * a + b * b) ** 0.5 or 1.0
            base = str((font or {}).get("/BaseFont", ""))
            style = "B" if "Bold" in base else "I" if "Italic" in base else ""
            measure.set_font(FONT, style, size * scale)
            found.append(
                TextLine(
                    number, e, f, round(size * scale, 2), style, text.strip("\n"),
                    measure.get_string_width(text.strip()), width, height,
                )
            )  # fmt: skip

        page.extract_text(visitor_text=visit)
    return found


def lines_off_page(data: bytes) -> list[TextLine]:
    """The runs of text of a PDF that are not wholly on their page (none, for a good layout)."""
    return [line for line in text_lines(data) if not line.inside]


def _multiply(m, n):
    """The product of two PDF matrices [a b c d e f]."""
    a1, b1, c1, d1, e1, f1 = (float(v) for v in m)
    a2, b2, c2, d2, e2, f2 = (float(v) for v in n)
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )
