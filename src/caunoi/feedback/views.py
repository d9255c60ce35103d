"""Pages for residents' questions and reports: thin views, one service each."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caunoi.core.exceptions import ApplicationError
from caunoi.core.submissions import submission_claim, submission_done
from caunoi.people import access
from caunoi.people import services as people_services
from caunoi.people.forms import CodeForm
from caunoi.people.phones import mask_phone
from caunoi.territory import selectors as territory_selectors
from caunoi.territory.models import Level as UnitLevel
from caunoi.territory.models import Unit

from . import permissions as perms
from . import selectors, services
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
from .models import Category, Level, Photo, Status

PREFIX_LEVEL = {
    "tinh": UnitLevel.PROVINCE,
    "huyen": UnitLevel.DISTRICT,
    "xa": UnitLevel.COMMUNE,
    "khu": UnitLevel.AREA,
}
PER_PAGE = 50
SESSION_DRAFT = "feedback_draft"
BACKEND = "caunoi.people.backends.PhoneOrUsernameBackend"


def _render(request, template: str, node: Unit, **context):
    context["ancestors"] = [*territory_selectors.unit_ancestors(node), node]
    return render(request, template, context)


def _form_error(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _area(code: str) -> Unit:
    area = Unit.objects.select_related("parent").filter(level=UnitLevel.AREA, code=code).first()
    if area is None or not area.is_current:
        raise Http404
    return area


def _ground(request, prefix: str, code: str, perm: str) -> Unit:
    level = PREFIX_LEVEL.get(prefix)
    if level is None:
        raise Http404
    return access.access_unit(user=request.user, level=level, code=code, perm=perm)


def _create(request, form, area, **extra):
    """One request from a valid form, once per submission key; returns the redirect."""
    data = form.cleaned_data
    with transaction.atomic():
        sub, first = submission_claim(key=data.get("submission"), actor=request.user)
        if not first:
            return redirect(sub.result_url or "feedback:mine")
        req = services.request_create(
            actor=request.user,
            area=area,
            category=data["category"],
            kind=data["kind"],
            text=data["text"],
            place=data["place"],
            public=data["public"],
            photos=data.get("photos") or [],
            **extra,
        )
        url = reverse("feedback:detail", args=[req.pk])
        submission_done(sub, url=url)
    return req, url


# --- Asking -------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def ask(request, code: str):
    area = _area(code)
    categories = selectors.commune_categories(area.parent)
    signed_in = request.user.is_authenticated
    form = AskForm(request.POST or None, request.FILES or None, categories=categories)
    contact = None if signed_in else ContactForm(request.POST or None, prefix="c")
    if not signed_in:
        del form.fields["photos"]
    if request.method == "POST" and form.is_valid() and (contact is None or contact.is_valid()):
        if signed_in:
            try:
                result = _create(request, form, area)
            except ValidationError as exc:
                _form_error(form, exc)
            except ApplicationError as exc:
                form.add_error(None, str(exc.message))
            else:
                if not isinstance(result, tuple):
                    return result
                req, url = result
                messages.success(
                    request,
                    _(
                        "Your question #%(id)s has been sent to the head of %(area)s, who should "
                        "answer by %(due)s."
                    )
                    % {"id": req.pk, "area": area.name, "due": req.due_date.strftime("%d/%m/%Y")},
                )
                return redirect(url)
        else:
            return _ask_send_code(request, area, form, contact)
    return _render(
        request,
        "feedback/ask.html",
        area,
        area=area,
        form=form,
        contact=contact,
        has_categories=categories.exists(),
    )


def _ask_send_code(request, area, form, contact):
    """Without an account: check the question, keep it in the session, send a code."""
    d = form.cleaned_data
    try:
        services.clean_text(
            d["text"], field="text", empty_message=_("Write your question or report.")
        )
        services.check_rate(contact.cleaned_data["phone"])
        people_services.person_get_or_create_by_phone(
            actor=None,
            phone=contact.cleaned_data["phone"],
            full_name=contact.cleaned_data["full_name"],
        )
        people_services.otp_request(phone=contact.cleaned_data["phone"])
    except ValidationError as exc:
        _form_error(form, exc)
    except ApplicationError as exc:
        if exc.code != "too_soon":
            form.add_error(None, str(exc.message))
        else:
            messages.info(request, exc.message)
            return _keep_draft(request, area, d, contact)
    else:
        return _keep_draft(request, area, d, contact)
    return _render(
        request,
        "feedback/ask.html",
        area,
        area=area,
        form=form,
        contact=contact,
        has_categories=True,
    )


def _keep_draft(request, area, d, contact):
    request.session[SESSION_DRAFT] = {
        "area": area.code,
        "category": d["category"].pk,
        "kind": d["kind"],
        "text": d["text"],
        "place": d["place"],
        "public": d["public"],
        "submission": d.get("submission") or "",
        "phone": contact.cleaned_data["phone"],
    }
    return redirect("feedback:ask_code")


@never_cache
@require_http_methods(["GET", "POST"])
def ask_code(request):
    draft = request.session.get(SESSION_DRAFT)
    if not draft:
        return redirect("core:home")
    area = _area(draft["area"])
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = people_services.otp_verify(
                phone=draft["phone"], code=form.cleaned_data["code"]
            )
        except ApplicationError as exc:
            form.add_error("code", str(exc.message))
        else:
            login(request, person, backend=BACKEND)
            request.session.pop(SESSION_DRAFT, None)
            category = Category.objects.filter(pk=draft["category"]).first()
            ask_form = AskForm(
                {**draft, "category": draft["category"], "public": draft["public"] or ""},
                categories=selectors.commune_categories(area.parent),
            )
            if category is None or not ask_form.is_valid():
                messages.error(request, _("The category is no longer in use. Please ask again."))
                return redirect("feedback:ask", code=area.code)
            try:
                result = _create(request, ask_form, area)
            except (ValidationError, ApplicationError) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
                return redirect("feedback:ask", code=area.code)
            if not isinstance(result, tuple):
                return result
            req, url = result
            messages.success(
                request,
                _("Your question #%(id)s has been sent to the head of %(area)s.")
                % {"id": req.pk, "area": area.name},
            )
            return redirect(url)
    return _render(
        request,
        "feedback/ask_code.html",
        area,
        area=area,
        form=form,
        masked_phone=mask_phone(draft["phone"]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def record(request, code: str):
    """A head (or officer) records a question a resident asked at a meeting or a visit."""
    area = access.access_unit(user=request.user, level=UnitLevel.AREA, code=code, perm=perms.ANSWER)
    if not area.is_current:
        raise Http404
    categories = selectors.commune_categories(area.parent)
    form = RecordForm(request.POST or None, request.FILES or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                person = people_services.person_get_or_create_by_phone(
                    actor=request.user,
                    phone=form.cleaned_data["phone"],
                    full_name=form.cleaned_data["full_name"],
                )
                result = _create(request, form, area, author=person)
        except ValidationError as exc:
            _form_error(form, exc)
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            if not isinstance(result, tuple):
                return result
            req, url = result
            messages.success(request, _("Question #%(id)s was recorded.") % {"id": req.pk})
            return redirect(url)
    return _render(
        request,
        "feedback/record.html",
        area,
        area=area,
        form=form,
        has_categories=categories.exists(),
    )


# --- One request --------------------------------------------------------------------------------


def detail(request, pk: int):
    try:
        req, staff = selectors.request_for(request.user, pk)
    except Http404:
        req = selectors.public_request(pk)
        return _render(
            request,
            "feedback/public_detail.html",
            req.area,
            req=req,
            photos=[p for p in req.photos.all() if p.public],
        )
    if request.user.is_authenticated:
        services.notifications_read(person=request.user, request=req)
    is_author = request.user.is_authenticated and req.author_id == request.user.pk
    can_act = staff and services.can_act(request.user, req) and not req.hidden
    acc = access.Access.for_user(request.user)
    context = {
        "req": req,
        "staff": staff,
        "is_author": is_author,
        "can_act": can_act and req.status == Status.OPEN,
        "can_escalate": can_act and req.status == Status.OPEN and req.level == Level.HEAD,
        "can_return": can_act
        and req.status == Status.OPEN
        and req.level == Level.COMMUNE
        and acc.can(perms.COMMUNE, req.area),
        "can_moderate": staff and acc.can(perms.ANSWER, req.area),
        "events": req.events.select_related("actor"),
        "photos": list(req.photos.all()),
        "confirm_form": ConfirmForm() if is_author and req.status == Status.ANSWERED else None,
        "note_form": NoteForm(),
        "return_form": ReturnForm(),
    }
    return _render(request, "feedback/detail.html", req.area, **context)


def _act(request, pk: int, fn, form_class, template: str, success: str, **form_kwargs):
    """A POST that runs one service on a request seen whole; a GET shows its form."""
    req, staff = selectors.request_for(request.user, pk)
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            fn(req, form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("feedback:detail", pk=req.pk)
        else:
            messages.success(request, success)
            return redirect("feedback:detail", pk=req.pk)
    return _render(request, template, req.area, req=req, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, pk: int):
    req, staff = selectors.request_for(request.user, pk)
    if not staff or not services.can_act(request.user, req):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return _act(
        request,
        pk,
        lambda r, d: services.request_answer(
            actor=request.user, request=r, answer=d["answer"], public_text=d["public_text"]
        ),
        AnswerForm,
        "feedback/answer.html",
        _("The answer was sent. The resident is asked whether it is resolved."),
        initial={"public_text": req.public_text},
    )


@login_required
@require_POST
def escalate(request, pk: int):
    return _act(
        request,
        pk,
        lambda r, d: services.request_escalate(actor=request.user, request=r, note=d["note"]),
        NoteForm,
        "feedback/detail.html",
        _("Sent to the commune."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def give_back(request, pk: int):
    return _act(
        request,
        pk,
        lambda r, d: services.request_return(actor=request.user, request=r, note=d["note"]),
        ReturnForm,
        "feedback/action.html",
        _("Returned to the head."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def forward(request, pk: int):
    req, _staff = selectors.request_for(request.user, pk)
    return _act(
        request,
        pk,
        lambda r, d: services.request_forward(
            actor=request.user, request=r, category=d["category"], note=d["note"]
        ),
        ForwardForm,
        "feedback/action.html",
        _("Passed on. The new due date counts from today."),
        categories=selectors.commune_categories(req.commune).exclude(pk=req.category_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request, pk: int):
    def run(r, d):
        services.request_confirm(
            actor=request.user, request=r, resolved=d["resolved"], reason=d["reason"]
        )

    req, _staff = selectors.request_for(request.user, pk)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run(req, form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("feedback:detail", pk=req.pk)
        else:
            if form.cleaned_data["resolved"]:
                messages.success(request, _("Thank you. The question is marked resolved."))
            else:
                messages.success(
                    request, _("The question is open again; you will be told of the next answer.")
                )
            return redirect("feedback:detail", pk=req.pk)
    return _render(request, "feedback/action.html", req.area, req=req, form=form, confirm=True)


@login_required
@require_http_methods(["GET", "POST"])
def hide(request, pk: int):
    return _act(
        request,
        pk,
        lambda r, d: services.request_hide(actor=request.user, request=r, reason=d["reason"]),
        HideForm,
        "feedback/action.html",
        _("The question is hidden. It stays in the change log with the reason."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, pk: int):
    req, staff = selectors.request_for(request.user, pk)
    photos = list(req.photos.all())
    return _act(
        request,
        pk,
        lambda r, d: services.request_publish_edit(
            actor=request.user,
            request=r,
            public_text=d["public_text"],
            faq=d["faq"],
            hidden_photos=d.get("hidden_photos") or [],
        ),
        PublishForm,
        "feedback/action.html",
        _("Saved: this is what the public page shows."),
        photos=photos,
        initial={
            "public_text": req.public_text,
            "faq": req.faq,
            "hidden_photos": [str(p.pk) for p in photos if not p.public],
        },
    )


@require_GET
def photo(request, pk: int):
    p = get_object_or_404(Photo.objects.select_related("request", "request__area"), pk=pk)
    try:
        selectors.request_for(request.user, p.request_id)
    except Http404:
        if not (p.public and selectors.public_request(p.request_id)):
            raise
    response = FileResponse(p.file.open("rb"), content_type=p.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Lists --------------------------------------------------------------------------------------


@login_required
def mine(request):
    return render(
        request, "feedback/mine.html", {"requests": selectors.my_requests(request.user)[:100]}
    )


def _page(request, qs):
    try:
        page = max(1, int(request.GET.get("trang", 1)))
    except ValueError:
        page = 1
    items = selectors.page_of(qs, (page - 1) * PER_PAGE, page * PER_PAGE + 1)
    return items[:PER_PAGE], page, len(items) > PER_PAGE


@login_required
def ground_list(request, prefix: str, code: str):
    ground = _ground(request, prefix, code, perms.VIEW)
    flt = request.GET.get("loc", "")
    qs = selectors.ground_requests(
        ground,
        status=flt if flt in Status.values else "",
        level=request.GET.get("cap", "") if request.GET.get("cap") in Level.values else "",
        overdue=flt == "qua-han",
    )
    items, page, has_next = _page(request, qs)
    acc = access.Access.for_user(request.user)
    return _render(
        request,
        "feedback/ground_list.html",
        ground,
        ground=ground,
        items=items,
        page=page,
        has_next=has_next,
        flt=flt,
        show_commune=ground.level < UnitLevel.COMMUNE,
        can_stats=acc.can(perms.STATS, ground),
        can_record=ground.level == UnitLevel.AREA and acc.can(perms.ANSWER, ground),
        can_categories=ground.level == UnitLevel.COMMUNE and acc.can(perms.COMMUNE, ground),
    )


@login_required
def stats(request, prefix: str, code: str):
    ground = _ground(request, prefix, code, perms.STATS)
    # Counted at most every few minutes: a province's figures group a million rows.
    figures = cache.get_or_set(
        f"feedback:stats:{ground.pk}",
        lambda: selectors.statistics_for(ground),
        settings.FEEDBACK_STATS_SECONDS,
    )
    return _render(request, "feedback/stats.html", ground, ground=ground, s=figures)


def faq(request, code: str):
    commune = get_object_or_404(Unit, level=UnitLevel.COMMUNE, code=code)
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    return _render(
        request,
        "feedback/faq.html",
        commune,
        commune=commune,
        form=form,
        q=q,
        faq_items=[] if q else selectors.public_answers(commune, faq=True, limit=50),
        results=selectors.public_answers(commune, q=q, limit=50) if q else [],
    )


def search(request):
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    unit = None
    if request.GET.get("don-vi"):
        unit = (
            Unit.objects.filter(pk=request.GET["don-vi"]).first()
            if request.GET["don-vi"].isdigit()
            else None
        )
    results = []
    if q:
        root = unit or Unit(pk=None)
        results = selectors.public_answers(root, q=q, limit=50)
    return render(
        request, "feedback/search.html", {"form": form, "q": q, "results": results, "unit": unit}
    )


# --- Categories ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def categories(request, code: str):
    commune = access.access_unit(
        user=request.user, level=UnitLevel.COMMUNE, code=code, perm=perms.COMMUNE
    )
    if request.method == "POST":
        services.categories_ensure_defaults(actor=request.user, commune=commune)
        messages.success(request, _("The usual categories were added. Adjust them as you need."))
        return redirect("feedback:categories", code=commune.code)
    return _render(
        request,
        "feedback/categories.html",
        commune,
        commune=commune,
        categories=selectors.commune_categories(commune, active_only=False),
    )


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request, code: str, pk: int):
    commune = access.access_unit(
        user=request.user, level=UnitLevel.COMMUNE, code=code, perm=perms.COMMUNE
    )
    category = get_object_or_404(Category, commune=commune, pk=pk)
    form = CategoryForm(
        request.POST or None,
        initial={
            "name": category.name,
            "handler": category.handler,
            "head_days": category.head_days,
            "commune_days": category.commune_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.category_update(actor=request.user, category=category, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Category %(name)s was saved.") % {"name": category.name})
            return redirect("feedback:categories", code=commune.code)
    return _render(
        request,
        "feedback/category_form.html",
        commune,
        commune=commune,
        category=category,
        form=form,
    )
