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
their own token, and their token's secret is part of the ETag. The CSP nonce of the inline lines
(`request.csp_nonce`) is kept as a placeholder too and each answer carries its request's own.

The page is also kept compressed (gzip), in pieces cut at the placeholders: each piece was
compressed on its own (a full flush: no back-reference crosses it), so an answer is the pieces
with the reader's token and nonce compressed in their own small blocks between them, a new CRC,
and no compression of the whole page per request. As the token never shares a compression window
with the rest of the page, what a page reflects cannot be used to guess it (BREACH).

Signed-in readers (a session cookie) and anyone with a message waiting are never served from the
cache: their pages depend on who they are.
"""

import functools
import hashlib
import re
import struct
import zlib
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
NONCE_PLACEHOLDER = b"__caunoi_csp_nonce__"
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')
_HOLES = re.compile(b"(" + CSRF_PLACEHOLDER + b"|" + NONCE_PLACEHOLDER + b")")
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# a gzip member's header: deflate, no name, no time, no extra flags, Unix
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"


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


def _deflate(data: bytes) -> bytes:
    """`data` as raw deflate blocks ending on a byte with a full flush (not the last block): such
    pieces, one after another, are one deflate stream."""
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)


_LAST_BLOCK = zlib.compressobj(6, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)  # empty, final


def _entry(request: HttpRequest, response: HttpResponse) -> dict[str, Any] | None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if response.has_header("Content-Encoding"):
        return None
    body = _TOKEN.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\3", response.content)
    nonce = getattr(request, "csp_nonce", "")
    if nonce and response.get("Content-Type", "").startswith("text/html"):
        body = body.replace(f'nonce="{nonce}"'.encode(), b'nonce="' + NONCE_PLACEHOLDER + b'"')
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("vary", "etag")}
    pieces = _HOLES.split(body)  # text, hole, text, hole, …, text
    return {
        "body": body,
        "headers": headers,
        "etag": hashlib.blake2b(body, digest_size=10).hexdigest(),
        "pieces": pieces,
        "gz": [_deflate(p) if i % 2 == 0 else b"" for i, p in enumerate(pieces)],
    }


def _gzipped(entry: dict[str, Any], fill: dict[bytes, bytes]) -> bytes:
    """The page gzipped from its pieces compressed once, with `fill`'s values in the holes."""
    out, crc, size = [_GZIP_HEADER], 0, 0
    for i, piece in enumerate(entry["pieces"]):
        if i % 2:
            piece = fill[piece]
            out.append(_deflate(piece))
        else:
            out.append(entry["gz"][i])
        crc = zlib.crc32(piece, crc)
        size += len(piece)
    out += [_LAST_BLOCK, struct.pack("<II", crc, size & 0xFFFFFFFF)]
    return b"".join(out)


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
        fill = {NONCE_PLACEHOLDER: getattr(request, "csp_nonce", "").encode()}
        if with_token:
            fill[CSRF_PLACEHOLDER] = get_token(request).encode()
            secret = request.META.get("CSRF_COOKIE", "")
            tag = entry["etag"] + hashlib.blake2b(secret.encode(), digest_size=4).hexdigest()
            etag = f'"{tag}"'
        gzipped = "pieces" in entry and _ACCEPTS_GZIP.search(
            request.META.get("HTTP_ACCEPT_ENCODING", "")
        )
        if gzipped:
            response = HttpResponse(_gzipped(entry, fill))
        else:
            response = HttpResponse(_HOLES.sub(lambda m: fill[m.group(0)], entry["body"]))
        for name, value in entry["headers"].items():
            response[name] = value
        if gzipped:  # as GZipMiddleware would have answered (it leaves an encoded answer alone)
            response["Content-Encoding"] = "gzip"
            response["Content-Length"] = str(len(response.content))
            etag = f"W/{etag}"
        patch_vary_headers(response, ("Accept-Encoding",))
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
                entry = _entry(request, response)
                if entry is None:
                    return response
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            return _serve(request, entry)

        return wrapper

    return decorate
