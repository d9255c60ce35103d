from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caunoi.core.models import user_ref


class Publication(models.Model):
    """A survey campaign's aggregate results made public by a province, district or commune for
    its ground (province, district and commune levels, with suppression; never an area's, which
    would rate a named head). Withdrawn, never deleted."""

    campaign = models.ForeignKey(
        "surveys.Campaign", on_delete=models.PROTECT, related_name="publications"
    )
    unit = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    note = models.CharField(_("note for residents"), max_length=500, blank=True)
    published_by = user_ref(null=False)
    published_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = user_ref(blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit"],
                condition=Q(withdrawn_at__isnull=True),
                name="publication_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.unit_id}"

    def get_absolute_url(self) -> str:
        return reverse("reports:published", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None


class EmulationRules(models.Model):
    """A province's emulation rules (quy chế thi đua) for heads in one year: the criteria with
    their weights and targets, the score thresholds, and their legal basis. Each save is a new
    version; the newest is in force. A province without rules uses the shipped example
    (`scorecards.EXAMPLE`), marked as such."""

    province = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(default=1)
    # [{"key": "<indicator>:<column>", "weight": 30, "target": 0.9}, ...]
    criteria = models.JSONField()
    excellent = models.PositiveSmallIntegerField(_("excellent from (points)"))
    good = models.PositiveSmallIntegerField(_("good from (points)"))
    floor = models.PositiveSmallIntegerField(_("needs support below (points)"))
    basis = models.CharField(_("legal basis"), max_length=300)
    entered_by = user_ref()
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "version"], name="emulation_rules_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.province_id}/{self.year} v{self.version}"


class Award(models.TextChoices):
    """The commendation a commune proposes its heads for, and so who decides it."""

    COMMUNE = "commune", _("Certificate of merit of the commune chair")
    DISTRICT = "district", _("Certificate of merit of the district chair")
    PROVINCE = "province", _("Certificate of merit of the province chair")


class Proposal(models.Model):
    """A commune's proposal to commend some of its heads for a year (one per commune, year and
    award): the lines carry each head's scorecard as it stood when proposed. The deciding level
    approves, returns or refuses each line; once no line waits, the decision is issued."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the decision")
        RETURNED = "returned", _("Returned to the commune for changes")
        DECIDED = "decided", _("Decided")

    commune = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    award = models.CharField(_("commendation"), max_length=10, choices=Award.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    propose_by = models.DateField()  # the in-time rule's deadline for proposing this year
    decide_by = models.DateField()  # …and for deciding, from the (last) submission
    submitted_by = user_ref(null=False)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = user_ref(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    number = models.CharField(_("decision number"), max_length=40, blank=True)

    class Meta:
        ordering = ["-year", "-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year", "award"], name="commendation_proposal_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune_id}/{self.year}/{self.award}"

    def get_absolute_url(self) -> str:
        return reverse("reports:proposal", args=[self.pk])

    @property
    def proposed_late(self) -> bool:
        return timezone.localtime(self.submitted_at).date() > self.propose_by

    @property
    def decided_late(self) -> bool:
        """Decided after its deadline, or still undecided past it."""
        day = (
            timezone.localtime(self.decided_at).date()
            if self.decided_at is not None
            else timezone.localdate()
        )
        return day > self.decide_by


class ProposalLine(models.Model):
    """One head proposed: the written reason (amended only with a recorded reason), the
    scorecard snapshot, the decision on the line, and the head's consent to show it publicly."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for changes")
        REFUSED = "refused", _("Refused")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="lines")
    area = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commendation_lines"
    )
    role = models.CharField(max_length=20)  # head or deputy_head, when proposed
    reason = models.TextField(_("reason"), max_length=2000)
    scorecard = models.JSONField()  # the evidence as it stood when proposed
    score = models.FloatField(null=True)
    grade = models.CharField(max_length=10)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    note = models.CharField(_("reason of the decision"), max_length=1000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    amended_because = models.CharField(max_length=1000, blank=True)
    public = models.BooleanField(default=False)  # the head consents to the area's public page
    public_set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["area__code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "person"], name="commendation_line_once")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}/{self.person_id}"


class CommendationReminder(models.Model):
    """A reminder that a commendation deadline is near (in-app, on the commune's and the
    deciding level's pages): at most one per commune, year and kind."""

    class Kind(models.TextChoices):
        PROPOSE = "propose", _("Proposals are due soon")
        DECIDE = "decide", _("A decision is due soon")

    commune = models.ForeignKey("territory.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, null=True, blank=True)
    due = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year", "kind"], name="commendation_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune_id}/{self.year}/{self.kind}"


class ReportFigures(models.Model):
    """A unit's report for a year, computed and stored (pre-aggregated): the report page reads
    it, with its "as of" time. A write on the unit's ground moves the unit's page version
    (`core.pagecache`); a read that finds the stored figures older than that asks, through the
    outbox, for a refresh (at most one at a time), and meanwhile shows them with their time."""

    # None: the national report (every province; the tree's top is the province)
    unit = models.ForeignKey(
        "territory.Unit", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    year = models.PositiveSmallIntegerField()
    lang = models.CharField(max_length=8)
    version = models.BigIntegerField()  # the unit's page version the figures were computed at
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)  # how long the computation took
    refresh_asked_at = models.DateTimeField(null=True, blank=True)
    data = models.BinaryField()  # the report (selectors.Report), as written by this server

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "lang"], name="report_figures_once"),
            models.UniqueConstraint(
                fields=["year", "lang"],
                condition=models.Q(unit__isnull=True),
                name="report_figures_national_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id or 'national'}/{self.year}/{self.lang}"
