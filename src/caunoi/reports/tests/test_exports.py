import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from caunoi.core.pdf import lines_off_page, text_lines
from caunoi.reports.tests.test_report import sent  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _get(client, name, unit, *args):
    year = timezone.localdate().year
    return client.get(
        reverse(f"reports:{name}", args=[unit.url_prefix, unit.code, *args]), {"nam": year}
    )


def test_workbook_has_a_sheet_per_table_with_real_numbers(world, client, sent):  # noqa: F811
    client.force_login(world.province_officer)
    response = _get(client, "xlsx", world.province)
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert {"co-cau", "don-vi", "ho-so", "truong-khu", "directives-lead"} <= set(wb.sheetnames)
    ws = wb["co-cau"]
    total = [c.value for c in list(ws.iter_rows())[-1]]
    assert total == ["Tỉnh Phú Thọ", "25", 2, 3]
    lead = wb["directives-lead"]
    rows = [[c.value for c in r] for r in lead.iter_rows()]
    assert rows[-1][2] == 1 and isinstance(rows[-1][2], int)  # one task sent, a number
    about = wb.worksheets[0]
    assert about.cell(2, 5).is_date


def test_pdf_reads_as_an_official_report(world, client, sent):  # noqa: F811
    client.force_login(world.district_officer)
    response = _get(client, "pdf", world.district)
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập – Tự do – Hạnh phúc" in text
    assert "Xã Đồng Xuân" in text
    assert text_lines(response.content) and lines_off_page(response.content) == []  # (issue 12, 3)


def test_each_table_as_csv(world, client, sent):  # noqa: F811
    client.force_login(world.officer_a)
    response = _get(client, "csv", world.commune_a, "directives-done")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Đơn vị", "Mã"]
    assert [r[0] for r in rows[1:]] == ["Khu 3", "Khu 4", "Xã Đồng Xuân"]
    assert _get(client, "csv", world.commune_a, "no-such-table").status_code == 404
    client.force_login(world.officer_b)
    assert _get(client, "xlsx", world.commune_a).status_code == 404


def test_a_communes_report_names_the_unit_above_it_as_of_its_year(world, client):
    """After the 2025 reform Xã Đồng Xuân's 2022 report still names Huyện Thanh Ba above it;
    today's names the province (no district level), and its workbook has no district row."""
    from caunoi.core.pdf import text_lines
    from caunoi.testing import build_two_level, reform_2025

    reform_2025(world, build_two_level(areas=1))
    client.force_login(world.province_officer)
    from caunoi.reports import exports, selectors

    def header(year):
        report = selectors.unit_report(world.commune_a, year=year)
        pdf = bytes(exports.report_pdf(report).output())
        return " ".join(line.text for line in text_lines(pdf)[:4])

    assert "HUYỆN THANH BA" in header(2022)  # (the page offers only years with facts)
    now = header(timezone.localdate().year)
    assert "HUYỆN THANH BA" not in now and "TỈNH PHÚ THỌ" in now
    url = reverse("reports:pdf", args=["xa", world.commune_a.code])
    assert "TỈNH PHÚ THỌ" in " ".join(line.text for line in text_lines(client.get(url).content))
    wb = load_workbook(io.BytesIO(_get(client, "xlsx", world.province).content))
    kinds = [row[0].value for row in wb["don-vi"].iter_rows()]
    assert "District-level units" not in kinds and "Đơn vị cấp huyện" not in kinds
