"""File responses, one way: every download goes through here.

* `file_response(f, filename=…, untrusted=True)` for anything a person uploaded: `nosniff`, a CSP
  sandbox so an uploaded HTML or SVG cannot run script on our origin, and a download unless it is
  an image or PDF shown inline.
* `xlsx_response(workbook, filename)` and `pdf_response(pdf, filename)` for what we generate;
  `csv_response(rows, filename)` for a table as CSV (UTF-8 with a byte-order mark, so that Excel
  reads the diacritics; numbers as plain numbers, dates ISO).
* Filenames keep their Vietnamese: `Content-Disposition` carries an ASCII fallback and the UTF-8
  name (RFC 5987/6266), so "Báo cáo Đồng Xuân.xlsx" arrives as such.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"
# What a browser may show inline from an upload; anything else is always a download.
INLINE_SAFE = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", PDF})
UNTRUSTED_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def _harden(
    response: HttpResponse | FileResponse, *, filename: str, inline: bool, untrusted: bool
) -> None:
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or ""
    response["X-Content-Type-Options"] = "nosniff"
    if untrusted:
        response["Content-Security-Policy"] = UNTRUSTED_CSP
        response["Cross-Origin-Resource-Policy"] = "same-origin"


def file_response(
    f: IO[bytes] | Any,
    *,
    filename: str,
    content_type: str = "application/octet-stream",
    inline: bool = False,
    untrusted: bool = True,
) -> FileResponse:
    """Stream an open file (a FieldFile works). `untrusted` (the default) is for uploads: shown
    inline only when asked and its type is an image or PDF, and always sandboxed."""
    inline = inline and (not untrusted or content_type in INLINE_SAFE)
    response = FileResponse(f, content_type=content_type)
    _harden(response, filename=filename, inline=inline, untrusted=untrusted)
    return response


def bytes_response(
    data: bytes, *, filename: str, content_type: str, inline: bool = False
) -> HttpResponse:
    """A document we generated (trusted content)."""
    response = HttpResponse(data, content_type=content_type)
    _harden(response, filename=filename, inline=inline, untrusted=False)
    return response


def _saved(document: Any) -> bytes:
    """The bytes of a document that saves itself to a file (openpyxl, python-docx), or the bytes
    given."""
    if isinstance(document, bytes | bytearray):
        return bytes(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_response(workbook: Any, filename: str) -> HttpResponse:
    """An openpyxl Workbook (or its saved bytes) as a download."""
    return bytes_response(_saved(workbook), filename=filename, content_type=XLSX)


def pdf_response(pdf: Any, filename: str, *, inline: bool = True) -> HttpResponse:
    """An fpdf2 document (or PDF bytes), shown in the browser unless `inline=False`."""
    data = bytes(pdf) if isinstance(pdf, bytes | bytearray) else bytes(pdf.output())
    return bytes_response(data, filename=filename, content_type=PDF, inline=inline)


def docx_response(document: Any, filename: str) -> HttpResponse:
    """A python-docx Document (or its bytes) as a download."""
    return bytes_response(_saved(document), filename=filename, content_type=DOCX)


def _csv_value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


def csv_response(rows: Iterable[Sequence[Any]], filename: str) -> HttpResponse:
    """Rows (the header first) as a CSV download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    data = "\ufeff" + buffer.getvalue()
    return bytes_response(data.encode("utf-8"), filename=filename, content_type=CSV)
