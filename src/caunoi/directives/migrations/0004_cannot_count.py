from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    """The directives' "cannot be done" counter, recounted from their assignments."""
    Directive = apps.get_model("directives", "Directive")
    Assignment = apps.get_model("directives", "Assignment")
    cannot = (
        Assignment.objects.filter(directive=OuterRef("pk"), status="cannot")
        .order_by()
        .values("directive")
        .annotate(n=Count("id"))
        .values("n")
    )
    Directive.objects.update(cannot_count=Coalesce(Subquery(cannot), Value(0)))


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0003_level_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="directive",
            name="cannot_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
