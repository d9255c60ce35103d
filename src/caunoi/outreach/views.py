"""Thin views: access through caunoi.people.access, reads through selectors, writes through one
service each."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caunoi.core.submissions import submission_claim, submission_done
from caunoi.directives import selectors as directive_selectors
from caunoi.people import access
from caunoi.people.access import Access
from caunoi.territory import selectors as territory_selectors
from caunoi.territory.models import Household, Level, Unit

from . import documents, selectors, services
from . import permissions as perms
from .forms import ChannelForm, MarkForm, NoticeForm, SmsTextForm
from .models import MESSAGE_CHANNELS, Channel, Notice
from .wording import sms_segments, spoken, unaccent

PREFIX_LEVEL = {"tinh": Level.PROVINCE, "huyen": Level.DISTRICT, "xa": Level.COMMUNE}
PER_PAGE = 50


def _render(request, template: str, node: Unit, **context):
    context["ancestors"] = [*territory_selectors.unit_ancestors(node), node]
    return render(request, template, context)


def _bound(request, files=False) -> tuple:
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


def _current_area(request, code: str, perm: str) -> Unit:
    area = access.access_unit(user=request.user, level=Level.AREA, code=code, perm=perm)
    if not area.is_current:
        raise Http404
    return area


def _notice_for(request, pk: int, perm: str) -> tuple[Notice, list]:
    """The notice and its areas on which the user holds `perm`; 403 on their ground, 404 else."""
    notice = selectors.notice_get(pk)
    if notice is None:
        raise Http404
    targets = selectors.notice_areas_for(request.user, notice, perm)
    if not targets:
        access.check(request.user, perm, notice.unit)  # raises 403 or 404
    return notice, targets


# --------------------------------------------------------------------------- heads and officers


@require_GET
def area_notices(request, code: str):
    area = access.access_unit(user=request.user, level=Level.AREA, code=code, perm=perms.REACH)
    acc = Access.for_user(request.user)
    can_publish = area.is_current and acc.can(perms.PUBLISH, area)
    page = Paginator(selectors.area_notices(area, drafts=can_publish), 20).get_page(
        request.GET.get("trang")
    )
    return _render(
        request,
        "outreach/area_notices.html",
        area,
        area=area,
        page=page,
        can_publish=can_publish,
        channels=area.channel_decisions.all(),
    )


@require_http_methods(["GET", "POST"])
def notice_new(request, prefix: str, code: str):
    if prefix not in ("khu", "xa"):
        raise Http404
    level = Level.AREA if prefix == "khu" else Level.COMMUNE
    unit = access.access_unit(user=request.user, level=level, code=code, perm=perms.PUBLISH)
    if not unit.is_current:
        raise Http404
    choices = None
    tasks = []
    if level == Level.COMMUNE:
        choices = list(territory_selectors.unit_children(unit))
    else:
        tasks = directive_selectors.open_assignments_of_area(request.user, unit)
    form = NoticeForm(*_bound(request, files=True), areas=choices, tasks=tasks)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if level == Level.AREA:
            areas = [unit]
        else:
            chosen = set(data["areas"])
            areas = [a for a in choices if not chosen or a.code in chosen]
        with transaction.atomic():
            sub, first = submission_claim(key=data["submission"], actor=request.user)
            if not first:
                return redirect(sub.result_url or request.path)
            try:
                notice = services.notice_create(
                    actor=request.user,
                    unit=unit,
                    areas=areas,
                    title=data["title"],
                    body=data["body"],
                    category=data["category"],
                    is_public=data["is_public"],
                    publish_at=data["publish_at"],
                    ends_on=data["ends_on"],
                    sms_text=data["sms_text"],
                    files=data["files"],
                    assignment=next((t for t in tasks if t.pk == data.get("assignment")), None),
                )
            except ValidationError as exc:
                transaction.set_rollback(True)
                _form_error(form, exc)
            else:
                url = reversed_confirm(notice)
                submission_done(sub, url=url)
                return redirect(url)
    return _render(request, "outreach/notice_form.html", unit, unit=unit, form=form)


def reversed_confirm(notice: Notice) -> str:
    return reverse("outreach:confirm", args=[notice.pk])


@require_http_methods(["GET", "POST"])
def notice_confirm(request, pk: int):
    notice, targets = _notice_for(request, pk, perms.PUBLISH)
    if notice.is_published:
        return redirect("outreach:reach", pk=notice.pk)
    if request.method == "POST":
        with transaction.atomic():
            sub, first = submission_claim(key=request.POST.get("submission"), actor=request.user)
            if not first:
                return redirect(sub.result_url or reversed_confirm(notice))
            notice = services.notice_publish(actor=request.user, notice=notice)
            url = reverse("outreach:reach", args=[notice.pk])
            submission_done(sub, url=url)
        if notice.publish_at > timezone.now():
            messages.success(request, _("The notice will be published at the time you chose."))
        else:
            messages.success(
                request,
                ngettext(
                    "The notice was published to %(n)s household.",
                    "The notice was published to %(n)s households.",
                    notice.households,
                )
                % {"n": notice.households},
            )
        return redirect(url)
    channels = {Channel.WEB: sum(t.area.household_count for t in targets)}
    for area_id, channel in services.chosen_channels([t.area_id for t in targets]):
        if channel in MESSAGE_CHANNELS:
            households = next(t.area.household_count for t in targets if t.area_id == area_id)
            channels[channel] = channels.get(channel, 0) + households
    segments, units, gsm = sms_segments(notice.sms_text)
    plain = unaccent(notice.sms_text)
    return _render(
        request,
        "outreach/notice_confirm.html",
        notice.unit,
        notice=notice,
        targets=targets,
        households=sum(t.area.household_count for t in targets),
        channels=[(Channel(c).label, n) for c, n in sorted(channels.items())],
        has_messages=len(channels) > 1,
        segments=segments,
        units=units,
        gsm=gsm,
        plain=plain if plain != notice.sms_text else "",
        plain_segments=sms_segments(plain)[0],
        max_segments=settings.OUTREACH_SMS_MAX_SEGMENTS,
    )


@require_POST
def notice_unaccent(request, pk: int):
    notice, _targets = _notice_for(request, pk, perms.PUBLISH)
    form = SmsTextForm(request.POST)
    if form.is_valid():
        try:
            services.notice_set_sms_text(
                actor=request.user, notice=notice, sms_text=form.cleaned_data["sms_text"]
            )
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, _("The SMS text is now without diacritics."))
    return redirect("outreach:confirm", pk=notice.pk)


@require_GET
def notice_reach(request, pk: int):
    notice, targets = _notice_for(request, pk, perms.REACH)
    areas = [t.area for t in targets]
    page = Paginator(selectors.missing_households(notice, areas), PER_PAGE).get_page(
        request.GET.get("trang")
    )
    acc = Access.for_user(request.user)
    households = sum(t.households for t in targets)
    acknowledged = sum(t.acknowledged for t in targets)
    return render(
        request,
        "outreach/notice_reach.html",
        {
            "ancestors": [*territory_selectors.unit_ancestors(notice.unit), notice.unit],
            "notice": notice,
            "targets": targets,
            "households": households,
            "acknowledged": acknowledged,
            "share": acknowledged / households if households else 0,
            "page": page,
            "can_act": notice.is_published and any(acc.can(perms.PUBLISH, t.area) for t in targets),
            "messages_by_channel": selectors.message_summary(notice, areas),
            "recent": selectors.acknowledgements(notice, areas)[:10],
        },
    )


@require_POST
def notice_remind(request, pk: int):
    notice, targets = _notice_for(request, pk, perms.PUBLISH)
    with transaction.atomic():
        sub, first = submission_claim(key=request.POST.get("submission"), actor=request.user)
        if not first:
            return redirect("outreach:reach", pk=notice.pk)
        try:
            n = services.notice_remind(
                actor=request.user, notice=notice, areas=[t.area for t in targets]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("outreach:reach", pk=notice.pk)
        submission_done(sub, url="")
    if n:
        messages.success(
            request,
            ngettext(
                "A reminder is on its way to %(n)s household.",
                "A reminder is on its way to %(n)s households.",
                n,
            )
            % {"n": n},
        )
    else:
        messages.info(
            request,
            _(
                "No reminder sent: this area uses no SMS or Zalo channel, or everyone knows. "
                "Visit the households on the list."
            ),
        )
    return redirect("outreach:reach", pk=notice.pk)


@require_http_methods(["GET", "POST"])
def notice_mark(request, pk: int, household_code: str):
    notice, targets = _notice_for(request, pk, perms.PUBLISH)
    household = get_object_or_404(
        Household, code=household_code, area__in=[t.area for t in targets]
    )
    form = MarkForm(*_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            _ack, created = services.acknowledgement_record(
                notice=notice,
                household=household,
                how=form.cleaned_data["how"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            if created:
                messages.success(
                    request,
                    _("Household %(code)s (%(name)s) now counts as told.")
                    % {"code": household.code, "name": household.representative_name},
                )
            else:
                messages.info(request, _("This household already knew the notice."))
            return redirect("outreach:reach", pk=notice.pk)
    return render(
        request,
        "outreach/notice_mark.html",
        {
            "ancestors": [*territory_selectors.unit_ancestors(notice.unit), notice.unit],
            "notice": notice,
            "household": household,
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def area_channels(request, code: str):
    area = _current_area(request, code, perms.PUBLISH)
    form = ChannelForm(*_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_decision_record(actor=request.user, area=area, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The channel was recorded."))
            return redirect("outreach:channels", code=area.code)
    return _render(
        request,
        "outreach/channels.html",
        area,
        area=area,
        form=form,
        decisions=area.channel_decisions.select_related("recorded_by"),
    )


@require_POST
def area_channel_drop(request, code: str, pk: int):
    area = _current_area(request, code, perms.PUBLISH)
    decision = get_object_or_404(area.channel_decisions, pk=pk)
    services.channel_decision_remove(actor=request.user, decision=decision)
    messages.success(request, _("The channel is no longer used."))
    return redirect("outreach:channels", code=area.code)


@require_GET
def ground_reach(request, prefix: str, code: str):
    unit = access.access_unit(
        user=request.user, level=PREFIX_LEVEL[prefix], code=code, perm=perms.REACH
    )
    return _render(
        request,
        "outreach/ground_reach.html",
        unit,
        unit=unit,
        rows=selectors.ground_reach(unit),
        can_publish=unit.level == Level.COMMUNE
        and unit.is_current
        and Access.for_user(request.user).can(perms.PUBLISH, unit),
    )


# --------------------------------------------------------------------------- residents, public


def _may_read(request, notice: Notice):
    """(household or None). Public and visible: anyone. Otherwise residents who received it and
    those with reach on one of its areas; 404 for everyone else (a notice never hints)."""
    household = selectors.notice_household_for(request.user, notice)
    staff = bool(selectors.notice_areas_for(request.user, notice, perms.REACH)) or Access.for_user(
        request.user
    ).can(perms.PUBLISH, notice.unit)
    if staff:
        return household
    if notice.is_visible and (notice.is_public or household is not None):
        return household
    raise Http404


@require_GET
def notice_detail(request, pk: int):
    notice = selectors.notice_get(pk)
    if notice is None:
        raise Http404
    household = _may_read(request, notice)
    acknowledged = False
    if household is not None and notice.is_visible:
        services.delivery_mark_read(notice=notice, household=household)
        acknowledged = notice.acknowledgements.filter(household=household).exists()
    link = request.build_absolute_uri(notice.get_absolute_url())
    zalo_text = (
        f"{notice.title}\n\n{notice.body[:600]}{'…' if len(notice.body) > 600 else ''}\n\n{link}"
    )
    areas = list(notice.targets.select_related("area"))
    return render(
        request,
        "outreach/notice_detail.html",
        {
            "notice": notice,
            "household": household,
            "acknowledged": acknowledged,
            "zalo_text": zalo_text,
            "link": link,
            "areas": areas,
            "attachments": notice.attachments.all(),
            "can_reach": bool(selectors.notice_areas_for(request.user, notice, perms.REACH)),
            "broadcast": selectors.needs_broadcast(notice),
        },
    )


@require_POST
@login_required
def notice_acknowledge(request, pk: int):
    notice = selectors.notice_get(pk)
    if notice is None or not notice.is_visible:
        raise Http404
    household = selectors.notice_household_for(request.user, notice)
    if household is None:
        _may_read(request, notice)
        raise PermissionDenied
    services.acknowledgement_record(notice=notice, household=household, how="web", by=request.user)
    messages.success(request, _("Thank you. The head knows that your household got this notice."))
    return redirect(notice.get_absolute_url())


@require_GET
def notice_attachment(request, pk: int, att: int):
    notice = selectors.notice_get(pk)
    if notice is None:
        raise Http404
    _may_read(request, notice)
    attachment = get_object_or_404(notice.attachments, pk=att)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=False,
        filename=attachment.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def notice_print(request, pk: int):
    notice = selectors.notice_get(pk)
    if notice is None:
        raise Http404
    _may_read(request, notice)
    return documents.notice_board_pdf(
        notice, link=request.build_absolute_uri(notice.get_absolute_url())
    )


@require_GET
def notice_loudspeaker(request, pk: int):
    notice = selectors.notice_get(pk)
    if notice is None:
        raise Http404
    _may_read(request, notice)
    return render(
        request,
        "outreach/notice_loudspeaker.html",
        {
            "notice": notice,
            "slots": selectors.broadcast_schedule(notice),
            "required": selectors.needs_broadcast(notice),
            "days": settings.OUTREACH_BROADCAST_DAYS,
            "script_title": spoken(notice.title),
            "script": [spoken(p) for p in notice.body.split("\n") if p.strip()],
        },
    )


@login_required
@require_GET
def my_notices(request):
    """The signed-in resident's household page: its notices, newest first, unread marked."""
    households = selectors.resident_households(request.user)
    if not households:
        return render(request, "outreach/my_notices.html", {"households": []})
    household = households[0]
    if request.GET.get("ho"):
        household = next((h for h in households if h.code == request.GET["ho"]), household)
    page = Paginator(selectors.household_notices(household), 20).get_page(request.GET.get("trang"))
    return render(
        request,
        "outreach/my_notices.html",
        {"households": households, "household": household, "page": page},
    )
