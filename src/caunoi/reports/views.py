"""The province's report of a unit (province, district, commune, area) and a year."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from caunoi.core.pages import bound, form_page, render
from caunoi.core.replica import reads_from_replica
from caunoi.core.responses import csv_response, pdf_response, xlsx_response
from caunoi.people import access
from caunoi.people.access import unit_required
from caunoi.surveys import permissions as survey_permissions
from caunoi.surveys import policy as survey_policy
from caunoi.territory.models import Level, Unit
from caunoi.territory.selectors import unit_get

from . import exports, permissions, scorecards, selectors, services
from .forms import PublishForm, RulesForm, WithdrawForm


def _year(request: HttpRequest, unit) -> tuple[int, list[int]]:
    years = selectors.report_years(unit)
    raw = request.GET.get("nam", "")
    year = int(raw) if raw.isdigit() and int(raw) in years else years[0]
    return year, years


@require_GET
@unit_required(permissions.READ)
@reads_from_replica
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
        can_rules=unit.is_province and access.can(request.user, permissions.RULES, unit),
        can_publish=not unit.is_area and access.can(request.user, permissions.PUBLISH, unit),
        published={
            res.campaign.pk: [
                p for p in selectors.publication_list_of(res.campaign) if p.unit_id == unit.pk
            ]
            for res in report.surveys
        },
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
@reads_from_replica
def report_xlsx(request: HttpRequest, unit) -> HttpResponse:
    report = _report(request, unit)
    return xlsx_response(exports.report_workbook(report), _name(report, "xlsx"))


@require_GET
@unit_required(permissions.READ)
@reads_from_replica
def report_pdf(request: HttpRequest, unit) -> HttpResponse:
    report = _report(request, unit)
    return pdf_response(exports.report_pdf(report), _name(report, "pdf"))


@require_GET
@unit_required(permissions.READ)
@reads_from_replica
def report_csv(request: HttpRequest, unit, table: str) -> HttpResponse:
    report = _report(request, unit)
    sheet = next((s for s in exports.report_sheets(report) if s.name == table), None)
    if sheet is None:
        raise Http404
    return csv_response([sheet.header, *sheet.rows], _name(report, f"{table}.csv"))


# --- Published survey results -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, pk: int, level, code: str) -> HttpResponse:
    """Confirm, then publish a campaign's aggregate results for this unit's ground."""
    campaign, unit = survey_permissions.access_campaign_at(
        user=request.user, pk=pk, level=level, code=code, perm=permissions.PUBLISH, current=True
    )
    if unit.is_area:
        raise Http404
    results = selectors.campaign_results(campaign, unit, lang=get_language() or "vi")
    form = PublishForm(**bound(request))
    return form_page(
        request,
        "reports/publish.html",
        form,
        unit=unit,
        campaign=campaign,
        results=results,
        min_responses=survey_policy.MIN_RESPONSES.value,
        write=lambda data: services.publication_create(
            actor=request.user, campaign=campaign, unit=unit, **data
        ),
        success=_("The results are public. Anyone can read them at this address."),
    )


@login_required
@require_http_methods(["POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    publication = permissions.access_publication(user=request.user, pk=pk, perm=permissions.PUBLISH)
    form = WithdrawForm(**bound(request))
    form.is_valid()
    services.publication_withdraw(actor=request.user, publication=publication)
    unit = publication.unit
    return redirect(reverse("reports:report", args=[unit.url_prefix, unit.code]))


@require_GET
def published_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/published_list.html", items=selectors.publication_list_public())


@require_GET
def published(request: HttpRequest, pk: int, level=None, code: str | None = None) -> HttpResponse:
    """A published campaign's results, for anyone: at the publishing unit or a district or
    commune below it."""
    publication = selectors.publication_public_get(pk)
    if publication is None:
        raise Http404
    unit: Unit | None = publication.unit
    if code is not None:
        unit = unit_get(level=level, code=code)
    if unit is None:
        raise Http404
    results = selectors.published_results(publication, unit, lang=get_language() or "vi")
    if results is None and unit != publication.unit:
        raise Http404
    return render(
        request,
        "reports/published.html",
        unit=unit,
        publication=publication,
        results=results,
        min_responses=survey_policy.MIN_RESPONSES.value,
    )


# --- Emulation rules and scorecards -------------------------------------------------------------


def _plain_year(request: HttpRequest) -> int:
    raw = request.GET.get("nam", "")
    this = timezone.localdate().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this + 1 else this


@require_http_methods(["GET", "POST"])
@unit_required(permissions.RULES, level=Level.PROVINCE, current=True)
def rules(request: HttpRequest, unit) -> HttpResponse:
    """The province's emulation rules for a year: in force, their versions, a new version."""
    year = _plain_year(request)
    in_force = scorecards.rules_for(unit, year)
    form = RulesForm(**bound(request), measures=scorecards.MEASURES, rules=in_force)
    return form_page(
        request,
        "reports/rules.html",
        form,
        unit=unit,
        year=year,
        rules=in_force,
        measures=scorecards.MEASURES,
        history=scorecards.rules_history(unit, year),
        write=lambda data: services.rules_save(
            actor=request.user, province=unit, year=year, **data
        ),
        next=lambda saved: reverse("reports:rules", args=[unit.code]) + f"?nam={year}",
        success=_("The rules are saved as a new version."),
    )


@require_GET
@unit_required(permissions.SCORECARD, level=Level.AREA)
def scorecard(request: HttpRequest, unit) -> HttpResponse:
    """A head's scorecard for a year, with how it is computed."""
    year = _plain_year(request)
    province = unit.lineage()[0]
    card = scorecards.scorecard(unit, year=year, province=province)
    return render(
        request,
        "reports/scorecard.html",
        unit=unit,
        card=card,
        head=scorecards.head_of(unit),
        year=year,
        min_responses=survey_policy.MIN_RESPONSES.value,
    )


@require_GET
@unit_required(permissions.READ, level=Level.COMMUNE)
def support(request: HttpRequest, unit) -> HttpResponse:
    """The heads below the floor two years running: for the commune's officers and above only."""
    year = _plain_year(request)
    return render(
        request,
        "reports/support.html",
        unit=unit,
        year=year,
        lines=scorecards.needs_support(unit, year=year),
        rules=scorecards.rules_for(unit.lineage()[0], year),
    )
