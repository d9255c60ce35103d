"""Audit entries written before the actions followed <app>.<entity>.<past_verb> get the new names,
so the change log shows one name (and one label) per action."""

from django.db import migrations

from caunoi.core.migration_ops import RenameAuditActions

# Frozen here: a migration must not change when the app's audit.py does.
RENAMED = {
    "survey_campaign.create": "surveys.campaign.created",
    "survey_codes.issue": "surveys.codes.issued",
    "survey_form.import": "surveys.form.imported",
    "survey_responses.import": "surveys.responses.imported",
}


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("core", "0005_ratecounter"),
    ]

    operations = [RenameAuditActions(RENAMED)]
