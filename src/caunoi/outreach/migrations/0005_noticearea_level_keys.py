"""A notice's areas get the level keys of `territory.rollup` (commune, district, province), so the
reach roll-ups group on indexed columns instead of scanning paths. Existing rows are filled by one
UPDATE per level, from today's tree; the columns become required in 0006, in its own transaction
(PostgreSQL refuses to alter a table with the deferred key checks of this one's updates pending)."""

import django.db.models.deletion
from django.db import migrations, models

from caunoi.core.migration_ops import FillLevelKeys


def key_column() -> models.ForeignKey:
    """A level key, optional until 0006 (the district's stays so: none in a two-level province)."""
    return models.ForeignKey(
        db_index=False,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="territory.unit",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0004_audit_action_names"),
        ("territory", "0004_audit_action_names"),
    ]

    operations = [
        *(
            migrations.AddField(model_name="noticearea", name=name, field=key_column())
            for name in ("commune", "district", "province")
        ),
        FillLevelKeys(
            "outreach", "noticearea", of="area", keys=("commune", "district", "province")
        ),
    ]
