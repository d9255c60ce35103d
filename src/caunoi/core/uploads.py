"""Uploaded files: the type is decided by the content, never by the name or the browser's claim.

`check_upload(f, kinds=..., max_bytes=...)` returns the detected kind or raises ValidationError
with a message a person understands. It also renames the file: stored under a generated name with
the extension of the detected type (`evil.html` that is really a PNG is stored as
`3f2a91c07be45d18.png`); `display_name(f)` is the uploader's name with that same extension, for
showing and downloading. A PDF is parsed (pypdf), not judged by its first bytes. Images are
re-encoded without metadata (`strip_image`) so a phone's EXIF location never reaches a public page.
"""

import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from . import responses

IMAGE = "image"
PDF = "pdf"
DOCX = "docx"
XLSX = "xlsx"

IMAGES = frozenset({IMAGE})
DOCUMENTS = frozenset({IMAGE, PDF, DOCX, XLSX})

_LABELS = {IMAGE: "JPEG/PNG/WebP", PDF: "PDF", DOCX: "Word (.docx)", XLSX: "Excel (.xlsx)"}
_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


# A photo of an invoice or a pothole needs far fewer: 11000×11000 pixels in 344 KB of PNG took a
# worker to 1.25 GB when decoded. Refused from the header, before any decoding.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class Checked:
    kind: str
    extension: str
    content_type: str
    pixels: int = 0


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


def _parses_as_pdf(f) -> bool:
    """A PDF whose structure pypdf can read, with at least one page (five bytes prove nothing)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return len(PdfReader(f, strict=False).pages) > 0
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return False
    finally:
        f.seek(0)


def display_name(f) -> str:
    """The uploader's name for the file, with the extension of what it really is (after
    `check_upload`; before it, the name as sent)."""
    return getattr(f, "display_name", None) or f.name or ""


def _rename(f, checked: Checked) -> None:
    stem = PurePath(f.name or "").stem.strip()[:80] or "tep"
    f.display_name = f"{stem}.{checked.extension}"
    f.name = f"{secrets.token_hex(8)}.{checked.extension}"


def detect(f) -> Checked | None:
    """What the bytes really are (None when none of the kinds we accept)."""
    head = _head(f)
    if head.startswith(b"%PDF-"):
        return Checked(PDF, "pdf", responses.PDF) if _parses_as_pdf(f) else None
    if head.startswith(b"PK\x03\x04"):
        kind = _office_kind(f)
        if kind == DOCX:
            return Checked(DOCX, "docx", responses.DOCX)
        if kind == XLSX:
            return Checked(XLSX, "xlsx", responses.XLSX)
        return None
    try:
        with Image.open(f) as im:
            fmt = im.format
            pixels = im.size[0] * im.size[1]
            if pixels > MAX_PIXELS:
                return Checked(IMAGE, _IMAGE_FORMATS.get(fmt or "", "img"), "", pixels)
            im.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        f.seek(0)
    ext = _IMAGE_FORMATS.get(fmt or "")
    return Checked(IMAGE, ext, f"image/{'jpeg' if ext == 'jpg' else ext}", pixels) if ext else None


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
    if checked.pixels > MAX_PIXELS:
        raise ValidationError(
            _(
                "“%(name)s” has too many pixels (%(mp)d million); photos may have at most %(max)d "
                "million. Send a smaller photo."
            )
            % {"name": f.name, "mp": checked.pixels // 10**6, "max": MAX_PIXELS // 10**6},
            code="too_many_pixels",
        )
    _rename(f, checked)
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
    stripped = InMemoryUploadedFile(
        out, None, f"{stem}.{ext}", f"image/{'jpeg' if ext == 'jpg' else ext}", size, None
    )
    if getattr(f, "display_name", None):
        stripped.display_name = f"{PurePath(f.display_name).stem}.{ext}"  # type: ignore[attr-defined]
    return stripped
