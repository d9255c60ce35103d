"""The reports app's writes (atomic, audited; the door checked the permission)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core.audit import audit_record
from caunoi.core.text import normalize

from . import audit
from .models import Publication


@transaction.atomic
def publication_create(*, actor: Any, campaign: Any, unit: Any, note: str = "") -> Publication:
    """Publish `campaign`'s aggregate results for `unit`'s ground (a province, district or
    commune inside the campaign's territory)."""
    if unit.is_area:
        raise ValidationError(_("An area's results are never published: they rate a named head."))
    if campaign.unit is not None and not unit.path.startswith(campaign.unit.path):
        raise ValidationError(_("This survey did not cover this unit."))
    if Publication.objects.filter(campaign=campaign, unit=unit, withdrawn_at=None).exists():
        raise ValidationError(_("These results are already public."))
    publication = Publication.objects.create(
        campaign=campaign, unit=unit, note=normalize(note), published_by=actor
    )
    audit_record(actor=actor, action=audit.PUBLISHED, obj=publication, unit=unit)
    return publication


@transaction.atomic
def publication_withdraw(*, actor: Any, publication: Publication) -> Publication:
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.withdrawn_at is None:
        publication.withdrawn_at = timezone.now()
        publication.withdrawn_by = actor
        publication.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit_record(actor=actor, action=audit.WITHDRAWN, obj=publication, unit=publication.unit)
    return publication


@transaction.atomic
def rules_save(
    *,
    actor: Any,
    province: Any,
    year: int,
    criteria: list[dict[str, Any]],
    excellent: int,
    good: int,
    floor: int,
    basis: str,
) -> Any:
    """A new version of the province's emulation rules for `year` (the earlier ones are kept)."""
    from .models import EmulationRules

    if sum(c["weight"] for c in criteria) != 100:
        raise ValidationError(_("The weights must add up to 100 points."))
    if not floor < good < excellent <= 100:
        raise ValidationError(
            _("The thresholds must rise: needs support < good < excellent ≤ 100 points.")
        )
    last = (
        EmulationRules.objects.select_for_update()
        .filter(province=province, year=year)
        .order_by("-version")
        .first()
    )
    rules = EmulationRules.objects.create(
        province=province,
        year=year,
        version=(last.version + 1) if last else 1,
        criteria=criteria,
        excellent=excellent,
        good=good,
        floor=floor,
        basis=normalize(basis),
        entered_by=actor,
    )
    audit_record(actor=actor, action=audit.RULES_SAVED, obj=rules, unit=province)
    return rules
