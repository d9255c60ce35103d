"""The assignment actions get past-verb names (<app>.<entity>.<past_verb>): old change-log entries
are renamed so the log shows one label per action."""

from django.db import migrations

# Frozen here: a migration must not follow later edits of audit.py.
RENAMED = {
    "directives.assignment.progress": "directives.assignment.progressed",
    "directives.assignment.notice": "directives.assignment.notified",
    "directives.assignment.done": "directives.assignment.completed",
    "directives.assignment.cannot": "directives.assignment.declined",
}


def forwards(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for old, new in RENAMED.items():
        AuditEntry.objects.filter(action=old).update(action=new)


def backwards(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for old, new in RENAMED.items():
        AuditEntry.objects.filter(action=new).update(action=old)


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0001_initial"),
        ("core", "0005_ratecounter"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
