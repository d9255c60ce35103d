"""The assignment actions get past-verb names (<app>.<entity>.<past_verb>): old change-log entries
are renamed so the log shows one label per action."""

from django.db import migrations

from caunoi.core.migration_ops import RenameAuditActions

# Frozen here: a migration must not change when the app's audit.py does.
RENAMED = {
    "directives.assignment.progress": "directives.assignment.progressed",
    "directives.assignment.notice": "directives.assignment.notified",
    "directives.assignment.done": "directives.assignment.completed",
    "directives.assignment.cannot": "directives.assignment.declined",
}


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0001_initial"),
        ("core", "0005_ratecounter"),
    ]

    operations = [RenameAuditActions(RENAMED)]
