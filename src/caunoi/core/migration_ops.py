"""Migration operations the apps share (kept stable: applied migrations import them)."""

from typing import Any

from django.db import migrations


def _rename(apps: Any, names: dict[str, str]) -> None:
    AuditEntry = apps.get_model("core", "AuditEntry")
    for old, new in names.items():
        AuditEntry.objects.filter(action=old).update(action=new)


class RenameAuditActions(migrations.RunPython):
    """Give audit entries written under old action names their new `<app>.<entity>.<past_verb>`
    names, so the change log shows one name and one label per action; reversible.

        RENAMED = {"outreach.acknowledged": "outreach.delivery.acknowledged"}
        operations = [RenameAuditActions(RENAMED)]

    The names are frozen in the migration: it must not change when the app's audit.py does."""

    def __init__(self, renamed: dict[str, str]) -> None:
        self.renamed = dict(renamed)
        super().__init__(self.forwards, self.backwards)

    def forwards(self, apps: Any, schema_editor: Any) -> None:
        _rename(apps, self.renamed)

    def backwards(self, apps: Any, schema_editor: Any) -> None:
        _rename(apps, {new: old for old, new in self.renamed.items()})
