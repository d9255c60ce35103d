"""Pages: the commune writes and follows tasks; the head works them on a phone; the district and
province read lesson 5. Thin: access → form → one service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from caunoi.core.exceptions import ApplicationError
from caunoi.core.submissions import submission_claim, submission_done
from caunoi.people import access
from caunoi.territory import selectors as territory
from caunoi.territory.models import Level, Unit

from . import permissions, policy, selectors, services
from .forms import (
    AmendForm,
    CompleteForm,
    DeclineForm,
    DirectiveForm,
    ProgressForm,
    SendForm,
    SubmissionForm,
    WithdrawForm,
    YearForm,
)
from .models import Attachment, Directive, Evidence, Reminder

PREFIX_LEVEL = {"tinh": Level.PROVINCE, "huyen": Level.DISTRICT, "xa": Level.COMMUNE}
PER_PAGE = 30


def _render(request, template: str, node: Unit, **context):
    context["ancestors"] = [*territory.unit_ancestors(node), node]
    return render(request, template, context)


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _commune(request, code: str, perm: str) -> Unit:
    return access.access_unit(user=request.user, level=Level.COMMUNE, code=code, perm=perm)


def _directive(commune: Unit, pk: int) -> Directive:
    directive = selectors.commune_directive(commune, pk)
    if directive is None:
        raise Http404
    return directive


def _year(request) -> tuple[YearForm, int, str]:
    form = YearForm(request.GET or None)
    year = timezone.localdate().year
    sort = "rushed"
    if form.is_valid():
        year = form.cleaned_data["nam"] or year
        sort = form.cleaned_data["xep"] or sort
    return form, year, sort


# --- The commune ----------------------------------------------------------------------------------


@login_required
def ground(request, prefix: str, code: str):
    """/xa/<code>/nhiem-vu/: the commune's tasks; /huyen|tinh/<code>/nhiem-vu/: lesson 5."""
    level = PREFIX_LEVEL.get(prefix)
    if level is None:
        raise Http404
    unit = access.access_unit(user=request.user, level=level, code=code, perm=permissions.FOLLOW)
    form, year, sort = _year(request)
    total, rows = selectors.lesson5(unit, year=year)
    if level == Level.COMMUNE:
        page = Paginator(selectors.commune_directives(unit), PER_PAGE).get_page(
            request.GET.get("trang")
        )
        return _render(
            request,
            "directives/commune.html",
            unit,
            unit=unit,
            page=page,
            total=total,
            year=year,
            heads=selectors.commune_heads(unit, year=year),
            can_issue=access.Access.for_user(request.user).can(permissions.ISSUE, unit),
            rules=policy.RULES,
            cap=policy.MAX_OPEN.value,
        )
    rows.sort(key=selectors.SORTS[sort])
    # One reverse() per level instead of one {% url %} per row (225 communes on a province page).
    pattern = {
        lvl: reverse("directives:ground", args=[lvl, "0"])[: -len("0/nhiem-vu/")]
        for lvl in ("xa", "huyen")
    }
    districts = selectors.lesson5_by_district(rows) if level == Level.PROVINCE else []
    for r in rows:
        r.url = f"{pattern['xa']}{r.unit.code}/nhiem-vu/?nam={year}"
    for r in districts:
        r.url = f"{pattern['huyen']}{r.unit.code}/nhiem-vu/?nam={year}"
    return _render(
        request,
        "directives/rollup.html",
        unit,
        unit=unit,
        total=total,
        rows=rows,
        districts=districts,
        year=year,
        sort=sort,
        sorts=_sort_labels(),
        rules=policy.RULES,
        prefix=prefix,
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


@login_required
@require_http_methods(["GET", "POST"])
def directive_new(request, code: str):
    commune = _commune(request, code, permissions.ISSUE)
    areas = services.commune_areas(commune)
    form = DirectiveForm(request.POST or None, request.FILES or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        by_id = {a.pk: a for a in areas}
        try:
            directive = services.directive_create(
                actor=request.user,
                commune=commune,
                title=d["title"],
                body=d["body"],
                category=d["category"],
                source_number=d["source_number"],
                due_date=d["due_date"],
                all_areas=d["all_areas"],
                areas=[by_id[i] for i in d["areas"]],
                files=d["files"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect("directives:send", code=commune.code, pk=directive.pk)
    return _render(
        request,
        "directives/directive_new.html",
        commune,
        unit=commune,
        form=form,
        rules=policy.RULES,
    )


@login_required
@require_http_methods(["GET", "POST"])
def directive_send(request, code: str, pk: int):
    commune = _commune(request, code, permissions.ISSUE)
    directive = _directive(commune, pk)
    detail = reverse("directives:detail", kwargs={"code": code, "pk": pk})
    if not directive.is_draft:
        return redirect(detail)
    form = SendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sub, first = submission_claim(key=form.cleaned_data["submission"], actor=request.user)
        if not first:
            return redirect(sub.result_url or detail)
        try:
            directive = services.directive_send(
                actor=request.user, directive=directive, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            if sub is not None:
                sub.delete()
            _form_errors(form, exc)
        else:
            submission_done(sub, url=detail)
            messages.success(
                request,
                _("The task was sent to %(n)s residential areas.")
                % {"n": directive.assignments.count()},
            )
            return redirect(detail)
    return _render(
        request,
        "directives/directive_send.html",
        commune,
        unit=commune,
        directive=directive,
        preview=services.directive_preview(directive),
        form=form,
    )


@login_required
def directive_detail(request, code: str, pk: int):
    commune = _commune(request, code, permissions.FOLLOW)
    directive = _directive(commune, pk)
    assignments = selectors.directive_assignments(directive)
    return _render(
        request,
        "directives/directive_detail.html",
        commune,
        unit=commune,
        directive=directive,
        assignments=assignments,
        summary=selectors.directive_summary(directive, assignments),
        changes=list(directive.changes.select_related("actor")),
        attachments=list(directive.attachments.all()),
        can_issue=access.Access.for_user(request.user).can(permissions.ISSUE, commune),
    )


@login_required
@require_http_methods(["GET", "POST"])
def directive_amend(request, code: str, pk: int):
    commune = _commune(request, code, permissions.ISSUE)
    directive = _directive(commune, pk)
    detail = reverse("directives:detail", kwargs={"code": code, "pk": pk})
    if directive.is_withdrawn:
        messages.info(request, _("This task was withdrawn; it can no longer change."))
        return redirect(detail)
    form = AmendForm(
        request.POST or None,
        initial={"title": directive.title, "body": directive.body, "due_date": directive.due_date},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.directive_amend(actor=request.user, directive=directive, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The task was changed; the heads see what changed."))
            return redirect(detail)
    return _render(
        request,
        "directives/directive_amend.html",
        commune,
        unit=commune,
        directive=directive,
        form=form,
        back=detail,
    )


@login_required
@require_http_methods(["GET", "POST"])
def directive_withdraw(request, code: str, pk: int):
    commune = _commune(request, code, permissions.ISSUE)
    directive = _directive(commune, pk)
    detail = reverse("directives:detail", kwargs={"code": code, "pk": pk})
    if directive.is_withdrawn:
        return redirect(detail)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.directive_withdraw(
                actor=request.user, directive=directive, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The task was withdrawn. Nothing was deleted."))
            return redirect(detail)
    return _render(
        request,
        "directives/directive_withdraw.html",
        commune,
        unit=commune,
        directive=directive,
        form=form,
        back=detail,
    )


def _file_response(stored) -> FileResponse:
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=not stored.content_type.startswith("image/"),
        filename=stored.name,
        content_type=stored.content_type,
    )


@login_required
def attachment(request, code: str, pk: int, file_pk: int):
    """A directive's file: for those who follow the commune and for the recipient heads."""
    commune = Unit.objects.filter(level=Level.COMMUNE, code=code).first()
    if commune is None:
        raise Http404
    acc = access.Access.for_user(request.user)
    directive = selectors.commune_directive(commune, pk)
    if directive is None:
        raise Http404
    allowed = acc.can(permissions.FOLLOW, commune) or (
        not directive.is_draft
        and any(
            acc.can(permissions.WORK, a.area) for a in directive.assignments.select_related("area")
        )
    )
    if not allowed:
        access.check(request.user, permissions.FOLLOW, commune)  # 403 on their ground, else 404
    stored = Attachment.objects.filter(directive=directive, pk=file_pk).first()
    if stored is None:
        raise Http404
    return _file_response(stored)


# --- The head -------------------------------------------------------------------------------------


@login_required
def inbox(request):
    open_items, closed = selectors.inbox(request.user)
    return render(
        request,
        "directives/inbox.html",
        {
            "open_items": open_items,
            "closed": closed,
            "reminders": selectors.unread_reminders(open_items),
            "today": timezone.localdate(),
        },
    )


def _work(request, pk: int, *, act: bool):
    """The assignment, when the user works for its area (403 for others on that ground, e.g. the
    commune officer; 404 elsewhere). `act`: GETs of the follow-up views are allowed to followers."""
    a = selectors.work_assignment(request.user, pk)
    if a is None:
        raise Http404
    access.check(request.user, permissions.WORK, a.area)
    return a


def _assignment_url(a) -> str:
    return reverse("directives:assignment", kwargs={"pk": a.pk})


@login_required
def assignment(request, pk: int):
    a = _work(request, pk, act=False)
    reports = list(a.reports.select_related("by").prefetch_related("files"))
    changes = list(a.directive.changes.all()) if a.changed_since_seen else []
    Reminder.objects.filter(assignment=a, read_at__isnull=True).update(read_at=timezone.now())
    return render(
        request,
        "directives/assignment.html",
        {
            "a": a,
            "d": a.directive,
            "reports": reports,
            "changes": changes,
            "attachments": list(a.directive.attachments.all()),
            "ack_form": SubmissionForm(),
        },
    )


def _idempotent(request, form, a, run, success: str):
    """Claim the form's key, run the service, remember where it led. A replay goes there too."""
    sub, first = submission_claim(key=form.cleaned_data.get("submission"), actor=request.user)
    url = _assignment_url(a)
    if not first:
        return redirect(sub.result_url or url)
    try:
        run()
    except ValidationError as exc:
        if sub is not None:
            sub.delete()
        _form_errors(form, exc)
        return None
    except ApplicationError as exc:
        if sub is not None:
            sub.delete()
        messages.error(request, exc.message)
        return redirect(url)
    submission_done(sub, url=url)
    messages.success(request, success)
    return redirect(url)


@login_required
@require_POST
def assignment_acknowledge(request, pk: int):
    a = _work(request, pk, act=True)
    form = SubmissionForm(request.POST)
    form.is_valid()
    response = _idempotent(
        request,
        form,
        a,
        lambda: services.assignment_acknowledge(actor=request.user, assignment=a),
        _("Received. The commune can see that you have the task."),
    )
    return response or redirect(_assignment_url(a))


def _step(request, pk: int, form_class, template: str, run, success: str):
    a = _work(request, pk, act=True)
    if not a.is_open and a.directive.state == Directive.State.SENT:
        messages.info(request, _("This task is already closed."))
        return redirect(_assignment_url(a))
    if a.directive.is_withdrawn:
        messages.info(request, _("The commune withdrew this task: nothing more to report."))
        return redirect(_assignment_url(a))
    form = form_class(request.POST or None, request.FILES or None, initial={"percent": a.percent})
    if request.method == "POST" and form.is_valid():
        response = _idempotent(request, form, a, lambda: run(a, form.cleaned_data), success)
        if response is not None:
            return response
    return render(request, template, {"a": a, "d": a.directive, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def assignment_progress(request, pk: int):
    return _step(
        request,
        pk,
        ProgressForm,
        "directives/assignment_progress.html",
        lambda a, d: services.assignment_progress(
            actor=request.user, assignment=a, percent=d["percent"], note=d["note"]
        ),
        _("Progress reported."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_complete(request, pk: int):
    return _step(
        request,
        pk,
        CompleteForm,
        "directives/assignment_complete.html",
        lambda a, d: services.assignment_complete(
            actor=request.user,
            assignment=a,
            note=d["note"],
            households_reached=d["households_reached"],
            files=d["files"],
        ),
        _("Done. Thank you: the commune sees the task as completed."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_decline(request, pk: int):
    return _step(
        request,
        pk,
        DeclineForm,
        "directives/assignment_decline.html",
        lambda a, d: services.assignment_decline(
            actor=request.user, assignment=a, reason=d["reason"]
        ),
        _("Reported: the commune sees that this task cannot be done, and why."),
    )


@login_required
def evidence(request, pk: int, file_pk: int):
    """A photo or file of a report: for the area's head and those who follow the commune."""
    a = selectors.work_assignment(request.user, pk)
    if a is None:
        raise Http404
    acc = access.Access.for_user(request.user)
    if not (acc.can(permissions.WORK, a.area) or acc.can(permissions.FOLLOW, a.commune)):
        access.check(request.user, permissions.WORK, a.area)
    stored = Evidence.objects.filter(report__assignment=a, pk=file_pk).first()
    if stored is None:
        raise Http404
    if not acc.can(permissions.WORK, a.area) and not acc.can(permissions.FOLLOW, a.commune):
        raise PermissionDenied
    return _file_response(stored)
