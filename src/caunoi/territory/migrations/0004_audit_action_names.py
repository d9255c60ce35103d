"""Audit entries recorded as `territory.unit.<restructuring kind>` get the declared past-tense
names (`territory.unit.renamed`, …), so the change log finds their labels."""

from django.db import migrations

from caunoi.core.migration_ops import RenameAuditActions

# Frozen here: a migration must not change when the app's audit.py does.
RENAMED = {
    "territory.unit.rename": "territory.unit.renamed",
    "territory.unit.move": "territory.unit.moved",
    "territory.unit.reclassify": "territory.unit.reclassified",
    "territory.unit.merge": "territory.unit.merged",
    "territory.unit.dissolve": "territory.unit.dissolved",
}


class Migration(migrations.Migration):
    dependencies = [
        ("territory", "0003_household_email"),
        ("core", "0005_ratecounter"),
    ]

    operations = [RenameAuditActions(RENAMED)]
