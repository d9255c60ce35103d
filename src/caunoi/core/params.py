"""Numbers from outside (a query string, a path), read without surprises: ASCII digits only
(`"²".isdigit()` is true, `int("²")` fails), bounded before `int()` reads thousands of digits, and
never beyond what a database column holds (2^63 − 1: SQLite and PostgreSQL raise past it)."""

DB_MAX = 2**63 - 1  # the largest BIGINT of both databases: ids, offsets


def whole_number(raw: str, *, maximum: int = DB_MAX) -> int | None:
    """A non-negative whole number written in ASCII digits, capped at `maximum`; None if `raw` is
    not one."""
    raw = (raw or "").strip()
    if not raw or not raw.isascii() or not raw.isdigit():
        return None
    if len(raw) > len(str(maximum)):
        return maximum
    return min(int(raw), maximum)


def db_id(raw) -> int | None:
    """An id to look up: None when it cannot be one (not ASCII digits, or beyond BIGINT), so the
    caller answers 404 instead of the database raising."""
    if isinstance(raw, int):
        return raw if 0 <= raw <= DB_MAX else None
    value = whole_number(str(raw), maximum=DB_MAX + 1)
    return value if value is not None and value <= DB_MAX else None


class IdConverter:
    """`<int:…>` in every URL of the site (registered over Django's own by `CoreConfig.ready`):
    ASCII digits up to BIGINT. A longer number matches no URL (404) instead of reaching the
    database (SQLite raises OverflowError past 2^63 − 1)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > DB_MAX:
            raise ValueError("beyond BIGINT")
        return number

    def to_url(self, value) -> str:
        return str(value)
