import datetime
import types

import pytest
from django.utils import timezone


class Clock:
    """The time the rate limits see (caunoi.core.ratelimit counts in fixed windows): it starts one
    second into an hour, so every window (a minute, 15 minutes, an hour) has just begun."""

    def __init__(self):
        start = timezone.now().replace(minute=0, second=0, microsecond=0)
        self.now = start + datetime.timedelta(seconds=1)

    def advance(self, seconds: float) -> None:
        self.now += datetime.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    from caunoi.core import ratelimit

    c = Clock()
    monkeypatch.setattr(ratelimit, "timezone", types.SimpleNamespace(now=lambda: c.now))
    return c
