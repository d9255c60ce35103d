import datetime

import pytest

from caunoi.outreach import services
from caunoi.outreach.models import Channel
from caunoi.testing import add_household


@pytest.fixture
def outreach(world, settings):
    """The world with three households in Khu 3 (one without a phone) and SMS + Zalo chosen."""
    settings.SMS_BACKEND = "file"
    settings.ZALO_BACKEND = "file"
    settings.ZALO_FILE_PATH = settings.SMS_FILE_PATH.replace("sms.jsonl", "zalo.jsonl")
    area = world.area_a1
    world.household_a1b = add_household(
        area, 2, "Trần Văn Tú", phone="0912000112", address="Số 2, Khu 3"
    )
    world.household_a1c = add_household(area, 3, "Lý Thị Lan", address="Số 3, Khu 3", members=1)
    world.area_a1.refresh_from_db()
    for channel in (Channel.SMS, Channel.ZALO):
        services.channel_decision_record(
            actor=world.head_a1,
            area=world.area_a1,
            channel=channel,
            decision="Biên bản họp khu dân cư ngày 12/03/2022",
            decided_on=datetime.date(2022, 3, 12),
        )
    return world


@pytest.fixture(autouse=True)
def _english(english):
    """Every outreach test reads English pages and messages (the root `english` fixture)."""
