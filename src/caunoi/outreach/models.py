"""Notices, the channels each community chose, one delivery per household per channel, and
acknowledgements.

A published notice has one `Delivery` per household of its areas per household channel (the web
page always; SMS and Zalo when the area's community chose them), written in the transaction that
publishes it. SMS and Zalo deliveries are the outgoing messages themselves: the workers claim them
one by one (queued → sending → sent / failed) so that none is sent twice. Reminders are further
rounds of the same (round 1, 2, …) for the households not yet reached.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caunoi.core.models import user_ref
from caunoi.territory import rollup

if TYPE_CHECKING:
    from caunoi.territory.models import Household


class Channel(models.TextChoices):
    WEB = "web", _("Cầu Nối (the household's page)")
    SMS = "sms", _("SMS to the household representative")
    ZALO = "zalo", _("Zalo message")
    EMAIL = "email", _("E-mail")
    BOARD = "board", _("Printed notice board")
    LOUDSPEAKER = "loudspeaker", _("Loudspeaker")


# Channels that send a message to each household (the others are read or printed for everyone).
MESSAGE_CHANNELS = (Channel.SMS, Channel.ZALO, Channel.EMAIL)


class Category(models.TextChoices):
    POLICY = "policy", _("Policy and law")
    MEETING = "meeting", _("Meeting")
    CONTRIBUTION = "contribution", _("Contribution")
    LAND = "land", _("Land, planning and compensation")
    SECURITY = "security", _("Security and order")
    HEALTH = "health", _("Health")
    DISASTER = "disaster", _("Disaster warning")
    OTHER = "other", _("Other")


class ChannelDecision(models.Model):
    """A channel the area's community meeting agreed to use (a social network or SMS is a lawful
    channel only then: Luật Thực hiện dân chủ ở cơ sở 2022, Điều 13 khoản 4)."""

    area = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, related_name="channel_decisions"
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    decision = models.CharField(_("decision of the community meeting"), max_length=200)
    decided_on = models.DateField(_("date of the meeting"))
    # The passed decision of a meeting recorded on Cầu Nối that chose the channel; empty
    # for a choice made before Cầu Nối, typed in from its paper minutes (and shown as such).
    meeting_item = models.ForeignKey(
        "meetings.Item",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="channel_decisions",
        verbose_name=_("decision of the meeting"),
    )
    recorded_by = user_ref(on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["area_id", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["area", "channel"], name="one_decision_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.channel}"

    @property
    def is_typed(self) -> bool:
        """Typed in from paper minutes of a choice made before Cầu Nối."""
        return self.meeting_item_id is None


class Notice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    unit = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, related_name="notices", verbose_name=_("from")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notices"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=5000)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    is_public = models.BooleanField(_("public"), default=True)
    publish_at = models.DateTimeField(_("publish at"), default=timezone.now)
    ends_on = models.DateField(_("shown until"), null=True, blank=True)
    sms_text = models.CharField(_("SMS and Zalo text"), max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    households = models.PositiveIntegerField(default=0)
    # The commune's task this notice carries out: publishing it counts as progress on it.
    assignment = models.ForeignKey(
        "directives.Assignment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("carries out the task"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    # Not columns: set by outreach.permissions on the notice it hands to a view.
    scope: list["NoticeArea"]  # access_notice: its areas on which the user holds the permission
    reach: list["NoticeArea"]  # access_notice_to_read: its areas whose reach the user follows
    household: "Household | None"  # access_notice_to_read: the user's household it went to

    class Meta:
        ordering = ["-publish_at", "-id"]
        indexes = [models.Index(fields=["status", "is_public", "publish_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outreach:notice", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_visible(self) -> bool:
        return self.is_published and self.publish_at <= timezone.now()


@rollup.fact
class NoticeArea(models.Model):
    """An area a notice went to, with its counts kept by the services: the fact the reach
    roll-ups read (`territory.rollup`), one row per notice and area, where the deliveries are one
    per household and channel (a province's notice: a million). Its level keys are filled from
    the area when the notice is drafted and follow restructurings (`rollup.rekey`)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="targets")
    area = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="+")
    # Indexed with the notice below (ground, then notice), which also serves the foreign keys.
    commune = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    district = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    province = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    households = models.PositiveIntegerField(default=0)
    acknowledged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["area__code"]
        constraints = [models.UniqueConstraint(fields=["notice", "area"], name="notice_area_once")]
        indexes = [
            models.Index(fields=["commune", "notice"], name="noticearea_commune"),
            models.Index(fields=["district", "notice"], name="noticearea_district"),
            models.Index(fields=["province", "notice"], name="noticearea_province"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}/{self.area_id}"

    @property
    def share(self) -> float:
        return self.acknowledged / self.households if self.households else 0.0


class Attachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="outreach/%Y/%m/")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")  # on the household's page, or the gateway said so
        FAILED = "failed", _("Failed")

    # No index of their own: the unique (notice, household, channel, round) and the two indexes
    # below serve every read, and each index less is faster fan-out of a million rows.
    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    household = models.ForeignKey(
        "territory.Household", on_delete=models.PROTECT, related_name="deliveries", db_index=False
    )
    area = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    channel = models.CharField(max_length=12, choices=Channel.choices)
    round = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices)
    recipient = models.CharField(max_length=120, blank=True)  # a phone or an e-mail address
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "household", "channel", "round"], name="delivery_once"
            )
        ]
        indexes = [
            models.Index(fields=["notice", "status", "channel"], name="delivery_queue"),
            models.Index(fields=["household", "channel"], name="delivery_household"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}/{self.household_id}/{self.channel}/{self.round}"


class Acknowledgement(models.Model):
    class How(models.TextChoices):
        WEB = "web", _("Tapped “Got it” on Cầu Nối")
        SMS = "sms", _("Replied to the SMS")
        VISIT = "visit", _("Told in person at a visit")
        PHONE = "phone", _("Told by telephone")
        MEETING = "meeting", _("Told at a meeting")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="acknowledgements")
    household = models.ForeignKey(
        "territory.Household", on_delete=models.PROTECT, related_name="acknowledgements"
    )
    area = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="+")
    how = models.CharField(_("how"), max_length=10, choices=How.choices)
    by = user_ref(on_delete=models.SET_NULL)
    note = models.CharField(_("note"), max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "household"], name="acknowledged_once")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}/{self.household_id}"


class NoticeAudio(models.Model):
    """A notice's loudspeaker script spoken by a voice at a speed (made by a worker from the
    outbox: `outreach.speak`). One per notice, voice, speed and text: the text's hash keys it, so
    a changed text is spoken anew and the old audio is kept but no longer offered."""

    class Voice(models.TextChoices):
        NORTH = "vi", _("Northern voice")
        CENTRAL = "vi-VN-x-central", _("Central voice")
        SOUTH = "vi-VN-x-south", _("Southern voice")

    class Speed(models.IntegerChoices):
        SLOW = 130, _("Slow")
        NORMAL = 150, _("Normal")
        FAST = 175, _("Fast")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be made")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="audios")
    voice = models.CharField(_("voice"), max_length=20, choices=Voice.choices, default=Voice.NORTH)
    speed = models.PositiveSmallIntegerField(
        _("speed"), choices=Speed.choices, default=Speed.NORMAL
    )
    text_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    file = models.FileField(upload_to="outreach/audio/%Y/%m/", blank=True)
    size = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    requested_by = user_ref(on_delete=models.SET_NULL)
    requested_at = models.DateTimeField(default=timezone.now)
    made_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "voice", "speed", "text_hash"], name="notice_audio_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}/{self.voice}/{self.speed}"

    def get_absolute_url(self) -> str:
        return reverse("outreach:audio", args=[self.notice_id, self.pk])

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY
