"""Pages of the community funds. Public (no sign-in): the area's funds, each fund's ledger and
statements, the poster, receipts by their link, invoices of approved expenses. Keepers record;
a second keeper approves; the inspection board and the officers above read everything."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caunoi.core.exceptions import ApplicationError
from caunoi.core.submissions import submission_claim, submission_done
from caunoi.people import access
from caunoi.territory import selectors as territory
from caunoi.territory.models import Level

from . import exports, selectors, services, vietqr
from . import permissions as perms
from .forms import (
    CampaignForm,
    ContributionForm,
    CoverForm,
    DecisionForm,
    ExemptionForm,
    ExpenseForm,
    FundForm,
    IncomeForm,
    PeriodForm,
    RejectForm,
    ReverseForm,
)
from .models import Expense

ENTRIES_PER_PAGE = 50
PREFIX_LEVEL = {"tinh": Level.PROVINCE, "huyen": Level.DISTRICT, "xa": Level.COMMUNE}


def _render(request, template, area, **context):
    context["ancestors"] = [*territory.unit_ancestors(area), area]
    context.setdefault("area", area)
    return render(request, template, context)


def _public_area(code: str):
    area = territory.unit_get(level=Level.AREA, code=code)
    if area is None:
        raise Http404
    return area


def _area(request, code: str, perm: str):
    return access.access_unit(user=request.user, level=Level.AREA, code=code, perm=perm)


def _fund(area, pk):
    fund = selectors.fund_get(area=area, pk=pk)
    if fund is None:
        raise Http404
    return fund


def _bound(request, files=False):
    if request.method != "POST":
        return ()
    return (request.POST, request.FILES) if files else (request.POST,)


def _form_error(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _can(request, perm, unit) -> bool:
    return access.Access.for_user(request.user).can(perm, unit)


def _write(request, form, write, *, fallback: str):
    """Run `write()` once per submission key (a double click or a retried POST lands on what the
    first one made); ValidationError and ApplicationError go back onto the form."""
    try:
        with transaction.atomic():
            sub, first = submission_claim(
                key=form.cleaned_data.get("submission"), actor=request.user
            )
            if not first:
                return redirect(sub.result_url or fallback), None
            obj, url = write()
            submission_done(sub, url=url)
    except ValidationError as exc:
        _form_error(form, exc)
        return None, None
    except ApplicationError as exc:
        form.add_error(None, str(exc.message))
        return None, None
    return redirect(url), obj


def _form_page(request, area, form, write, *, fallback, success, template="funds/form.html", **ctx):
    """A form page: on a valid POST, `write(data)` (→ object, url) runs once per submission key,
    `success(object)` is the message and the browser goes to the url; otherwise the form again."""
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "submission"}
        response, obj = _write(request, form, lambda: write(data), fallback=fallback)
        if response:
            if obj:
                messages.success(request, success(obj))
            return response
    return _render(request, template, area, form=form, **ctx)


# ------------------------------------------------------------------------------------- public


@require_GET
def area_funds(request, code: str):
    area = _public_area(code)
    funds = list(selectors.area_funds(area))
    verdicts = selectors.verify_funds(funds)
    return _render(
        request,
        "funds/area_funds.html",
        area,
        funds=[(f, verdicts[f.pk]) for f in funds],
        decisions=selectors.area_decisions(area),
        can_record=area.is_current and _can(request, perms.RECORD, area),
        household=selectors.household_of_user(request.user, area),
    )


@require_GET
def fund_detail(request, code: str, pk: int):
    area = _public_area(code)
    fund = _fund(area, pk)
    can_read = _can(request, perms.READ, area)
    page = Paginator(selectors.fund_entries(fund), ENTRIES_PER_PAGE).get_page(
        request.GET.get("trang")
    )
    statuses = None if can_read else [Expense.Status.APPROVED, Expense.Status.REJECTED]
    return _render(
        request,
        "funds/fund_detail.html",
        area,
        fund=fund,
        verdict=selectors.verify_fund(fund),
        monthly=selectors.fund_monthly(fund),
        page=page,
        expenses=list(selectors.fund_expenses(fund, statuses=statuses)[:50]),
        campaigns=list(selectors.fund_campaigns(fund)),
        periods=selectors.current_periods(),
        period_form=PeriodForm(initial={"ky": "half", "nam": timezone.localdate().year, "so": 1}),
        can_record=area.is_current and _can(request, perms.RECORD, area),
        can_approve=area.is_current and _can(request, perms.APPROVE, area),
        can_read=can_read,
        public_url=request.build_absolute_uri(reverse("funds:area", args=[area.code])),
    )


def _period(request):
    form = PeriodForm(request.GET)
    if not form.is_valid():
        raise Http404
    period = selectors.period_of(
        form.cleaned_data["ky"], form.cleaned_data["nam"], form.cleaned_data["so"]
    )
    if period is None:
        raise Http404
    return period


@require_GET
def statement(request, code: str, pk: int, fmt: str):
    area = _public_area(code)
    fund = _fund(area, pk)
    st = selectors.statement(fund, _period(request))
    name = f"cong-khai-thu-chi-{area.code}-{fund.pk}-{st.period.slug}"
    if fmt == "xlsx":
        response = HttpResponse(
            exports.statement_xlsx(st),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(exports.statement_pdf(st), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@require_GET
def poster(request, code: str):
    area = _public_area(code)
    url = request.build_absolute_uri(reverse("funds:area", args=[area.code]))
    response = HttpResponse(
        exports.poster_pdf(area=area, funds=list(selectors.area_funds(area)), url=url),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="ap-phich-quy-{area.code}.pdf"'
    return response


def _receipt(token):
    c = selectors.contribution_by_token(token)
    if c is None:
        raise Http404
    return c


@require_GET
def receipt(request, token: str):
    c = _receipt(token)
    url = request.build_absolute_uri(c.get_absolute_url())
    return _render(
        request,
        "funds/receipt.html",
        c.fund.area,
        c=c,
        fund=c.fund,
        qr=vietqr.svg(url, title=_("QR code of this receipt")),
        url=url,
    )


@require_GET
def receipt_pdf(request, token: str):
    c = _receipt(token)
    url = request.build_absolute_uri(c.get_absolute_url())
    response = HttpResponse(exports.receipt_pdf(c, url=url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{c.receipt_number}.pdf"'
    return response


@require_GET
def invoice(request, code: str, pk: int):
    area = _public_area(code)
    expense = selectors.expense_get(area=area, pk=pk)
    if expense is None or not expense.invoice:
        raise Http404
    if expense.status == Expense.Status.PENDING:
        access.check(request.user, perms.READ, area)
    f = expense.invoice_public or expense.invoice
    if request.GET.get("goc") and _can(request, perms.READ, area):
        f = expense.invoice  # the original, for those who check
    response = FileResponse(f.open("rb"), content_type=expense.invoice_type)
    response["Content-Disposition"] = f'inline; filename="hoa-don-{expense.document}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@require_GET
def expense_detail(request, code: str, pk: int):
    area = _public_area(code)
    expense = selectors.expense_get(area=area, pk=pk)
    if expense is None:
        raise Http404
    can_read = _can(request, perms.READ, area)
    if expense.status == Expense.Status.PENDING and not can_read:
        access.check(request.user, perms.READ, area)
    can_decide = (
        expense.status == Expense.Status.PENDING
        and area.is_current
        and _can(request, perms.APPROVE, area)
    )
    return _render(
        request,
        "funds/expense_detail.html",
        area,
        expense=expense,
        fund=expense.fund,
        can_decide=can_decide,
        is_recorder=expense.recorded_by_id == request.user.pk,
        reject_form=RejectForm(),
        can_read=can_read,
        cover_form=CoverForm(initial={"cells": [int(c) for c in expense.covered.split(",") if c]})
        if area.is_current
        and _can(request, perms.RECORD, area)
        and expense.invoice_type.startswith("image/")
        else None,
    )


@require_POST
def invoice_cover(request, code: str, pk: int):
    area = _area(request, code, perms.RECORD)
    expense = selectors.expense_get(area=area, pk=pk)
    if expense is None:
        raise Http404
    form = CoverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose cells between 1 and 16."))
    else:
        try:
            services.invoice_cover(
                actor=request.user, expense=expense, cells=form.cleaned_data["cells"]
            )
        except (ApplicationError, ValidationError) as exc:
            messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
        else:
            messages.success(request, _("The public copy of the invoice was updated."))
    return redirect("funds:expense", area.code, expense.pk)


# -------------------------------------------------------------------------------------- keepers


@require_http_methods(["GET", "POST"])
def decision_add(request, code: str):
    area = _area(request, code, perms.RECORD)
    form = DecisionForm(*_bound(request), initial={"households_total": area.household_count})
    area_url = reverse("funds:area", args=[area.code])

    def write(data):
        return services.decision_record(actor=request.user, area=area, **data), area_url

    return _form_page(
        request,
        area,
        form,
        write,
        fallback=area_url,
        success=lambda d: _("Decision %(n)s was recorded.") % {"n": d.number},
        title=_("Record a residents' decision"),
        button=_("Record the decision"),
    )


@require_http_methods(["GET", "POST"])
def fund_add(request, code: str):
    area = _area(request, code, perms.RECORD)
    form = FundForm(*_bound(request), area=area)

    def write(data):
        f = services.fund_create(actor=request.user, area=area, **data)
        return f, f.get_absolute_url()

    return _form_page(
        request,
        area,
        form,
        write,
        fallback=reverse("funds:area", args=[area.code]),
        success=lambda f: _("The fund %(name)s was opened.") % {"name": f.name},
        title=_("Open a fund"),
        button=_("Open the fund"),
    )


@require_http_methods(["GET", "POST"])
def campaign_add(request, code: str, pk: int):
    area = _area(request, code, perms.RECORD)
    fund = _fund(area, pk)
    form = CampaignForm(*_bound(request), area=area)

    def write(data):
        return services.campaign_create(
            actor=request.user, fund=fund, **data
        ), fund.get_absolute_url()

    return _form_page(
        request,
        area,
        form,
        write,
        fallback=fund.get_absolute_url(),
        success=lambda c: _("The campaign %(name)s was set up.") % {"name": c.name},
        fund=fund,
        title=_("Set up a contribution campaign"),
        button=_("Set up the campaign"),
    )


@require_http_methods(["GET", "POST"])
def exemption_add(request, code: str, pk: int, campaign_pk: int):
    area = _area(request, code, perms.RECORD)
    fund = _fund(area, pk)
    campaign = selectors.campaign_get(area=area, pk=campaign_pk, fund=fund)
    if campaign is None:
        raise Http404
    form = ExemptionForm(*_bound(request))
    if request.method == "POST" and form.is_valid():
        household = selectors.household_in_area(area, form.cleaned_data["household"])

        def write():
            if household is None:
                raise ValidationError(
                    {"household": _("This household is not in this residential area.")}
                )
            e = services.exemption_grant(
                actor=request.user,
                campaign=campaign,
                household=household,
                reason=form.cleaned_data["reason"],
            )
            return e, fund.get_absolute_url()

        response, e = _write(request, form, write, fallback=fund.get_absolute_url())
        if response:
            if e:
                messages.success(
                    request, _("Household %(code)s is exempted.") % {"code": household.code}
                )
            return response
    return _render(
        request,
        "funds/form.html",
        area,
        fund=fund,
        form=form,
        title=_("Exempt a household from %(name)s") % {"name": campaign.name},
        button=_("Exempt the household"),
    )


@require_http_methods(["GET", "POST"])
def contribution_add(request, code: str, pk: int):
    area = _area(request, code, perms.RECORD)
    fund = _fund(area, pk)
    form = ContributionForm(*_bound(request), fund=fund)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = selectors.household_in_area(area, data["household"])

        def write():
            if household is None:
                raise ValidationError(
                    {"household": _("This household is not in this residential area.")}
                )
            c = services.contribution_record(
                actor=request.user,
                fund=fund,
                household=household,
                amount=data["amount"],
                method=data["method"],
                paid_on=data["paid_on"],
                campaign=data["campaign"],
            )
            return c, c.get_absolute_url()

        response, c = _write(request, form, write, fallback=fund.get_absolute_url())
        if response:
            if c:
                messages.success(
                    request,
                    _(
                        "Receipt %(n)s: %(amount)s from household %(code)s. "
                        "Give the household this page's link or QR code."
                    )
                    % {
                        "n": c.receipt_number,
                        "amount": f"{c.amount:,}".replace(",", ".") + " ₫",
                        "code": c.household.code,
                    },
                )
            return response
    return _render(
        request,
        "funds/form.html",
        area,
        fund=fund,
        form=form,
        title=_("Record a contribution"),
        button=_("Record and issue the receipt"),
    )


@require_http_methods(["GET", "POST"])
def income_add(request, code: str, pk: int):
    area = _area(request, code, perms.RECORD)
    fund = _fund(area, pk)
    form = IncomeForm(*_bound(request))

    def write(data):
        return services.income_record(
            actor=request.user, fund=fund, **data
        ), fund.get_absolute_url()

    return _form_page(
        request,
        area,
        form,
        write,
        fallback=fund.get_absolute_url(),
        success=lambda e: _("Entry #%(n)s was added to the ledger.") % {"n": e.seq},
        fund=fund,
        title=_("Record other income (donation, sponsorship)"),
        button=_("Record the income"),
    )


@require_http_methods(["GET", "POST"])
def expense_add(request, code: str, pk: int):
    area = _area(request, code, perms.RECORD)
    fund = _fund(area, pk)
    form = ExpenseForm(*_bound(request, files=True), area=area)

    def write(data):
        e = services.expense_record(actor=request.user, fund=fund, **data)
        return e, reverse("funds:expense", args=[area.code, e.pk])

    return _form_page(
        request,
        area,
        form,
        write,
        fallback=fund.get_absolute_url(),
        success=lambda e: (
            _(
                "Expense %(n)s was recorded. "
                "A second person must approve it before it enters the ledger."
            )
            % {"n": e.document}
        ),
        fund=fund,
        multipart=True,
        title=_("Record an expense"),
        button=_("Record the expense"),
    )


@require_POST
def expense_approve(request, code: str, pk: int):
    area = _area(request, code, perms.APPROVE)
    expense = selectors.expense_get(area=area, pk=pk)
    if expense is None:
        raise Http404
    try:
        services.expense_approve(actor=request.user, expense=expense)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Expense %(n)s is approved and entered in the ledger.") % {"n": expense.document},
        )
    return redirect("funds:expense", area.code, expense.pk)


@require_POST
def expense_reject(request, code: str, pk: int):
    area = _area(request, code, perms.APPROVE)
    expense = selectors.expense_get(area=area, pk=pk)
    if expense is None:
        raise Http404
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the reason: residents will read it."))
        return redirect("funds:expense", area.code, expense.pk)
    try:
        services.expense_reject(
            actor=request.user, expense=expense, reason=form.cleaned_data["reason"]
        )
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Expense %(n)s is rejected; it stays visible with the reason.")
            % {"n": expense.document},
        )
    return redirect("funds:expense", area.code, expense.pk)


@require_http_methods(["GET", "POST"])
def entry_reverse(request, code: str, pk: int, seq: int):
    area = _area(request, code, perms.RECORD)
    fund = _fund(area, pk)
    entry = selectors.entry_get(fund=fund, seq=seq)
    if entry is None:
        raise Http404
    form = ReverseForm(*_bound(request))
    if request.method == "POST" and form.is_valid():

        def write():
            r = services.entry_reverse(
                actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
            )
            return r, fund.get_absolute_url()

        response, r = _write(request, form, write, fallback=fund.get_absolute_url())
        if response:
            if r:
                messages.success(
                    request,
                    _("Entry #%(a)s was corrected by entry #%(b)s.") % {"a": entry.seq, "b": r.seq},
                )
            return response
    return _render(request, "funds/reverse.html", area, fund=fund, entry=entry, form=form)


# ---------------------------------------------------------------------------------- households


def _household_for(request, area, household_code):
    household = selectors.household_in_area(area, household_code)
    own = selectors.household_of_user(request.user, area)
    if household is not None and own is not None and own.pk == household.pk:
        return household
    access.check(request.user, perms.READ, area)  # 403 on their ground, 404 elsewhere
    if household is None:
        raise Http404
    return household


@require_GET
def household_funds(request, code: str, household_code: str):
    area = _public_area(code)
    household = _household_for(request, area, household_code)
    overview = selectors.household_overview(household)
    funds = [f for f in selectors.area_funds(area) if f.can_receive_transfers]
    return _render(
        request, "funds/household.html", area, household=household, funds=funds, **overview
    )


@require_GET
def household_vietqr(request, code: str, household_code: str, campaign_pk: int):
    area = _public_area(code)
    household = _household_for(request, area, household_code)
    campaign = selectors.campaign_get(area=area, pk=campaign_pk)
    if campaign is None or not campaign.fund.can_receive_transfers:
        raise Http404
    line = next(
        (
            x
            for x in selectors.household_overview(household)["campaigns"]
            if x.campaign.pk == campaign.pk
        ),
        None,
    )
    amount = line.outstanding if line and line.outstanding else None
    payload = vietqr.payload(
        vietqr.Transfer(
            bank_bin=campaign.fund.bank_bin,
            account=campaign.fund.bank_account,
            amount=amount,
            purpose=f"{campaign.reference} {household.code}",
            name=campaign.fund.bank_account_name,
        )
    )
    response = HttpResponse(vietqr.png(payload), content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


# ------------------------------------------------------------------------------------ overview


@require_GET
def overview(request, prefix: str, code: str):
    unit = access.access_unit(
        user=request.user, level=PREFIX_LEVEL[prefix], code=code, perm=perms.READ
    )
    return _render(request, "funds/overview.html", unit, unit=unit, **selectors.overview(unit))
