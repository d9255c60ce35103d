from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_existing(apps, schema_editor):
    """Fill the new counter for data that already exists (the services keep it from now on)."""
    Unit = apps.get_model("territory", "Unit")
    Household = apps.get_model("territory", "Household")
    active = (
        Household.objects.filter(area=OuterRef("pk"), is_active=True)
        .order_by()
        .values("area")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Unit.objects.filter(level=4).update(household_count=Coalesce(Subquery(active), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("territory", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="household_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="households"),
        ),
        migrations.RunPython(count_existing, migrations.RunPython.noop),
    ]
