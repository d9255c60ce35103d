"""Public pages served from the cache, never stale, and conditional GET.

A public page (an area's, a commune's, a fund's, a public notice, the FAQ, their PDF documents)
is read hundreds of times for each write. `@public_page(unit_of)` on its view keeps what the view
answered to someone signed out in the cache, keyed by the page's address, the language, the day
and the **version** of the unit the page is about, and serves it again until that version moves.

The version is the sum of the `PageVersion` rows of the unit's ancestors, itself and everything
below it. `bump(unit)` adds one to a row (an area's writes count on its commune); it is called by
`caunoi.core.audit.audit_record`, i.e. by every service write, and written with the writer's own
transaction, at its commit (`caunoi.core.backends`): a reader that sees the new data sees the new
version, so no cached page is older than what is committed. What changes with time alone (a
notice scheduled for a later hour) shows within `PAGE_CACHE_SECONDS`. After restoring a backup,
the cache is cleared (`manage.py restore_backup` does it).

Every answer carries an ETag (`no-cache`): a repeat visit costs a 304 of a few hundred bytes.
Pages with a form keep a placeholder instead of the CSRF token in the cache; each reader gets
their own token, and their token's secret is part of the ETag.

Signed-in readers (a session cookie) and anyone with a message waiting are never served from the
cache: their pages depend on who they are.
"""

import functools
import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from .backends import UPSERT
from .models import PageVersion

CSRF_PLACEHOLDER = b"__caunoi_csrf_token__"
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')


def _own_path(unit: Any) -> str:
    """The row a write on `unit` counts on: an area's is its commune's."""
    path: str = unit.path
    if getattr(unit, "is_area", False):
        return path[: path.rstrip("/").rfind("/") + 1]
    return path


def bump(unit: Any) -> None:
    """One more change on `unit`'s public pages, written with the writer's transaction: at its
    commit, last and in path order (`caunoi.core.backends`); nothing if it rolls back."""
    path = _own_path(unit)
    if not path:
        return
    conn = transaction.get_connection()
    if hasattr(conn, "pagecache_bump"):
        conn.pagecache_bump(path)
        return
    with conn.cursor() as cursor:  # a plain Django backend: at once, inside the transaction
        cursor.execute(UPSERT, [path])


def version(unit: Any) -> int:
    """The version of `unit`'s public pages: its ancestors', its own and its descendants' rows."""
    path: str = unit.path
    parts = [p for p in path.split("/") if p]
    ancestors = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    # below `path`: every string that starts with it sorts before path[:-1] + "0" ("/" < "0")
    below = Q(path__gt=path, path__lt=path[:-1] + "0")
    total = PageVersion.objects.filter(Q(path__in=ancestors) | below).aggregate(n=Sum("n"))["n"]
    return int(total or 0)


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.PAGE_CACHE_SECONDS > 0
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request: HttpRequest, unit: Any) -> str:
    address = hashlib.blake2b(request.get_full_path().encode(), digest_size=12).hexdigest()
    return (
        f"page:{translation.get_language()}:{address}:{unit.pk}:{version(unit)}:"
        f"{timezone.localdate():%Y%m%d}"
    )


def _entry(response: HttpResponse) -> dict[str, Any] | None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    body = _TOKEN.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\3", response.content)
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("vary", "etag")}
    return {
        "body": body,
        "headers": headers,
        "etag": hashlib.blake2b(body, digest_size=10).hexdigest(),
    }


def _serve(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    with_token = CSRF_PLACEHOLDER in entry["body"]
    secret = request.META.get("CSRF_COOKIE", "") if with_token else ""
    tag = entry["etag"]
    if secret:
        tag += hashlib.blake2b(secret.encode(), digest_size=4).hexdigest()
    etag = f'"{tag}"'
    # weak comparison: GZipMiddleware weakens the tag (W/"…") of what it compresses
    known = {t.removeprefix("W/") for t in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))}
    if etag in known:
        response: HttpResponse = HttpResponseNotModified()
    else:
        body = entry["body"]
        if with_token:
            body = body.replace(CSRF_PLACEHOLDER, get_token(request).encode())
            secret = request.META.get("CSRF_COOKIE", "")
            tag = entry["etag"] + hashlib.blake2b(secret.encode(), digest_size=4).hexdigest()
            etag = f'"{tag}"'
        response = HttpResponse(body)
        for name, value in entry["headers"].items():
            response[name] = value
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache" if with_token else "no-cache"
    if with_token:
        patch_vary_headers(response, ("Cookie",))
    return response


def public_page(unit_of: Callable[..., Any]) -> Callable:
    """Serve the view from the cache for readers signed out. `unit_of(**url_kwargs)` returns the
    unit whose version keys the page (None: not cached, e.g. to let the view answer 404)."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            unit = unit_of(**kwargs)
            if unit is None:
                return view(request, *args, **kwargs)
            key = _key(request, unit)
            entry = cache.get(key)
            if entry is None:
                response = view(request, *args, **kwargs)
                entry = _entry(response)
                if entry is None:
                    return response
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            return _serve(request, entry)

        return wrapper

    return decorate
