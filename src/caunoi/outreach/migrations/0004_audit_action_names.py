"""Audit entries written before the actions followed <app>.<entity>.<past_verb> get the new names,
so the change log shows one name (and one label) per action."""

from django.db import migrations

# Frozen here: a migration must not change when outreach/audit.py does.
RENAMED = {
    "outreach.channel_chosen": "outreach.channel.chosen",
    "outreach.channel_dropped": "outreach.channel.dropped",
    "outreach.notice_drafted": "outreach.notice.drafted",
    "outreach.notice_sms_text": "outreach.notice.sms_text_changed",
    "outreach.notice_published": "outreach.notice.published",
    "outreach.notice_reminded": "outreach.notice.reminded",
    "outreach.acknowledged": "outreach.delivery.acknowledged",
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
        ("outreach", "0003_delivery_recipient_email_and_reports"),
        ("core", "0005_ratecounter"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
