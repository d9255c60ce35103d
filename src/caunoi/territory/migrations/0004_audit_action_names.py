"""Audit entries recorded as `territory.unit.<restructuring kind>` get the declared past-tense
names (`territory.unit.renamed`, …), so the change log finds their labels."""

from django.db import migrations

OLD_TO_NEW = {
    "territory.unit.rename": "territory.unit.renamed",
    "territory.unit.move": "territory.unit.moved",
    "territory.unit.reclassify": "territory.unit.reclassified",
    "territory.unit.merge": "territory.unit.merged",
    "territory.unit.dissolve": "territory.unit.dissolved",
}


def rename(apps, schema_editor, mapping):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for old, new in mapping.items():
        AuditEntry.objects.filter(action=old).update(action=new)


def forwards(apps, schema_editor):
    rename(apps, schema_editor, OLD_TO_NEW)


def backwards(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in OLD_TO_NEW.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("territory", "0003_household_email"),
        ("core", "0005_ratecounter"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
