import pytest

from caunoi.testing import survey_campaign


@pytest.fixture
def campaign(world):
    """An open province campaign on the article's built-in form."""
    return survey_campaign(world, "Đánh giá trưởng khu 2026", target=20)
