import datetime

import pytest

from caunoi.surveys import services


@pytest.fixture
def campaign(world):
    """An open province campaign on the article's built-in form."""
    today = datetime.date.today()
    return services.campaign_create(
        actor=world.province_officer,
        unit=world.province,
        form=services.form_builtin(),
        title="Đánh giá trưởng khu 2026",
        start=today - datetime.timedelta(days=1),
        end=today + datetime.timedelta(days=30),
        target=20,
    )
