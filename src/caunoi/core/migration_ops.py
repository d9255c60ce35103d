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


class FillLevelKeys(migrations.RunPython):
    """Fill a fact table's level-key columns (`caunoi.territory.rollup`) from the territory tree:
    each key is the unit of its level whose path starts the path of the unit the fact is about
    (`of`: "area" or "commune"); one UPDATE per key column, however many rows.

        FillLevelKeys("funds", "fund", of="area", keys=("commune", "district", "province"))

    Going back does nothing: the migration that added the columns drops them."""

    # Frozen here: a migration must not follow later edits of territory.models.Level.
    LEVELS = {"province": 1, "district": 2, "commune": 3}

    def __init__(self, app_label: str, model: str, *, of: str, keys: tuple[str, ...]) -> None:
        self.app_label, self.model, self.of, self.keys = app_label, model, of, keys
        super().__init__(self.forwards, migrations.RunPython.noop, elidable=False)

    def forwards(self, apps: Any, schema_editor: Any) -> None:
        table = apps.get_model(self.app_label, self.model)._meta.db_table
        units = apps.get_model("territory", "Unit")._meta.db_table
        if schema_editor.connection.vendor == "postgresql":  # no pending trigger events for ALTER
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for column in self.keys:
            schema_editor.execute(
                f"UPDATE {table} SET {column}_id = (SELECT above.id FROM {units} above, {units} u"
                f" WHERE u.id = {table}.{self.of}_id AND above.level = %s"
                " AND u.path LIKE above.path || '%%')",
                [self.LEVELS[column]],
            )
