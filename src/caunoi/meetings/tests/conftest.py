import datetime

import pytest
from django.utils import timezone

from caunoi.meetings import services
from caunoi.meetings.models import Meeting
from caunoi.testing import add_household, plan_meeting

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
        phone, address = f"09120010{i:02d}", f"Số {i}, Khu 3"
        made.append(
            add_household(
                world.area_a1, i, f"Đại diện hộ {i}", phone=phone, address=address, members=3
            )
        )
    world.area_a1.refresh_from_db()
    return made


@pytest.fixture
def meeting(world, households):
    m = plan_meeting(world)
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
