"""The ledger's guard, closed on both databases (`caunoi.funds.guard`): DELETE refused on SQLite
too, TRUNCATE refused on PostgreSQL, the fund's tip only moves forward, and the checkpoints (tips
printed on published papers) are append-only like the entries. Each entry gets its seal (HMAC under
LEDGER_KEY): the existing ones are sealed here, with the guard stepped aside for that one UPDATE."""

import importlib

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from caunoi.funds import chain, guard


def seal_existing(apps, schema_editor):
    Entry = apps.get_model("funds", "Entry")
    rows = list(Entry.objects.filter(seal="").values_list("pk", "fund_id", "seq", "hash"))
    if not rows:
        return
    guard.remove(schema_editor)
    key = chain.ledger_key()
    with schema_editor.connection.cursor() as cur:
        for pk, fund_id, seq, h in rows:
            cur.execute(
                "UPDATE funds_entry SET seal = %s WHERE id = %s",
                [chain.seal(fund_id, seq, h, key=key), pk],
            )


def remove_0002(apps, schema_editor):
    """0002's trigger (UPDATE and DELETE on PostgreSQL, UPDATE only on SQLite) and its function."""
    importlib.import_module("caunoi.funds.migrations.0002_entry_append_only").down(
        apps, schema_editor
    )


def restore_0002(apps, schema_editor):
    importlib.import_module("caunoi.funds.migrations.0002_entry_append_only").up(
        apps, schema_editor
    )


def install(apps, schema_editor):
    guard.install(schema_editor)


def remove(apps, schema_editor):
    guard.remove(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("funds", "0005_decision_meeting_item")]

    operations = [
        # 0002's triggers go first (adding a column rebuilds the table on SQLite, and the seals
        # are written with an UPDATE); the whole guard is installed at the end.
        migrations.RunPython(remove_0002, restore_0002),
        migrations.AddField(
            model_name="entry",
            name="seal",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.CreateModel(
            name="Checkpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveIntegerField()),
                ("hash", models.CharField(max_length=64)),
                ("balance", models.BigIntegerField()),
                ("medium", models.CharField(choices=[("statement", "Statement (công khai thu – chi)"), ("poster", "Poster")], max_length=10)),
                ("published_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("fund", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="checkpoints", to="funds.fund")),
            ],
            options={
                "verbose_name": "checkpoint",
                "verbose_name_plural": "checkpoints",
                "ordering": ["fund_id", "-seq"],
                "constraints": [models.UniqueConstraint(fields=("fund", "seq"), name="checkpoint_one_per_seq")],
            },
        ),
        migrations.RunPython(install, remove),
    ]
