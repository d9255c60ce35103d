"""Pages of the community funds. Public (no sign-in): the area's funds, each fund's ledger and
statements, the poster, receipts by their link, invoices of approved expenses. Keepers record;
a second keeper approves; the inspection board and the officers above read everything.

Keepers' pages get their area from `unit_required` and their fund, campaign, expense or entry
from `permissions.access_*`; every form that writes goes through `core.pages` (once per key)."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caunoi.core.audit import done_for
from caunoi.core.money import format_vnd
from caunoi.core.pagecache import public_page
from caunoi.core.pages import bound, form_page, paginate, render, write_once
from caunoi.core.responses import file_response, pdf_response, xlsx_response
from caunoi.meetings import selectors as meetings
from caunoi.people import access
from caunoi.people.access import unit_required
from caunoi.territory import selectors as territory
from caunoi.territory.models import Level

from . import audit, chain, exports, policy, selectors, services, vietqr
from . import permissions as perms
from .forms import (
    ApproveForm,
    CampaignForm,
    ContributionForm,
    CoverForm,
    DecisionForm,
    ExemptionForm,
    ExpenseForm,
    FundForm,
    IncomeForm,
    MeetingDecisionForm,
    PeriodForm,
    RejectForm,
    ReverseForm,
)
from .models import Checkpoint, Expense

PUBLIC_STATUSES = [Expense.Status.APPROVED, Expense.Status.REJECTED]
EXPENSES_SHOWN = 50  # on a fund's page, the latest expenses (the ledger has every approved one)


def _public_fund(area, pk: int):
    fund = selectors.fund_get(pk=pk, area=area)
    if fund is None:
        raise Http404
    return fund


# ------------------------------------------------------------------------------------- public


@require_GET
@public_page(territory.unit_of_area_page)
def area_funds(request, code: str):
    area = access.found(territory.unit_get(level=Level.AREA, code=code))
    funds = list(selectors.fund_list(area=area))
    verdicts = selectors.fund_verdicts(funds)
    return render(
        request,
        "funds/area_funds.html",
        unit=area,
        funds=[(f, verdicts[f.pk]) for f in funds],
        decisions=selectors.decision_list(area=area),
        threshold=policy.DECISION_THRESHOLD.value,
        can_record=area.is_current and access.can(request.user, perms.RECORD, area),
        household=selectors.household_get_of_user(request.user, area),
    )


@require_GET
@public_page(territory.unit_of_area_page)
def fund_detail(request, code: str, pk: int):
    area = access.found(territory.unit_get(level=Level.AREA, code=code))
    fund = _public_fund(area, pk)
    # Pending expenses are for those who read everything; decided ones are public.
    statuses = None if access.can(request.user, perms.READ, area) else PUBLIC_STATUSES
    return render(
        request,
        "funds/fund_detail.html",
        unit=area,
        fund=fund,
        verdict=selectors.fund_verdict(fund),
        checkpoints=selectors.checkpoint_list(fund=fund),
        tip=chain.tip_text(fund.last_seq, fund.last_hash),
        monthly=selectors.fund_monthly(fund),
        page=paginate(request, selectors.entry_list(fund=fund, newest_first=True)),
        expenses=list(selectors.expense_list(fund=fund, statuses=statuses, latest=EXPENSES_SHOWN)),
        campaigns=list(selectors.campaign_list(fund=fund)),
        periods=selectors.current_periods(),
        period_form=PeriodForm(initial={"ky": "half", "nam": timezone.localdate().year, "so": 1}),
        can_record=area.is_current and access.can(request.user, perms.RECORD, area),
        can_contribute=area.is_current and access.can(request.user, perms.CONTRIBUTE, area),
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
@public_page(territory.unit_of_area_page)
def statement(request, code: str, pk: int, fmt: str):
    area = access.found(territory.unit_get(level=Level.AREA, code=code))
    fund = _public_fund(area, pk)
    st = selectors.fund_statement(fund=fund, period=_period(request))
    name = f"cong-khai-thu-chi-{area.code}-{fund.pk}-{st.period.slug}"
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    # The paper carries the chain's tip: recorded, so the public page can say it still agrees.
    cp = services.checkpoint_publish(fund=fund, medium=Checkpoint.Medium.STATEMENT)
    if fmt == "xlsx":
        return xlsx_response(exports.statement_xlsx(st, checkpoint=cp), f"{name}.xlsx")
    return pdf_response(exports.statement_pdf(st, checkpoint=cp), f"{name}.pdf")


@require_GET
@public_page(territory.unit_of_area_page)
def poster(request, code: str):
    area = access.found(territory.unit_get(level=Level.AREA, code=code))
    url = request.build_absolute_uri(reverse("funds:area", args=[area.code]))
    funds = list(selectors.fund_list(area=area))
    checkpoints = {
        f.pk: services.checkpoint_publish(fund=f, medium=Checkpoint.Medium.POSTER) for f in funds
    }
    pdf = exports.poster_pdf(area=area, funds=funds, url=url, checkpoints=checkpoints)
    return pdf_response(pdf, f"ap-phich-quy-{area.code}.pdf")


def _receipt(token: str):
    c = selectors.contribution_get(token=token)
    if c is None:
        raise Http404
    return c


def _shows_payer(request, c) -> bool:
    """A receipt's link travels (a photo, a forwarded message): the payer's name is shown only to
    the fund's readers and to the household itself, signed in."""
    area = c.fund.area
    if access.can(request.user, perms.READ, area):
        return True
    return selectors.household_get_of_user(request.user, area) == c.household


@require_GET
def receipt(request, token: str):
    c = _receipt(token)
    url = request.build_absolute_uri(c.get_absolute_url())
    return render(
        request,
        "funds/receipt.html",
        unit=c.fund.area,
        c=c,
        show_payer=_shows_payer(request, c),
        fund=c.fund,
        qr=vietqr.svg(url, title=_("QR code of this receipt")),
        url=url,
        recorded_for=done_for(c, audit.CONTRIBUTION_RECORDED),
    )


@require_GET
def receipt_pdf(request, token: str):
    c = _receipt(token)
    url = request.build_absolute_uri(c.get_absolute_url())
    recorded_for = done_for(c, audit.CONTRIBUTION_RECORDED)
    pdf = exports.receipt_pdf(
        c, url=url, show_payer=_shows_payer(request, c), recorded_for=recorded_for
    )
    return pdf_response(pdf, f"bien-lai-{c.receipt_number}.pdf")


@require_GET
def invoice(request, code: str, pk: int):
    """The photo or PDF a keeper uploaded: untrusted, so sandboxed. The public gets the copy with
    personal data covered; `?goc=1` gives the original to those who read everything."""
    area = access.found(territory.unit_get(level=Level.AREA, code=code))
    expense = perms.access_expense(
        user=request.user, pk=pk, perm=perms.READ, area=area, public=True
    )
    if not expense.invoice:
        raise Http404
    f = expense.invoice_public or expense.invoice
    if request.GET.get("goc") and access.can(request.user, perms.READ, area):
        f = expense.invoice  # the original, for those who check
    extension = os.path.splitext(f.name or "")[1]  # (an invoice has a name: checked above)
    return file_response(
        f.open("rb"),
        filename=f"hoa-don-{expense.document}{extension}",
        content_type=expense.invoice_type,
        inline=True,
    )


@require_GET
def expense_detail(request, code: str, pk: int):
    area = access.found(territory.unit_get(level=Level.AREA, code=code))
    expense = perms.access_expense(
        user=request.user, pk=pk, perm=perms.READ, area=area, public=True
    )
    can_cover = (
        area.is_current
        and access.can(request.user, perms.RECORD, area)
        and expense.invoice_type.startswith("image/")
    )
    cells = [int(c) for c in expense.covered.split(",") if c]
    return render(
        request,
        "funds/expense_detail.html",
        unit=area,
        expense=expense,
        fund=expense.fund,
        can_decide=expense.status == Expense.Status.PENDING
        and area.is_current
        and access.can(request.user, perms.APPROVE, area),
        is_recorder=expense.recorded_by_id == request.user.pk,
        reject_form=RejectForm(),
        can_read=access.can(request.user, perms.READ, area),
        cover_form=CoverForm(initial={"cells": cells}) if can_cover else None,
    )


def _on_expense(request, expense, form, write, success):
    """The approve, reject and cover buttons of an expense's page: once per key, then back to
    the page with what happened (or why not)."""
    url = reverse("funds:expense", args=[expense.fund.area.code, expense.pk])
    if form.is_valid():
        done = write_once(request, form, write, next=url, success=success)
        if done is not None:
            return done
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(url)


@unit_required(perms.RECORD, level=Level.AREA, current=True)
@require_POST
def invoice_cover(request, unit, pk: int):
    expense = perms.access_expense(user=request.user, pk=pk, perm=perms.RECORD, area=unit)
    return _on_expense(
        request,
        expense,
        CoverForm(request.POST),
        lambda data: services.invoice_cover(
            actor=request.user, expense=expense, cells=data["cells"]
        ),
        _("The public copy of the invoice was updated."),
    )


@unit_required(perms.APPROVE, level=Level.AREA, current=True)
@require_POST
def expense_approve(request, unit, pk: int):
    expense = perms.access_expense(user=request.user, pk=pk, perm=perms.APPROVE, area=unit)
    return _on_expense(
        request,
        expense,
        ApproveForm(request.POST),
        lambda data: services.expense_approve(actor=request.user, expense=expense),
        _("Expense %(n)s is approved and entered in the ledger.") % {"n": expense.document},
    )


@unit_required(perms.APPROVE, level=Level.AREA, current=True)
@require_POST
def expense_reject(request, unit, pk: int):
    expense = perms.access_expense(user=request.user, pk=pk, perm=perms.APPROVE, area=unit)
    return _on_expense(
        request,
        expense,
        RejectForm(request.POST),
        lambda data: services.expense_reject(actor=request.user, expense=expense, **data),
        _("Expense %(n)s is rejected; it stays visible with the reason.") % {"n": expense.document},
    )


# -------------------------------------------------------------------------------------- keepers


def _keeper_form(request, unit, form, *, write, fund=None, **kw):
    """A keeper's form on funds/form.html; done, it goes back to the fund's page (the area's funds
    without a fund) unless `next` says otherwise."""
    if "next" not in kw:
        kw["next"] = fund.get_absolute_url() if fund else reverse("funds:area", args=[unit.code])
    return form_page(request, "funds/form.html", form, unit=unit, write=write, fund=fund, **kw)


@unit_required(perms.RECORD, level=Level.AREA, current=True)
@require_http_methods(["GET", "POST"])
def decision_add(request, unit):
    form = DecisionForm(**bound(request), initial={"households_total": unit.household_count})
    return _keeper_form(
        request,
        unit,
        form,
        write=lambda data: services.decision_record(actor=request.user, area=unit, **data),
        success=lambda d: _("Decision %(n)s was recorded.") % {"n": d.number},
        title=_("Record a residents' decision"),
        button=_("Record the decision"),
        rules=[policy.DECISION_THRESHOLD],
    )


@unit_required(perms.RECORD, level=Level.AREA, current=True)
@require_http_methods(["GET", "POST"])
def decision_from_meeting(request, unit):
    taken = set(selectors.decision_list(area=unit).values_list("meeting_item_id", flat=True))
    items = [i for i in meetings.passed_decision_list(area=unit) if i.pk not in taken]
    form = MeetingDecisionForm(**bound(request), items=items)
    return _keeper_form(
        request,
        unit,
        form,
        write=lambda data: services.decision_from_meeting(actor=request.user, area=unit, **data),
        success=lambda d: _("Decision %(n)s was recorded.") % {"n": d.number},
        title=_("A decision of a meeting recorded on Cầu Nối"),
        button=_("Take this decision"),
        rules=[policy.DECISION_THRESHOLD],
    )


@unit_required(perms.RECORD, level=Level.AREA, current=True)
@require_http_methods(["GET", "POST"])
def fund_add(request, unit):
    form = FundForm(**bound(request), area=unit)
    return _keeper_form(
        request,
        unit,
        form,
        write=lambda data: services.fund_create(actor=request.user, area=unit, **data),
        next=None,  # the new fund's page
        success=lambda f: _("The fund %(name)s was opened.") % {"name": f.name},
        title=_("Open a fund"),
        button=_("Open the fund"),
        rules=[policy.DECISION_THRESHOLD],
    )


@unit_required(perms.RECORD, level=Level.AREA, current=True)
@require_http_methods(["GET", "POST"])
def campaign_add(request, unit, pk: int):
    fund = perms.access_fund(user=request.user, pk=pk, perm=perms.RECORD, area=unit)
    form = CampaignForm(**bound(request), area=unit)
    return _keeper_form(
        request,
        unit,
        form,
        write=lambda data: services.campaign_create(actor=request.user, fund=fund, **data),
        success=lambda c: _("The campaign %(name)s was set up.") % {"name": c.name},
        fund=fund,
        title=_("Set up a contribution campaign"),
        button=_("Set up the campaign"),
        rules=[policy.DECISION_THRESHOLD],
    )


@unit_required(perms.RECORD, level=Level.AREA, current=True)
@require_http_methods(["GET", "POST"])
def exemption_add(request, unit, pk: int, campaign_pk: int):
    fund = perms.access_fund(user=request.user, pk=pk, perm=perms.RECORD, area=unit)
    campaign = perms.access_campaign(
        user=request.user, pk=campaign_pk, perm=perms.RECORD, fund=fund
    )
    form = ExemptionForm(**bound(request))

    def write(data):
        household = selectors.household_get(area=unit, code=data.pop("household"))
        return services.exemption_grant(
            actor=request.user, campaign=campaign, household=household, **data
        )

    return _keeper_form(
        request,
        unit,
        form,
        write=write,
        success=lambda e: _("Household %(code)s is exempted.") % {"code": e.household.code},
        fund=fund,
        title=_("Exempt a household from %(name)s") % {"name": campaign.name},
        button=_("Exempt the household"),
    )


@unit_required(perms.CONTRIBUTE, level=Level.AREA, current=True)
@require_http_methods(["GET", "POST"])
def contribution_add(request, unit, pk: int):
    fund = perms.access_fund(user=request.user, pk=pk, perm=perms.CONTRIBUTE, area=unit)
    form = ContributionForm(**bound(request), fund=fund)

    return _keeper_form(
        request,
        unit,
        form,
        write=lambda data: services.contribution_record(actor=request.user, fund=fund, **data),
        next=None,  # the receipt
        success=lambda c: (
            _(
                "Receipt %(n)s: %(amount)s from household %(code)s. "
                "Give the household this page's link or QR code."
            )
            % {"n": c.receipt_number, "amount": format_vnd(c.amount), "code": c.household.code}
        ),
        fund=fund,
        title=_("Record a contribution"),
        button=_("Record and issue the receipt"),
    )


@unit_required(perms.RECORD, level=Level.AREA, current=True)
@require_http_methods(["GET", "POST"])
def income_add(request, unit, pk: int):
    fund = perms.access_fund(user=request.user, pk=pk, perm=perms.RECORD, area=unit)
    form = IncomeForm(**bound(request))
    return _keeper_form(
        request,
        unit,
        form,
        write=lambda data: services.income_record(actor=request.user, fund=fund, **data),
        success=lambda e: _("Entry #%(n)s was added to the ledger.") % {"n": e.seq},
        fund=fund,
        title=_("Record other income (donation, sponsorship)"),
        button=_("Record the income"),
    )


@unit_required(perms.RECORD, level=Level.AREA, current=True)
@require_http_methods(["GET", "POST"])
def expense_add(request, unit, pk: int):
    fund = perms.access_fund(user=request.user, pk=pk, perm=perms.RECORD, area=unit)
    form = ExpenseForm(**bound(request, files=True), area=unit)
    return _keeper_form(
        request,
        unit,
        form,
        write=lambda data: services.expense_record(actor=request.user, fund=fund, **data),
        next=lambda e: reverse("funds:expense", args=[unit.code, e.pk]),
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


@unit_required(perms.RECORD, level=Level.AREA, current=True)
@require_http_methods(["GET", "POST"])
def entry_reverse(request, unit, pk: int, seq: int):
    entry = perms.access_entry(user=request.user, fund_pk=pk, seq=seq, perm=perms.RECORD, area=unit)
    fund = entry.fund
    form = ReverseForm(**bound(request))
    return form_page(
        request,
        "funds/reverse.html",
        form,
        unit=unit,
        write=lambda data: services.entry_reverse(actor=request.user, entry=entry, **data),
        next=fund.get_absolute_url(),
        success=lambda r: (
            _("Entry #%(a)s was corrected by entry #%(b)s.") % {"a": entry.seq, "b": r.seq}
        ),
        fund=fund,
        entry=entry,
    )


# ---------------------------------------------------------------------------------- households


@login_required
@require_GET
def household_funds(request, code: str, household_code: str):
    area = access.found(territory.unit_get(level=Level.AREA, code=code))
    household = perms.access_household(user=request.user, area=area, code=household_code)
    funds = [f for f in selectors.fund_list(area=area) if f.can_receive_transfers]
    return render(
        request,
        "funds/household.html",
        unit=area,
        household=household,
        funds=funds,
        **selectors.household_overview(household),
    )


@login_required
@require_GET
def household_vietqr(request, code: str, household_code: str, campaign_pk: int):
    area = access.found(territory.unit_get(level=Level.AREA, code=code))
    household = perms.access_household(user=request.user, area=area, code=household_code)
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


@unit_required(perms.READ)
@require_GET
def overview(request, unit):
    funds = selectors.fund_overview(unit=unit)
    return render(
        request,
        "funds/overview.html",
        unit=unit,
        rules=[policy.SILENT_DAYS],
        total=funds.total,
        areas=funds.areas,
        communes=funds.communes,
        kinds=funds.kinds,
    )
