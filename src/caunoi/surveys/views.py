"""The surveys' pages: answering (by a one-time code, or as a signed-in resident), campaigns, a
campaign's results unit by unit with their files, paper sheets and imports. Every scoped object
comes from permissions.py; every write goes through one service."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caunoi.core.codes import format_code
from caunoi.core.exceptions import ApplicationError
from caunoi.core.pages import bound, form_page, render, write_once
from caunoi.core.ratelimit import Limit, RateLimited, ip_address
from caunoi.core.responses import xlsx_response
from caunoi.people import access
from caunoi.people.access import unit_required
from caunoi.territory.models import Level

from . import exports, policy, selectors, services, xlsform
from .forms import AnswerForm, CampaignForm, CodeForm, FileForm, PaperForm
from .models import Invitation
from .permissions import (
    ENTER,
    RESULTS,
    RUN,
    access_answer,
    access_campaign,
    access_campaign_at,
    access_form,
    access_national,
    check_anywhere,
    holds_anywhere,
)

WRONG_CODES = gettext_lazy(
    "Too many wrong codes were typed from this network. Please wait up to an hour and try "
    "again; your head can check the code on your slip."
)
WRONG_SHEET_CODES = gettext_lazy(
    "Too many wrong codes were typed on this campaign's sheets in the last hour, so codes are "
    "refused for a while. Put this sheet aside and type it later."
)


def _lang() -> str:
    return (get_language() or "vi")[:2]


def _code_tries() -> Limit:
    """Wrong one-time codes from one network address (the answer pages)."""
    return Limit("surveys.code.ip", per=policy.CODE_TRIES_PER_IP.value, seconds=3600)


def _sheet_code_tries() -> Limit:
    """Wrong one-time codes typed on the paper sheets of one campaign (all its clerks)."""
    return Limit("surveys.code.campaign", per=policy.CODE_TRIES_PER_CAMPAIGN.value, seconds=3600)


def _write_once(
    request: HttpRequest, form: Any, write: Callable[[dict], Any], **kwargs: Any
) -> tuple[HttpResponse | None, ApplicationError | None]:
    """`write_once`, handing back the service's refusal too: these pages put each answer's error
    on its question (the kit puts only the refusal's message on the form) or show a page."""
    refused: list[ApplicationError] = []

    def guarded(data: dict) -> Any:
        try:
            return write(data)
        except ApplicationError as exc:
            refused.append(exc)
            raise

    response = write_once(request, form, guarded, **kwargs)
    return response, (refused[0] if refused else None)


# ------------------------------------------------------------------------------ answering online


def _invitation(request: HttpRequest, code: str) -> Invitation | None:
    """The invitation of a code typed or followed from a slip. Wrong codes are counted per
    network address; past the limit every code from there is refused for the hour (RateLimited),
    so nobody can try codes until one works."""
    tries = _code_tries()
    who = ip_address(request)
    if tries.exceeded(who):
        raise RateLimited(str(WRONG_CODES))
    invitation = services.invitation_find(code)
    if invitation is None:
        tries.hit(who, str(WRONG_CODES))
    return invitation


@require_http_methods(["GET", "POST"])
def answer_start(request):
    form = CodeForm(**bound(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        digits = "".join(ch for ch in form.cleaned_data["code"] if ch.isdigit())
        try:
            invitation = _invitation(request, digits)
        except RateLimited as exc:
            form.add_error("code", str(exc.message))
            status = exc.status
        else:
            if invitation is not None:
                return redirect("surveys:answer_code", code=digits)
            form.add_error("code", _("This code is not valid. Check the code on your slip."))
    return render(request, "surveys/answer_start.html", form=form, status=status)


@require_http_methods(["GET", "POST"])
def answer_code(request, code: str):
    try:
        invitation = _invitation(request, code)
    except RateLimited as exc:
        return render(request, "surveys/answer_done.html", refused=exc.message, status=exc.status)
    if invitation is None:
        raise Http404
    return _answer(
        request,
        invitation.campaign,
        invitation.area,
        done=invitation.used,
        submit=lambda raw, name, started: services.response_submit_code(
            code=code, raw=raw, lang=_lang(), name=name, started=started
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer_household(request, pk: int):
    """A signed-in resident answers for their household."""
    campaign, household = access_answer(user=request.user, pk=pk)
    return _answer(
        request,
        campaign,
        household.area,
        done=services.household_answered(campaign=campaign, household=household),
        submit=lambda raw, name, started: services.response_submit_household(
            campaign=campaign,
            household=household,
            raw=raw,
            lang=_lang(),
            name=name,
            started=started,
        ),
    )


def _answer(request, campaign, area, *, done: bool, submit):
    """The answer form. A double click or a retried POST (same one-time key) shows the thanks
    again instead of "already answered": the first one recorded the answers."""
    context = {"campaign": campaign, "area": area}
    if request.method != "POST" and done:
        return render(request, "surveys/answer_done.html", already=True, **context)
    if request.method != "POST" and not campaign.is_open(timezone.localdate()):
        return render(request, "surveys/answer_done.html", closed=True, **context)
    form = AnswerForm(campaign.form, _lang(), **bound(request), named=campaign.named)
    if request.method == "POST" and form.is_valid():
        response, refused = _write_once(
            request,
            form,
            lambda data: submit(form.raw(), data.get("respondent_name", ""), form.opened_time()),
            next=reverse("surveys:answer_thanks"),
        )
        if response is not None:
            return response
        if isinstance(refused, services.AnswersInvalid):
            form.add_errors(refused.errors)
        elif refused is not None:  # closed, or already answered
            return render(
                request,
                "surveys/answer_done.html",
                refused=refused.message,
                status=refused.status,
                **context,
            )
    return render(request, "surveys/answer.html", form=form, **context)


@require_GET
def answer_thanks(request):
    return render(request, "surveys/answer_done.html", thanks=True)


# ------------------------------------------------------------------------------------ campaigns


@login_required
@require_GET
def campaign_list(request):
    return render(
        request,
        "surveys/campaign_list.html",
        campaigns=selectors.campaign_list(request.user),
        grounds=list(selectors.campaign_grounds(request.user)),
        can_import_form=holds_anywhere(request.user, RUN),
    )


@unit_required(RUN, current=True)
@require_http_methods(["GET", "POST"])
def campaign_new(request, unit):
    services.form_builtin()  # the article's form is always there to choose
    form = CampaignForm(**bound(request))
    return form_page(
        request,
        "surveys/campaign_new.html",
        form,
        unit=unit,
        write=lambda data: services.campaign_create(actor=request.user, unit=unit, **data),
        success=lambda campaign: (
            _("The campaign “%(title)s” was opened.") % {"title": campaign.title}
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def form_import(request):
    check_anywhere(request.user, RUN)
    form = FileForm(**bound(request, files=True))
    return form_page(
        request,
        "surveys/form_import.html",
        form,
        write=lambda data: services.form_import(actor=request.user, data=data["file"].read()),
        next=reverse("surveys:campaigns"),
        success=lambda survey: (
            _("The form “%(title)s” was imported with %(n)s questions.")
            % {"title": survey.title, "n": len(survey.questions)}
        ),
        forms=selectors.form_list(),
    )


@login_required
@require_GET
def form_export(request, pk: int):
    survey = access_form(user=request.user, pk=pk, perm=RESULTS)
    name = survey.definition.get("form_id") or f"form-{survey.pk}"
    return xlsx_response(xlsform.write_workbook(survey.definition), f"{name}.xlsx")


@login_required
@require_GET
def campaign_detail(request, pk: int):
    """A campaign opens at the reader's own place in it."""
    campaign = access_campaign(user=request.user, pk=pk, perm=RESULTS)
    unit = selectors.campaign_start_unit(campaign, request.user)
    if unit is None:
        return redirect("surveys:results_national", pk=pk)
    return redirect("surveys:results", pk=pk, level=unit.url_prefix, code=unit.code)


# -------------------------------------------------------------------------------------- results


@login_required
@require_GET
def results(request, pk: int, level: Level, code: str):
    campaign, unit = access_campaign_at(
        user=request.user, pk=pk, level=level, code=code, perm=RESULTS
    )
    return render(
        request,
        "surveys/results.html",
        unit=unit,
        campaign=campaign,
        res=selectors.campaign_results(campaign, unit, lang=_lang()),
        can_run=access.can(request.user, RUN, unit),
        can_enter=access.can(request.user, ENTER, unit),
        min_responses=policy.MIN_RESPONSES.value,
        rules=[policy.MIN_RESPONSES],
    )


@login_required
@require_GET
def results_national(request, pk: int):
    campaign = access_national(user=request.user, pk=pk, perm=RESULTS)
    return render(
        request,
        "surveys/results.html",
        campaign=campaign,
        unit=None,
        res=selectors.campaign_results(campaign, None, lang=_lang()),
        can_run=False,
        can_enter=False,
        min_responses=policy.MIN_RESPONSES.value,
        rules=[policy.MIN_RESPONSES],
    )


@login_required
@require_GET
def results_xlsx(request, pk: int, level: Level, code: str):
    campaign, unit = access_campaign_at(
        user=request.user, pk=pk, level=level, code=code, perm=RESULTS
    )
    workbook = exports.results_workbook(selectors.campaign_results(campaign, unit, lang=_lang()))
    return xlsx_response(workbook, f"ket-qua-{campaign.pk}-{unit.code}.xlsx")


@login_required
@require_GET
def responses_xlsx(request, pk: int, level: Level, code: str):
    """Every response of a unit, for those who run the campaign there (not for heads)."""
    campaign, unit = access_campaign_at(user=request.user, pk=pk, level=level, code=code, perm=RUN)
    workbook = exports.responses_workbook(
        campaign, selectors.response_rows(campaign, unit), _lang()
    )
    return xlsx_response(workbook, f"phieu-{campaign.pk}-{unit.code}.xlsx")


@login_required
@require_GET
def report(request, pk: int, level: Level, code: str):
    """The printable report (HTML, printed from the browser on A4)."""
    campaign, unit = access_campaign_at(
        user=request.user, pk=pk, level=level, code=code, perm=RESULTS
    )
    res = selectors.campaign_results(campaign, unit, lang=_lang())
    return render(request, "surveys/report.html", unit=unit, campaign=campaign, res=res)


@login_required
@require_GET
def compare(request, pk: int):
    """Two communes of the campaign side by side (`?a=` and `?b=`: their codes)."""
    campaign, a = access_campaign_at(
        user=request.user, pk=pk, level=Level.COMMUNE, code=request.GET.get("a", ""), perm=RESULTS
    )
    campaign, b = access_campaign_at(
        user=request.user, pk=pk, level=Level.COMMUNE, code=request.GET.get("b", ""), perm=RESULTS
    )
    rows = selectors.campaign_compare(campaign, a, b, lang=_lang())
    return render(
        request, "surveys/compare.html", unit=a.parent, campaign=campaign, a=a, b=b, rows=rows
    )


# ----------------------------------------------------------------------------- codes, paper, import


@login_required
@require_POST
def codes(request, pk: int, code: str):
    """New one-time codes for the households of an area, shown once for printing. Not behind a
    submission key: the slips cannot be shown again (only the codes' hashes are kept)."""
    campaign, area = access_campaign_at(
        user=request.user, pk=pk, level=Level.AREA, code=code, perm=RUN, current=True
    )
    try:
        issued = services.invitations_issue(actor=request.user, campaign=campaign, area=area)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("surveys:results", pk=pk, level=Level.AREA, code=code)
    slips = [
        {
            "household": h,
            "code": format_code(c),
            "url": request.build_absolute_uri(reverse("surveys:answer_code", args=[c])),
        }
        for h, c in issued
    ]
    response = render(request, "surveys/codes.html", unit=area, campaign=campaign, slips=slips)
    response["Cache-Control"] = "no-store"
    return response


def _paper_saved(request, sheet: str, result: services.PaperResult) -> None:
    if result.state == "counted":
        messages.success(request, _("Sheet %(sheet)s is counted. Next sheet.") % {"sheet": sheet})
    elif result.state == "waiting":
        messages.success(
            request,
            _("Sheet %(sheet)s is saved; it counts once typed a second time.") % {"sheet": sheet},
        )
    else:
        messages.error(
            request,
            _(
                "Sheet %(sheet)s differs from its first typing in: %(names)s. "
                "Check the paper and type it again."
            )
            % {"sheet": sheet, "names": ", ".join(result.differences)},
        )


@login_required
@require_http_methods(["GET", "POST"])
def paper(request, pk: int, level: Level, code: str):
    campaign, ground = access_campaign_at(
        user=request.user, pk=pk, level=level, code=code, perm=ENTER, current=True
    )
    head = PaperForm(**bound(request), prefix="p")
    answers = AnswerForm(campaign.form, _lang(), **bound(request))
    status = 200
    if request.method == "POST" and head.is_valid():
        tries, key = _sheet_code_tries(), str(campaign.pk)
        if head.cleaned_data["code"].strip() and tries.exceeded(key):
            head.add_error("code", WRONG_SHEET_CODES)
            status = RateLimited.status
        else:
            saved: list[services.PaperResult] = []

            def write(data: dict) -> services.PaperResult:
                saved.append(
                    services.paper_enter(
                        actor=request.user,
                        campaign=campaign,
                        sheet=data["sheet"],
                        area_code=data["area"],
                        code=data["code"],
                        raw=answers.raw(),
                        lang=_lang(),
                        within=ground,
                    )
                )
                return saved[-1]

            response, refused = _write_once(request, head, write, next=request.path)
            if response is not None:
                if saved:  # (a replayed POST lands on the page without a second message)
                    _paper_saved(request, head.cleaned_data["sheet"], saved[0])
                return response
            if isinstance(refused, services.AnswersInvalid):
                errors = dict(refused.errors)
                for name in ("sheet", "area", "code"):
                    if name in errors:
                        head.add_error(name, errors.pop(name))
                answers.is_valid()
                answers.add_errors(errors)
                if "code" in refused.errors:
                    tries.add(key)  # counted outside the refused sheet's rolled-back transaction
    return render(
        request,
        "surveys/paper.html",
        unit=ground,
        status=status,
        campaign=campaign,
        ground=ground,
        head=head,
        form=answers,
        pending=selectors.paper_entry_pending(campaign, ground),
        rules=[policy.CODE_TRIES_PER_CAMPAIGN],
    )


@login_required
@require_http_methods(["GET", "POST"])
def responses_import(request, pk: int, level: Level, code: str):
    campaign, ground = access_campaign_at(
        user=request.user, pk=pk, level=level, code=code, perm=RUN, current=True
    )
    form = FileForm(**bound(request, files=True))
    report = None
    if request.method == "POST" and form.is_valid():
        response, refused = _write_once(
            request,
            form,
            lambda data: services.responses_import(
                actor=request.user,
                campaign=campaign,
                data=data["file"].read(),
                filename=data["file"].name,
                lang=_lang(),
                within=ground,
            ),
            next=reverse("surveys:results", args=[pk, level, code]),
            success=lambda done: _("%(n)s responses were imported.") % {"n": done.created},
        )
        if response is not None:
            return response
        report = getattr(refused, "report", None)
    return render(
        request,
        "surveys/import.html",
        unit=ground,
        campaign=campaign,
        ground=ground,
        form=form,
        report=report,
    )


@login_required
@require_GET
def import_template(request, pk: int):
    campaign = access_campaign(user=request.user, pk=pk, perm=RUN)
    return xlsx_response(exports.import_template(campaign), f"mau-nhap-{campaign.pk}.xlsx")
