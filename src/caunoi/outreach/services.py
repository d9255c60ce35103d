"""Every write of the outreach app: keyword-only, atomic, audited."""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from caunoi.channels import DeliveryReport
from caunoi.core import pagecache, speech, uploads
from caunoi.core.audit import audit_change, audit_created, audit_record, snapshot
from caunoi.core.exceptions import ApplicationError
from caunoi.core.models import locked
from caunoi.core.outbox import outbox_add
from caunoi.core.text import normalize
from caunoi.directives import services as directive_services
from caunoi.meetings import selectors as meetings
from caunoi.people import selectors as people_selectors
from caunoi.territory import rollup
from caunoi.territory.models import Household, Unit

from . import audit, policy
from .models import (
    MESSAGE_CHANNELS,
    Acknowledgement,
    Attachment,
    Channel,
    ChannelDecision,
    Delivery,
    Notice,
    NoticeArea,
    NoticeAudio,
)
from .wording import sms_segments, speech_text, text_hash

TOPIC_DISPATCH = "outreach.dispatch"
TOPIC_SPEAK = "outreach.speak"
# A publication time this far in the past is taken as "now" (a slow form), beyond it an error.
PAST_TOLERANCE = datetime.timedelta(minutes=5)


# --------------------------------------------------------------------------- channels


def channel_decision_record(
    *,
    actor,
    area: Unit,
    channel: str,
    decision: str = "",
    decided_on: datetime.date | None = None,
    item_pk: int | None = None,
) -> ChannelDecision:
    """The area's community chose `channel` (R-5.2): by a passed decision of one of its meetings
    recorded on Cầu Nối (`item_pk`, a decision on how the community is informed), or, for a
    choice made before the area's first meeting recorded here, by the reference typed in from
    its paper minutes (`decision`, `decided_on`)."""
    errors: dict = {}
    if channel not in Channel.values or channel == Channel.WEB:
        errors["channel"] = _("Choose a channel from the list.")
    item = None
    if item_pk is not None:
        item = next((i for i in meeting_channel_decisions(area=area) if i.pk == item_pk), None)
        if item is None:
            errors["item_pk"] = _(
                "Choose a decision on how the community is informed that this area's meeting "
                "passed."
            )
        else:
            day = timezone.localtime(item.meeting.starts_at).date()
            decision = _("Item %(order)s of the meeting of %(date)s (%(title)s)") % {
                "order": item.order,
                "date": f"{day:%d/%m/%Y}",
                "title": item.meeting.title,
            }
            decision, decided_on = decision[:200], day
    else:
        decision = normalize(decision)
        if not decision:
            errors["decision"] = _(
                "Write the reference of the community meeting's decision (number or date of the "
                "minutes)."
            )
        if decided_on is None:
            errors["decided_on"] = _("Enter the date.")
        elif decided_on > timezone.localdate():
            errors["decided_on"] = _("The meeting's date cannot be in the future.")
        else:
            since = meetings.meeting_first_recorded_on(area=area)
            if since is not None and decided_on >= since:
                errors["decided_on"] = _(
                    "The area's meetings are recorded on Cầu Nối since %(date)s: choose the "
                    "channel from its meeting's decision instead of typing it in."
                ) % {"date": f"{since:%d/%m/%Y}"}
    if errors:
        raise ValidationError(errors)
    assert decided_on is not None  # the meeting's day, or the typed one checked above
    with transaction.atomic():
        row, created = ChannelDecision.objects.select_for_update().get_or_create(
            area=area,
            channel=channel,
            defaults={
                "decision": decision,
                "decided_on": decided_on,
                "meeting_item": item,
                "recorded_by": actor,
            },
        )
        fields = ["decision", "decided_on", "meeting_item"]
        before = None if created else snapshot(row, fields)
        if not created:
            row.decision, row.decided_on, row.recorded_by = decision, decided_on, actor
            row.meeting_item = item
            row.recorded_at = timezone.now()
            row.save()
        audit_record(
            actor=actor,
            action=audit.CHANNEL_CHOSEN,
            obj=row,
            unit=area,
            before=before,
            after=snapshot(row, ["channel", *fields]),
        )
    return row


def meeting_channel_decisions(*, area: Unit) -> list:
    """The area's passed meeting decisions on how the community is informed (Điều 13.4): what a
    channel choice may rest on (`caunoi.meetings.selectors`)."""
    return meetings.passed_decision_list(area=area, matters=("channels",))


def channel_decision_remove(*, actor, decision: ChannelDecision) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=audit.CHANNEL_DROPPED,
            obj=decision,
            unit=decision.area,
            before=snapshot(decision, ["channel", "decision", "decided_on"]),
        )
        decision.delete()


# --------------------------------------------------------------------------- notices


def _check_sms(text: str) -> None:
    segments, _units, _gsm = sms_segments(text)
    limit = policy.SMS_MAX_SEGMENTS.value
    if segments > limit:
        raise ValidationError(
            {
                "sms_text": _(
                    "The SMS text needs %(n)s messages; the limit is %(limit)s. Shorten it or use "
                    "the version without diacritics."
                )
                % {"n": segments, "limit": limit}
            }
        )


def notice_create(
    *,
    actor,
    unit: Unit,
    areas: list[Unit],
    title: str,
    body: str,
    category: str,
    is_public: bool = True,
    publish_at: datetime.datetime | None = None,
    ends_on: datetime.date | None = None,
    sms_text: str = "",
    files=(),
    assignment=None,
) -> Notice:
    """A draft notice from `unit` (an area, or a commune for some or all of its areas), optionally
    carrying out one of the area's open tasks (`assignment`: the door offers only the tasks the
    actor works on)."""
    title, body, sms_text = normalize(title), (body or "").strip(), normalize(sms_text)
    body = normalize_body(body)
    now = timezone.now()
    errors: dict = {}
    if not title:
        errors["title"] = _("Write a title.")
    if not body:
        errors["body"] = _("Write the text of the notice.")
    if publish_at and publish_at < now - PAST_TOLERANCE:
        errors["publish_at"] = _(
            "The publication time is in the past. Leave it empty to publish now."
        )
    publish_at = max(publish_at or now, now)
    if ends_on and ends_on < timezone.localtime(publish_at).date():
        errors["ends_on"] = _("The end date must come after the publication date.")
    areas = [a for a in areas if a.is_area and a.path.startswith(unit.path)]
    if not areas:
        errors["areas"] = _("Choose at least one residential area.")
    elif any(not a.is_current for a in areas):
        errors["areas"] = _("One of the residential areas no longer exists.")
    if assignment is not None and (
        len(areas) != 1 or assignment.area_id != areas[0].pk or not assignment.is_open
    ):
        errors["assignment"] = _("This task is not an open task of this residential area.")
    checked = []
    for f in files or ():
        try:
            checked.append((f, uploads.check_upload(f)))
        except ValidationError as exc:
            errors.setdefault("files", []).extend(exc.messages)
    if sms_text:
        try:
            _check_sms(sms_text)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        notice = Notice.objects.create(
            unit=unit,
            author=actor,
            title=title,
            body=body,
            category=category,
            is_public=is_public,
            publish_at=publish_at,
            ends_on=ends_on,
            sms_text=sms_text,
            assignment=assignment,
        )
        if not sms_text:
            notice.sms_text = default_sms_text(notice)
            notice.save(update_fields=["sms_text"])
        NoticeArea.objects.bulk_create(  # with the level keys of the reach roll-ups (no query)
            [
                NoticeArea(notice=notice, households=a.household_count, **rollup.ground_ids(a))
                for a in areas
            ]
        )
        for f, check in checked:
            if check.kind == uploads.IMAGE:
                f = uploads.strip_image(f)
            Attachment.objects.create(
                notice=notice,
                file=f,
                name=normalize(uploads.display_name(f))[:120],
                kind=check.kind,
                content_type=check.content_type,
                size=f.size,
            )
        audit_created(
            actor=actor,
            action=audit.NOTICE_DRAFTED,
            obj=notice,
            unit=unit,
            fields=["title", "category", "is_public", "publish_at", "ends_on"],
        )
    return notice


def normalize_body(body: str) -> str:
    """NFC and look-alike letters fixed, line breaks kept (light formatting is paragraphs)."""
    lines = [normalize(line) for line in body.replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines).strip()
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


def listen_link(notice: Notice) -> str:
    """The short link to hear the notice (its page, at the player)."""
    return f"{settings.SITE_URL.rstrip('/')}{reverse('outreach:listen', args=[notice.pk])}"


def default_sms_text(notice: Notice) -> str:
    """Title, link, "reply DB" (the title shortened, to no less than 20 characters, to stay
    within the limit); and the short link to hear it when that costs no extra SMS."""
    link = f"{settings.SITE_URL.rstrip('/')}{notice.get_absolute_url()}"
    with translation.override("vi"):
        reply = _("Reply DB once you know it.")
        listen = _("Listen: %(link)s") % {"link": listen_link(notice)}
    title = notice.title

    def compose(title: str) -> str:
        return f"{title}. {link} {reply}"

    limit = policy.SMS_MAX_SEGMENTS.value
    while sms_segments(compose(title))[0] > limit and len(title) > 20:
        title = title[: len(title) - 10].rstrip() + "…"
    text = compose(title)
    if sms_segments(f"{text} {listen}")[0] <= sms_segments(text)[0]:
        return f"{text} {listen}"
    return text


def notice_set_sms_text(*, actor, notice: Notice, sms_text: str) -> Notice:
    sms_text = normalize(sms_text)
    if notice.status != Notice.Status.DRAFT:
        raise ValidationError(_("This notice has already been published."))
    if not sms_text:
        raise ValidationError({"sms_text": _("Write the text of the SMS.")})
    _check_sms(sms_text)
    with transaction.atomic():
        with audit_change(
            actor=actor,
            action=audit.NOTICE_SMS_TEXT_CHANGED,
            obj=notice,
            unit=notice.unit,
            fields=["sms_text"],
        ):
            notice.sms_text = sms_text
            notice.save(update_fields=["sms_text"])
    return notice


AREAS_PER_STATEMENT = 200  # about 34,000 households: one INSERT … SELECT per channel per batch


def _fan_out(
    *, notice: Notice, areas: list[Unit], channels, round_: int, only_missing: bool
) -> dict[int, int]:
    """One delivery per household of `areas` per channel (the web page always, SMS and Zalo
    where the area chose them), written by the database itself in batches of areas (INSERT …
    SELECT: nothing per household passes through Python, so memory stays flat however many
    households). Returns {area id: households covered}."""
    household = Household._meta.db_table
    delivery = Delivery._meta.db_table
    ack = Acknowledgement._meta.db_table
    decision = ChannelDecision._meta.db_table
    now = timezone.now()
    with translation.override("vi"):
        no_phone = _("No phone number recorded for this household.")
        no_email = _("No e-mail address recorded for this household.")
    covered: dict[int, int] = {}
    with connection.cursor() as cursor:
        for i in range(0, len(areas), AREAS_PER_STATEMENT):
            ids = [a.pk for a in areas[i : i + AREAS_PER_STATEMENT]]
            marks = ", ".join(["%s"] * len(ids))
            where = f"h.area_id IN ({marks}) AND h.is_active = %s"
            where_params: list = [*ids, True]
            if only_missing:
                where += (
                    f" AND NOT EXISTS (SELECT 1 FROM {ack} a"
                    " WHERE a.notice_id = %s AND a.household_id = h.id)"
                )
                where_params.append(notice.pk)
            for channel in channels:
                if channel == Channel.WEB:
                    status_sql, reason_sql, chosen = "%s", "%s", ""
                    values: list[Any] = [Delivery.Status.DELIVERED, "", now]
                    chosen_params = []
                    column = "h.representative_phone"
                else:
                    column = "h.email" if channel == Channel.EMAIL else "h.representative_phone"
                    status_sql = reason_sql = f"CASE WHEN {column} = '' THEN %s ELSE %s END"
                    missing = no_email if channel == Channel.EMAIL else no_phone
                    values = [Delivery.Status.FAILED, Delivery.Status.QUEUED, missing, "", None]
                    chosen = (
                        f" AND EXISTS (SELECT 1 FROM {decision} c"
                        " WHERE c.area_id = h.area_id AND c.channel = %s)"
                    )
                    chosen_params = [channel]
                cursor.execute(
                    f"INSERT INTO {delivery} (notice_id, household_id, area_id, channel, round, "
                    "status, recipient, attempts, reason, sent_at) "
                    f"SELECT %s, h.id, h.area_id, %s, %s, {status_sql}, {column}, "
                    f"0, {reason_sql}, %s FROM {household} h WHERE {where}{chosen}",
                    [notice.pk, channel, round_, *values, *where_params, *chosen_params],
                )
            cursor.execute(
                f"SELECT d.area_id, COUNT(DISTINCT d.household_id) FROM {delivery} d "
                f"WHERE d.notice_id = %s AND d.round = %s AND d.area_id IN ({marks}) "
                "GROUP BY d.area_id",
                [notice.pk, round_, *ids],
            )
            covered.update(cursor.fetchall())
    return covered


def notice_publish(*, actor, notice: Notice) -> Notice:
    """Publish a draft: every household of its areas gets its deliveries, and the outgoing
    messages an outbox event, all in this transaction. Publishing twice publishes once."""
    with transaction.atomic():
        notice = locked(notice)
        if notice.status != Notice.Status.DRAFT:
            return notice
        now = timezone.now()
        if notice.publish_at < now:
            notice.publish_at = now
        targets = list(notice.targets.select_related("area"))
        covered = _fan_out(
            notice=notice,
            areas=[t.area for t in targets],
            channels=[Channel.WEB, *MESSAGE_CHANNELS],
            round_=0,
            only_missing=False,
        )
        for target in targets:
            target.households = covered.get(target.area_id, 0)
        NoticeArea.objects.bulk_update(targets, ["households"], batch_size=1000)
        total = sum(covered.values())
        notice.status = Notice.Status.PUBLISHED
        notice.published_at = now
        notice.households = total
        notice.save(update_fields=["status", "published_at", "households", "publish_at"])
        outbox_add(
            topic=TOPIC_DISPATCH, payload={"notice": notice.pk}, available_at=notice.publish_at
        )
        if settings.OUTREACH_AUDIO_ON_PUBLISH:
            _audio_queue(
                actor=actor,
                notice=notice,
                voice=NoticeAudio.Voice.NORTH,
                speed=NoticeAudio.Speed.NORMAL,
            )
        if notice.assignment is not None:
            try:
                directive_services.assignment_note_notice(
                    actor=actor,
                    assignment=notice.assignment,
                    notice_title=notice.title,
                    households=total,
                )
            except ApplicationError:
                pass  # the task was withdrawn (or not sent): the notice still goes

        audit_record(
            actor=actor,
            action=audit.NOTICE_PUBLISHED,
            obj=notice,
            unit=notice.unit,
            after={"households": total, "publish_at": notice.publish_at.isoformat()},
        )
    return notice


def notice_remind(*, actor, notice: Notice, areas: list[Unit]) -> int:
    """Send the notice again, by SMS and Zalo where the area chose them, to the households of
    `areas` that have not acknowledged it. Returns the number of households reminded."""
    if not notice.is_published:
        raise ValidationError(_("This notice has not been published yet."))
    with transaction.atomic():
        locked(notice)
        round_ = (notice.deliveries.aggregate(m=Max("round"))["m"] or 0) + 1
        covered = _fan_out(
            notice=notice,
            areas=areas,
            channels=MESSAGE_CHANNELS,
            round_=round_,
            only_missing=True,
        )
        reminded = sum(covered.values())
        if reminded:
            outbox_add(topic=TOPIC_DISPATCH, payload={"notice": notice.pk, "round": round_})
        audit_record(
            actor=actor,
            action=audit.NOTICE_REMINDED,
            obj=notice,
            unit=notice.unit,
            after={"round": round_, "households": reminded, "areas": [a.code for a in areas]},
        )
    return reminded


# --------------------------------------------------------------------------- acknowledgement


def acknowledgement_record(
    *, notice: Notice, household: Household, how: str, by=None, note: str = ""
) -> tuple[Acknowledgement, bool]:
    """The household knows the notice. Once per household: a second tap or mark keeps the first.
    Returns (acknowledgement, created)."""
    if how not in Acknowledgement.How.values:
        raise ValidationError({"how": _("Choose how the household was told.")})
    if not notice.deliveries.filter(household=household, channel=Channel.WEB).exists():
        raise ValidationError(_("This notice was not sent to this household."))
    note = normalize(note)[:200]
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(
                notice=notice,
                household=household,
                area_id=household.area_id,
                how=how,
                by=by,
                note=note,
            )
            NoticeArea.objects.filter(notice=notice, area_id=household.area_id).update(
                acknowledged=F("acknowledged") + 1
            )
            notice.deliveries.filter(
                household=household, channel=Channel.WEB, read_at__isnull=True
            ).update(read_at=ack.at)
            audit_record(
                actor=by,
                action=audit.DELIVERY_ACKNOWLEDGED,
                obj=ack,
                unit=household.area,
                after={"notice": notice.pk, "household": household.pk, "how": how, "note": note},
            )
    except IntegrityError:
        return Acknowledgement.objects.get(notice=notice, household=household), False
    return ack, True


def delivery_mark_read(*, notice: Notice, household: Household) -> None:
    """The household opened the notice on its page (no audit: a read, not a decision)."""
    with transaction.atomic():
        read = notice.deliveries.filter(
            household=household, channel=Channel.WEB, read_at__isnull=True
        ).update(read_at=timezone.now())
        if read:  # the count of unread notices on its representatives' home pages
            pagecache.bump_readers(*people_selectors.household_representative_ids(household))


def acknowledgement_from_sms(*, phone: str, text: str) -> Acknowledgement | None:
    """A household's reply to a notice's SMS: "DB" (or "Đã biết"), optionally followed by the
    notice's number, acknowledges that notice, or else the latest one sent by SMS to this phone
    that the household has not acknowledged. None when nothing matches (the reply is ignored)."""
    import re

    from caunoi.core.phones import normalize_phone
    from caunoi.core.text import fold

    words = fold(text).split()
    if not words:
        return None
    if words[0] == "db":
        rest = words[1:]
    elif words[:2] == ["da", "biet"]:
        rest = words[2:]
    else:
        return None
    try:
        phone = normalize_phone(phone)
    except ValidationError:
        return None
    sent = Delivery.objects.filter(
        recipient=phone, channel=Channel.SMS, status=Delivery.Status.SENT
    ).exclude(household__acknowledgements__notice_id=models.F("notice_id"))
    if rest and re.fullmatch(r"\d{1,10}", rest[0]):
        sent = sent.filter(notice_id=int(rest[0]))
    delivery = sent.select_related("notice", "household__area").order_by("-sent_at", "-pk").first()
    if delivery is None:
        return None
    ack, _created = acknowledgement_record(
        notice=delivery.notice, household=delivery.household, how=Acknowledgement.How.SMS
    )
    return ack


def delivery_report(*, report: DeliveryReport) -> Delivery | None:
    """The SMS gateway's delivery report for the message it was given with `reference` ("d<id>",
    see `dispatch`): sent → delivered, or failed with the gateway's reason. Unknown references, and
    reports for messages not (or no longer) "sent", change nothing and return None."""
    reference, delivered, reason = report.reference, report.delivered, report.reason
    if not (reference.startswith("d") and reference[1:].isdigit()):
        return None
    with transaction.atomic():
        d = (
            Delivery.objects.select_for_update()
            .filter(pk=int(reference[1:]), channel=Channel.SMS, status=Delivery.Status.SENT)
            .first()
        )
        if d is None:
            return None
        if delivered:
            d.status, d.reason = Delivery.Status.DELIVERED, ""
        else:
            d.status, d.reason = Delivery.Status.FAILED, normalize(reason)[:200] or "gateway"
        d.save(update_fields=["status", "reason"])
    return d


# --------------------------------------------------------------------------- audio


def notice_speech_text(notice: Notice) -> str:
    return speech_text(unit_name=notice.unit.name, title=notice.title, body=notice.body)


def _audio_queue(*, actor, notice: Notice, voice: str, speed: int) -> tuple[NoticeAudio, bool]:
    """The audio of the notice's current text in this voice and speed, asked of a worker through
    the outbox unless it exists (a failed one is asked again). Inside the writer's transaction."""
    audio, created = NoticeAudio.objects.get_or_create(
        notice=notice,
        voice=voice,
        speed=speed,
        text_hash=text_hash(notice_speech_text(notice)),
        defaults={"requested_by": actor},
    )
    if created or audio.status == NoticeAudio.Status.FAILED:
        if not created:
            audio.status, audio.error, audio.requested_by = NoticeAudio.Status.WAITING, "", actor
            audio.requested_at = timezone.now()
            audio.save(update_fields=["status", "error", "requested_by", "requested_at"])
        outbox_add(topic=TOPIC_SPEAK, payload={"audio": audio.pk})
    return audio, created


def notice_audio_request(*, actor, notice: Notice, voice: str, speed: int) -> NoticeAudio:
    """The head asks for the notice spoken in another voice or at another speed."""
    errors = {}
    if voice not in NoticeAudio.Voice.values:
        errors["voice"] = _("Choose a voice from the list.")
    if speed not in NoticeAudio.Speed.values:
        errors["speed"] = _("Choose a speed from the list.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        audio, created = _audio_queue(actor=actor, notice=notice, voice=voice, speed=speed)
        if created:
            audit_record(
                actor=actor,
                action=audit.AUDIO_REQUESTED,
                obj=audio,
                unit=notice.unit,
                after={"voice": voice, "speed": speed},
            )
    return audio


def notice_audio_make(*, audio_id: int) -> NoticeAudio | None:
    """Speak a waiting audio (the worker's job; a second run of a made one does nothing). The
    text spoken is the notice's current one if it still matches what was asked; a changed text
    has its own audio."""
    audio = NoticeAudio.objects.select_related("notice__unit").filter(pk=audio_id).first()
    if audio is None or audio.status != NoticeAudio.Status.WAITING:
        return audio
    text = notice_speech_text(audio.notice)
    if text_hash(text) != audio.text_hash:
        audio.status, audio.error = NoticeAudio.Status.FAILED, "text changed"
        audio.save(update_fields=["status", "error"])
        return audio
    try:
        spoken = speech.speak(text, voice=audio.voice, rate=audio.speed)
    except speech.SpeechUnavailable as exc:
        audio.status, audio.error = NoticeAudio.Status.FAILED, str(exc)[:200]
        audio.save(update_fields=["status", "error"])
        return audio
    audio.file.save(
        f"thong-bao-{audio.notice_id}-{audio.voice}-{audio.speed}.{spoken.extension}",
        ContentFile(spoken.data),
        save=False,
    )
    audio.size, audio.seconds = len(spoken.data), round(spoken.seconds, 1)
    audio.status, audio.made_at = NoticeAudio.Status.READY, timezone.now()
    with transaction.atomic():
        audio.save(update_fields=["file", "size", "seconds", "status", "made_at"])
        pagecache.bump(audio.notice.unit)  # the public notice pages now carry the player
    return audio
