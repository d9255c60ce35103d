"""Cầu Nối API v1, mounted at /api/v1/ with its OpenAPI schema at /api/v1/openapi.json.

The territory (units, their children with counts, search, any unit as of a day) is public, like the
pages. Mandates need a signed-in caller: a browser session (with the CSRF token for writes) or
`Authorization: Bearer <token>` (tokens are made with `manage.py create_api_token`). Access is
decided by `caunoi.people.access`, as for the pages: a unit outside the caller's ground answers 404,
one on their ground they may not see answers 403.

Errors are JSON `{"message": ..., "code": ...}` (plus `errors` by field for refused values), the
message in the caller's language (Accept-Language). Dates are ISO 8601; text is UTF-8.
"""

import datetime
import json

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from caunoi.core.exceptions import ApplicationError
from caunoi.core.text import normalize
from caunoi.people import access
from caunoi.people.models import Role
from caunoi.people.services import mandate_appoint
from caunoi.territory import selectors as territory
from caunoi.territory.models import Kind, Level, Unit

from . import schemas, selectors, services


class Utf8JSONRenderer(JSONRenderer):
    """JSON with Vietnamese left readable (UTF-8), not escaped as \\uXXXX."""

    json_dumps_params = {"ensure_ascii": False}

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=NinjaJSONEncoder, **self.json_dumps_params).encode("utf-8")


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`. A token that is wrong or revoked is refused (401) at once,
    even when a session cookie came along."""

    def authenticate(self, request, token):
        person = services.api_token_authenticate(token)
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

api = NinjaAPI(
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


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if exc.message == "csrf":
        return _error(request, 403, _("The CSRF token is missing or wrong."), "csrf")
    return _error(request, exc.status_code, exc.message, "error")


# ------------------------------------------------------------------------------------- territory


def _unit_ref(node: selectors.Node) -> dict:
    unit = node.unit
    return {
        "level": schemas.NAME_OF_LEVEL[unit.level],
        "code": unit.code,
        "kind": node.kind,
        "kind_label": str(Kind(node.kind).label),
        "name": node.name,
        "short_name": node.short_name,
        "url": reverse("territory:unit", args=[unit.url_prefix, unit.code]),
    }


def _unit_or_404(level: schemas.LevelName, code: str) -> Unit:
    unit = territory.unit_get(level=schemas.LEVEL_OF_NAME[level], code=normalize(code))
    if unit is None:
        raise Http404(_("There is no unit with this level and code."))
    return unit


def _node_or_404(unit: Unit, on: datetime.date | None) -> selectors.Node:
    node = selectors.node_on(unit, on)
    if node is None:
        raise Http404(
            _("%(name)s did not exist on %(date)s.") % {"name": unit.name, "date": on.isoformat()}
        )
    return node


@api.get(
    "/units",
    response=schemas.ProvinceList,
    summary="Provinces",
    description="The provinces and centrally-run cities, today or as they were on a day.",
    tags=["territory"],
)
def units(request, on: datetime.date | None = None):
    return {"on": on, "items": [_unit_ref(n) for n in selectors.provinces(on=on)]}


@api.get(
    "/units/search",
    response=schemas.SearchOut,
    summary="Search units",
    description="Current units whose names (with their parents') contain every word typed, as "
    "word prefixes, diacritics and case ignored: `khu 1 dong xuan` finds Khu 1 of xã Đồng Xuân.",
    tags=["territory"],
)
def units_search(
    request,
    q: str = Query(..., min_length=1, max_length=200),
    limit: int = Query(20, ge=1, le=100),
):
    hits = []
    for unit in territory.unit_search(q, limit=limit):
        hit = _unit_ref(selectors.Node(unit))
        hit["parent"] = _unit_ref(selectors.Node(unit.parent)) if unit.parent else None
        hits.append(hit)
    return {"q": normalize(q), "items": hits}


@api.get(
    "/units/{level}/{code}",
    response={200: schemas.UnitOut, 404: schemas.Error},
    summary="A unit",
    description="A unit with its ancestors and history; with `on`, the state it had that day "
    "(404 when it did not exist then).",
    tags=["territory"],
)
def unit_detail(request, level: schemas.LevelName, code: str, on: datetime.date | None = None):
    unit = _unit_or_404(level, code)
    node = _node_or_404(unit, on)
    data = _unit_ref(node)
    data.update(
        area_type=node.area_type,
        valid_from=node.valid_from,
        valid_to=node.valid_to,
        is_current=unit.is_current,
        on=on,
        ancestors=[_unit_ref(a) for a in selectors.ancestors_on(unit, on, node.version)],
        versions=[
            {
                "name": v.name,
                "short_name": v.short_name,
                "kind": v.kind,
                "parent": v.parent.code if v.parent else None,
                "valid_from": v.valid_from,
                "valid_to": v.valid_to,
            }
            for v in unit.versions.select_related("parent").order_by(
                F("valid_from").asc(nulls_first=True), "id"
            )
        ],
        households=selectors.area_households_count(unit)
        if unit.level == Level.AREA and on is None
        else None,
    )
    return data


@api.get(
    "/units/{level}/{code}/children",
    response={200: schemas.ChildrenOut, 404: schemas.Error},
    summary="A unit's children, with counts",
    description="The children of a unit, each with the counts of its own descendants by kind "
    "(and its active households, today), and the unit's own totals; `on` reads the tree as it "
    "was that day. Ordered by code.",
    tags=["territory"],
)
def unit_children(
    request,
    level: schemas.LevelName,
    code: str,
    on: datetime.date | None = None,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0),
):
    unit = _unit_or_404(level, code)
    node = _node_or_404(unit, on)
    result = selectors.children_with_counts(unit, on=on)
    counts = dict(result.counts)
    households = counts.pop("households", None)
    items = []
    for child in result.children[offset : offset + limit]:
        item = _unit_ref(child)
        child_counts = dict(child.counts)
        item["households"] = child_counts.pop("households", None)
        item["counts"] = child_counts
        items.append(item)
    return {
        "unit": _unit_ref(node),
        "on": on,
        "counts": counts,
        "households": households,
        "total": len(result.children),
        "limit": limit,
        "offset": offset,
        "items": items,
    }


# -------------------------------------------------------------------------------------- mandates


def _mandate_out(mandate, acc: access.Access) -> dict:
    person = mandate.person
    show_phone = person.phone_public or acc.can(access.MANAGE_MANDATES, mandate.unit)
    return {
        "id": mandate.pk,
        "role": mandate.role,
        "role_label": str(Role(mandate.role).label),
        "person": {
            "id": person.pk,
            "full_name": person.full_name,
            "phone": person.phone if show_phone else None,
        },
        "unit": _unit_ref(selectors.Node(mandate.unit)),
        "household": mandate.household.code if mandate.household_id else None,
        "start": mandate.start,
        "end": mandate.end,
        "decision_number": mandate.decision_number,
        "decision_date": mandate.decision_date,
    }


# What a signed-in endpoint may answer besides success.
SIGNED_IN_ERRORS = {code: schemas.Error for code in (400, 401, 403, 404)}


@api.get(
    "/mandates",
    auth=SIGNED_IN,
    response={200: schemas.MandateList, **SIGNED_IN_ERRORS},
    summary="Active mandates",
    description="Active mandates on the caller's ground (where they may see inside), optionally "
    "within one unit (`level` and `code`, its subtree included) and of one role.",
    tags=["mandates"],
)
def mandates(
    request,
    level: schemas.LevelName | None = None,
    code: str | None = Query(None, max_length=20),
    role: schemas.RoleName | None = None,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0),
):
    user = request.auth
    acc = access.Access.for_user(user)
    within = None
    if level is not None or code:
        if level is None or not code:
            raise ApplicationError(
                _("Give both the level and the code of the unit."), code="invalid"
            )
        within = access.check(user, access.VIEW, _unit_or_404(level, code))
    elif not acc.paths(access.VIEW):
        raise PermissionDenied
    qs = selectors.mandates_visible(
        ground=acc.unit_filter(access.VIEW, "unit__"),
        within=within,
        role=role.value if role is not None else None,
    )
    return {
        "total": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [_mandate_out(m, acc) for m in qs[offset : offset + limit]],
    }


@api.post(
    "/mandates",
    auth=SIGNED_IN,
    response={201: schemas.MandateOut, **SIGNED_IN_ERRORS},
    summary="Appoint someone",
    description="Give the person with this phone (created when new) a role on a unit. The caller "
    "must be allowed to appoint that role there.",
    tags=["mandates"],
)
def mandate_add(request, payload: schemas.MandateIn):
    user = request.auth
    unit = access.check(user, access.VIEW, _unit_or_404(payload.level, payload.code))
    mandate = mandate_appoint(
        actor=user,
        unit=unit,
        role=payload.role.value,
        phone=payload.phone,
        full_name=payload.full_name,
        start=payload.start,
        end=payload.end,
        household_code=payload.household,
        decision_number=payload.decision_number,
        decision_date=payload.decision_date,
        note=payload.note,
    )
    mandate = type(mandate).objects.select_related("person", "unit", "household").get(pk=mandate.pk)
    return Status(201, _mandate_out(mandate, access.Access.for_user(user)))


api.add_router("/funds", "caunoi.funds.api.router")
api.add_router("/outreach/", "caunoi.outreach.api.router")
api.add_router("/", "caunoi.directives.api.router")
api.add_router("/", "caunoi.people.api.router")
api.add_router("/surveys", "caunoi.surveys.api.router")
