"""The API kit: one list shape for every list endpoint.

    @router.get("/things", response=list[ThingOut])
    @paginate(ListPage)
    def things(request):
        return selectors.thing_list(...)        # a queryset (or a list)

answers `{"items": [...], "count": 1234, "limit": 100, "offset": 0}`, with `limit` (1 to
`ListPage.MAX_LIMIT`, default `ListPage.DEFAULT_LIMIT`) and `offset` in the query string and in
the OpenAPI schema. Out-of-range values are refused like any other parameter (the API's error
handler answers 400 with `{"message", "code", "errors"}`).

And one rule for writes a client may retry (a flaky network, a timeout): every write that makes
or records something takes an optional `Idempotency-Key` header and runs through `once`:

    def thing_add(request, payload: ThingIn, key: IdempotencyKey = None):
        thing = once(request, key, lambda: services.thing_create(...),
                     replay=lambda pk: permissions.access_thing(user=request.auth, pk=int(pk), ...))
        return Status(201, thing)

The same key with the same request (method, path, body) acts once: a retry answers the first
call's object again, as it is now, and writes nothing. The same key with another request, or from
another caller, is refused with 422 (`idempotency_key_reused`). No key: an ordinary write.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Header, Schema
from ninja.pagination import PaginationBase, paginate
from pydantic import WithJsonSchema

from .exceptions import ApplicationError
from .params import DB_MAX
from .submissions import submission_claim, submission_done

__all__ = ["IDEMPOTENCY_HEADER", "AreaRowOut", "IdempotencyKey", "ListPage", "once", "paginate"]

T = TypeVar("T")


class ListPage(PaginationBase):
    DEFAULT_LIMIT = 100
    MAX_LIMIT = 500

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500, description="How many items (1 to 500).")
        # Bounded by what the databases' OFFSET holds: 2^63 or more was a 500.
        offset: int = Field(0, ge=0, le=DB_MAX, description="How many items to skip.")

    class Output(Schema):
        items: list[Any]
        count: int
        limit: int
        offset: int

    def paginate_queryset(
        self, queryset: Any, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        offset, limit = pagination.offset, pagination.limit
        return {
            "items": list(queryset[offset : offset + limit]),
            "count": self._items_count(queryset),
            "limit": limit,
            "offset": offset,
        }


class AreaRowOut(Schema):
    """The two fields every area-owned object answers with (a fund, a meeting, an election):
    its residential area's code and the address of its page. An object's schema extends it."""

    area: str = Field(description="The residential area's code.")
    url: str

    @staticmethod
    def resolve_area(obj: Any) -> str:
        return obj.area.code

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


# ------------------------------------------------------------------------------ retried writes

IDEMPOTENCY_HEADER = "Idempotency-Key"

_KEY_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"  # as `core.submissions.valid_key`

IdempotencyKey = Annotated[
    str | None,
    # a header is a string or absent, never null: the schema says so
    WithJsonSchema({"type": "string", "pattern": _KEY_PATTERN}),
    Header(
        None,
        alias=IDEMPOTENCY_HEADER,
        pattern=_KEY_PATTERN,
        description="Optional, 16 to 64 characters of A-Z, a-z, 0-9, _ and -, new for each write: "
        "a retry with the same key and the same body answers the first call's result again and "
        "writes nothing; the same key with another body is refused (422).",
    ),
]


class KeyReused(ApplicationError):
    default_message = _(
        "This Idempotency-Key was already used for another request. Send a new key for a new "
        "write, or the same request again to read the first answer."
    )
    code = "idempotency_key_reused"
    status = 422


def _fingerprint(request: HttpRequest) -> str:
    """The request a key stands for: method, path with query string, and body (JSON compared as
    data, so a client that re-serialises it in another key order is still the same request)."""
    try:
        body = json.dumps(json.loads(request.body), sort_keys=True, ensure_ascii=False).encode()
    except ValueError:
        body = request.body
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def _pk(obj: Any) -> str:
    return str(obj.pk)


def once(
    request: HttpRequest,
    key: str | None,
    run: Callable[[], T],
    *,
    replay: Callable[[str], T],
    remember: Callable[[T], str] = _pk,
) -> T:
    """`run()` once per `Idempotency-Key` (see the module's docstring). The claim is made in the
    writer's transaction, so a refusal rolls it back with everything else and the corrected retry
    acts; a concurrent twin waits on the key's unique index, then replays. What the first call
    keeps is `remember(result)` (its object's pk by default, at most 300 characters); a replay
    answers `replay(what it kept)`."""
    fingerprint = _fingerprint(request)
    actor = getattr(request, "auth", None)
    with transaction.atomic():
        sub, first = submission_claim(key=key, actor=actor, fingerprint=fingerprint)
        if not first:
            assert sub is not None  # a replay has the first call's row
            if sub.fingerprint != fingerprint or sub.actor_id != getattr(actor, "pk", None):
                raise KeyReused
            return replay(sub.result_url)
        result = run()
        submission_done(sub, url=remember(result))
    return result
