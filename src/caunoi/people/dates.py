"""Calendar arithmetic for terms of office (a head's term, a temporary head's months)."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months, kept inside the month it lands in (31/01 + 1 month
    is 28/02, or 29/02 in a leap year)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
