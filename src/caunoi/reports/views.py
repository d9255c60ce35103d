"""The province's report of a unit (province, district, commune, area) and a year."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from caunoi.core.pagecache import public_page
from caunoi.core.pages import bound, button_post, form_page, paginate, render
from caunoi.core.params import db_id, whole_number
from caunoi.core.replica import reads_from_replica
from caunoi.core.responses import csv_response, pdf_response, xlsx_response
from caunoi.people import access
from caunoi.people.access import unit_required
from caunoi.surveys import permissions as survey_permissions
from caunoi.surveys import policy as survey_policy
from caunoi.territory.models import Level, Unit
from caunoi.territory.selectors import unit_get

from . import exports, figures, permissions, scorecards, selectors, services
from .forms import PublishForm, RulesForm


def _asked_year(request: HttpRequest) -> int | None:
    """The year typed in `?nam=`, or None when it is no whole number ("²", "-1", "abc")."""
    return whole_number(request.GET.get("nam", ""))


def _year(request: HttpRequest, unit: Unit | None) -> tuple[int, list[int]]:
    years = selectors.report_years(unit)
    year = _asked_year(request)
    return (year if year in years else years[0]), years


def _page(request: HttpRequest, unit: Unit | None, **context: Any) -> HttpResponse:
    """The report page of `unit` (None: the national report), read from its stored figures."""
    year, years = _year(request, unit)
    sort = request.GET.get("xep", "")[:80]
    stored = figures.report_read(unit, year=year, lang=get_language() or "vi", sort=sort)
    report = stored.report
    report.years = years
    published = {  # a unit's live publications of the surveys on its report
        res.campaign.pk: [
            p for p in selectors.publication_list_of(res.campaign) if p.unit_id == unit.pk
        ]
        for res in report.surveys
        if unit is not None
    }
    return render(
        request,
        "reports/report.html",
        unit=report.unit,
        published=published,
        report=report,
        stored=stored,
        sheets=exports.report_sheets(report),
        sort=sort,
        min_responses=survey_policy.MIN_RESPONSES.value,
        **context,
    )


@require_GET
@unit_required(permissions.READ)
@reads_from_replica
def report(request: HttpRequest, unit) -> HttpResponse:
    return _page(
        request,
        unit,
        can_rules=unit.is_province and access.can(request.user, permissions.RULES, unit),
        can_national=unit.is_province
        and access.Access.for_user(request.user).holds_everywhere(permissions.READ),
        can_publish=not unit.is_area and access.can(request.user, permissions.PUBLISH, unit),
    )


def _report(request: HttpRequest, unit: Unit | None) -> selectors.Report:
    year, years = _year(request, unit)
    report = figures.report_read(unit, year=year, lang=get_language() or "vi").report
    report.years = years
    return report


def _name(report: selectors.Report, ext: str) -> str:
    unit = report.unit
    where = "ca-nuoc" if isinstance(unit, selectors.Nation) else f"{unit.url_prefix}-{unit.code}"
    return f"bao-cao-{report.year}-{where}.{ext}"


def _export(request: HttpRequest, unit: Unit | None, fmt: str, table: str = "") -> HttpResponse:
    """The whole report as xlsx or pdf, or one of its tables as csv (None: the national one)."""
    report = _report(request, unit)
    if fmt == "xlsx":
        return xlsx_response(exports.report_workbook(report), _name(report, "xlsx"))
    if fmt == "pdf":
        return pdf_response(exports.report_pdf(report), _name(report, "pdf"))
    sheet = next((s for s in exports.report_sheets(report) if s.name == table), None)
    if sheet is None:
        raise Http404
    return csv_response([sheet.header, *sheet.rows], _name(report, f"{table}.csv"))


@require_GET
@unit_required(permissions.READ)
@reads_from_replica
def report_xlsx(request: HttpRequest, unit) -> HttpResponse:
    return _export(request, unit, "xlsx")


@require_GET
@unit_required(permissions.READ)
@reads_from_replica
def report_pdf(request: HttpRequest, unit) -> HttpResponse:
    return _export(request, unit, "pdf")


@require_GET
@unit_required(permissions.READ)
@reads_from_replica
def report_csv(request: HttpRequest, unit, table: str) -> HttpResponse:
    return _export(request, unit, "csv", table)


# --- The national report (every province: the tree's top is the province) ---------------------


def _national(request: HttpRequest) -> None:
    """Only for those who read reports over the whole country (a system administrator); 403 for
    everyone else signed in (a province's officer reads their own province's)."""
    permissions.check_national(request.user)


@login_required
@require_GET
@reads_from_replica
def national_report(request: HttpRequest) -> HttpResponse:
    _national(request)
    return _page(request, None, ancestors=[], national=True)


@login_required
@require_GET
@reads_from_replica
def national_export(request: HttpRequest, fmt: str, table: str = "") -> HttpResponse:
    _national(request)
    return _export(request, None, fmt, table)


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
    unit = publication.unit
    return button_post(
        request,
        lambda: services.publication_withdraw(actor=request.user, publication=publication),
        back=reverse("reports:report", args=[unit.url_prefix, unit.code]),
        success=_("The published results are withdrawn."),
    )


@require_GET
def published_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/published_list.html", items=selectors.publication_list_public())


@require_GET
@public_page(selectors.published_page_unit)
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
    year = _asked_year(request)
    this = timezone.localdate().year
    return year if year is not None and 2000 <= year <= this + 1 else this


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


# --- Commendation of heads ----------------------------------------------------------------------


def _default_commend_year() -> int:
    """Last year while its proposals are still in time, else this year (its year-end meeting)."""
    today = timezone.localdate()
    last = today.year - 1
    return last if today <= services.propose_deadline(last) else today.year


def _awards(commune: Unit) -> list[tuple[str, Any]]:
    from .models import Award

    has_district = any(u.level == Level.DISTRICT for u in commune.lineage())
    return [(v, label) for v, label in Award.choices if v != Award.DISTRICT or has_district]


@require_GET
@unit_required(permissions.COMMEND_READ)
def commendations(request: HttpRequest, unit) -> HttpResponse:
    """A commune's proposals (or those under a district or province), with their deadlines, the
    late steps flagged, and the reminders of deadlines near."""
    from . import reminders

    proposals = selectors.proposal_list(unit)
    communes = (
        [unit.pk]
        if unit.is_commune
        else sorted(set(proposals.order_by().values_list("commune_id", flat=True)))
    )
    page = paginate(request, proposals)
    return render(
        request,
        "reports/commendations.html",
        unit=unit,
        proposals=page.object_list,
        page=page,
        reminders=list(reminders.reminders_for(communes)[:50]),
        can_propose=unit.is_commune
        and unit.is_current
        and access.can(request.user, permissions.COMMEND_PROPOSE, unit),
        propose_by=services.propose_deadline(_default_commend_year()),
        year=_default_commend_year(),
        rules=_commend_rules(),
    )


def _commend_rules():
    from . import policy

    return policy.RULES


@require_http_methods(["GET", "POST"])
@unit_required(permissions.COMMEND_PROPOSE, level=Level.COMMUNE, current=True)
def propose(request: HttpRequest, unit) -> HttpResponse:
    """The commune proposes heads with their scorecards and a reason for each."""
    from .forms import ProposeForm

    asked = _asked_year(request)
    this = timezone.localdate().year
    year = asked if asked is not None and this - 2 <= asked <= this else _default_commend_year()
    candidates = selectors.commendation_candidates(unit, year=year)
    form = ProposeForm(**bound(request), candidates=candidates, awards=_awards(unit))
    return form_page(
        request,
        "reports/propose.html",
        form,
        unit=unit,
        year=year,
        years=[this, this - 1, this - 2],
        candidates=candidates,
        propose_by=services.propose_deadline(year),
        rules=_commend_rules(),
        write=lambda data: services.proposal_create(
            actor=request.user, commune=unit, year=year, **data
        ),
        success=_("The proposal is sent to the deciding level."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """A proposal: each head's evidence and reason; the deciding level's form; the commune's
    amendments to returned lines; the decision's documents once issued."""
    from caunoi.core.pages import write_once

    from .forms import AmendForm, DecideForm
    from .models import Proposal, ProposalLine

    item = permissions.access_proposal(user=request.user, pk=pk)
    lines = selectors.proposal_line_list(item)
    can_decide = permissions.can_decide(request.user, item)
    can_amend = item.commune.is_current and access.can(
        request.user, permissions.COMMEND_PROPOSE, item.commune
    )
    waiting = [line for line in lines if line.state == ProposalLine.State.PROPOSED]
    what = request.POST.get("what") if request.method == "POST" else None
    if what == "decide" and not can_decide:
        raise PermissionDenied
    if what == "amend" and not can_amend:
        raise PermissionDenied
    decide = DecideForm(**(bound(request) if what == "decide" else {}), lines=waiting)
    amend = AmendForm(**(bound(request) if what == "amend" else {}))
    if what == "decide" and decide.is_valid():
        response = write_once(
            request,
            decide,
            lambda d: services.proposal_decide(
                actor=request.user, proposal=item, decisions=d["decisions"]
            ),
            next=request.path,
            success=_("The decision is recorded."),
        )
        if response is not None:
            return response
    if what == "amend" and amend.is_valid():
        line = next((x for x in lines if x.pk == amend.cleaned_data["line"]), None)
        if line is None:
            raise Http404
        response = write_once(
            request,
            amend,
            lambda d: services.line_amend(
                actor=request.user, line=line, reason=d["reason"], because=d["because"]
            ),
            next=request.path,
            success=_("The line is amended and proposed again."),
        )
        if response is not None:
            return response
    return render(
        request,
        "reports/proposal.html",
        unit=item.commune,
        proposal=item,
        lines=lines,
        decide=decide if can_decide and item.state == Proposal.State.PENDING and waiting else None,
        amend=amend,
        can_amend=can_amend,
        decider=permissions.deciding_unit(item),
    )


@login_required
@require_GET
def decision(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    from caunoi.core.responses import docx_response

    from . import documents
    from .models import Proposal

    if fmt not in ("pdf", "docx"):
        raise Http404
    item = permissions.access_proposal(user=request.user, pk=pk)
    if item.state != Proposal.State.DECIDED:
        raise Http404
    name = f"quyet-dinh-khen-thuong-{item.year}-{item.commune.code}"
    if fmt == "pdf":
        return pdf_response(documents.decision_pdf(item), f"{name}.pdf")
    return docx_response(documents.decision_docx(item), f"{name}.docx")


@require_http_methods(["GET", "POST"])
@unit_required(permissions.COMMEND_OWN, level=Level.AREA)
def own_commendations(request: HttpRequest, unit) -> HttpResponse:
    """The head's own proposals and commendations, and their consent to show them publicly."""
    from caunoi.core.pages import write_once

    from .forms import ConsentForm

    lines = selectors.own_line_list(request.user, unit)
    form = ConsentForm(**bound(request))
    if request.method == "POST" and form.is_valid():
        pk = db_id(request.POST.get("line", ""))
        if pk is None:
            raise Http404
        line = permissions.access_own_line(user=request.user, pk=pk)
        if line.area_id != unit.pk:  # one's own line, but proposed for another area
            raise Http404
        response = write_once(
            request,
            form,
            lambda d: services.line_consent(actor=request.user, line=line, public=d["public"]),
            next=request.path,
            success=_("Your choice is saved."),
        )
        if response is not None:
            return response
    return render(request, "reports/own_commendations.html", unit=unit, lines=lines, form=form)
