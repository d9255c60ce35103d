"""Audit entries written before the actions followed <app>.<entity>.<past_verb> get the new names,
so the change log shows one name (and one label) per action."""

from django.db import migrations

# Frozen here: a migration must not change when surveys/audit.py does.
RENAMED = {
    "survey_campaign.create": "surveys.campaign.created",
    "survey_codes.issue": "surveys.codes.issued",
    "survey_form.import": "surveys.form.imported",
    "survey_responses.import": "surveys.responses.imported",
}


def rename(apps, schema_editor, names):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for old, new in names.items():
        AuditEntry.objects.filter(action=old).update(action=new)


def forwards(apps, schema_editor):
    rename(apps, schema_editor, RENAMED)


def backwards(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("core", "0005_ratecounter"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
