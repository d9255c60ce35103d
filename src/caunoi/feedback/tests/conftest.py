import io

import pytest
from django.core.management import call_command

from caunoi.feedback import services
from caunoi.feedback.models import Category


@pytest.fixture
def cats(world):
    """Two categories in xã Đồng Xuân (commune_a), one in its neighbour (commune_b)."""
    roads = services.category_create(actor=None, commune=world.commune_a, name="Đường giao thông")
    papers = services.category_create(
        actor=None, commune=world.commune_a, name="Giấy tờ, thủ tục", head_days=2, commune_days=5
    )
    other = services.category_create(actor=None, commune=world.commune_b, name="Môi trường")
    return {"roads": roads, "papers": papers, "other": other}


@pytest.fixture
def api_key():
    """An Open311 client's key."""
    out = io.StringIO()
    call_command("create_open311_key", "Ứng dụng thử", stdout=out)
    return out.getvalue().strip()


def ask(world, cats, **extra):
    data = {
        "actor": world.resident_a1,
        "area": world.area_a1,
        "category": cats["roads"],
        "text": "Đường vào xóm bị sụt lún sau mưa, gọi 0912 345 678 nếu cần.",
        "public": True,
    }
    data.update(extra)
    return services.request_create(**data)


@pytest.fixture
def asked(world, cats):
    return ask(world, cats)


__all__ = ["Category", "ask"]


@pytest.fixture(autouse=True)
def _in_english(english):
    """Pages and messages in English here (the root fixture), so tests read the msgids."""
