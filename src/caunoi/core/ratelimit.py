"""One way to limit rates, atomic on SQLite and PostgreSQL, shared by every app server.

    limit = Limit("otp.phone", per=settings.OTP_MAX_PER_HOUR, seconds=3600)
    limit.hit(phone)          # raises RateLimited (429, a Vietnamese message) past the limit
    limit.hit(ip_address(request))

A key's hits are counted in fixed windows in one table (`core.RateCounter`) by a single
`INSERT … ON CONFLICT DO UPDATE … RETURNING`, so two requests at the same moment never both pass
the last free place. `count()` reads without hitting; `reset()` forgets a key (a right code after
wrong ones). `purge()` drops windows that have ended: daily, the `core.purge_rate_limits` task
from Celery beat (or the `purge_rate_limits` command from cron).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .exceptions import ApplicationError
from .models import RateCounter


class RateLimited(ApplicationError):
    default_message = _("Too many attempts. Please wait a little and try again.")
    code = "rate_limited"
    status = 429


def ip_address(request: HttpRequest) -> str:
    """The client's address as the reverse proxy saw it (REMOTE_ADDR; the proxy sets it)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@dataclass(frozen=True)
class Limit:
    name: str
    per: int
    seconds: int

    def _key(self, who: str) -> str:
        digest = hashlib.sha256(who.encode("utf-8")).hexdigest()[:40]
        return f"{self.name}:{digest}"

    def _window(self, now: datetime.datetime | None = None) -> datetime.datetime:
        now = now or timezone.now()
        epoch = int(now.timestamp())
        return datetime.datetime.fromtimestamp(epoch - epoch % self.seconds, tz=datetime.UTC)

    def add(self, who: str) -> int:
        """Count one hit on `who` and return the window's count, this hit included."""
        table = connection.ops.quote_name(RateCounter._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1) "
                f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 "
                "RETURNING count",
                [self._key(who), connection.ops.adapt_datetimefield_value(self._window())],
            )
            return int(cursor.fetchone()[0])

    def hit(self, who: str, message: str | None = None) -> int:
        """Count one hit; RateLimited once the window holds more than `per` of them."""
        n = self.add(who)
        if n > self.per:
            raise RateLimited(message)
        return n

    def count(self, who: str) -> int:
        row = RateCounter.objects.filter(key=self._key(who), window_start=self._window()).first()
        return row.count if row else 0

    def exceeded(self, who: str) -> bool:
        return self.count(who) >= self.per

    def reset(self, who: str) -> None:
        RateCounter.objects.filter(key=self._key(who)).delete()

    def retry_after(self) -> int:
        """Seconds until the current window ends."""
        return (
            int(
                (
                    self._window() + datetime.timedelta(seconds=self.seconds) - timezone.now()
                ).total_seconds()
            )
            + 1
        )


def purge(*, older_than: datetime.timedelta = datetime.timedelta(days=2)) -> int:
    """Drop ended windows (every limit here is shorter than `older_than`)."""
    deleted, _ = RateCounter.objects.filter(window_start__lt=timezone.now() - older_than).delete()
    return deleted
