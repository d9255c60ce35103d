"""`OneTimeCode` and `ApiToken` now belong to `caunoi.accounts` (its 0001 put them in its state):
they leave people's state only. The database keeps both tables, under their old names."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_signinguard_to_ratelimit"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="OneTimeCode"),
                migrations.DeleteModel(name="ApiToken"),
            ],
        ),
    ]
