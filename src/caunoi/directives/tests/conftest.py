import datetime

import pytest
from django.utils import timezone

from caunoi.directives import services
from caunoi.people.models import Role
from caunoi.testing import give, make_person


@pytest.fixture
def head_a2(world):
    person = make_person("Phan Thị Lan", phone="0912000005", password=None)
    give(person, Role.HEAD, world.area_a2)
    return person


def far_due(days: int = 30) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def counters_stay_true(db):
    """After every test here, each directive's kept counters are what its assignments say."""
    yield
    assert services.directive_counter_drift() == {}


@pytest.fixture
def make_directive(world):
    def make(*, areas=None, due=None, send=True, reason="khẩn", title="Rà soát hộ nghèo", **kw):
        d = services.directive_create(
            actor=world.officer_a,
            commune=world.commune_a,
            title=title,
            body="Lập danh sách hộ nghèo của khu.",
            category="social",
            due_date=due or far_due(),
            areas=areas if areas is not None else [world.area_a1, world.area_a2],
            **kw,
        )
        if send:
            d = services.directive_send(actor=world.officer_a, directive=d, reason=reason)
        return d

    return make
