"""Thin views: scope from the URL (`unit_required`) or the outreach access functions, reads through
selectors, writes through one service each, once per submission (`caunoi.core.pages`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caunoi.core.pagecache import public_page, reader_page
from caunoi.core.pages import (
    SubmissionForm,
    bound,
    button_post,
    form_page,
    paginate,
    render,
    sign_in_if_missing,
    write_once,
)
from caunoi.core.responses import file_response
from caunoi.directives import selectors as directive_selectors
from caunoi.people import access
from caunoi.people import selectors as people_selectors
from caunoi.people.access import unit_required
from caunoi.territory import selectors as territory_selectors
from caunoi.territory.models import Level

from . import documents, policy, selectors, services
from . import permissions as perms
from .forms import AudioForm, ChannelForm, ChannelFromMeetingForm, MarkForm, NoticeForm, SmsTextForm
from .models import Channel, Notice
from .wording import loudspeaker_script, sms_segments, unaccent


def _reach_url(notice: Notice) -> str:
    return reverse("outreach:reach", args=[notice.pk])


def _refused(request, form) -> None:
    """A refused one-button form (no page of its own to show it on): its errors as messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# --------------------------------------------------------------------------- heads and officers


@require_GET
@unit_required(perms.REACH, level=Level.AREA)
def area_notices(request, unit):
    can_publish = unit.is_current and access.can(request.user, perms.PUBLISH, unit)
    return render(
        request,
        "outreach/area_notices.html",
        unit=unit,
        page=paginate(request, selectors.notice_list(area=unit, drafts=can_publish)),
        can_publish=can_publish,
        channels=selectors.channel_decision_list(area=unit),
    )


@require_http_methods(["GET", "POST"])
@unit_required(perms.PUBLISH, level=(Level.AREA, Level.COMMUNE), current=True)
def notice_new(request, unit):
    """An area's head writes to its households; a commune's officer to some or all of its
    areas. The draft is checked on the next page before anything is sent."""
    areas = list(territory_selectors.unit_children(unit)) if unit.is_commune else None
    tasks = (
        directive_selectors.assignment_list_open_of_area(request.user, unit) if unit.is_area else []
    )
    form = NoticeForm(**bound(request, files=True), areas=areas, tasks=tasks)

    def write(data):
        chosen = set(data.pop("areas", None) or ())
        assignment = data.pop("assignment", None)
        return services.notice_create(
            actor=request.user,
            unit=unit,
            areas=[unit] if unit.is_area else [a for a in areas if not chosen or a.code in chosen],
            assignment=next((t for t in tasks if t.pk == assignment), None),
            **data,
        )

    return form_page(
        request,
        "outreach/notice_form.html",
        form,
        unit=unit,
        write=write,
        next=lambda notice: reverse("outreach:confirm", args=[notice.pk]),
        rules=[policy.SMS_MAX_SEGMENTS],
    )


def _published(notice: Notice) -> str:
    if notice.publish_at > timezone.now():
        return _("The notice will be published at the time you chose.")
    return ngettext(
        "The notice was published to %(n)s household.",
        "The notice was published to %(n)s households.",
        notice.households,
    ) % {"n": notice.households}


@login_required
@require_http_methods(["GET", "POST"])
def notice_confirm(request, pk: int):
    notice = perms.access_notice(user=request.user, pk=pk, perm=perms.PUBLISH)
    if notice.is_published:
        return redirect(_reach_url(notice))
    form = SubmissionForm(**bound(request))
    if request.method == "POST" and form.is_valid():
        response = write_once(
            request,
            form,
            lambda data: services.notice_publish(actor=request.user, notice=notice),
            next=_reach_url,
            success=_published,
        )
        if response is not None:
            return response
    targets = notice.scope
    reach = selectors.notice_reach_preview(targets)
    segments, units, gsm = sms_segments(notice.sms_text)
    plain = unaccent(notice.sms_text)
    return render(
        request,
        "outreach/notice_confirm.html",
        unit=notice.unit,
        form=form,
        notice=notice,
        targets=targets,
        households=reach.households,
        reach=reach,
        has_messages=any(r.channel != Channel.WEB for r in reach.rows),
        segments=segments,
        units=units,
        gsm=gsm,
        plain=plain if plain != notice.sms_text else "",
        plain_segments=sms_segments(plain)[0],
        rules=[policy.SMS_MAX_SEGMENTS],
    )


@login_required
@require_POST
def notice_unaccent(request, pk: int):
    notice = perms.access_notice(user=request.user, pk=pk, perm=perms.PUBLISH)
    form = SmsTextForm(request.POST)
    url = reverse("outreach:confirm", args=[notice.pk])
    if form.is_valid():
        response = write_once(
            request,
            form,
            lambda data: services.notice_set_sms_text(actor=request.user, notice=notice, **data),
            next=url,
            success=_("The SMS text is now without diacritics."),
        )
        if response is not None:
            return response
    _refused(request, form)
    return redirect(url)


@login_required
@require_GET
def notice_reach(request, pk: int):
    notice = perms.access_notice(user=request.user, pk=pk, perm=perms.REACH)
    targets = notice.scope
    areas = [t.area for t in targets]
    households = sum(t.households for t in targets)
    acknowledged = sum(t.acknowledged for t in targets)
    return render(
        request,
        "outreach/notice_reach.html",
        unit=notice.unit,
        notice=notice,
        targets=targets,
        households=households,
        acknowledged=acknowledged,
        share=acknowledged / households if households else 0,
        page=paginate(request, selectors.household_list_not_reached(notice=notice, areas=areas)),
        can_act=notice.is_published
        and any(access.can(request.user, perms.PUBLISH, a) for a in areas),
        messages_by_channel=selectors.delivery_summary(notice=notice, areas=areas),
        recent=selectors.acknowledgement_list(notice=notice, areas=areas)[:10],
    )


@login_required
@require_POST
def notice_remind(request, pk: int):
    notice = perms.access_notice(user=request.user, pk=pk, perm=perms.PUBLISH)

    def write():
        n = services.notice_remind(
            actor=request.user, notice=notice, areas=[t.area for t in notice.scope]
        )
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
        return notice

    return button_post(request, write, back=_reach_url(notice), next=_reach_url)


@login_required
@require_http_methods(["GET", "POST"])
def notice_mark(request, pk: int, household_code: str):
    notice, household = perms.access_notice_household(
        user=request.user, pk=pk, code=household_code, perm=perms.PUBLISH
    )
    form = MarkForm(**bound(request))

    def write(data):
        _ack, created = services.acknowledgement_record(
            notice=notice, household=household, by=request.user, **data
        )
        if created:
            messages.success(
                request,
                _("Household %(code)s (%(name)s) now counts as told.")
                % {"code": household.code, "name": household.representative_name},
            )
        else:
            messages.info(request, _("This household already knew the notice."))
        return notice

    return form_page(
        request,
        "outreach/notice_mark.html",
        form,
        unit=notice.unit,
        write=write,
        next=_reach_url,
        notice=notice,
        household=household,
    )


@require_http_methods(["GET", "POST"])
@unit_required(perms.PUBLISH, level=Level.AREA, current=True)
def area_channels(request, unit):
    form = ChannelForm(**bound(request))
    return form_page(
        request,
        "outreach/channels.html",
        form,
        unit=unit,
        write=lambda data: services.channel_decision_record(actor=request.user, area=unit, **data),
        next=reverse("outreach:channels", args=[unit.code]),
        success=_("The channel was recorded."),
        decisions=selectors.channel_decision_list(area=unit),
        from_meetings=services.meeting_channel_decisions(area=unit),
    )


@require_http_methods(["GET", "POST"])
@unit_required(perms.PUBLISH, level=Level.AREA, current=True)
def area_channel_from_meeting(request, unit):
    """Pick the passed meeting decision that chose a channel (R-5.2)."""
    form = ChannelFromMeetingForm(
        **bound(request), items=services.meeting_channel_decisions(area=unit)
    )
    return form_page(
        request,
        "outreach/channel_from_meeting.html",
        form,
        unit=unit,
        write=lambda data: services.channel_decision_record(actor=request.user, area=unit, **data),
        next=reverse("outreach:channels", args=[unit.code]),
        success=_("The channel was recorded."),
    )


@require_POST
@unit_required(perms.PUBLISH, level=Level.AREA, current=True)
def area_channel_drop(request, unit, pk: int):
    decision = perms.access_channel_decision(user=request.user, pk=pk, perm=perms.PUBLISH)
    if decision.area_id != unit.pk:
        raise Http404
    return button_post(
        request,
        lambda: services.channel_decision_remove(actor=request.user, decision=decision),
        back=reverse("outreach:channels", args=[unit.code]),
        success=_("The channel is no longer used."),
    )


@require_GET
@unit_required(perms.REACH)
def ground_reach(request, unit):
    return render(
        request,
        "outreach/ground_reach.html",
        unit=unit,
        rows=selectors.notice_reach_summary(unit=unit),
        can_publish=unit.is_commune
        and unit.is_current
        and access.can(request.user, perms.PUBLISH, unit),
    )


# --------------------------------------------------------------------------- residents, public


@require_GET
@public_page(selectors.notice_page_unit)
@sign_in_if_missing
def notice_detail(request, pk: int):
    notice = perms.access_notice_to_read(user=request.user, pk=pk)
    household = notice.household
    acknowledged = False
    if household is not None and notice.is_visible:
        services.delivery_mark_read(notice=notice, household=household)
        acknowledged = selectors.notice_acknowledged(notice, household=household)
    link = request.build_absolute_uri(notice.get_absolute_url())
    audios = [a for a in selectors.audio_list(notice=notice) if a.is_ready]
    listen = _("Listen: %(link)s") % {
        "link": request.build_absolute_uri(reverse("outreach:listen", args=[notice.pk]))
    }
    zalo_text = (
        f"{notice.title}\n\n{notice.body[:600]}{'…' if len(notice.body) > 600 else ''}\n\n{link}"
        + (f"\n{listen}" if audios else "")
    )
    return render(
        request,
        "outreach/notice_detail.html",
        notice=notice,
        household=household,
        acknowledged=acknowledged,
        zalo_text=zalo_text,
        link=link,
        attachments=selectors.attachment_list(notice=notice),
        can_reach=bool(notice.reach),
        broadcast=selectors.notice_needs_broadcast(notice),
        audio=audios[0] if audios else None,
    )


@login_required
@require_POST
def notice_acknowledge(request, pk: int):
    """The resident's "Got it" for their household."""
    notice = perms.access_notice_to_read(user=request.user, pk=pk)
    if not notice.is_visible:
        raise Http404
    household = notice.household
    if household is None:
        raise PermissionDenied  # they may read it, but it was not sent to a household of theirs
    return button_post(
        request,
        lambda: services.acknowledgement_record(
            notice=notice, household=household, how="web", by=request.user
        ),
        back=notice.get_absolute_url(),
        success=_("Thank you. The head knows that your household got this notice."),
    )


@require_GET
@sign_in_if_missing
def notice_attachment(request, pk: int, att: int):
    """An uploaded file: an image or PDF shown in the browser, anything else downloaded, always
    sandboxed (caunoi.core.responses)."""
    attachment = perms.access_attachment(user=request.user, notice_pk=pk, pk=att)
    return file_response(
        attachment.file.open("rb"),
        filename=attachment.name,
        content_type=attachment.content_type,
        inline=True,
    )


@require_GET
@public_page(selectors.notice_page_unit)
@sign_in_if_missing
def notice_print(request, pk: int):
    notice = perms.access_notice_to_read(user=request.user, pk=pk)
    return documents.notice_board_pdf(
        notice, link=request.build_absolute_uri(notice.get_absolute_url())
    )


@require_http_methods(["GET", "POST"])
@public_page(selectors.notice_page_unit)
@sign_in_if_missing
def notice_loudspeaker(request, pk: int):
    """The script to read aloud, its audio (listen, download for the loudspeaker operator), and
    for those who publish it, another voice or speed on request."""
    notice = perms.access_notice_to_read(user=request.user, pk=pk)
    can_speak = access.can(request.user, perms.PUBLISH, notice.unit) or any(
        access.can(request.user, perms.PUBLISH, t.area) for t in notice.reach
    )
    if request.method == "POST" and not can_speak:
        raise PermissionDenied
    form = AudioForm(**bound(request)) if can_speak else None
    url = reverse("outreach:loudspeaker", args=[notice.pk])
    if form is not None and request.method == "POST" and form.is_valid():
        response = write_once(
            request,
            form,
            lambda data: services.notice_audio_request(actor=request.user, notice=notice, **data),
            next=url,
            success=_("The audio is being made; it is ready in a minute."),
        )
        if response is not None:
            return response
    title, *script = loudspeaker_script(
        unit_name=notice.unit.name, announces=_("announces"), title=notice.title, body=notice.body
    )
    return render(
        request,
        "outreach/notice_loudspeaker.html",
        notice=notice,
        slots=selectors.notice_broadcast_schedule(notice),
        required=selectors.notice_needs_broadcast(notice),
        days=policy.BROADCAST_DAYS.value,
        rules=[policy.BROADCAST_DAYS],
        script_title=title,
        script=script,
        audios=selectors.audio_list(notice=notice),
        form=form,
    )


@require_GET
@sign_in_if_missing
def notice_audio(request, pk: int, audio: int):
    """The audio file: played in the page, or downloaded (`?tai=1`) for the loudspeaker."""
    notice = perms.access_notice_to_read(user=request.user, pk=pk)
    found = selectors.audio_get(notice=notice, pk=audio)
    if found is None:
        raise Http404
    return file_response(
        found.file.open("rb"),
        filename=f"{notice.title[:60]} ({found.get_voice_display()}).mp3",
        content_type="audio/mpeg",
        inline=not request.GET.get("tai"),
        untrusted=False,
    )


@require_GET
@sign_in_if_missing
def notice_listen(request, pk: int):
    """The short link an SMS carries: the notice's page, at its player."""
    notice = perms.access_notice_to_read(user=request.user, pk=pk)
    return redirect(notice.get_absolute_url() + "#nghe")


@login_required
@require_GET
@reader_page
def my_notices(request):
    """The signed-in resident's household page: its notices, newest first, unread marked."""
    households = people_selectors.household_list_represented(request.user)
    if not households:
        return render(request, "outreach/my_notices.html", households=[])
    household = next((h for h in households if h.code == request.GET.get("ho")), households[0])
    return render(
        request,
        "outreach/my_notices.html",
        households=households,
        household=household,
        page=paginate(request, selectors.delivery_list(household=household)),
    )
