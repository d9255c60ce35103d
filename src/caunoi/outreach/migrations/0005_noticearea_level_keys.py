"""A notice's areas get the level keys of `territory.rollup` (commune, district, province), so the
reach roll-ups group on indexed columns instead of scanning paths. Existing rows are filled by one
UPDATE per level, from today's tree; the columns become required in 0006, in its own transaction
(PostgreSQL refuses to alter a table with the deferred key checks of this one's updates pending)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from caunoi.territory.models import Level


def backfill(apps, schema_editor):
    NoticeArea = apps.get_model("outreach", "NoticeArea")
    Unit = apps.get_model("territory", "Unit")

    def parent_of(column, **where):
        return Subquery(Unit.objects.filter(pk=OuterRef(column), **where).values("parent_id")[:1])

    # The commune: the area's parent.
    NoticeArea.objects.update(commune_id=parent_of("area_id"))
    # The district: the commune's parent when that is a district (none in a two-level province).
    NoticeArea.objects.update(district_id=parent_of("commune_id", parent__level=Level.DISTRICT))
    # The province: the district's parent, or else the commune's.
    NoticeArea.objects.update(
        province_id=Coalesce(parent_of("district_id"), parent_of("commune_id"))
    )


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
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
    ]
