"""Directives get the level keys of their commune (`district`, `province`; `commune` they had) in
place of a copy of the commune's path, so that lesson 5 rolls up on `caunoi.territory.rollup`.
Existing rows are filled from the units' paths, one UPDATE per level; the path copied onto
directives goes (nothing reads it any more; going back restores it)."""

import django.db.models.deletion
from django.db import migrations, models

from caunoi.core.migration_ops import FillLevelKeys
from django.db.models import OuterRef, Subquery

FILL = FillLevelKeys("directives", "directive", of="commune", keys=("province", "district"))
keys_from_paths = FILL.forwards  # (the tests call it on a filled table)


def paths_from_communes(apps, schema_editor):
    Unit = apps.get_model("territory", "Unit")
    path = Unit.objects.filter(pk=OuterRef("commune_id")).values("path")[:1]
    apps.get_model("directives", "Directive").objects.update(path=Subquery(path))


def key(null: bool = True):
    return models.ForeignKey(
        db_index=False,  # (key, sent_at) below
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="territory.unit",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0002_audit_action_names"),
        ("territory", "0004_audit_action_names"),
    ]

    operations = [
        migrations.AddField(model_name="directive", name="district", field=key()),
        migrations.AddField(model_name="directive", name="province", field=key()),
        FILL,
        migrations.AlterField(model_name="directive", name="province", field=key(null=False)),
        migrations.AlterField(
            model_name="directive",
            name="commune",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="directives",
                to="territory.unit",
                verbose_name="commune",
            ),
        ),
        migrations.AddIndex(
            model_name="directive",
            index=models.Index(
                fields=["commune", "sent_at"], name="directives__commune_5afaa3_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="directive",
            index=models.Index(
                fields=["district", "sent_at"], name="directives__distric_497ac0_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="directive",
            index=models.Index(
                fields=["province", "sent_at"], name="directives__provinc_f99cb9_idx"
            ),
        ),
        # Going back: the path comes back empty (so nullable first), then is filled.
        migrations.AlterField(
            model_name="directive",
            name="path",
            field=models.CharField(db_index=True, editable=False, max_length=80, null=True),
        ),
        migrations.RunPython(migrations.RunPython.noop, paths_from_communes),
        migrations.RemoveIndex(model_name="directive", name="directives__path_e073dc_idx"),
        migrations.RemoveField(model_name="directive", name="path"),
    ]
