"""Working days in Vietnam: weekends and public holidays (Tết included) do not count, and a
Saturday the government made a working day in exchange for a day off (26/04/2025 for 02/05/2025,
22/08/2026 for 31/08/2026) does.

Public holidays and those exchanged Saturdays come from the `holidays` package (Vietnam, with its
observed and substituted days).
Lead times for directives and due times for residents' requests are counted with these functions.
"""

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=64)
def _calendar(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, weekend days worked) of a year."""
    calendar = holidays.country_holidays("VN", years=year)
    worked = frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)
    return frozenset(calendar.keys()), worked


def is_working_day(day: date) -> bool:
    off, worked = _calendar(day.year)
    if day in off:
        return False
    return day.weekday() < 5 or day in worked


def add_working_days(start: date | datetime, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted). 0 → `start`
    moved forward to a working day if it is not one."""
    day = _as_date(start)
    if days <= 0:
        while not is_working_day(day):
            day += timedelta(days=1)
        return day
    left = days
    while left:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date | datetime, end: date | datetime) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before `start`.

    Sent on Monday, due Friday of the same week → 4. Sent Friday, due next Monday → 1.
    """
    a, b = _as_date(start), _as_date(end)
    if b < a:
        return -working_days_between(b, a)
    count = 0
    day = a
    while day < b:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value
