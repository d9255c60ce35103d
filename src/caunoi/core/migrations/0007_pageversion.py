from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0006_auditentry_on_behalf_of")]

    operations = [
        migrations.CreateModel(
            name="PageVersion",
            fields=[
                ("path", models.CharField(max_length=80, primary_key=True, serialize=False)),
                ("n", models.BigIntegerField(default=0)),
            ],
        ),
    ]
