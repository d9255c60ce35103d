"""Audit entries written before the actions followed <app>.<entity>.<past_verb> get the new names,
so the change log shows one name (and one label) per action."""

from django.db import migrations

from caunoi.core.migration_ops import RenameAuditActions

# Frozen here: a migration must not change when the app's audit.py does.
RENAMED = {
    "outreach.channel_chosen": "outreach.channel.chosen",
    "outreach.channel_dropped": "outreach.channel.dropped",
    "outreach.notice_drafted": "outreach.notice.drafted",
    "outreach.notice_sms_text": "outreach.notice.sms_text_changed",
    "outreach.notice_published": "outreach.notice.published",
    "outreach.notice_reminded": "outreach.notice.reminded",
    "outreach.acknowledged": "outreach.delivery.acknowledged",
}


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0003_delivery_recipient_email_and_reports"),
        ("core", "0005_ratecounter"),
    ]

    operations = [RenameAuditActions(RENAMED)]
