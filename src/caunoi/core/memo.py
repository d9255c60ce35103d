"""What one request reads several times, read once: `per_request(key, compute)`.

The signed-in home page asks six apps for their section, and each asked the database for the
person's mandates again (their households, the areas they head, where they work). Inside a
request (`RequestMemo` middleware) the first answer is kept for the rest of that request and
handed out again; outside one (a service, a task, a test calling a selector) nothing is kept and
`compute()` runs every time. Every write (`core.audit.audit_record`) forgets what was kept, so a
request that writes and then reads sees its own write.
"""

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")
_store: ContextVar[dict[Hashable, Any] | None] = ContextVar("caunoi_request_memo", default=None)


def per_request(key: Hashable, compute: Callable[[], T]) -> T:
    store = _store.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def forget() -> None:
    """Drop what the current request kept (after a write)."""
    store = _store.get()
    if store:
        store.clear()


class RequestMemo:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _store.set({})
        try:
            return self.get_response(request)
        finally:
            _store.reset(token)
