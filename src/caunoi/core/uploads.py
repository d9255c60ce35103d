"""Uploaded files: the type is decided by the content, never by the name or the browser's claim.

`check_upload(f, kinds=..., max_bytes=...)` returns the detected kind or raises ValidationError
with a message a person understands. Images are re-encoded without metadata (`strip_image`) so a
phone's EXIF location never reaches a public page.
"""

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE = "image"
PDF = "pdf"
DOCX = "docx"
XLSX = "xlsx"

IMAGES = frozenset({IMAGE})
DOCUMENTS = frozenset({IMAGE, PDF, DOCX, XLSX})

_LABELS = {IMAGE: "JPEG/PNG/WebP", PDF: "PDF", DOCX: "Word (.docx)", XLSX: "Excel (.xlsx)"}
_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


@dataclass(frozen=True)
class Checked:
    kind: str
    extension: str
    content_type: str


def _head(f, n=8) -> bytes:
    f.seek(0)
    data = f.read(n)
    f.seek(0)
    return data


def _office_kind(f) -> str | None:
    try:
        with zipfile.ZipFile(f) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        f.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def detect(f) -> Checked | None:
    """What the bytes really are (None when none of the kinds we accept)."""
    head = _head(f)
    if head.startswith(b"%PDF-"):
        return Checked(PDF, "pdf", "application/pdf")
    if head.startswith(b"PK\x03\x04"):
        kind = _office_kind(f)
        if kind == DOCX:
            return Checked(
                DOCX,
                "docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
        if kind == XLSX:
            return Checked(
                XLSX, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
        return None
    try:
        with Image.open(f) as im:
            fmt = im.format
            im.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        f.seek(0)
    ext = _IMAGE_FORMATS.get(fmt or "")
    return Checked(IMAGE, ext, f"image/{'jpeg' if ext == 'jpg' else ext}") if ext else None


def check_upload(f, *, kinds=DOCUMENTS, max_bytes: int | None = None) -> Checked:
    """Raise ValidationError (clear, translated) unless `f` is one of `kinds` by content and small
    enough. The default limit is the UPLOAD_MAX_BYTES setting."""
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    if f.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": f.name, "size": filesizeformat(f.size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    if f.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": f.name}, code="empty")
    checked = detect(f)
    if checked is None or checked.kind not in kinds:
        allowed = ", ".join(_LABELS[k] for k in sorted(kinds))
        raise ValidationError(
            _("“%(name)s” is not a file of an accepted kind (%(allowed)s), whatever its name says.")
            % {"name": f.name, "allowed": allowed},
            code="wrong_type",
        )
    return checked


def strip_image(f, *, max_side: int = 2000) -> UploadedFile:
    """A copy of an image without EXIF/metadata (GPS included), turned upright, at most `max_side`
    pixels on its longer side. The name keeps its stem with the real extension."""
    with Image.open(f) as opened:
        fmt = opened.format or ""
        im: Image.Image = ImageOps.exif_transpose(opened)
        im.thumbnail((max_side, max_side))
        if fmt == "JPEG" and im.mode not in ("RGB", "L"):
            im = im.convert("RGB")
        out = io.BytesIO()
        im.save(out, format=fmt, optimize=True)  # no exif= argument: metadata is dropped
    f.seek(0)
    ext = _IMAGE_FORMATS[fmt]
    stem = (f.name or "image").rsplit(".", 1)[0][:80]
    size = out.tell()
    out.seek(0)
    return InMemoryUploadedFile(
        out, None, f"{stem}.{ext}", f"image/{'jpeg' if ext == 'jpg' else ext}", size, None
    )
