import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caunoi.core.exceptions import ApplicationError
from caunoi.core.submissions import submission_claim, submission_done
from caunoi.people import access
from caunoi.people.models import Mandate, Role
from caunoi.territory import selectors as territory
from caunoi.territory.models import Level, Unit

from . import exports, selectors, services, xlsform
from .forms import AnswerForm, CampaignForm, CodeForm, FileForm, PaperForm
from .models import Campaign, Form
from .permissions import ENTER, RESULTS, RUN

PREFIX_LEVEL = {
    "tinh": Level.PROVINCE,
    "huyen": Level.DISTRICT,
    "xa": Level.COMMUNE,
    "khu": Level.AREA,
}


def _lang() -> str:
    return (get_language() or "vi")[:2]


def _render(request, template, node, **context):
    context["ancestors"] = [*territory.unit_ancestors(node), node] if node is not None else []
    return render(request, template, context)


def _campaign(request, pk: int) -> tuple[Campaign, access.Access]:
    """The campaign when its territory meets the user's ground for results; 404 otherwise."""
    campaign = Campaign.objects.select_related("unit", "form").filter(pk=pk).first()
    acc = access.Access.for_user(request.user)
    if campaign is None:
        raise Http404
    scope = campaign.scope_path
    if any(p.startswith(scope) or scope.startswith(p) for p in acc.paths(RESULTS)):
        return campaign, acc
    raise Http404


def _unit_in(campaign: Campaign, user, prefix: str, code: str, perm=RESULTS) -> Unit:
    unit = access.access_unit(user=user, level=PREFIX_LEVEL[prefix], code=code, perm=perm)
    if not unit.path.startswith(campaign.scope_path):
        raise Http404
    return unit


def _home_unit(campaign: Campaign, acc: access.Access) -> Unit | None:
    """Where the user's results start: the campaign's territory, or their own ground inside it
    (None: the whole country)."""
    paths = acc.paths(RESULTS)
    if "" in paths and campaign.unit is None:
        return None
    if campaign.unit is not None and acc.can(RESULTS, campaign.unit):
        return campaign.unit
    paths = [p for p in paths if p and p.startswith(campaign.scope_path)]
    unit_id = int(sorted(paths, key=len)[0].strip("/").split("/")[-1])
    return Unit.objects.get(pk=unit_id)


# ------------------------------------------------------------------------------ answering online


@require_http_methods(["GET", "POST"])
def answer_start(request):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        digits = "".join(ch for ch in form.cleaned_data["code"] if ch.isdigit())
        if services.invitation_find(digits) is not None:
            return redirect("surveys:answer_code", code=digits)
        form.add_error("code", _("This code is not valid. Check the code on your slip."))
    return render(request, "surveys/answer_start.html", {"form": form})


@require_http_methods(["GET", "POST"])
def answer_code(request, code: str):
    invitation = services.invitation_find(code)
    if invitation is None:
        raise Http404
    campaign = invitation.campaign
    return _answer(
        request,
        campaign,
        invitation.area,
        done=invitation.used,
        submit=lambda raw, name: services.response_submit_code(
            code=code, raw=raw, lang=_lang(), name=name
        ),
    )


@require_http_methods(["GET", "POST"])
def answer_household(request, pk: int):
    """A signed-in resident answers for their household."""
    campaign = get_object_or_404(Campaign.objects.select_related("unit", "form"), pk=pk)
    mandate = (
        Mandate.objects.active()
        .filter(person=request.user.pk, role=Role.RESIDENT, household__isnull=False)
        .select_related("household__area__parent")
        .filter(household__area__path__startswith=campaign.scope_path)
        .first()
        if request.user.is_authenticated
        else None
    )
    if mandate is None:
        raise Http404
    household = mandate.household
    return _answer(
        request,
        campaign,
        household.area,
        done=services.household_answered(campaign=campaign, household=household),
        submit=lambda raw, name: services.response_submit_household(
            campaign=campaign, household=household, raw=raw, lang=_lang(), name=name
        ),
    )


def _answer(request, campaign, area, *, done: bool, submit):
    context = {"campaign": campaign, "area": area}
    thanks = reverse("surveys:answer_thanks")
    if request.method != "POST" and done:
        return render(request, "surveys/answer_done.html", {**context, "already": True})
    if request.method != "POST" and not campaign.is_open(timezone.localdate()):
        return render(request, "surveys/answer_done.html", {**context, "closed": True})
    form = AnswerForm(campaign.form, _lang(), request.POST or None, named=campaign.named)
    if request.method == "POST":
        try:
            # A double click or a retried POST (same one-time form key) shows the thanks again
            # instead of "already answered"; the first one recorded the answers.
            with transaction.atomic():
                sub, first = submission_claim(key=request.POST.get("submission"), actor=None)
                if not first:
                    return redirect(sub.result_url or thanks)
                submit(form.raw(), request.POST.get("respondent_name", ""))
                submission_done(sub, url=thanks)
        except services.AnswersInvalid as exc:
            form.is_valid()
            form.add_errors(exc.errors)
        except ApplicationError as exc:
            return render(
                request,
                "surveys/answer_done.html",
                {**context, "refused": exc.message},
                status=exc.status,
            )
        else:
            return redirect("surveys:answer_thanks")
    return render(request, "surveys/answer.html", {**context, "form": form})


@require_GET
def answer_thanks(request):
    return render(request, "surveys/answer_done.html", {"thanks": True})


# ------------------------------------------------------------------------------------ campaigns


@require_GET
def campaign_list(request):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('people:signin')}?next={request.path}")
    acc = access.Access.for_user(request.user)
    grounds = [
        u
        for u in Unit.objects.filter(id__in=_ids(acc.paths(RUN)), level__lt=Level.AREA).order_by(
            "level", "code"
        )
    ]
    return render(
        request,
        "surveys/campaign_list.html",
        {
            "campaigns": selectors.campaigns_visible(request.user),
            "grounds": grounds,
            "can_import_form": bool(grounds),
        },
    )


def _ids(paths):
    return [int(p.strip("/").split("/")[-1]) for p in paths if p.strip("/")]


@require_http_methods(["GET", "POST"])
def campaign_new(request, prefix: str, code: str):
    unit = access.access_unit(user=request.user, level=PREFIX_LEVEL[prefix], code=code, perm=RUN)
    if not Form.objects.filter(builtin=True).exists():
        services.form_builtin()
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, unit=unit, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("The campaign “%(title)s” was opened.") % {"title": campaign.title}
            )
            return redirect("surveys:campaign", pk=campaign.pk)
    return _render(request, "surveys/campaign_new.html", unit, unit=unit, form=form)


@require_http_methods(["GET", "POST"])
def form_import(request):
    acc = access.Access.for_user(request.user)
    if not request.user.is_authenticated:
        raise Http404
    if not acc.paths(RUN):
        raise PermissionDenied
    form = FileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.form_import(actor=request.user, data=form.cleaned_data["file"].read())
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(
                request,
                _("The form “%(title)s” was imported with %(n)s questions.")
                % {"title": survey.title, "n": len(survey.questions)},
            )
            return redirect("surveys:campaigns")
    return render(request, "surveys/form_import.html", {"form": form, "forms": Form.objects.all()})


@require_GET
def form_export(request, pk: int):
    if not request.user.is_authenticated or not access.Access.for_user(request.user).paths(RESULTS):
        raise Http404
    survey = get_object_or_404(Form, pk=pk)
    response = HttpResponse(
        xlsform.write_workbook(survey.definition),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = survey.definition.get("form_id") or f"form-{survey.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@require_GET
def campaign_detail(request, pk: int):
    campaign, acc = _campaign(request, pk)
    unit = _home_unit(campaign, acc)
    if unit is None:
        return redirect("surveys:results_national", pk=pk)
    return redirect("surveys:results", pk=pk, prefix=unit.url_prefix, code=unit.code)


@require_GET
def results(request, pk: int, prefix: str, code: str):
    campaign, acc = _campaign(request, pk)
    unit = _unit_in(campaign, request.user, prefix, code)
    res = selectors.results(campaign, unit, lang=_lang())
    return _render(
        request,
        "surveys/results.html",
        unit,
        campaign=campaign,
        unit=unit,
        res=res,
        can_run=acc.can(RUN, unit),
        can_enter=acc.can(ENTER, unit),
        is_area=unit.level == Level.AREA,
    )


@require_GET
def results_national(request, pk: int):
    campaign, acc = _campaign(request, pk)
    if campaign.unit_id is not None:
        raise Http404
    if "" not in acc.paths(RESULTS):
        raise PermissionDenied
    res = selectors.results(campaign, None, lang=_lang())
    return _render(
        request,
        "surveys/results.html",
        None,
        campaign=campaign,
        unit=None,
        res=res,
        can_run=False,
        can_enter=False,
        is_area=False,
    )


@require_GET
def results_xlsx(request, pk: int, prefix: str, code: str):
    campaign, _acc = _campaign(request, pk)
    unit = _unit_in(campaign, request.user, prefix, code)
    data = exports.results_workbook(selectors.results(campaign, unit, lang=_lang()))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="ket-qua-{campaign.pk}-{unit.code}.xlsx"'
    )
    return response


@require_GET
def responses_xlsx(request, pk: int, prefix: str, code: str):
    """Every response of a unit, for those who run the campaign there (not for heads)."""
    campaign, _acc = _campaign(request, pk)
    unit = _unit_in(campaign, request.user, prefix, code, perm=RUN)
    data = exports.responses_workbook(campaign, selectors.responses_rows(campaign, unit), _lang())
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="phieu-{campaign.pk}-{unit.code}.xlsx"'
    return response


@require_GET
def report(request, pk: int, prefix: str, code: str):
    campaign, _acc = _campaign(request, pk)
    unit = _unit_in(campaign, request.user, prefix, code)
    res = selectors.results(campaign, unit, lang=_lang())
    return render(request, "surveys/report.html", {"campaign": campaign, "unit": unit, "res": res})


@require_GET
def compare(request, pk: int):
    campaign, _acc = _campaign(request, pk)
    a = request.GET.get("a", "")
    b = request.GET.get("b", "")
    ua = _unit_in(campaign, request.user, "xa", a)
    ub = _unit_in(campaign, request.user, "xa", b)
    rows = selectors.compare(campaign, ua, ub, lang=_lang())
    return _render(
        request, "surveys/compare.html", ua.parent, campaign=campaign, a=ua, b=ub, rows=rows
    )


@require_POST
def codes(request, pk: int, code: str):
    campaign, _acc = _campaign(request, pk)
    area = _unit_in(campaign, request.user, "khu", code, perm=RUN)
    try:
        issued = services.invitations_issue(actor=request.user, campaign=campaign, area=area)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("surveys:results", pk=pk, prefix="khu", code=code)
    slips = [
        {
            "household": h,
            "code": services.format_code(c),
            "url": request.build_absolute_uri(reverse("surveys:answer_code", args=[c])),
        }
        for h, c in issued
    ]
    response = _render(
        request, "surveys/codes.html", area, campaign=campaign, area=area, slips=slips
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def paper(request, pk: int, prefix: str, code: str):
    campaign, acc = _campaign(request, pk)
    ground = _unit_in(campaign, request.user, prefix, code, perm=ENTER)
    head = PaperForm(request.POST or None, prefix="p")
    answers = AnswerForm(campaign.form, _lang(), request.POST or None)
    if request.method == "POST" and head.is_valid():
        try:
            result = services.paper_enter(
                actor=request.user,
                campaign=campaign,
                sheet=head.cleaned_data["sheet"],
                area_code=head.cleaned_data["area"],
                code=head.cleaned_data["code"],
                raw=answers.raw(),
                lang=_lang(),
                allowed=lambda area: area.path.startswith(ground.path),
            )
        except services.AnswersInvalid as exc:
            answers.is_valid()
            for name in ("sheet", "area", "code"):
                if name in exc.errors:
                    head.add_error(name, exc.errors.pop(name))
            answers.add_errors(exc.errors)
        except ApplicationError as exc:
            head.add_error(None, exc.message)
        else:
            sheet = head.cleaned_data["sheet"]
            if result.state == "counted":
                messages.success(
                    request, _("Sheet %(sheet)s is counted. Next sheet.") % {"sheet": sheet}
                )
            elif result.state == "waiting":
                messages.success(
                    request,
                    _("Sheet %(sheet)s is saved; it counts once typed a second time.")
                    % {"sheet": sheet},
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
            return redirect(request.path)
    return _render(
        request,
        "surveys/paper.html",
        ground,
        campaign=campaign,
        ground=ground,
        head=head,
        form=answers,
        pending=selectors.paper_pending(campaign, ground),
    )


@require_http_methods(["GET", "POST"])
def responses_import(request, pk: int, prefix: str, code: str):
    campaign, acc = _campaign(request, pk)
    ground = _unit_in(campaign, request.user, prefix, code, perm=RUN)
    form = FileForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            report = services.responses_import(
                actor=request.user,
                campaign=campaign,
                data=f.read(),
                filename=f.name,
                lang=_lang(),
                allowed=lambda area: area.path.startswith(ground.path),
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            if report.ok:
                messages.success(
                    request, _("%(n)s responses were imported.") % {"n": report.created}
                )
                return redirect("surveys:results", pk=pk, prefix=prefix, code=code)
    return _render(
        request,
        "surveys/import.html",
        ground,
        campaign=campaign,
        ground=ground,
        form=form,
        report=report,
    )


@require_GET
def import_template(request, pk: int):
    campaign, _acc = _campaign(request, pk)
    data = exports.import_template(campaign)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{campaign.pk}.xlsx"'
    return response


__all__ = ["io"]
