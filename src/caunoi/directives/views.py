"""Pages: the commune writes and follows tasks; the head works them on a phone; the district and
province read lesson 5. Thin: access → form → one service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from caunoi.core.pagecache import reader_page
from caunoi.core.pages import (
    SubmissionForm,
    bound,
    button_post,
    form_page,
    paginate,
    render,
)
from caunoi.core.responses import file_response
from caunoi.people import access
from caunoi.people.access import unit_required
from caunoi.territory.models import Level

from . import permissions, policy, reminders, selectors, services
from .forms import (
    AmendForm,
    CompleteForm,
    DeclineForm,
    DirectiveForm,
    ProgressForm,
    SendForm,
    WithdrawForm,
    YearForm,
)
from .models import Directive


def _year(request) -> tuple[int, str]:
    form = YearForm(request.GET or None)
    year = timezone.localdate().year
    sort = "rushed"
    if form.is_valid():
        year = form.cleaned_data["nam"] or year
        sort = form.cleaned_data["xep"] or sort
    return year, sort


def _detail_url(directive: Directive) -> str:
    return reverse("directives:detail", args=[directive.commune.code, directive.pk])


# --- The commune ----------------------------------------------------------------------------------


@unit_required(permissions.FOLLOW)
def ground(request, unit):
    """/xa/<code>/nhiem-vu/: the commune's tasks; /huyen|tinh/<code>/nhiem-vu/: lesson 5."""
    year, sort = _year(request)
    if unit.is_commune:
        heads = selectors.head_list(commune=unit, year=year)
        return render(
            request,
            "directives/commune.html",
            unit=unit,
            page=paginate(request, selectors.directive_list(commune=unit)),
            total=selectors.directive_lesson5(unit, year=year, communes=False).total.figures,
            year=year,
            heads=heads,
            late=selectors.head_list_late(heads),
            can_issue=access.can(request.user, permissions.ISSUE, unit),
            rules=policy.RULES,
            cap=policy.MAX_OPEN.value,
        )
    report = selectors.directive_lesson5(unit, year=year, districts=unit.is_province)
    # One reverse() per level instead of one {% url %} per row (225 communes on a province page).
    href = {
        level.prefix: reverse("directives:ground", args=[level, "0"])[: -len("0/nhiem-vu/")]
        for level in (Level.COMMUNE, Level.DISTRICT)
    }
    return render(
        request,
        "directives/rollup.html",
        unit=unit,
        total=report.total.figures,
        rows=sorted(report.communes, key=selectors.SORTS[sort]),
        districts=sorted(report.districts, key=selectors.SORTS["name"]),
        href=href,
        year=year,
        sort=sort,
        sorts=_sort_labels(),
        rules=policy.RULES,
    )


def _sort_labels():
    return [
        ("rushed", _("Most rushed first")),
        ("lead", _("Shortest lead time first")),
        ("peak", _("Most open on one head first")),
        ("bursts", _("Most bursts first")),
        ("completion", _("Lowest completion first")),
        ("name", _("By name")),
    ]


@unit_required(permissions.ISSUE, level=Level.COMMUNE, current=True)
@require_http_methods(["GET", "POST"])
def directive_new(request, unit):
    areas = selectors.area_list(commune=unit)
    by_id = {a.pk: a for a in areas}
    form = DirectiveForm(**bound(request, files=True), areas=areas)

    def write(data):
        chosen = [by_id[pk] for pk in data.pop("areas")]
        return services.directive_create(actor=request.user, commune=unit, areas=chosen, **data)

    return form_page(
        request,
        "directives/directive_new.html",
        form,
        write=write,
        next=lambda d: reverse("directives:send", args=[unit.code, d.pk]),
        unit=unit,
        rules=policy.RULES,
    )


@login_required
@require_http_methods(["GET", "POST"])
def directive_send(request, code: str, pk: int):
    directive = permissions.access_directive(
        user=request.user, pk=pk, perm=permissions.ISSUE, commune_code=code
    )
    if not directive.is_draft:
        return redirect(_detail_url(directive))
    form = SendForm(**bound(request))
    return form_page(
        request,
        "directives/directive_send.html",
        form,
        write=lambda data: services.directive_send(
            actor=request.user, directive=directive, reason=data["reason"]
        ),
        next=_detail_url,
        success=lambda d: _("The task was sent to %(n)s residential areas.") % {"n": d.recipients},
        unit=directive.commune,
        directive=directive,
        preview=services.directive_preview(directive),
    )


@login_required
def directive_detail(request, code: str, pk: int):
    directive = permissions.access_directive(
        user=request.user, pk=pk, perm=permissions.FOLLOW, commune_code=code
    )
    assignments = selectors.assignment_list(directive=directive)
    return render(
        request,
        "directives/directive_detail.html",
        unit=directive.commune,
        directive=directive,
        assignments=assignments,
        summary=selectors.directive_summary(directive, assignments),
        changes=list(directive.changes.select_related("actor")),
        attachments=list(directive.attachments.all()),
        can_issue=access.can(request.user, permissions.ISSUE, directive.commune),
    )


@login_required
@require_http_methods(["GET", "POST"])
def directive_amend(request, code: str, pk: int):
    directive = permissions.access_directive(
        user=request.user, pk=pk, perm=permissions.ISSUE, commune_code=code
    )
    if directive.is_withdrawn:
        messages.info(request, _("This task was withdrawn; it can no longer change."))
        return redirect(_detail_url(directive))
    form = AmendForm(**bound(request), directive=directive)
    return form_page(
        request,
        "directives/directive_amend.html",
        form,
        write=lambda data: services.directive_amend(
            actor=request.user, directive=directive, **data
        ),
        next=_detail_url,
        success=_("The task was changed; the heads see what changed."),
        unit=directive.commune,
        directive=directive,
        back=_detail_url(directive),
    )


@login_required
@require_http_methods(["GET", "POST"])
def directive_withdraw(request, code: str, pk: int):
    directive = permissions.access_directive(
        user=request.user, pk=pk, perm=permissions.ISSUE, commune_code=code
    )
    if directive.is_withdrawn:
        return redirect(_detail_url(directive))
    form = WithdrawForm(**bound(request))
    return form_page(
        request,
        "directives/directive_withdraw.html",
        form,
        write=lambda data: services.directive_withdraw(
            actor=request.user, directive=directive, reason=data["reason"]
        ),
        next=_detail_url,
        success=_("The task was withdrawn. Nothing was deleted."),
        unit=directive.commune,
        directive=directive,
        back=_detail_url(directive),
    )


def _download(stored):
    """An uploaded file (untrusted): images shown, anything else downloaded."""
    return file_response(
        stored.file.open("rb"),
        filename=stored.name,
        content_type=stored.content_type,
        inline=stored.content_type.startswith("image/"),
    )


@login_required
def attachment(request, code: str, pk: int, file_pk: int):
    """A directive's file: for those who follow the commune and for the recipient heads."""
    stored = permissions.access_attachment(
        user=request.user, pk=file_pk, directive_pk=pk, commune_code=code
    )
    return _download(stored)


# --- The head -------------------------------------------------------------------------------------


@login_required
@reader_page
def inbox(request):
    open_items, closed = selectors.assignment_inbox(request.user)
    return render(
        request,
        "directives/inbox.html",
        open_items=open_items,
        closed=closed,
        reminders=selectors.reminder_unread(open_items),
        today=timezone.localdate(),
    )


def _assignment_url(a) -> str:
    return reverse("directives:assignment", kwargs={"pk": a.pk})


@login_required
def assignment(request, pk: int):
    a = permissions.access_assignment(user=request.user, pk=pk)
    reports = list(a.reports.select_related("by").prefetch_related("files"))
    changes = list(a.directive.changes.all()) if a.changed_since_seen else []
    reminders.reminders_mark_read(assignment=a)
    return render(
        request,
        "directives/assignment.html",
        a=a,
        d=a.directive,
        reports=reports,
        changes=changes,
        attachments=list(a.directive.attachments.all()),
        ack_form=SubmissionForm(),
    )


@login_required
@require_POST
def assignment_acknowledge(request, pk: int):
    a = permissions.access_assignment(user=request.user, pk=pk)
    return button_post(  # refused when the task was withdrawn meanwhile
        request,
        lambda: services.assignment_acknowledge(actor=request.user, assignment=a),
        back=_assignment_url(a),
        next=_assignment_url,
        success=_("Received. The commune can see that you have the task."),
    )


def _step(request, pk: int, form_class, run, success: str, *, title: str, button: str):
    """A head's step on an assignment (progress, done, cannot be done): one form page."""
    a = permissions.access_assignment(user=request.user, pk=pk)
    if not a.is_open and a.directive.state == Directive.State.SENT:
        messages.info(request, _("This task is already closed."))
        return redirect(_assignment_url(a))
    if a.directive.is_withdrawn:
        messages.info(request, _("The commune withdrew this task: nothing more to report."))
        return redirect(_assignment_url(a))
    form = form_class(**bound(request, files=True), initial={"percent": a.percent})
    return form_page(
        request,
        "directives/assignment_step.html",
        form,
        write=lambda data: run(a, data),
        next=_assignment_url,
        success=success,
        a=a,
        d=a.directive,
        title=title,
        button=button,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_progress(request, pk: int):
    return _step(
        request,
        pk,
        ProgressForm,
        lambda a, d: services.assignment_progress(
            actor=request.user, assignment=a, percent=d["percent"], note=d["note"]
        ),
        _("Progress reported."),
        title=_("Report progress"),
        button=_("Send the progress"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_complete(request, pk: int):
    return _step(
        request,
        pk,
        CompleteForm,
        lambda a, d: services.assignment_complete(actor=request.user, assignment=a, **d),
        _("Done. Thank you: the commune sees the task as completed."),
        title=_("Done"),
        button=_("Mark as done"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_decline(request, pk: int):
    return _step(
        request,
        pk,
        DeclineForm,
        lambda a, d: services.assignment_decline(
            actor=request.user, assignment=a, reason=d["reason"]
        ),
        _("Reported: the commune sees that this task cannot be done, and why."),
        title=_("This cannot be done"),
        button=_("Send the reason"),
    )


@login_required
def evidence(request, pk: int, file_pk: int):
    """A photo or file of a report: for the area's head and those who follow the commune."""
    stored = permissions.access_evidence(user=request.user, pk=file_pk, assignment_pk=pk)
    return _download(stored)
