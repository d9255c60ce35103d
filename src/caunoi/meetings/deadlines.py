"""When the regular meetings of a year are due (MEETINGS_REGULAR_PER_YEAR, R-4.3): the year split
into as many equal parts, the k-th meeting due by the end of the k-th part."""

from __future__ import annotations

import datetime

from . import policy


def regular_due_by(year: int, today: datetime.date) -> int:
    """How many regular meetings of `year` are due by `today` (MEETINGS_REGULAR_PER_YEAR, R-4.3):
    the year split into as many equal parts, the k-th meeting due by the end of the k-th part
    (two a year: by 30/06 and by 31/12)."""
    return sum(1 for deadline in regular_deadlines(year) if today > deadline)


def regular_deadlines(year: int) -> list[datetime.date]:
    """The last day of each regular meeting of `year` (the end of its part of the year)."""
    per_year = policy.REGULAR_PER_YEAR.value
    out = []
    for k in range(1, per_year + 1):
        month = max(1, (12 * k) // per_year)
        nxt = datetime.date(year + month // 12, month % 12 + 1, 1)
        out.append(nxt - datetime.timedelta(days=1))
    return out
