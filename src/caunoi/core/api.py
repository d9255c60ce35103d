"""The API kit: one list shape for every list endpoint.

    @router.get("/things", response=list[ThingOut])
    @paginate(ListPage)
    def things(request):
        return selectors.thing_list(...)        # a queryset (or a list)

answers `{"items": [...], "count": 1234, "limit": 100, "offset": 0}`, with `limit` (1 to
`ListPage.MAX_LIMIT`, default `ListPage.DEFAULT_LIMIT`) and `offset` in the query string and in
the OpenAPI schema. Out-of-range values are refused like any other parameter (the API's error
handler answers 400 with `{"message", "code", "errors"}`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase, paginate

from .params import DB_MAX

__all__ = ["AreaRowOut", "ListPage", "paginate"]


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
