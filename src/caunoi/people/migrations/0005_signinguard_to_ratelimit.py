# Sign-in attempts are counted by caunoi.core.ratelimit (core.RateCounter) from now on: the old
# lockout table goes. Locks in force when this runs are forgotten (they last 15 minutes at most).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_head_register"),
        ("core", "0005_ratecounter"),
    ]

    operations = [
        migrations.DeleteModel(name="SignInGuard"),
    ]
