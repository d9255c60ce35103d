"""The kit's middleware: what every request and every page gets, in one place.

- `RefuseNul`: NUL characters (U+0000) in a path, a query string or a body's text are refused with
  400 before any view runs (PostgreSQL refuses them in text columns, SQLite would store them; no
  person types one). Uploaded files are not looked at: their bytes are the uploads kit's business.
- `SecurityHeaders`: every HTML page gets a Content-Security-Policy (our own files only, the few
  lines of inline script carry the request's nonce: `<script nonce="{{ request.csp_nonce }}">`)
  and a Permissions-Policy switching off what Cầu Nối never uses; a response that set its own CSP
  (uploads: `core.responses`, sandboxed) keeps it.
"""

import json
import secrets
from urllib.parse import unquote_to_bytes

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), interest-cohort=()"
)


def page_csp(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _body_has_nul(request) -> bool:
    content_type = request.content_type or ""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            return _has_nul(json.loads(request.body or b"null"))
        except (ValueError, UnicodeDecodeError):
            return b"\x00" in request.body  # not JSON: the view refuses it, NUL or not
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any(NUL in k or any(NUL in v for v in vs) for k, vs in request.POST.lists())
    if content_type.startswith("text/") or content_type.endswith("xml"):
        return b"\x00" in request.body
    return False


class RefuseNul:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if NUL in request.path or b"\x00" in unquote_to_bytes(query) or _body_has_nul(request):
            message = _("The text sent contains a NUL character (\\0), which is not allowed.")
            if request.path.startswith(("/api/", "/open311/")):
                return JsonResponse({"message": message, "code": "invalid"}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class SecurityHeaders:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Content-Security-Policy", page_csp(request.csp_nonce))
        return response
