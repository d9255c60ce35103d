"""Funds get the level keys of their area (`commune`, `district`, `province`), so that the
overview rolls up on `caunoi.territory.rollup` instead of matching path prefixes. Existing rows are
filled from the units' paths, one UPDATE per level."""

import django.db.models.deletion
from django.db import migrations, models

from caunoi.core.migration_ops import FillLevelKeys

FILL = FillLevelKeys("funds", "fund", of="area", keys=("province", "district", "commune"))
keys_from_paths = FILL.forwards  # (the tests call it on a filled table)


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
        FILL,
        migrations.AlterField(model_name="fund", name="commune", field=key(null=False)),
        migrations.AlterField(model_name="fund", name="province", field=key(null=False)),
    ]
