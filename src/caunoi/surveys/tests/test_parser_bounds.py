"""Parsers bounded before the expensive work (issue 13, item 4): a small XLSForm with many rows is
refused at the first row past the limit; a deeply nested province JSON is a clear refusal, not a
RecursionError."""

import io
import time

import pytest
from openpyxl import Workbook

from caunoi.surveys import xlsform
from caunoi.territory.importers import vnprovinces

pytestmark = pytest.mark.usefixtures("english")


def _form(rows: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("survey")
    ws.append(["type", "name", "label"])
    for i in range(rows):
        ws.append(["integer", f"q{i}", "Câu hỏi"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsform_with_too_many_rows_is_refused_at_the_limit():
    data = _form(20_000)
    started = time.process_time()
    with pytest.raises(xlsform.FormError, match="too many rows"):
        xlsform.parse_workbook(data)
    # read up to the limit, not to the end (no timed assertion: a generous ratio to reading all)
    assert time.process_time() - started < 20


def test_deeply_nested_json_is_refused_clearly():
    deep = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(ValueError, match="not the JSON"):
        vnprovinces.load(deep)
