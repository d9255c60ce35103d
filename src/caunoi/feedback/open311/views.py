"""Open311 GeoReport v2 at /open311/v2/ (http://wiki.open311.org/GeoReport_v2), XML and JSON.

- Services are the communes' categories. Each has one required attribute, `area` (the residential
  area's code, a singlevaluelist), so `metadata` is true; `kind` (question|report) and `public`
  (true|false) are optional.
- `jurisdiction_id` (optional) is a unit code (the province "25", a commune "08119"): it narrows
  services and requests to that ground. A commune's services are its own categories (codes like
  "08119-01"); without a jurisdiction, or for a district or province, each category name is one
  service (as FixMyStreet lists distinct categories), its code shared by the communes
  ("duong-ngo-xom-cau-cong"); a POST with a shared code goes to the category of that name in the
  commune of `attribute[area]` (or `address_id`).
- POST honours `email` (kept as the asker's contact, for the staff only) and `media_url` (a link
  to the client's copy of a photo, shown to the staff, never fetched); a malformed one is a 400.
- `changeset` in discovery is when the service list last changed (a category added or edited),
  or the API's own last change when that is later.
- Requests listed are the ones their askers allowed to be public, plus those the calling client
  (api_key) posted itself; hidden ones never. Descriptions are the redacted public text, shown once
  an official has answered (they review it then); personal data never leaves.
- status is open|closed (closed = answered or resolved); the richer state is in status_notes.
- Errors: [{code, description}] with HTTP 403 (api_key), 404 (unknown resource), 400 otherwise.
"""

import datetime
import json
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from caunoi.core.exceptions import ApplicationError
from caunoi.core.params import DB_MAX, db_id, whole_number
from caunoi.core.phones import normalize_phone
from caunoi.core.ratelimit import Limit
from caunoi.core.redact import redact
from caunoi.territory.models import Unit

from .. import policy, selectors
from .. import services as feedback_services
from ..models import ApiClient, Kind, Request, Status, Tier

SPEC = "http://wiki.open311.org/GeoReport_v2"
# When this API itself last changed (what it accepts and returns): discovery's changeset is this or
# the latest change of the services, whichever is later.
API_CHANGED = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
DEFAULT_DAYS = 90
DEFAULT_LIMIT = 1000
MAX_DESCRIPTION = 4000

# Wrapping element names of each XML document, and the name of each item inside it.
XML_NAMES = {
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
}


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        self.status = status
        self.description = description


# --- Rendering ----------------------------------------------------------------------------------


def _xml_value(parent, key, value):
    el = ET.SubElement(parent, key)
    if isinstance(value, dict):
        for k, v in value.items():
            _xml_value(el, k, v)
    elif isinstance(value, list):
        inner = {
            "attributes": "attribute",
            "values": "value",
            "endpoints": "endpoint",
            "formats": "format",
        }.get(key, "item")
        for v in value:
            _xml_value(el, inner, v)
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    elif value is not None:
        el.text = str(value)


def render(data, fmt: str, *, kind: str = "", status: int = 200) -> HttpResponse:
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False)
        return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    if isinstance(data, list):
        outer, inner = XML_NAMES[kind]
        root = ET.Element(outer)
        for item in data:
            _xml_value(root, inner, item)
    else:
        ((name, value),) = data.items()
        root = ET.Element(name)
        for k, v in value.items():
            _xml_value(root, k, v)
    body = ET.tostring(root, encoding="unicode")
    return HttpResponse(
        '<?xml version="1.0" encoding="utf-8"?>' + body,
        status=status,
        content_type="text/xml; charset=utf-8",
    )


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(
        [{"code": status, "description": str(description)}], fmt, kind="errors", status=status
    )


def endpoint(view):
    """Open311 errors in the spec's format; GET (and POST where allowed) only."""

    def wrapper(request, *args, fmt, **kwargs):
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return error(fmt, exc.status, exc.description)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return csrf_exempt(wrapper)


def _param(request, name: str) -> str:
    """A parameter; an empty one is the same as an absent one (the spec says so)."""
    source = request.POST if request.method == "POST" else request.GET
    return (source.get(name) or "").strip()


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    # A due date: the end of that working day, local time.
    end = datetime.datetime.combine(value, datetime.time(17, 0))
    return timezone.make_aware(end).isoformat(timespec="seconds")


def _jurisdiction(request) -> Unit | None:
    code = _param(request, "jurisdiction_id")
    if not code:
        return None
    unit = selectors.open311_jurisdiction_get(code)
    if unit is None:
        raise Open311Error(404, _("Unknown jurisdiction_id %(id)s.") % {"id": code})
    return unit


def _client(request, *, required: bool) -> ApiClient | None:
    key = _param(request, "api_key")
    if not key:
        if required:
            raise Open311Error(403, _("An api_key is required to post requests."))
        return None
    client = selectors.api_client_get(key)
    if client is None:
        raise Open311Error(403, _("The api_key is not valid."))
    return client


def _methods(request, *allowed):
    if request.method not in allowed:
        raise Open311Error(400, _("Method %(m)s is not supported here.") % {"m": request.method})


# --- Discovery and services ---------------------------------------------------------------------


@endpoint
def discovery(request, *, fmt):
    _methods(request, "GET")
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt}))
    base = base.rsplit("/", 1)[0] + "/"
    changeset = _iso(selectors.open311_changeset(API_CHANGED))
    data = {
        "changeset": changeset,
        "contact": _("Your commune's People's Committee, or the Cầu Nối administrators."),
        "key_service": _("Ask the province's Cầu Nối administrators for an api_key."),
        "endpoints": [
            {
                "specification": SPEC,
                "url": base,
                "changeset": changeset,
                "type": "production" if not settings.DEBUG else "test",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    if fmt == "xml":
        return render({"discovery": data}, fmt)
    return render(data, fmt)


def _categories(request):
    return selectors.category_public_list(within=_jurisdiction(request))


def _shared(unit: Unit | None) -> bool:
    """Whether services are listed by name (shared codes) rather than one commune's own."""
    return unit is None or not unit.is_commune


@endpoint
def services(request, *, fmt):
    _methods(request, "GET")
    unit = _jurisdiction(request)
    if _shared(unit):
        data = [
            {
                "service_code": c["code"],
                "service_name": c["name"],
                "description": c["description"] or c["name"],
                "metadata": True,
                "type": "realtime",
                "keywords": "",
                "group": c["group"],
            }
            for c in selectors.category_shared_list(within=unit)
        ]
    else:
        data = [
            {
                "service_code": c.code,
                "service_name": c.name,
                "description": c.description or f"{c.name} — {c.commune.name}",
                "metadata": True,
                "type": "realtime",
                "keywords": c.keywords,
                "group": c.group or c.commune.name,
            }
            for c in selectors.category_public_list(within=unit)
        ]
    return render(data, fmt, kind="services")


def _area_attribute(areas) -> dict:
    """The required `area` attribute: the commune's areas to choose from, or (a service shared by
    communes) the area's code to type."""
    attribute = {
        "variable": True,
        "code": "area",
        "datatype": "singlevaluelist" if areas is not None else "string",
        "required": True,
        "datatype_description": _("The residential area's code.")
        if areas is not None
        else _(
            "The residential area's code, e.g. 08119-03 (the areas of a commune: this "
            "service with jurisdiction_id set to the commune's code)."
        ),
        "order": 1,
        "description": _("Residential area"),
    }
    if areas is not None:
        attribute["values"] = [{"key": a.code, "name": a.name} for a in areas]
    return attribute


@endpoint
def service_definition(request, *, code, fmt):
    _methods(request, "GET")
    unit = _jurisdiction(request)
    categories = selectors.category_public_list(within=unit)
    category = categories.filter(code=code).first()
    if category is None and unit is not None and unit.is_commune:
        category = categories.filter(name__in=selectors.category_shared_names(code)).first()
    if category is not None:
        areas = selectors.category_areas(category)
    elif (
        _shared(unit)
        and selectors.category_shared_names(code)
        and any(c["code"] == code for c in selectors.category_shared_list(within=unit))
    ):
        areas = None
    else:
        raise Open311Error(404, _("Unknown service_code %(code)s.") % {"code": code})
    data = {
        "service_code": code,
        "attributes": [
            _area_attribute(areas),
            {
                "variable": True,
                "code": "kind",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "",
                "order": 2,
                "description": _("Question or report"),
                "values": [{"key": k, "name": str(label)} for k, label in Kind.choices],
            },
            {
                "variable": True,
                "code": "public",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("true: the answer may be shown publicly."),
                "order": 3,
                "description": _("May be shown publicly"),
                "values": [{"key": "true", "name": _("Yes")}, {"key": "false", "name": _("No")}],
            },
        ],
    }
    if fmt == "xml":
        return render({"service_definition": data}, fmt)
    return render(data, fmt)


# --- Requests -----------------------------------------------------------------------------------


def _items(rows, request, client: ApiClient | None) -> list[dict]:
    """The spec's items for `rows`, with each one's first public photo found in one query."""
    rows = list(rows)
    photos = selectors.photo_public_first(rows)
    photo_url = request.build_absolute_uri(reverse("feedback:photo", args=[0]))[:-2]
    labels = {
        "head": _("waiting for the head"),
        "commune": _("at the commune"),
        "reopened": _("reopened, %(state)s"),
        "overdue": _("%(state)s, overdue"),
        "head_agency": _("Head of %(area)s"),
        "commune_agency": _("People's Committee of %(c)s"),
    }
    today = timezone.localdate()
    return [_item(r, client, labels, today, photos.get(r.pk), photo_url) for r in rows]


def _item(req: Request, client, labels, today, photo_id, photo_url) -> dict:
    own = client is not None and req.client_id == client.pk
    answered = req.status in (Status.ANSWERED, Status.RESOLVED)
    state = req.get_status_display()
    if req.status == Status.OPEN:
        state = labels[req.level]
        if req.reopen_count:
            state = labels["reopened"] % {"state": state}
        if req.due_date < today:
            state = labels["overdue"] % {"state": state}
    answer = req.answer if own else req.public_answer
    notes = f"{state}: {answer}" if answered and answer else str(state)
    commune = req.commune
    agency = (
        labels["head_agency"] % {"area": req.area.name}
        if req.level == Tier.HEAD
        else (req.category.handler or labels["commune_agency"] % {"c": commune.name})
    )
    return {
        "service_request_id": req.pk,
        "status": "open" if req.status == Status.OPEN else "closed",
        "status_notes": notes,
        "service_name": req.category.name,
        "service_code": req.category.code,
        "description": req.text if own else (req.public_text if answered else ""),
        "agency_responsible": agency,
        "service_notice": "",
        "requested_datetime": _iso(req.created_at),
        "updated_datetime": _iso(req.updated_at),
        "expected_datetime": _iso(req.due_date) if req.status == Status.OPEN else None,
        # the place as typed for its own client; house numbers and the like masked for others
        "address": ", ".join(
            filter(
                None, [req.place if own else redact(req.place).text, req.area.name, commune.name]
            )
        ),
        "address_id": req.area.code,
        "zipcode": "",
        "lat": float(req.lat) if req.lat is not None else None,
        "long": float(req.long) if req.long is not None else None,
        # The public photo; for the client that posted it, the link it sent if there is none.
        "media_url": f"{photo_url}{photo_id}/" if photo_id else (req.media_url if own else ""),
    }


def _date(request, name: str):
    raw = _param(request, name)
    if not raw:
        return None
    try:  # well-formed but impossible (30 February, month 13) raises
        value = parse_datetime(raw.replace(" ", "+"))
    except ValueError:
        value = None
    if value is None:
        try:
            value = datetime.datetime.fromisoformat(raw)
        except ValueError:
            value = None
    if value is None:
        raise Open311Error(
            400, _("%(name)s must be a W3C date, e.g. 2026-01-02T08:00:00+07:00.") % {"name": name}
        )
    if not 1900 <= value.year <= 9000:  # the date arithmetic below would overflow
        raise Open311Error(
            400, _("%(name)s must be a W3C date, e.g. 2026-01-02T08:00:00+07:00.") % {"name": name}
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _int(request, name: str, default: int, maximum: int) -> int:
    raw = _param(request, name)
    if not raw:
        return default
    value = whole_number(raw, maximum=maximum)
    if value is None or value < 1:
        raise Open311Error(400, _("%(name)s must be a positive whole number.") % {"name": name})
    return value


@endpoint
def requests(request, *, fmt):
    _methods(request, "GET", "POST")
    if request.method == "POST":
        return _post(request, fmt)
    client = _client(request, required=False)
    qs = selectors.request_open311_list(client)
    unit = _jurisdiction(request)
    if unit is not None:
        qs = qs.on_ground(unit)
    ids = _param(request, "service_request_id")
    if ids:
        wanted = [i.strip() for i in ids.split(",") if i.strip()]
        numbers = [whole_number(i, maximum=DB_MAX + 1) for i in wanted[:DEFAULT_LIMIT]]
        if any(n is None for n in numbers):
            raise Open311Error(400, _("service_request_id must be a comma-separated list of ids."))
        qs = qs.filter(pk__in=[n for n in numbers if n is not None and n <= DB_MAX])
    else:
        codes = [c.strip() for c in _param(request, "service_code").split(",") if c.strip()]
        if codes:
            names = [n for c in codes for n in selectors.category_shared_names(c)]
            qs = qs.filter(Q(category__code__in=codes) | Q(category__name__in=names))
        start, end = _date(request, "start_date"), _date(request, "end_date")
        if start is None and end is None:
            start = timezone.now() - datetime.timedelta(days=DEFAULT_DAYS)
        elif start is None:
            start = end - datetime.timedelta(days=DEFAULT_DAYS)
        qs = qs.filter(created_at__gte=start)
        if end is not None:
            qs = qs.filter(created_at__lte=end)
        statuses = {s.strip() for s in _param(request, "status").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, _("status must be open or closed."))
        if statuses == {"open"}:
            qs = qs.filter(status=Status.OPEN)
        elif statuses == {"closed"}:
            qs = qs.exclude(status=Status.OPEN)
    size = _int(request, "page_size", DEFAULT_LIMIT, DEFAULT_LIMIT)
    page = _int(request, "page", 1, 10**6)
    rows = selectors.request_open311_page(qs, page=page, size=size)
    return render(_items(rows, request, client), fmt, kind="requests")


@endpoint
def request_one(request, *, pk, fmt):
    _methods(request, "GET")
    client = _client(request, required=False)
    number = db_id(pk)  # beyond BIGINT, or non-ASCII digits that `\d` matched: unknown
    req = selectors.request_open311_list(client).filter(pk=number).first() if number else None
    if req is None:
        raise Open311Error(404, _("Unknown service_request_id %(id)s.") % {"id": pk})
    return render(_items([req], request, client), fmt, kind="requests")


@endpoint
def token(request, *, token, fmt):
    _methods(request, "GET")
    req = selectors.request_token_get(token)
    if req is None:
        raise Open311Error(404, _("Unknown token %(token)s.") % {"token": token})
    return render([{"service_request_id": req.pk, "token": req.token}], fmt, kind="requests")


def _decimal(request, name: str, limit: int):
    raw = _param(request, name)
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > limit:
        raise Open311Error(400, _("%(name)s must be a WGS84 coordinate.") % {"name": name})
    return value.quantize(Decimal("0.000001"))


def _post(request, fmt):
    client = _client(request, required=True)
    key_limit = Limit("open311.key", per=policy.OPEN311_MAX_PER_KEY_PER_HOUR.value, seconds=3600)
    if key_limit.add(str(client.pk if client else "")) > key_limit.per:
        raise Open311Error(429, _("This api_key has sent too many reports. Try again later."))
    code = _param(request, "service_code")
    if not code:
        raise Open311Error(400, _("service_code is required."))
    category = selectors.category_public_list().filter(code=code).first()
    shared = category is None and bool(selectors.category_shared_names(code))
    if category is None and not shared:
        raise Open311Error(400, _("Unknown service_code %(code)s.") % {"code": code})
    lat, long = _decimal(request, "lat", 90), _decimal(request, "long", 180)
    address = _param(request, "address_string")
    address_id = _param(request, "address_id")
    if (lat is None) != (long is None):
        raise Open311Error(400, _("Give both lat and long, or neither."))
    if lat is None and not address and not address_id:
        raise Open311Error(
            400, _("A location is required: lat and long, address_string or address_id.")
        )
    area_code = _param(request, "attribute[area]") or address_id
    if shared:
        area = selectors.open311_area_get(area_code) if area_code else None
        category = selectors.category_for_area(code=code, area=area) if area else None
        if area is not None and category is None:
            raise Open311Error(
                400,
                _("The commune of %(area)s has no service %(code)s.")
                % {"area": area.name, "code": code},
            )
    else:
        area = selectors.category_areas(category).filter(code=area_code).first()
    if area is None or category is None:
        raise Open311Error(
            400, _("attribute[area] must be one of the service's residential areas.")
        )
    description = _param(request, "description")
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(
            400, _("description may have at most %(n)d characters.") % {"n": MAX_DESCRIPTION}
        )
    kind = _param(request, "attribute[kind]") or Kind.QUESTION
    if kind not in Kind.values:
        raise Open311Error(400, _("attribute[kind] must be question or report."))
    public = _param(request, "attribute[public]").lower() in ("true", "1", "yes")
    phone = ""
    if _param(request, "phone"):
        try:
            phone = normalize_phone(_param(request, "phone"))
        except ValidationError as exc:
            raise Open311Error(400, exc.messages[0]) from exc
    name = " ".join(filter(None, [_param(request, "first_name"), _param(request, "last_name")]))
    try:
        req = feedback_services.request_create(
            actor=None,
            area=area,
            category=category,
            text=description,
            kind=kind,
            place=address[:200],
            public=public,
            contact_name=name,
            contact_phone=phone,
            contact_email=_param(request, "email"),
            media_url=_param(request, "media_url"),
            lat=lat,
            long=long,
            client=client,
        )
    except ValidationError as exc:
        raise Open311Error(400, " ".join(exc.messages)) from exc
    except ApplicationError as exc:
        raise Open311Error(400, str(exc.message)) from exc
    notice = _("The head of %(area)s answers by %(due)s.") % {
        "area": area.name,
        "due": req.due_date.strftime("%d/%m/%Y"),
    }
    return render(
        [{"service_request_id": req.pk, "service_notice": notice, "account_id": ""}],
        fmt,
        kind="requests",
        status=201,
    )
