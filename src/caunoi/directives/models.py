"""Work from the commune to its heads.

A `Directive` is written by a commune officer (a draft), checked for lead time and load, then sent:
each recipient area gets an `Assignment` that its head moves from unread to done. Nothing is ever
deleted: amendments are kept as `DirectiveChange`s, a withdrawn directive stays with its reason.

The lesson-5 figures are fixed when the directive is sent (lead time in working days, whether it
was below the minimum, each head's open load then, whether it came in a burst), and a directive
carries the level-key columns of its commune (`commune`, `district`, `province`), so roll-ups over
a district or a province are grouped aggregates over one table (`caunoi.territory.rollup`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from caunoi.core.models import user_ref
from caunoi.territory import rollup


class Category(models.TextChoices):
    ADMIN = "admin", pgettext_lazy("task category", "Administration")
    SECURITY = "security", _("Security and order")
    DISASTER = "disaster", _("Natural disaster prevention")
    HEALTH = "health", _("Health")
    SOCIAL = "social", _("Social affairs")
    ECONOMY = "economy", _("Economy and agriculture")
    CAMPAIGN = "campaign", _("Movements and campaigns")
    STATISTICS = "statistics", _("Statistics and surveys")
    OTHER = "other", _("Other")


@rollup.commune_fact
class Directive(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # The level keys of the commune that issued it (`rollup.commune_keys`): a district's or
    # province's directives are one equality match; restructurings re-key them.
    commune = models.ForeignKey(
        "territory.Unit",
        on_delete=models.PROTECT,
        related_name="directives",
        verbose_name=_("commune"),
        db_index=False,  # (commune, sent_at) below
    )
    district = models.ForeignKey(  # None in two-level Vietnam (since 1 July 2025)
        "territory.Unit", on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    province = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what to do"), max_length=10000)
    category = models.CharField(
        pgettext_lazy("task", "category"), max_length=16, choices=Category.choices
    )
    source_number = models.CharField(_("source document number"), max_length=80, blank=True)
    due_date = models.DateField(_("due date"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    all_areas = models.BooleanField(_("all residential areas"), default=False)
    version = models.PositiveIntegerField(default=1)
    # Fixed when sent (lesson 5).
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    lead_working_days = models.IntegerField(_("lead time (working days)"), null=True, blank=True)
    below_min_lead = models.BooleanField(default=False)
    over_cap = models.BooleanField(default=False)
    in_burst = models.BooleanField(default=False)
    # Counters kept by the services in the writer's transaction, so that a province's roll-up reads
    # ~11,000 directives instead of ~116,000 assignments (tests assert they never drift).
    recipients = models.PositiveIntegerField(default=0)
    done_count = models.PositiveIntegerField(default=0)
    on_time_count = models.PositiveIntegerField(default=0)
    cannot_count = models.PositiveIntegerField(default=0)  # closed as "cannot be done"
    peak_open = models.PositiveIntegerField(default=0)  # most open on one recipient, this included
    rush_reason = models.CharField(_("reason for sending anyway"), max_length=300, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = user_ref()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("task from the commune")
        verbose_name_plural = _("tasks from the commune")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["commune", "sent_at"]),
            models.Index(fields=["district", "sent_at"]),
            models.Index(fields=["province", "sent_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_withdrawn(self) -> bool:
        return self.state == self.State.WITHDRAWN

    @property
    def rushed(self) -> bool:
        """Sent with less warning than the commune's minimum lead time ("Giao gấp")."""
        return self.below_min_lead

    @property
    def overloads(self) -> bool:
        """Sent to at least one head already at the limit of open tasks (not a matter of time)."""
        return self.over_cap


def _upload_to(instance, filename):
    return f"directives/{timezone.now():%Y/%m}/{filename}"


class StoredFile(models.Model):
    """An uploaded file, checked by content: its stored file, the uploader's name for it, type and
    size (a directive's attachment, a report's evidence)."""

    file = models.FileField(upload_to=_upload_to, max_length=200)
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Attachment(StoredFile):
    """A file of the directive (PDF, DOCX, XLSX, image), its kind checked by content."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="attachments")


class DirectiveChange(models.Model):
    """An amendment or the withdrawal, as the heads see it: what changed, from what, to what."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="changes")
    version = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    actor = user_ref()
    changes = models.JSONField(default=dict)  # {field: [before, after]}
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.directive_id} v{self.version}"


class Status(models.TextChoices):
    UNREAD = "unread", _("Not yet received")
    ACKNOWLEDGED = "acknowledged", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANNOT = "cannot", _("Cannot be done")


OPEN = (Status.UNREAD, Status.ACKNOWLEDGED, Status.IN_PROGRESS)
CLOSED = (Status.DONE, Status.CANNOT)


class AssignmentQuerySet(models.QuerySet):
    def live(self):
        """Assignments of directives that were sent and not withdrawn."""
        return self.filter(directive__state=Directive.State.SENT)

    def open(self):
        return self.live().filter(status__in=OPEN)


class Assignment(models.Model):
    """One area's part of a directive, moved by its head."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="assignments")
    area = models.ForeignKey(
        "territory.Unit",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("residential area"),
    )
    commune = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=80, db_index=True, editable=False)  # the area's path
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("head when sent"),
    )
    status = models.CharField(
        _("state"), max_length=14, choices=Status.choices, default=Status.UNREAD
    )
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    note = models.CharField(_("latest note"), max_length=1000, blank=True)
    households_reached = models.PositiveIntegerField(_("households reached"), null=True, blank=True)
    # Fixed when sent: the head's open tasks just before this one, and the lead time given.
    open_before = models.PositiveSmallIntegerField(default=0)
    seen_version = models.PositiveIntegerField(default=1)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("task of an area")
        verbose_name_plural = _("tasks of areas")
        ordering = ["directive__due_date", "id"]
        indexes = [
            models.Index(fields=["area", "status"]),
            models.Index(fields=["commune", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["directive", "area"], name="assignment_once_per_area"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="assignment_percent_max"),
        ]

    def __str__(self) -> str:
        return f"{self.directive} — {self.area}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN and self.directive.state == Directive.State.SENT

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.directive.due_date < timezone.localdate()

    @property
    def changed_since_seen(self) -> bool:
        return self.seen_version < self.directive.version


class Report(models.Model):
    """One step the head took: received, progress, done (with evidence) or cannot do."""

    class Kind(models.TextChoices):
        ACKNOWLEDGE = "acknowledge", _("Received")
        PROGRESS = "progress", _("Progress")
        DONE = "done", _("Done")
        CANNOT = "cannot", _("Cannot be done")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    percent = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=1000, blank=True)
    households_reached = models.PositiveIntegerField(null=True, blank=True)
    by = user_ref(null=False)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.kind}"


class Evidence(StoredFile):
    """A photo or file attached to a report (photos stripped of EXIF/GPS)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")


class Reminder(models.Model):
    """A reminder to the head, in the inbox: before the due date, or once overdue."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "kind"], name="reminder_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.kind}"
