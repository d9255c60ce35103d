"""Residents' questions and reports: the commune's categories (Open311 services), the requests, what
happened to each (asked, escalated, answered, reopened...), photos, in-app notifications and the
Open311 client keys."""

import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from caunoi.core.models import user_ref
from caunoi.territory import rollup


class Category(models.Model):
    """A commune's category of questions and reports; an Open311 service."""

    commune = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, related_name="feedback_categories"
    )
    code = models.CharField(_("service code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    group = models.CharField(pgettext_lazy("category", "group"), max_length=80, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    handler = models.CharField(
        _("department or officer at the commune"), max_length=120, blank=True
    )
    head_days = models.PositiveSmallIntegerField(_("working days for the head"), default=3)
    commune_days = models.PositiveSmallIntegerField(_("working days for the commune"), default=10)
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(default=0)
    # When the category last changed: the Open311 discovery's `changeset` is the latest of these.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("question", "category")
        verbose_name_plural = _("categories")
        ordering = ["commune", "order", "name"]

    def __str__(self) -> str:
        return self.name


class Tier(models.TextChoices):
    """Who a request is with: the head of its area, or the commune (not a level of the tree)."""

    HEAD = "head", _("Head of the area")
    COMMUNE = "commune", _("Commune")


class Status(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    RESOLVED = "resolved", _("Resolved")


class Kind(models.TextChoices):
    QUESTION = "question", _("Question")
    REPORT = "report", _("Report or petition")


STATS_COLUMNS = ["status", "due_date", "reopen_count", "answered_at"]


class RequestQuerySet(models.QuerySet):
    def on_ground(self, unit):
        """The requests in `unit` (a province, district, commune or area) and below it."""
        return rollup.on_ground(self, unit)

    def public(self):
        """What anyone may read: marked public, answered, not hidden."""
        return self.filter(public=True, hidden=False, status__in=[Status.ANSWERED, Status.RESOLVED])

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(status=Status.OPEN, due_date__lt=today)


@rollup.fact  # re-keyed when its area moves (territory restructurings)
class Request(models.Model):
    """A resident's question or report about a residential area."""

    # The four grounds' foreign keys lead the composite indexes below: no index of their own.
    area = models.ForeignKey(
        "territory.Unit",
        on_delete=models.PROTECT,
        related_name="feedback_requests",
        db_index=False,
    )
    # The area's path and its commune, district and province (the roll-up's level keys, filled by
    # `rollup.ground_keys`), kept here so that the requests of any ground are one equality filter
    # on an index ordered by date (see `on_ground`).
    path = models.CharField(max_length=80, editable=False)
    commune = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    district = models.ForeignKey(
        "territory.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
        db_index=False,
    )
    province = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.QUESTION)
    text = models.TextField(_("question or report"))
    public_text = models.TextField(_("text shown publicly"), blank=True)
    # What the public text is made from, as the head last wrote it before masking (private, like
    # `text`; empty: the question's own text), and what the head chose to show as written among
    # what the masking found (`core.redact`: a street named after a person, the commune's hotline).
    public_source = models.TextField(blank=True)
    public_kept = models.JSONField(default=list, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    public = models.BooleanField(_("may be shown publicly"), default=False)
    faq = models.BooleanField(_("frequently asked"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_requests",
    )
    recorded_by = user_ref(on_delete=models.SET_NULL, blank=True)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_phone = models.CharField(max_length=15, blank=True, db_index=True)
    # From an Open311 client (`email`, `media_url`): shown to the staff, never to the public; the
    # media is a link to the client's own copy, not fetched.
    contact_email = models.EmailField(max_length=254, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    client = models.ForeignKey(
        "feedback.ApiClient", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=40, unique=True)
    level = models.CharField(_("at"), max_length=10, choices=Tier.choices, default=Tier.HEAD)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    level_since = models.DateTimeField(default=timezone.now)
    due_date = models.DateField(_("due"))
    answer = models.TextField(_("answer"), blank=True)
    # The answer as the public reads it: masked like the question (`core.redact`); the asker and
    # the staff read `answer`. Answers given before it existed were masked by migration 0005.
    public_answer = models.TextField(blank=True)
    answered_by_level = models.CharField(max_length=10, choices=Tier.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    search_key = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("question or report")
        verbose_name_plural = _("questions and reports")
        ordering = ["-created_at", "-id"]
        indexes = [
            *[
                models.Index(fields=[level, "-created_at", "-id"], name=f"feedback_req_{level}")
                for level in ("area", "commune", "district", "province")
            ],
            *[
                models.Index(fields=[level, "status", "due_date"], name=f"feedback_due_{level}")
                for level in ("commune", "province")
            ],
            # Covering the statistics' grouping, so a province's million rows are read from the
            # index alone (5.5 s → 0.7 s on SQLite for 1,000,000 questions).
            *[
                models.Index(
                    fields=[level, "category", unit, *STATS_COLUMNS], name=f"feedback_stats_{level}"
                )
                for level, unit in (("province", "commune"), ("commune", "area"))
            ],
            models.Index(fields=["status", "level", "due_date"], name="feedback_req_climb"),
            models.Index(
                fields=["-created_at", "-id"],
                name="feedback_req_open311",
                condition=Q(public=True, hidden=False),
            ),
            models.Index(
                fields=["commune", "-answered_at"],
                name="feedback_req_answers",
                condition=Q(public=True, hidden=False),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == Status.OPEN and self.due_date < timezone.localdate()


class Event(models.Model):
    """One step in a request's life, for its history and the statistics."""

    class Kind(models.TextChoices):
        ASKED = "asked", _("Asked")
        ESCALATED = "escalated", _("Sent to the commune")
        AUTO_ESCALATED = "auto_escalated", _("Sent to the commune automatically (overdue)")
        RETURNED = "returned", _("Returned to the head")
        FORWARDED = "forwarded", _("Forwarded to another department")
        ANSWERED = "answered", _("Answered")
        RESOLVED = "resolved", _("Confirmed resolved")
        REOPENED = "reopened", _("Reopened")
        HIDDEN = "hidden", _("Hidden")
        EDITED = "edited", _("Public text edited")

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    level = models.CharField(max_length=10, choices=Tier.choices)
    actor = user_ref(on_delete=models.SET_NULL, blank=True)
    note = models.TextField(blank=True)
    # For answers: hours since the request reached this level (the statistics' median).
    hours = models.FloatField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"


def photo_path(instance, filename):
    return f"feedback/{timezone.now():%Y/%m}/{filename}"


class Photo(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path)
    content_type = models.CharField(max_length=40)
    public = models.BooleanField(_("shown publicly"), default=True)

    def __str__(self) -> str:
        return self.file.name or ""


class Notification(models.Model):
    """In-app notice to a resident (the outreach channels, where they exist, add theirs)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_notifications"
    )

    class Kind(models.TextChoices):
        ANSWERED = "answered", _("Your question has an answer")

    # What each kind says, rendered when read, in the reader's language (never stored as text).
    MESSAGES: dict[str, Any] = {
        Kind.ANSWERED: _("Your question #%(request)s has an answer. Has it been resolved?"),
    }
    FALLBACK = _("There is news about your question #%(request)s.")

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.ANSWERED)
    params = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["person", "read_at"])]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        """What happened, in the active language (the reader's)."""
        params = {
            "request": self.request_id,
            **(self.params if isinstance(self.params, dict) else {}),
        }
        template = self.MESSAGES.get(self.kind, self.FALLBACK)
        try:
            return str(template) % params
        except (KeyError, TypeError, ValueError):
            return str(self.FALLBACK) % {"request": self.request_id}


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiClient(models.Model):
    """An application allowed to post requests through Open311 (its api_key is shown once)."""

    name = models.CharField(_("application"), max_length=120)
    key_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name
