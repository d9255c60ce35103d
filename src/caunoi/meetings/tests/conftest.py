import datetime

import pytest
from django.utils import timezone

from caunoi.meetings import services
from caunoi.meetings.models import Meeting
from caunoi.territory.services import household_create

HOUSEHOLDS = 10  # area_a1: the world's one household and nine more


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _english(english):
    """Messages are asserted by their English msgids (the root `english` fixture)."""


@pytest.fixture
def households(world):
    made = [world.household_a1]
    for i in range(2, HOUSEHOLDS + 1):
        made.append(
            household_create(
                actor=None,
                area=world.area_a1,
                code=f"08119-03-{i:03d}",
                address=f"Số {i}, Khu 3",
                representative_name=f"Đại diện hộ {i}",
                representative_phone=f"09120010{i:02d}",
                members=3,
            )
        )
    world.area_a1.refresh_from_db()
    return made


def plan(world, **kw):
    kw.setdefault("kind", "regular")
    kw.setdefault("title", "Họp khu dân cư cuối năm 2026")
    kw.setdefault("starts_at", timezone.now() + datetime.timedelta(days=7))
    kw.setdefault("place", "Nhà văn hóa Khu 3")
    kw.setdefault("convener_name", "Hoàng Văn Sơn")
    return services.meeting_create(
        actor=kw.pop("actor", world.head_a1), area=kw.pop("area", world.area_a1), **kw
    )


@pytest.fixture
def meeting(world, households):
    m = plan(world)
    services.item_add(
        actor=world.head_a1, meeting=m, title="Báo cáo kết quả năm 2026", kind="record"
    )
    services.item_add(
        actor=world.head_a1,
        meeting=m,
        title="Lập Quỹ khuyến học, mỗi hộ 100.000 đồng",
        kind="decision",
        matter="fund",
    )
    services.item_add(
        actor=world.head_a1, meeting=m, title="Góp ý dự thảo quy hoạch", kind="comment"
    )
    return m


def begin(meeting):
    """The meeting's day has come (an hour ago)."""
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    meeting.refresh_from_db()
    return meeting
