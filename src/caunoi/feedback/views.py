"""Pages for residents' questions and reports: thin views, one service each. Scoped objects come
from the access layer (`permissions`, `unit_required`); every form that writes goes through the
page kit (`form_page`, `write_once`)."""

import os

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from caunoi.accounts import services as accounts_services
from caunoi.accounts.forms import CodeForm
from caunoi.core import redact
from caunoi.core.audit import done_for
from caunoi.core.exceptions import ApplicationError
from caunoi.core.pagecache import public_page
from caunoi.core.pages import (
    SubmissionForm,
    bound,
    form_error,
    form_page,
    paginate,
    render,
    sign_in_if_missing,
    write_once,
)
from caunoi.core.params import db_id
from caunoi.core.phones import mask_phone
from caunoi.core.ratelimit import ip_address
from caunoi.core.responses import file_response
from caunoi.core.text import normalize
from caunoi.people import access
from caunoi.people.access import unit_required
from caunoi.territory import selectors as territory_selectors
from caunoi.territory.models import Level, Unit

from . import audit, permissions, policy, selectors, services
from .forms import (
    AnswerForm,
    AskForm,
    CategoryForm,
    ConfirmForm,
    ContactForm,
    ForwardForm,
    HideForm,
    NoteForm,
    PublishForm,
    RecordForm,
    ReturnForm,
    SearchForm,
)
from .models import Status, Tier

SESSION_DRAFT = "feedback_draft"
BACKEND = "caunoi.accounts.backends.PhoneOrUsernameBackend"


def _current_area(code: str) -> Unit:
    # public: any current residential area takes questions, from anyone.
    area = access.found(territory_selectors.unit_get(level=Level.AREA, code=code))
    if not area.is_current:
        raise Http404
    return area


def _categories(area: Unit):
    """The categories an area's residents ask under: its commune's."""
    if area.parent is None:  # an area always has its commune; a broken tree is a 404
        raise Http404
    return selectors.category_list(area.parent)


# --- Asking -------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def ask(request, code: str):
    area = _current_area(code)
    categories = _categories(area)
    # A page that links here may start the text (a meeting's agenda item: "About item …").
    start = normalize(request.GET.get("noi-dung", ""))[:300]
    form = AskForm(**bound(request, files=True), categories=categories, initial={"text": start})
    if not request.user.is_authenticated:
        return _ask_without_account(request, area, form, categories)
    return form_page(
        request,
        "feedback/ask.html",
        form,
        unit=area,
        write=lambda data: services.request_create(actor=request.user, area=area, **data),
        success=lambda req: (
            _(
                "Your question #%(id)s has been sent to the head of %(area)s, who should answer by "
                "%(due)s."
            )
            % {"id": req.pk, "area": area.name, "due": req.due_date.strftime("%d/%m/%Y")}
        ),
        area=area,
        contact=None,
        has_categories=categories.exists(),
    )


def _ask_without_account(request, area: Unit, form: AskForm, categories):
    """Check the question, keep it in the session, send a one-time code to the phone. No account
    is made until the code comes back: what the asker typed (the name) stays on the question."""
    del form.fields["photos"]
    contact = ContactForm(**bound(request), prefix="c")
    if request.method == "POST" and form.is_valid() and contact.is_valid():
        phone = contact.cleaned_data["phone"]
        name = contact.cleaned_data["full_name"]
        try:
            services.request_draft_check(text=form.cleaned_data["text"], phone=phone)
            accounts_services.otp_request(phone=phone, ip=ip_address(request), enrol=True)
        except ApplicationError as exc:
            if exc.code != "too_soon":
                form_error(form, exc)
            else:  # a code was sent a moment ago: it still works
                messages.info(request, exc.message)
                return _keep_draft(request, area, form.cleaned_data, phone, name)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            return _keep_draft(request, area, form.cleaned_data, phone, name)
    return render(
        request,
        "feedback/ask.html",
        unit=area,
        area=area,
        form=form,
        contact=contact,
        has_categories=categories.exists(),
    )


def _keep_draft(request, area: Unit, data: dict, phone: str, name: str):
    request.session[SESSION_DRAFT] = {
        "area": area.code,
        "category": data["category"].pk,
        "kind": data["kind"],
        "text": data["text"],
        "place": data["place"],
        "public": data["public"],
        "submission": data.get("submission") or "",
        "phone": phone,
        "full_name": name,
    }
    return redirect("feedback:ask_code")


@never_cache
@require_http_methods(["GET", "POST"])
def ask_code(request):
    draft = request.session.get(SESSION_DRAFT)
    if not draft:
        return redirect("core:home")
    area = _current_area(draft["area"])
    form = CodeForm(**bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            person = accounts_services.otp_verify(
                phone=draft["phone"],
                code=form.cleaned_data["code"],
                enrol_as=draft.get("full_name", ""),
            )
        except ApplicationError as exc:
            form.add_error("code", str(exc.message))
        else:
            login(request, person, backend=BACKEND)
            request.session.pop(SESSION_DRAFT, None)
            return _send_draft(request, area, draft)
    return render(
        request,
        "feedback/ask_code.html",
        unit=area,
        area=area,
        form=form,
        masked_phone=mask_phone(draft["phone"]),
    )


def _send_draft(request, area: Unit, draft: dict):
    """The question kept before the code, now from a signed-in asker (once per its key)."""
    form = AskForm(
        {**draft, "public": draft["public"] or ""},
        categories=_categories(area),
    )
    if not form.is_valid():
        messages.error(request, _("The category is no longer in use. Please ask again."))
        return redirect("feedback:ask", code=area.code)
    response = write_once(
        request,
        form,
        lambda data: services.request_create(
            actor=request.user, area=area, contact_name=draft.get("full_name", ""), **data
        ),
        success=lambda req: (
            _("Your question #%(id)s has been sent to the head of %(area)s.")
            % {"id": req.pk, "area": area.name}
        ),
    )
    if response is not None:
        return response
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("feedback:ask", code=area.code)


@unit_required(permissions.ANSWER, level=Level.AREA, current=True)
@require_http_methods(["GET", "POST"])
def record(request, unit: Unit):
    """A head (or officer) records a question a resident asked at a meeting or a visit."""
    categories = _categories(unit)
    form = RecordForm(**bound(request, files=True), categories=categories)
    return form_page(
        request,
        "feedback/record.html",
        form,
        unit=unit,
        write=lambda data: services.request_record(actor=request.user, area=unit, **data),
        success=lambda req: _("Question #%(id)s was recorded.") % {"id": req.pk},
        area=unit,
        has_categories=categories.exists(),
    )


# --- One request --------------------------------------------------------------------------------


@sign_in_if_missing
def detail(request, pk: int):
    """The request whole for its asker and the staff of its ground; its public page for anyone
    else once it is answered and shown; sign-in for someone signed out."""
    try:
        req = permissions.access_request(user=request.user, pk=pk, perm=permissions.VIEW)
    except (Http404, PermissionDenied):
        return _public_detail(request, pk)
    user = request.user
    services.notifications_read(person=user, request=req)
    staff = access.can(user, permissions.VIEW, req.area)
    is_author = req.author_id == user.pk
    is_open = req.status == Status.OPEN and not req.hidden
    can_act = staff and is_open and permissions.may_act(user, req)
    return render(
        request,
        "feedback/detail.html",
        unit=req.area,
        req=req,
        staff=staff,
        is_author=is_author,
        can_act=can_act,
        can_escalate=can_act and req.level == Tier.HEAD,
        can_return=is_open
        and req.level == Tier.COMMUNE
        and access.can(user, permissions.COMMUNE, req.area),
        can_moderate=staff and access.can(user, permissions.ANSWER, req.area),
        events=req.events.select_related("actor"),
        answered_for=done_for(req, audit.REQUEST_ANSWERED) if req.answer else None,
        photos=list(req.photos.all()),
        confirm_form=ConfirmForm() if is_author and req.status == Status.ANSWERED else None,
        **(_public_fields(request, req, AnswerForm) if can_act else {"answer_form": None}),
    )


def _public_detail(request, pk: int):
    req = selectors.request_public_get(pk)
    return render(
        request,
        "feedback/public_detail.html",
        unit=req.area,
        req=req,
        answered_for=done_for(req, audit.REQUEST_ANSWERED) if req.answer else None,
        photos=[p for p in req.photos.all() if p.public],
    )


def _act(
    request, req, form, service, success: str, template: str = "feedback/action.html", **context
):
    """A form about one request that runs one service on it (with the form's data, once per
    submission); back to the request afterwards."""
    return form_page(
        request,
        template,
        form,
        unit=req.area,
        write=lambda data: service(actor=request.user, request=req, **data),
        success=success,
        req=req,
        **context,
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, pk: int):
    req = permissions.access_request_to_act(user=request.user, pk=pk)
    fields = _public_fields(request, req, AnswerForm)
    if fields["checking"]:
        return render(request, "feedback/answer.html", unit=req.area, req=req, **fields)
    return _act(
        request,
        req,
        fields["form"],
        services.request_answer,
        _("The answer was sent. The resident is asked whether it is resolved."),
        template="feedback/answer.html",
        public=fields["public"],
        public_answer=fields["public_answer"],
    )


def _public_fields(request, req, form_class, **form_kwargs) -> dict:
    """A form carrying the text the public version is made from (`forms.PublicTextForm`), and
    that version as it would be published (`public`: the text, what was masked, what is kept as
    written; `public_answer`: the same for the answer, typed or given). On a POST of its "check"
    button the versions are made from what was typed and nothing is written (`checking`)."""
    posted = request.POST if request.method == "POST" else {}
    source = services.normalize_lines(posted.get("public_text") or "") or None
    answer = services.normalize_lines(posted.get("answer") or "") or req.answer
    people = services.public_people(req)
    public = services.public_version(req, people=people)
    found = list(public.found)
    if source:
        found += services.public_version(req, source, keep=(), people=people).found
    if answer:
        found += redact.redact(answer, people=people).found
    form = form_class(
        **bound(request),
        found=found,
        initial={"public_text": req.public_source or req.text, "keep": req.public_kept},
        **form_kwargs,
    )
    checking = request.method == "POST" and "check" in request.POST
    keep = req.public_kept
    if checking and form.is_valid():
        keep = form.cleaned_data.get("keep", [])
        public = services.public_version(req, source, keep, people=people)
    public_answer = redact.redact(answer, people=people, keep=keep) if answer else None
    return {
        "form": form,
        "answer_form": form,
        "public": public,
        "public_answer": public_answer,
        "checking": checking,
    }


@login_required
@require_http_methods(["GET", "POST"])
def escalate(request, pk: int):
    req = permissions.access_request_to_act(user=request.user, pk=pk)
    return _act(
        request,
        req,
        NoteForm(**bound(request)),
        services.request_escalate,
        _("Sent to the commune."),
        template="feedback/escalate.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def give_back(request, pk: int):
    req = permissions.access_request(user=request.user, pk=pk, perm=permissions.COMMUNE)
    return _act(
        request,
        req,
        ReturnForm(**bound(request)),
        services.request_return,
        _("Returned to the head."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def forward(request, pk: int):
    req = permissions.access_request(user=request.user, pk=pk, perm=permissions.COMMUNE)
    categories = selectors.category_list(req.commune).exclude(pk=req.category_id)
    return _act(
        request,
        req,
        ForwardForm(**bound(request), categories=categories),
        services.request_forward,
        _("Passed on. The new due date counts from today."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request, pk: int):
    req = permissions.access_own_request(user=request.user, pk=pk)
    return form_page(
        request,
        "feedback/action.html",
        ConfirmForm(**bound(request)),
        unit=req.area,
        write=lambda data: services.request_confirm(actor=request.user, request=req, **data),
        success=lambda r: (
            _("Thank you. The question is marked resolved.")
            if r.status == Status.RESOLVED
            else _("The question is open again; you will be told of the next answer.")
        ),
        req=req,
        confirm=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def hide(request, pk: int):
    req = permissions.access_request(user=request.user, pk=pk, perm=permissions.ANSWER)
    return _act(
        request,
        req,
        HideForm(**bound(request)),
        services.request_hide,
        _("The question is hidden. It stays in the change log with the reason."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, pk: int):
    req = permissions.access_request(user=request.user, pk=pk, perm=permissions.ANSWER)
    photos = list(req.photos.all())
    fields = _public_fields(request, req, PublishForm, photos=photos)
    form = fields["form"]
    if request.method != "POST":
        form.initial.update(faq=req.faq, hidden_photos=[str(p.pk) for p in photos if not p.public])
    if fields["checking"]:
        return render(request, "feedback/publish.html", unit=req.area, req=req, **fields)
    return _act(
        request,
        req,
        form,
        services.request_publish_edit,
        _("Saved: this is what the public page shows."),
        template="feedback/publish.html",
        public=fields["public"],
        public_answer=fields["public_answer"],
    )


@require_GET
@sign_in_if_missing
def photo(request, pk: int):
    """A question's photo: for its asker and staff, or for anyone once shown publicly."""
    try:
        p = permissions.access_photo(user=request.user, pk=pk, perm=permissions.VIEW)
    except (Http404, PermissionDenied):
        p = selectors.photo_public_get(pk)
    response = file_response(
        p.file.open("rb"),
        filename=os.path.basename(p.file.name or "anh"),
        content_type=p.content_type,
        inline=True,
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- Lists --------------------------------------------------------------------------------------


@login_required
def mine(request):
    page = paginate(request, selectors.request_list_asked_by(request.user))
    return render(
        request, "feedback/mine.html", page=page, ask_areas=selectors.ask_area_list(request.user)
    )


@unit_required(permissions.VIEW)
def ground_list(request, unit: Unit):
    flt = request.GET.get("loc", "")
    tier = request.GET.get("cap", "")
    page = paginate(
        request,
        selectors.request_list(
            unit,
            status=flt if flt in Status.values else "",
            tier=tier if tier in Tier.values else "",
            overdue=flt == "qua-han",
        ),
    )
    return render(
        request,
        "feedback/ground_list.html",
        unit=unit,
        page=page,
        flt=flt,
        show_commune=unit.level < Level.COMMUNE,
        can_stats=access.can(request.user, permissions.STATS, unit),
        can_record=unit.is_area
        and unit.is_current
        and access.can(request.user, permissions.ANSWER, unit),
        can_categories=unit.is_commune and access.can(request.user, permissions.COMMUNE, unit),
    )


@unit_required(permissions.STATS)
def stats(request, unit: Unit):
    # Counted at most every few minutes: a province's figures group a million rows.
    figures = cache.get_or_set(
        f"feedback:stats:{unit.pk}",
        lambda: selectors.request_statistics(unit),
        settings.FEEDBACK_STATS_SECONDS,
    )
    return render(request, "feedback/stats.html", unit=unit, s=figures)


@public_page(territory_selectors.unit_of_commune_page)
def faq(request, code: str):
    # public: a commune's frequently asked questions are for anyone.
    commune = access.found(territory_selectors.unit_get(level=Level.COMMUNE, code=code))
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request,
        "feedback/faq.html",
        unit=commune,
        commune=commune,
        form=form,
        q=q,
        faq_items=[] if q else selectors.request_public_list(commune, faq=True, limit=50),
        results=selectors.request_public_list(commune, q=q, limit=50) if q else [],
    )


def search(request):
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    unit = selectors.unit_public_get(db_id(request.GET.get("don-vi", "")))
    results = selectors.request_public_list(unit, q=q, limit=50) if q else []
    return render(request, "feedback/search.html", form=form, q=q, results=results, unit=unit)


# --- Categories ---------------------------------------------------------------------------------


@unit_required(permissions.COMMUNE, level=Level.COMMUNE, current=True)
@require_http_methods(["GET", "POST"])
def categories(request, unit: Unit):
    """The commune's categories; a commune without any adds the usual ones with one button."""
    url = reverse("feedback:categories", args=[unit.code])
    return form_page(
        request,
        "feedback/categories.html",
        SubmissionForm(**bound(request)),
        unit=unit,
        write=lambda data: services.categories_ensure_defaults(actor=request.user, commune=unit),
        next=url,
        success=_("The usual categories were added. Adjust them as you need."),
        commune=unit,
        categories=selectors.category_list(unit, active_only=False),
        rules=policy.DUE_RULES,
    )


@unit_required(permissions.COMMUNE, level=Level.COMMUNE, current=True)
@require_http_methods(["GET", "POST"])
def category_edit(request, unit: Unit, pk: int):
    category = permissions.access_category(user=request.user, pk=pk, perm=permissions.COMMUNE)
    if category.commune_id != unit.pk:  # another commune's, even one the officer keeps
        raise Http404
    form = CategoryForm(
        **bound(request),
        initial={
            "name": category.name,
            "handler": category.handler,
            "head_days": category.head_days,
            "commune_days": category.commune_days,
        },
    )
    return form_page(
        request,
        "feedback/category_form.html",
        form,
        unit=unit,
        write=lambda data: services.category_update(actor=request.user, category=category, **data),
        next=reverse("feedback:categories", args=[unit.code]),
        success=lambda c: _("Category %(name)s was saved.") % {"name": c.name},
        commune=unit,
        category=category,
        rules=policy.DUE_RULES,
    )
