"""Cầu Nối API v1, mounted at /api/v1/ with its OpenAPI schema at /api/v1/openapi.json.

This module only builds the API (rendering, authentication, errors) and mounts the apps' routers:
each app keeps its endpoints in its own `api.py`.

The territory (units, their children with counts, search, any unit as of a day) is public, like the
pages. Mandates need a signed-in caller: a browser session (with the CSRF token for writes) or
`Authorization: Bearer <token>` (tokens are made with `manage.py create_api_token`). Access is
decided by `caunoi.people.access`, as for the pages: a unit outside the caller's ground answers 404,
one on their ground they may not see answers 403.

Every write that makes or records something takes an optional `Idempotency-Key` header: a retry
with the same key and body answers the first result again and writes nothing; the same key with
another body answers 422 (`caunoi.core.api.once`).

Errors are JSON `{"message": ..., "code": ...}` (plus `errors` by field for refused values), the
message in the caller's language (Accept-Language). Dates are ISO 8601; text is UTF-8.
"""

import json

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from caunoi.accounts.services import api_token_authenticate
from caunoi.core.api import IDEMPOTENCY_HEADER
from caunoi.core.exceptions import ApplicationError

from .schemas import Error


class Utf8JSONRenderer(JSONRenderer):
    """JSON with Vietnamese left readable (UTF-8), not escaped as \\uXXXX."""

    json_dumps_params = {"ensure_ascii": False}

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=NinjaJSONEncoder, **self.json_dumps_params).encode("utf-8")


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`. A token that is wrong or revoked is refused (401) at once,
    even when a session cookie came along."""

    def authenticate(self, request, token):
        person = api_token_authenticate(token)
        if person is None:
            raise AuthenticationError(message="invalid_token")
        request.user = person
        return person


class Session(APIKeyCookie):
    """The Django session of a signed-in browser; unsafe methods also need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False):
            if check_csrf(request) is not None:
                raise HttpError(403, "csrf")
        return user

    def authenticate(self, request, key):  # pragma: no cover - __call__ decides
        return None


SIGNED_IN = [BearerToken(), Session()]
# What a signed-in endpoint may answer besides success.
SIGNED_IN_ERRORS = {code: Error for code in (400, 401, 403, 404)}


class CaunoiAPI(NinjaAPI):
    """The schema declares every status the handlers below can answer: 400 wherever a parameter
    or a body is read (refused values), 401 wherever authentication is needed, 404 wherever the
    path names something, 422 wherever an `Idempotency-Key` is taken (a key used for another
    request); a client (or schemathesis) reading the schema meets no surprise."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        error = {
            "description": "Error",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
            "Error", Error.model_json_schema()
        )
        for path, item in schema.get("paths", {}).items():
            for operation in item.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                responses = operation["responses"]
                wanted = []
                if operation.get("parameters") or operation.get("requestBody"):
                    wanted.append("400")
                if operation.get("security"):
                    wanted.append("401")
                if "{" in path:
                    wanted.append("404")
                headers = {p.get("name") for p in operation.get("parameters", ())}
                if IDEMPOTENCY_HEADER in headers:
                    wanted.append("422")
                for status in wanted:
                    if status not in responses and int(status) not in responses:
                        responses[status] = error
        return schema


api = CaunoiAPI(
    title="Cầu Nối API",
    version="1",
    description=__doc__,
    urls_namespace="api",
    docs_url=None,  # the Swagger page loads JavaScript from a CDN, which Cầu Nối never does
    renderer=Utf8JSONRenderer(),
)


# ---------------------------------------------------------------------------------------- errors


def _error(request, status: int, message, code: str, errors=None):
    body = {"message": str(message), "code": code}
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(ApplicationError)
def _application_error(request, exc: ApplicationError):
    return _error(request, exc.status, exc.message, exc.code)


@api.exception_handler(DjangoValidationError)
def _validation_error(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in ms] for field, ms in exc.message_dict.items()}
        messages = [m for ms in errors.values() for m in ms]
    else:
        errors = None
        messages = [str(m) for m in exc.messages]
    return _error(request, 400, " ".join(messages), "invalid", errors)


@api.exception_handler(NinjaValidationError)
def _request_invalid(request, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())[1:]] or ["request"]
        errors.setdefault(".".join(loc), []).append(str(error.get("msg", "")))
    message = _("Some values are not valid: %(fields)s.") % {"fields": ", ".join(errors)}
    return _error(request, 400, message, "invalid", errors)


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    message = str(exc) if exc.args and isinstance(exc.args[0], str) else ""
    return _error(request, 404, message or _("Not found."), "not_found")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc: PermissionDenied):
    return _error(request, 403, _("You may not do this here."), "forbidden")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc: AuthenticationError):
    if exc.message == "invalid_token":
        message, code = _("This API token is not valid (wrong or revoked)."), "invalid_token"
    else:
        message, code = _("Sign in, or send an API token: Authorization: Bearer …"), "unauthorized"
    response = _error(request, 401, message, code)
    response["WWW-Authenticate"] = 'Bearer realm="caunoi"'
    return response


@api.exception_handler(OverflowError)
def _beyond_bigint(request, exc: OverflowError):
    """An id in the path beyond what the database holds (SQLite raises): there is no such thing."""
    return _error(request, 404, _("Not found."), "not_found")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if exc.message == "csrf":
        return _error(request, 403, _("The CSRF token is missing or wrong."), "csrf")
    return _error(request, exc.status_code, exc.message, "error")


# ------------------------------------------------------------------------------------- the apps

api.add_router("/", "caunoi.territory.api.router")
api.add_router("/funds", "caunoi.funds.api.router")
api.add_router("/outreach/", "caunoi.outreach.api.router")
api.add_router("/", "caunoi.directives.api.router")
api.add_router("/", "caunoi.people.api.router")
api.add_router("/surveys", "caunoi.surveys.api.router")
api.add_router("/meetings", "caunoi.meetings.api.router")
api.add_router("/elections", "caunoi.elections.api.router")
