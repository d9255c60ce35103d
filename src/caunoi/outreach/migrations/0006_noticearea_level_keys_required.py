"""Every notice area now has its commune and province (0005 filled them): required from here on,
and each key indexed ground first, then notice, as the reach roll-ups read them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("outreach", "0005_noticearea_level_keys")]

    operations = [
        *(
            migrations.AlterField(
                model_name="noticearea",
                name=name,
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to="territory.unit",
                ),
            )
            for name in ("commune", "province")
        ),
        *(
            migrations.AddIndex(
                model_name="noticearea",
                index=models.Index(fields=[name, "notice"], name=f"noticearea_{name}"),
            )
            for name in ("commune", "district", "province")
        ),
    ]
