"""The province's report of a unit (province, district, commune, area) and a year."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from caunoi.core.pages import render
from caunoi.core.responses import csv_response, pdf_response, xlsx_response
from caunoi.people.access import unit_required
from caunoi.surveys import policy as survey_policy

from . import exports, permissions, selectors


def _year(request: HttpRequest, unit) -> tuple[int, list[int]]:
    years = selectors.report_years(unit)
    raw = request.GET.get("nam", "")
    year = int(raw) if raw.isdigit() and int(raw) in years else years[0]
    return year, years


@require_GET
@unit_required(permissions.READ)
def report(request: HttpRequest, unit) -> HttpResponse:
    year, years = _year(request, unit)
    sort = request.GET.get("xep", "")[:80]
    report = selectors.unit_report(
        unit, year=year, sort=sort, lang=get_language() or "vi", years=years
    )
    return render(
        request,
        "reports/report.html",
        unit=unit,
        report=report,
        sheets=exports.report_sheets(report),
        sort=sort,
        min_responses=survey_policy.MIN_RESPONSES.value,
    )


def _report(request: HttpRequest, unit) -> selectors.Report:
    year, years = _year(request, unit)
    return selectors.unit_report(unit, year=year, lang=get_language() or "vi", years=years)


def _name(report: selectors.Report, ext: str) -> str:
    return f"bao-cao-{report.year}-{report.unit.url_prefix}-{report.unit.code}.{ext}"


@require_GET
@unit_required(permissions.READ)
def report_xlsx(request: HttpRequest, unit) -> HttpResponse:
    report = _report(request, unit)
    return xlsx_response(exports.report_workbook(report), _name(report, "xlsx"))


@require_GET
@unit_required(permissions.READ)
def report_pdf(request: HttpRequest, unit) -> HttpResponse:
    report = _report(request, unit)
    return pdf_response(exports.report_pdf(report), _name(report, "pdf"))


@require_GET
@unit_required(permissions.READ)
def report_csv(request: HttpRequest, unit, table: str) -> HttpResponse:
    report = _report(request, unit)
    sheet = next((s for s in exports.report_sheets(report) if s.name == table), None)
    if sheet is None:
        raise Http404
    return csv_response([sheet.header, *sheet.rows], _name(report, f"{table}.csv"))
