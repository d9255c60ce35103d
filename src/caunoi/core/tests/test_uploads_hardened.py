"""Uploads (issue 13, items 8 and 4): stored under generated names with the detected type's
extension, PDFs judged by parsing, images bounded by pixels before anything decodes them."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF
from PIL import Image

from caunoi.core import uploads


def png(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("L", size).save(out, format="PNG")
    return out.getvalue()


def real_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    return bytes(pdf.output())


def test_stored_name_is_generated_with_the_detected_extension():
    f = SimpleUploadedFile("evil.html", png(), content_type="text/html")
    checked = uploads.check_upload(f)
    assert checked.kind == "image" and checked.extension == "png"
    assert f.name.endswith(".png") and "evil" not in f.name and len(f.name) == 20
    assert uploads.display_name(f) == "evil.png"
    stripped = uploads.strip_image(f)
    assert stripped.name.endswith(".png") and uploads.display_name(stripped) == "evil.png"


def test_pdf_is_judged_by_parsing_not_by_its_first_bytes():
    fake = SimpleUploadedFile("hoa-don.pdf", b"%PDF-1.7\n<script>alert(1)</script>")
    with pytest.raises(ValidationError) as err:
        uploads.check_upload(fake)
    assert err.value.code == "wrong_type"
    good = SimpleUploadedFile("hoa-don.pdf", real_pdf())
    assert uploads.check_upload(good).kind == "pdf" and good.name.endswith(".pdf")


def test_image_with_too_many_pixels_is_refused_before_decoding():
    """11000×11000 in a few hundred KB of PNG: refused from its header."""
    big = SimpleUploadedFile("anh.png", png((11000, 11000)))
    assert big.size < 1_000_000
    with pytest.raises(ValidationError) as err:
        uploads.check_upload(big, kinds=uploads.IMAGES)
    assert err.value.code == "too_many_pixels"
