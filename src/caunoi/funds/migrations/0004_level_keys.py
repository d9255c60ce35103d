"""Funds get the level keys of their area (`commune`, `district`, `province`), so that the
overview rolls up on `caunoi.territory.rollup` instead of matching path prefixes. Existing rows are
filled from the units' paths, one UPDATE per level."""

import django.db.models.deletion
from django.db import migrations, models

# Frozen here: a migration must not follow later edits of territory.models.Level.
LEVELS = {"province": 1, "district": 2, "commune": 3}


def keys_from_paths(apps, schema_editor):
    """Each key is the unit of its level whose path starts the area's path (None if none)."""
    Fund = apps.get_model("funds", "Fund")
    units = apps.get_model("territory", "Unit")._meta.db_table
    table = Fund._meta.db_table
    if schema_editor.connection.vendor == "postgresql":  # no pending trigger events for ALTER
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for column, level in LEVELS.items():
        schema_editor.execute(
            f"UPDATE {table} SET {column}_id = (SELECT above.id FROM {units} above, {units} a"
            f" WHERE a.id = {table}.area_id AND above.level = %s"
            " AND a.path LIKE above.path || '%%')",
            [level],
        )


def key(null: bool = True):
    return models.ForeignKey(
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="territory.unit",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0003_invoice_public_copy"),
        ("territory", "0004_audit_action_names"),
    ]

    operations = [
        migrations.AddField(model_name="fund", name="commune", field=key()),
        migrations.AddField(model_name="fund", name="district", field=key()),
        migrations.AddField(model_name="fund", name="province", field=key()),
        migrations.RunPython(keys_from_paths, migrations.RunPython.noop),
        migrations.AlterField(model_name="fund", name="commune", field=key(null=False)),
        migrations.AlterField(model_name="fund", name="province", field=key(null=False)),
    ]
