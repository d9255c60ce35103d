"""Reads that may go to a read replica: the reports (a province's, the country's), which read a
great deal and write nothing.

`DATABASE_REPLICA_URL` (a streaming replica of the primary PostgreSQL) adds the database alias
`replica` and this router (`settings.DATABASE_ROUTERS`). Only code run inside
`with replica_reads():` (or a view under `@reads_from_replica`) reads from it; everything else,
and every write, stays on `default`: sessions, sign-ins, the audit log and the page versions are
always the primary's, so nobody is signed out or shown a stale page by replication lag. Without
the setting, the block reads from `default` as any other code does.

A view is decorated inside its access check (`@unit_required` runs first, on the primary)."""

import contextvars
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings

REPLICA = "replica"
_reading = contextvars.ContextVar("caunoi_replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reads_from_replica(view: Callable) -> Callable:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    """Reads inside `replica_reads()` go to `replica` when it is configured; writes, migrations and
    every other read go to `default`."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
