"""Public pages served from the cache, never stale, and conditional GET.

A public page (an area's, a commune's, a fund's, a public notice, the FAQ, published survey
results, their PDF documents) is read hundreds of times for each write. `@public_page(unit_of)`
on its view marks what the view answered to someone signed out as worth keeping, with the **unit**
the page is about and that unit's **version** read before the view ran; the `PageCache`
middleware, early in the stack (after SecurityMiddleware, GZip and WhiteNoise, before sessions,
locale, CSRF and authentication), keeps the answer and serves it again until the version moves.

**The version** is the sum of the `PageVersion` rows of the unit's ancestors, itself and
everything below it. `bump(unit)` adds one to a row (an area's writes count on its commune); it is
called by `caunoi.core.audit.audit_record`, i.e. by every service write, and written with the
writer's own transaction, at its commit (`caunoi.core.backends`): a reader that sees the new data
sees the new version, so no cached page is older than what is committed. The version is read
before the page is rendered, so a page is never kept under a version older than its content.
What changes with time alone (a notice scheduled for a later hour) shows within
`PAGE_CACHE_SECONDS`; the day is part of the key. After restoring a backup, the cache is cleared
(`manage.py restore_backup` does it).

**A cache hit** costs one cache read and one query, and no URL resolving, session, locale,
authentication or template work: the middleware keys the address by the reader's language (as
`LocaleMiddleware` would choose it) and its full path. What is kept there is the page with its
*route* (the unit: model, id, path), the version and the day it was made at; one SQL statement
reads both the unit's path today (a unit moved elsewhere in the tree is a miss) and its version
(lookups on primary keys and an index range), and the page is answered if both are as kept and
the day is today. A write that changes which unit an address names (a code changed, a unit
moved) is a write on that unit, so its version moves and the next read goes through the view.

What is kept is the **whole answer** as the stack below the middleware produced it (the view's
headers and those of the middleware under it: language, frame options, CSP, Permissions-Policy),
less what belongs to one reader: the CSRF token of a form, the CSP nonce of the inline lines
(both kept as placeholders and filled for each reader: their own token, the secret of which is
part of the ETag, and a fresh nonce, in the body and in the CSP header), the cookies (the CSRF
cookie is set again for each reader, as `CsrfViewMiddleware` would) and the ETag.

Every answer carries an ETag (`no-cache`): a repeat visit costs a 304 of a few hundred bytes.

The page is also kept compressed (gzip), in pieces cut at the placeholders: each piece was
compressed once, on its own (a full flush: no back-reference crosses it), so an answer is those
pieces with the reader's token and nonce between them in *stored* (uncompressed) deflate blocks,
a new CRC, and no compression at all per request. As the token is never compressed, let alone in
a window shared with what the page reflects, a page cannot be used to guess it (BREACH).

A signed-in reader (a session cookie) is served from the cache only for the pages marked
`@reader_page` (the head's inbox, the home page), one copy per session and address, keyed by
their session as stored, their password and the versions of their own row (`bump_readers`) and
of the units they read (`reader_scope`); see `reader_page`. Anyone with a message waiting in its
cookie is never served from the cache, nor are answers that set a cookie other than CSRF's.
"""

import functools
import hashlib
import re
import secrets
import struct
import zlib
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CsrfViewMiddleware
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from .backends import UPSERT
from .models import PageVersion

CSRF_PLACEHOLDER = b"__caunoi_csrf_token__"
NONCE_PLACEHOLDER = b"__caunoi_csp_nonce__"
_NONCE_TEXT = NONCE_PLACEHOLDER.decode()
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')
_HOLES = re.compile(b"(" + CSRF_PLACEHOLDER + b"|" + NONCE_PLACEHOLDER + b")")
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# a gzip member's header: deflate, no name, no time, no extra flags, Unix
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"
# not kept: what is made again for each answer
_PER_ANSWER = {"etag", "content-length", "content-encoding", "vary"}


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
    if path:
        _bump_row(path)


def reader_row(person_id: Any) -> str:
    """The version row of one person's signed-in pages ("@" sorts after every unit path)."""
    return f"@{person_id}"


def bump_readers(*people: Any) -> None:
    """One more change on these persons' (or person ids') own signed-in pages, as `bump` does:
    what a write changes for them that is not a write on a unit they read (a notification for
    them, a mandate or a delegation given to them, what they did themselves)."""
    for person in people:
        person_id = getattr(person, "pk", person)
        if person_id is not None:
            _bump_row(reader_row(person_id))


def _bump_row(path: str) -> None:
    conn = transaction.get_connection()
    if hasattr(conn, "pagecache_bump") and conn.in_atomic_block:
        conn.pagecache_bump(path)
        return
    # a plain Django backend, or no transaction (autocommit: nothing would commit it): at once
    with conn.cursor() as cursor:
        cursor.execute(UPSERT, [path])


@functools.lru_cache(maxsize=4096)
def _version_sql(path: str) -> tuple[str, tuple[str, ...]]:
    """The SQL (a scalar) summing the rows of `path`'s ancestors, itself and everything below."""
    return _sum_sql((path,))


def _sum_sql(paths: tuple[str, ...], rows: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]]:
    """The SQL (a scalar) summing, once each, the rows of every path's ancestors, itself and
    everything below it, and the `rows` named."""
    exact = set(rows)
    ranges: list[str] = []
    for path in paths:
        parts = [p for p in path.split("/") if p]
        exact.update("/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts)))
        # below `path`: every string that starts with it sorts before path[:-1] + "0" ("/" < "0")
        ranges += [path, path[:-1] + "0"]
    holes = ", ".join(["%s"] * len(exact)) or "NULL"  # (no path: no ancestor)
    where = " OR ".join([f"path IN ({holes})"] + ["(path > %s AND path < %s)"] * len(paths))
    table = connection.ops.quote_name(PageVersion._meta.db_table)
    sql = f"SELECT COALESCE(SUM(n), 0) FROM {table} WHERE {where}"
    return sql, (*sorted(exact), *ranges)


def version(unit: Any) -> int:
    """The version of `unit`'s public pages: its ancestors', its own and its descendants' rows."""
    sql, params = _version_sql(unit.path)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def _route(unit: Any) -> tuple[str, Any, str]:
    return (unit._meta.label_lower, unit.pk, unit.path)


@functools.lru_cache(maxsize=4096)
def _route_sql(label: str, path: str) -> tuple[str, tuple[str, ...]]:
    meta = apps.get_model(label)._meta
    qn = connection.ops.quote_name
    sql, params = _version_sql(path)
    unit_path = f"SELECT {qn('path')} FROM {qn(meta.db_table)} WHERE {qn(meta.pk.column)} = %s"
    return f"SELECT ({unit_path}), ({sql})", params


def _route_version(route: tuple[str, Any, str]) -> int | None:
    """The version of the route's unit, or None if the unit is no longer at the route's path
    (moved, or gone): one statement."""
    label, pk, path = route
    sql, params = _route_sql(label, path)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, *params])
        now, total = cursor.fetchone()
    return int(total) if now == path else None


# --------------------------------------------------------------------------- signed-in pages
READER = "@"  # the first item of a signed-in page's route
_DB_SESSIONS = "django.contrib.sessions.backends.db"
# Where the apps say which units a person's signed-in pages read (`@reader_scope`).
READER_SCOPES: list[Callable[[Any], Any]] = []


def reader_scope(paths_of: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Register `paths_of(person)`: the paths of the units whose data the person's signed-in
    pages show (their mandates' units, the areas they help in…), in an app's `sections.py`."""
    READER_SCOPES.append(paths_of)
    return paths_of


def reader_paths(person: Any) -> tuple[str, ...]:
    return tuple(sorted({path for scope in READER_SCOPES for path in scope(person) if path}))


@functools.lru_cache(maxsize=4096)
def _reader_sql(person_id: Any, paths: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    qn = connection.ops.quote_name
    user = get_user_model()._meta
    pk = getattr(user.pk, "column", None) or "id"
    active = "is_active" in {f.name for f in user.concrete_fields}
    total, params = _sum_sql(paths, (reader_row(person_id),))
    sql = (
        f"SELECT (SELECT {qn('session_data')} FROM {qn(Session._meta.db_table)} "
        f"WHERE {qn('session_key')} = %s AND {qn('expire_date')} > %s), "
        f"(SELECT {qn('password')} FROM {qn(user.db_table)} WHERE {qn(pk)} = %s"
        f"{' AND ' + qn('is_active') if active else ''}), ({total})"
    )
    return sql, params


def _reader_state(route: tuple[str, str, Any, tuple[str, ...]]) -> str | None:
    """What a signed-in page was made for, in one statement: the session as stored (who, the
    messages waiting in it), the person's password (a new one signs every session out) and the
    version of their own row and of every unit they read. None: the session is over."""
    _reader, session_key, person_id, paths = route
    sql, params = _reader_sql(person_id, paths)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [session_key, now, person_id, *params])
        data, password, total = cursor.fetchone()
    if data is None or password is None:
        return None
    seen = hashlib.blake2b(f"{data}\0{password}".encode(), digest_size=16).hexdigest()
    return f"{seen}:{int(total)}"


def _state(route: tuple) -> Any:
    return _reader_state(route) if route[0] == READER else _route_version(route)


def _keepable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.PAGE_CACHE_SECONDS > 0
        and not settings.CSRF_USE_SESSIONS  # the token's secret would be in a session not read yet
        and "messages" not in request.COOKIES  # a message waiting in its cookie
    )


def _cacheable(request: HttpRequest) -> bool:
    """A page for a reader signed out may be kept."""
    return _keepable(request) and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _reader_cacheable(request: HttpRequest) -> bool:
    """A signed-in reader's page may be kept: sessions in the database (the one statement reads
    them)."""
    return (
        _keepable(request)
        and settings.SESSION_ENGINE == _DB_SESSIONS
        and bool(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    )


def _deflate(data: bytes) -> bytes:
    """`data` as raw deflate blocks ending on a byte with a full flush (not the last block): such
    pieces, one after another, are one deflate stream."""
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)


def _stored(data: bytes) -> bytes:
    """`data` as stored (not compressed) deflate blocks, each starting on a byte: not final, type
    00, then its length and the length's complement."""
    out = []
    for i in range(0, len(data), 0xFFFF):
        chunk = data[i : i + 0xFFFF]
        out.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(out)


_LAST_BLOCK = zlib.compressobj(6, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)  # empty, final


def _entry(request: HttpRequest, response: HttpResponse, lang: str) -> dict[str, Any] | None:
    """What is kept of `response` (the answer of the stack below the middleware), or None."""
    if response.status_code != 200 or response.streaming:
        return None
    if response.has_header("Content-Encoding"):
        return None
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
        return None
    if response.get("Content-Language", lang) != lang:
        return None
    body = _TOKEN.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\3", response.content)
    nonce = getattr(request, "csp_nonce", "")
    headers = []
    for name, value in response.headers.items():
        if name.lower() in _PER_ANSWER:
            continue
        if nonce and name.lower() == "content-security-policy":
            value = value.replace(f"'nonce-{nonce}'", f"'nonce-{_NONCE_TEXT}'")
        headers.append((name, value))
    if nonce and response.get("Content-Type", "").startswith("text/html"):
        body = body.replace(f'nonce="{nonce}"'.encode(), b'nonce="' + NONCE_PLACEHOLDER + b'"')
    pieces = _HOLES.split(body)  # text, hole, text, hole, …, text
    return {
        "headers": headers,
        "vary": response.get("Vary", ""),
        "etag": hashlib.blake2b(body, digest_size=10).hexdigest(),
        "token": CSRF_PLACEHOLDER in body,
        "pieces": pieces,
        "gz": [_deflate(p) if i % 2 == 0 else b"" for i, p in enumerate(pieces)],
    }


def _gzipped(entry: dict[str, Any], fill: dict[bytes, bytes]) -> bytes:
    """The page gzipped from its pieces compressed once, with `fill`'s values in the holes."""
    out, crc, size = [_GZIP_HEADER], 0, 0
    for i, piece in enumerate(entry["pieces"]):
        if i % 2:
            piece = fill[piece]
            out.append(_stored(piece))
        else:
            out.append(entry["gz"][i])
        crc = zlib.crc32(piece, crc)
        size += len(piece)
    out += [_LAST_BLOCK, struct.pack("<II", crc, size & 0xFFFFFFFF)]
    return b"".join(out)


def _plain(entry: dict[str, Any], fill: dict[bytes, bytes]) -> bytes:
    return b"".join(fill[p] if i % 2 else p for i, p in enumerate(entry["pieces"]))


_INDEX = {c: i for i, c in enumerate(CSRF_ALLOWED_CHARS)}


def _random_chars() -> str:
    """CSRF_SECRET_LENGTH characters drawn from CSRF's alphabet, from one read of the system's
    randomness (256 bits for 32 letters of 62: 62**32 < 2**191, so the bias is below 2**-65);
    Django draws each letter with its own `secrets.choice`, 64 system calls for a token."""
    n, out = int.from_bytes(secrets.token_bytes(32), "big"), []
    for _i in range(CSRF_SECRET_LENGTH):
        n, digit = divmod(n, len(CSRF_ALLOWED_CHARS))
        out.append(CSRF_ALLOWED_CHARS[digit])
    return "".join(out)


def _csrf_token(request: HttpRequest) -> str:
    """What `django.middleware.csrf.get_token` answers (the reader's secret, new if they have
    none, masked with a new mask; the cookie flagged to be sent), drawn faster."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        secret = request.META["CSRF_COOKIE"] = _random_chars()
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _random_chars()
    size = len(CSRF_ALLOWED_CHARS)
    cipher = (
        CSRF_ALLOWED_CHARS[(_INDEX[s] + _INDEX[m]) % size]
        for s, m in zip(secret, mask, strict=True)
    )
    return mask + "".join(cipher)


def _tag(entry: dict[str, Any], secret: str) -> str:
    tag = entry["etag"]
    if entry["token"]:
        tag += hashlib.blake2b(secret.encode(), digest_size=4).hexdigest()
    return f'"{tag}"'


def _serve(
    request: HttpRequest,
    entry: dict[str, Any],
    csrf: CsrfViewMiddleware,
    cookies: Any = None,
    private: bool = False,
) -> HttpResponse:
    """The kept answer for this reader: a 304 if they have it, else with their own token,
    nonce and CSRF cookie, gzipped if they asked for it. `cookies`: those the answer set when it
    was made (this reader's); `private`: a signed-in page, for this reader's browser only."""
    with_token = entry["token"]
    if with_token and "CSRF_COOKIE" not in request.META:
        csrf.process_request(request)  # the reader's secret, from their cookie (if valid)
    etag = _tag(entry, request.META.get("CSRF_COOKIE", ""))
    # weak comparison: a gzipped answer carries its tag weakened (W/"…")
    known = {t.removeprefix("W/") for t in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))}
    if etag in known:
        response: HttpResponse = HttpResponseNotModified()
    else:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        fill = {NONCE_PLACEHOLDER: nonce.encode()}
        if with_token:
            fill[CSRF_PLACEHOLDER] = _csrf_token(request).encode()
            etag = _tag(entry, request.META.get("CSRF_COOKIE", ""))  # a new reader: a new secret
        gzipped = _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        response = HttpResponse(_gzipped(entry, fill) if gzipped else _plain(entry, fill))
        for name, value in entry["headers"]:
            response[name] = value.replace(_NONCE_TEXT, nonce) if _NONCE_TEXT in value else value
        if gzipped:  # as GZipMiddleware would have answered (it leaves an encoded answer alone)
            response["Content-Encoding"] = "gzip"
            etag = f"W/{etag}"
        response["Content-Length"] = str(len(response.content))
        if entry["vary"]:
            response["Vary"] = entry["vary"]
        patch_vary_headers(response, ("Accept-Encoding",))
        if cookies:
            response.cookies.update(cookies)
        if with_token:
            csrf.process_response(request, response)  # the CSRF cookie, renewed as Django does
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache" if with_token or private else "no-cache"
    if with_token or private:
        patch_vary_headers(response, ("Cookie",))
    return response


class PageCache:
    """The middleware: a page kept for this address, language and version is answered here;
    otherwise the stack below answers, and what `@public_page` marked is kept on the way out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _cacheable(request):
            session = ""
        elif _reader_cacheable(request):
            session = request.COOKIES[settings.SESSION_COOKIE_NAME]
        else:
            return self.get_response(request)
        lang = translation.get_language_from_request(request)
        # one entry per address (and session, signed in): the page with the route (unit, or
        # reader) and the version it was made at
        key = ("reader:" if session else "page:") + lang + ":"
        address = f"{session}\0{request.get_full_path()}".encode()
        # keyed by the site's secret: a new SECRET_KEY (which ends every session) keeps nothing
        secret = settings.SECRET_KEY.encode()[:64]
        key += hashlib.blake2b(address, digest_size=16, key=secret).hexdigest()
        today = timezone.localdate().toordinal()
        kept = cache.get(key)
        if kept is not None:
            route, number, day, entry = kept
            mine = not session or route[:2] == (READER, session)
            if mine and day == today and _state(route) == number:
                return _serve(request, entry, self.csrf, private=bool(session))
        response = self.get_response(request)
        marked = getattr(response, "pagecache", None)
        if marked is None:
            return response
        route, number = marked
        if (route[0] == READER) != bool(session) or (session and route[1] != session):
            return response
        entry = _entry(request, response, lang)
        if entry is None:
            return response
        cache.set(key, (route, number, today, entry), settings.PAGE_CACHE_SECONDS)
        return _serve(request, entry, self.csrf, cookies=response.cookies, private=bool(session))


def public_page(unit_of: Callable[..., Any]) -> Callable:
    """Mark the view's answer to readers signed out as kept by `PageCache`. `unit_of(**url_kwargs)`
    returns the unit whose version keys the page (None: not kept, e.g. to let the view answer
    404). The version is read here, before the view reads anything."""

    def route_of(request: HttpRequest, kwargs: dict[str, Any]) -> tuple | None:
        if not _cacheable(request):
            return None
        unit = unit_of(**kwargs)
        return None if unit is None else _route(unit)

    return functools.partial(_kept, route_of=route_of)


def reader_page(view: Callable) -> Callable:
    """Mark the view's answer to a signed-in reader as kept by `PageCache`, for their session:
    keyed by their session as stored, their password, their own version row (`bump_readers`)
    and the versions of the units `reader_paths` names, all read here, before the view reads
    anything. Put it under `login_required`."""

    def route_of(request: HttpRequest, kwargs: dict[str, Any]) -> tuple | None:
        user = getattr(request, "user", None)
        session = request.COOKIES.get(settings.SESSION_COOKIE_NAME) or ""
        if not (
            _reader_cacheable(request)
            and user is not None
            and user.is_authenticated
            and session == request.session.session_key
        ):
            return None
        return (READER, session, user.pk, reader_paths(user))

    return _kept(view, route_of=route_of)


def _kept(view: Callable, *, route_of: Callable[[HttpRequest, dict[str, Any]], Any]) -> Callable:
    """`view`, its answer marked with the route `route_of(request, url_kwargs)` names (None: not
    kept) and the route's state read before the view runs."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        route = route_of(request, kwargs)
        if route is None:
            return view(request, *args, **kwargs)
        number = _state(route)
        response = view(request, *args, **kwargs)
        if number is not None:
            response.pagecache = (route, number)
        return response

    return wrapper
