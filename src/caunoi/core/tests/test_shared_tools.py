"""Working days, uploads checked by content, idempotent submissions, PDFs with Vietnamese text."""

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from caunoi.core import uploads
from caunoi.core.models import Submission
from caunoi.core.pdf import document
from caunoi.core.submissions import new_key, submission_claim, submission_done
from caunoi.core.workdays import add_working_days, is_working_day, working_days_between
from caunoi.testing import run_parallel, tiny_pdf


class TestWorkdays:
    def test_weekend_is_skipped(self):
        # Friday 2026-11-27 + 1 working day = Monday 2026-11-30
        assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)
        assert working_days_between(date(2026, 11, 27), date(2026, 11, 30)) == 1

    def test_tet_is_skipped(self):
        # Tết Bính Ngọ: 16–20/02/2026 are public holidays.
        assert not is_working_day(date(2026, 2, 17))
        assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
        assert working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1

    def test_national_day(self):
        assert not is_working_day(date(2026, 9, 2))

    def test_backwards_is_negative(self):
        assert working_days_between(date(2026, 11, 30), date(2026, 11, 27)) == -1

    def test_zero_moves_to_a_working_day(self):
        assert add_working_days(date(2026, 11, 28), 0) == date(2026, 11, 30)


def _png(exif_gps=False) -> bytes:
    im = Image.new("RGB", (40, 30), "red")
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (21.0, 18.0, 0.0)}  # GPSInfo
        im.save(out, format="JPEG", exif=exif)
    else:
        im.save(out, format="PNG")
    return out.getvalue()


def _zip(names) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n in names:
            z.writestr(n, "<x/>")
    return out.getvalue()


class TestUploads:
    def test_real_kinds_are_detected(self):
        cases = {
            "a.png": (_png(), "image"),
            "b.pdf": (tiny_pdf(), "pdf"),
            "c.docx": (_zip(["[Content_Types].xml", "word/document.xml"]), "docx"),
            "d.xlsx": (_zip(["[Content_Types].xml", "xl/workbook.xml"]), "xlsx"),
        }
        for name, (data, kind) in cases.items():
            assert uploads.check_upload(SimpleUploadedFile(name, data)).kind == kind

    def test_a_file_that_lies_about_its_type_is_refused(self):
        liar = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
        with pytest.raises(ValidationError) as e:
            uploads.check_upload(liar, kinds=uploads.IMAGES)
        assert e.value.code == "wrong_type"
        pdf_as_image = SimpleUploadedFile("anh.jpg", b"%PDF-1.4\n")
        with pytest.raises(ValidationError):
            uploads.check_upload(pdf_as_image, kinds=uploads.IMAGES)
        zip_not_office = SimpleUploadedFile("x.docx", _zip(["hello.txt"]))
        with pytest.raises(ValidationError):
            uploads.check_upload(zip_not_office)

    def test_too_big_and_empty(self, settings):
        settings.UPLOAD_MAX_BYTES = 100
        with pytest.raises(ValidationError) as e:
            uploads.check_upload(SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 200))
        assert e.value.code == "too_big"
        with pytest.raises(ValidationError) as e:
            uploads.check_upload(SimpleUploadedFile("a.pdf", b""))
        assert e.value.code == "empty"

    def test_strip_image_drops_gps(self):
        f = SimpleUploadedFile("photo.JPG", _png(exif_gps=True))
        assert Image.open(io.BytesIO(_png(exif_gps=True))).getexif().get(0x8825) is not None
        clean = uploads.strip_image(f)
        assert clean.name == "photo.jpg"
        with Image.open(clean) as im:
            assert not im.getexif()
            assert im.size == (40, 30)


@pytest.mark.django_db(transaction=True)
class TestSubmissions:
    def test_replay_finds_the_first(self, world):
        key = new_key()
        sub, first = submission_claim(key=key, actor=world.head_a1)
        assert first
        submission_done(sub, url="/thong-bao/1/")
        again, first_again = submission_claim(key=key, actor=world.head_a1)
        assert not first_again and again.result_url == "/thong-bao/1/"
        assert Submission.objects.count() == 1

    def test_missing_or_bad_key_is_not_idempotent(self):
        assert submission_claim(key=None) == (None, True)
        assert submission_claim(key="short") == (None, True)

    @pytest.mark.postgres
    def test_concurrent_double_click_claims_once(self):
        key = new_key()
        results = run_parallel(6, lambda: submission_claim(key=key)[1])
        assert sorted(results) == [("ok", False)] * 5 + [("ok", True)]


def test_pdf_keeps_vietnamese_text():
    pdf = document(title="Công khai thu – chi")
    pdf.add_page()
    pdf.cell(text="Quỹ khuyến học khu Đồng Xuân: 1.250.000 đ")
    reader = PdfReader(io.BytesIO(bytes(pdf.output())))
    text = reader.pages[0].extract_text()
    assert "Quỹ khuyến học khu Đồng Xuân" in text
    assert reader.metadata.title == "Công khai thu – chi"


def test_a_pdf_is_read_back_with_where_each_line_is():
    """`multi_cell` goes on from the left margin (fpdf2 itself would leave the cursor at the
    right and draw the next line off the page); `lines_off_page` finds a line drawn past the
    edge."""
    from caunoi.core.pdf import lines_off_page, text_lines

    pdf = document(title="Thử")
    pdf.add_page()
    pdf.multi_cell(pdf.epw, 8, "THÔNG BÁO", align="C")
    pdf.multi_cell(pdf.epw, 8, "Họp khu dân cư", align="C")
    good = bytes(pdf.output())
    assert [line.text for line in text_lines(good)] == ["THÔNG BÁO", "Họp khu dân cư"]
    assert lines_off_page(good) == []
    pdf = document(title="Thử")
    pdf.add_page()
    pdf.set_x(190)
    pdf.cell(text="Vận động các hộ đóng góp")
    (off,) = lines_off_page(bytes(pdf.output()))
    assert off.text == "Vận động các hộ đóng góp" and off.x > 500
