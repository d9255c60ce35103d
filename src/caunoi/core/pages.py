"""The page kit: what every app's views share, so each does it one way.

    @unit_required(permissions.RECORD, level=Level.AREA, current=True)
    @require_http_methods(["GET", "POST"])
    def fund_new(request, unit):
        form = FundForm(**bound(request))
        return form_page(
            request, "funds/form.html", form, unit=unit,
            write=lambda data: services.fund_open(actor=request.user, area=unit, **data),
            success=lambda fund: _("Fund %(name)s was opened.") % {"name": fund.name},
        )

* `bound(request)`: a form's keyword arguments, bound to the POST (even an empty one) or unbound.
* `form_page(...)`: on a valid POST, `write(data)` runs once per submission key, in one
  transaction with the key's claim; a double click or a retried POST lands on what the first one
  made. A `ValidationError` or `ApplicationError` from the service goes back onto the form and
  rolls everything back, the claim included, so the corrected form can be sent again.
* `render(request, template, unit=…, **context)`: a page about a unit, with its breadcrumbs.
* `paginate(request, queryset)`: one page size and one parameter (`?trang=`); the pager include
  `core/_pager.html` keeps the rest of the query string.
* `@sign_in_if_missing`: a page that is public or private depending on its object (a question, a
  notice): someone signed out who may not see it goes to sign-in and back.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render as django_render

from .exceptions import ApplicationError
from .submissions import submission_claim, submission_done

if TYPE_CHECKING:
    pass

PER_PAGE = 50
PAGE_PARAM = "trang"


class SubmissionForm(forms.Form):
    """A form that carries a one-time key (rendered by `{% submission_key %}`)."""

    submission = forms.CharField(required=False, widget=forms.HiddenInput)


def bound(request: HttpRequest, *, files: bool = False) -> dict[str, Any]:
    """A form's keyword arguments, `Form(**bound(request))`: bound to the POST (even an empty
    one) or unbound for a GET."""
    if request.method != "POST":
        return {}
    return {"data": request.POST, "files": request.FILES} if files else {"data": request.POST}


def form_error(form: forms.BaseForm, exc: ValidationError | ApplicationError) -> None:
    """Put a service's refusal on the form: on its field when the form has one; an
    ApplicationError's `extra["details"]` (every problem of an imported file, say) one by one
    after its message."""
    if isinstance(exc, ApplicationError):
        form.add_error(None, str(exc.message))
        for detail in exc.extra.get("details", []):  # a refusal listing several problems
            form.add_error(None, str(detail))
    elif hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def render(
    request: HttpRequest, template: str, *, unit: Any = None, status: int = 200, **context: Any
) -> HttpResponse:
    """A page, with the breadcrumbs down to `unit` when it is about one (today's, unless the view
    gives `ancestors` as they were on a day)."""
    if unit is not None:
        context.setdefault("unit", unit)
        if context.get("ancestors") is None:
            context["ancestors"] = unit.lineage()
    return django_render(request, template, context, status=status)


def _url(target: str | Callable[[Any], str] | None, obj: Any) -> str:
    if callable(target):
        return target(obj)
    if target:
        return target
    return obj.get_absolute_url()


def write_once(
    request: HttpRequest,
    form: forms.BaseForm,
    write: Callable[[dict[str, Any]], Any],
    *,
    next: str | Callable[[Any], str] | None = None,
    success: str | Callable[[Any], str] | None = None,
) -> HttpResponse | None:
    """Run `write(cleaned_data)` for a valid form, once per submission key, and redirect to
    `next` (a URL, or a function of what `write` returned; by default its absolute URL) with the
    `success` message. On a refusal the errors go onto the form and None is returned."""
    data = {k: v for k, v in form.cleaned_data.items() if k != "submission"}
    try:
        with transaction.atomic():
            key = form.cleaned_data.get("submission")
            sub, first = submission_claim(key=key, actor=request.user)
            if not first:
                assert sub is not None
                return redirect(sub.result_url or request.get_full_path())
            obj = write(data)
            url = _url(next, obj)
            submission_done(sub, url=url)
    except (ValidationError, ApplicationError) as exc:
        form_error(form, exc)
        return None
    if success:
        messages.success(request, success(obj) if callable(success) else success)
    return redirect(url)


def button_post(
    request: HttpRequest,
    write: Callable[[], Any],
    *,
    back: str,
    next: str | Callable[[Any], str] | None = None,
    success: str | Callable[[Any], str] | None = None,
) -> HttpResponse:
    """A one-button form with no page of its own (a POST carrying only its one-time key,
    `SubmissionForm`): `write()` once, then to `next` (by default `back`) with the `success`
    message; a refusal goes back to `back` with its errors as messages."""
    form = SubmissionForm(request.POST)
    form.is_valid()  # its one field is optional: always valid
    response = write_once(request, form, lambda data: write(), next=next or back, success=success)
    if response is not None:
        return response
    for error in form.non_field_errors():
        messages.error(request, str(error))
    return redirect(back)


def form_page(
    request: HttpRequest,
    template: str,
    form: forms.BaseForm,
    *,
    write: Callable[[dict[str, Any]], Any],
    next: str | Callable[[Any], str] | None = None,
    success: str | Callable[[Any], str] | None = None,
    unit: Any = None,
    **context: Any,
) -> HttpResponse:
    """A form page: the form on a GET or when it is refused; `write_once` on a valid POST."""
    if request.method == "POST" and form.is_valid():
        response = write_once(request, form, write, next=next, success=success)
        if response is not None:
            return response
    return render(request, template, unit=unit, form=form, **context)


def object_form_page(
    request: HttpRequest, template: str, form: forms.BaseForm, obj: Any, **kwargs: Any
) -> HttpResponse:
    """`form_page` for a form about one object of an area (a meeting, an election): on the
    object's area, with the way back to the object's page (`back`)."""
    return form_page(request, template, form, unit=obj.area, back=obj.get_absolute_url(), **kwargs)


def paginate(request: HttpRequest, items: Any, *, per_page: int = PER_PAGE) -> Page:
    """The page asked for by `?trang=` (the last one when past the end, the first when not a
    number). Show it with `{% include "core/_pager.html" %}`."""
    return Paginator(items, per_page).get_page(request.GET.get(PAGE_PARAM))


def sign_in_if_missing(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a page public or private depending on its object (a question, a notice sent to some
    households): someone signed out who may not see it (404 or 403) is sent to sign-in and back
    here, as `unit_required` and `login_required` do, since it may be theirs once signed in (their
    session expired). Whether it exists is told to no one: a missing object does the same. Those
    signed in get the 404 or 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (Http404, PermissionDenied):
            if request.user.is_authenticated:
                raise
            return redirect_to_login(request.get_full_path())

    return wrapper
