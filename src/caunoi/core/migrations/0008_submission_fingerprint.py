from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0007_pageversion")]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="fingerprint",
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
