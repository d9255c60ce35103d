"""The territory's audited actions (`<app>.<entity>.<past_verb>`), with their change-log labels."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.audit import action

from .models import Restructuring

UNIT_CREATED = action("territory.unit.created", _("Place added"))
UNIT_RENAMED = action("territory.unit.renamed", _("Place renamed"))
UNIT_MOVED = action("territory.unit.moved", _("Place moved to another unit"))
UNIT_RECLASSIFIED = action("territory.unit.reclassified", _("Kind of place changed"))
UNIT_MERGED = action("territory.unit.merged", _("Places merged"))
UNIT_DISSOLVED = action("territory.unit.dissolved", _("Place dissolved"))
UNIT_RETIRED = action("territory.unit.retired", _("Place retired"))
UNIT_CORRECTED = action("territory.unit.corrected", _("Name corrected"))
HOUSEHOLD_CREATED = action("territory.household.created", _("Household added"))
HOUSEHOLD_UPDATED = action("territory.household.updated", _("Household changed"))
IMPORT_QUEUED = action("territory.import.queued", _("List sent to be imported"))

# What a one-unit change (`services.unit_change`) records, by the kind of its restructuring.
UNIT_CHANGED = {
    Restructuring.Kind.RENAME: UNIT_RENAMED,
    Restructuring.Kind.MOVE: UNIT_MOVED,
    Restructuring.Kind.RECLASSIFY: UNIT_RECLASSIFIED,
}
