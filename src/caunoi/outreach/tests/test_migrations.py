"""0005 fills the notice areas' level keys from the tree (one UPDATE per level), in both shapes."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from caunoi.territory.models import Level

BEFORE = [("outreach", "0004_audit_action_names")]
AFTER = [("outreach", "0006_noticearea_level_keys_required")]


@pytest.fixture
def migrate(transactional_db):
    def to(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield to
    to(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_existing_notice_areas_get_their_keys(migrate):
    apps = migrate(BEFORE)
    Unit = apps.get_model("territory", "Unit")
    Person = apps.get_model("people", "Person")
    Notice = apps.get_model("outreach", "Notice")
    NoticeArea = apps.get_model("outreach", "NoticeArea")

    def unit(level, code, parent=None):
        u = Unit.objects.create(level=level, code=code, kind="x", name=code, short_name=code,
                                parent=parent, path="")  # fmt: skip
        u.path = f"{parent.path if parent else '/'}{u.pk}/"
        u.save()
        return u

    p25 = unit(Level.PROVINCE, "25")
    district = unit(Level.DISTRICT, "230", p25)
    commune = unit(Level.COMMUNE, "08119", district)
    area = unit(Level.AREA, "08119-03", commune)
    p26 = unit(Level.PROVINCE, "26")
    ward = unit(Level.COMMUNE, "09001", p26)
    area26 = unit(Level.AREA, "09001-01", ward)
    author = Person.objects.create(full_name="Tác giả", username="tacgia")
    notice = Notice.objects.create(unit=p25, author=author, title="T", body="B", category="other")
    NoticeArea.objects.create(notice=notice, area=area, households=3)
    NoticeArea.objects.create(notice=notice, area=area26, households=2)

    apps = migrate(AFTER)
    NoticeArea = apps.get_model("outreach", "NoticeArea")
    keys = {
        row.area_id: (row.commune_id, row.district_id, row.province_id)
        for row in NoticeArea.objects.all()
    }
    assert keys == {area.pk: (commune.pk, district.pk, p25.pk), area26.pk: (ward.pk, None, p26.pk)}
