from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

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
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
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
