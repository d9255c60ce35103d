"""The access matrix (issue 13): every URL pattern of the site, taken from the resolver (a new view
cannot escape it), requested as anonymous, resident, head, treasurer, commune, district and
province roles against objects of their own ground and of a neighbouring commune in another
district and province, by GET and by POST. It fails on

- any 5xx;
- an anonymous 200 on a page not declared public (`PUBLIC`, with the reason);
- a signed-in role seeing a neighbour's page that the public cannot see (its ground is not theirs);
- any write (a new change-log entry: every service is audited) by a POST on a neighbour's object,
  or by anonymous or a resident outside `PUBLIC_WRITES`.

The API (`/api/v1/`) is walked by schemathesis from its OpenAPI schema, Open311 by hypothesis
(`src/caunoi/*/tests/test_fuzz_*.py`); the admin is read-only and signs in through the site.
"""

import datetime
import re
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test.utils import override_settings
from django.urls import get_resolver
from django.urls.resolvers import URLResolver

from caunoi.core.models import AuditEntry
from caunoi.feedback import services as feedback
from caunoi.funds import services as funds
from caunoi.people.models import Role
from caunoi.territory.models import AreaType, Kind
from caunoi.territory.services import household_create
from caunoi.testing import appoint, build_world, give, make_person, make_unit

pytestmark = pytest.mark.django_db

SKIPPED_PREFIXES = ("quan-tri/", "api/", "i18n/", "open311/", "^", "healthz", "static/")

# Public by design: what anyone may read without an account, by URL name.
PUBLIC = {
    "core:home": "the front page: what Cầu Nối is and how to sign in",
    "territory:search": "finding one's area or commune (names of public units)",
    "territory:unit": "a unit's public page: its name, its areas, its public sections",
    "territory:children": "the public list of a unit's units",
    "funds:area": "the area's funds are public by law (Luật THDCCS 2022 Điều 11)",
    "funds:fund": "a fund's ledger and balance are public by law",
    "funds:statement": "the công khai thu – chi statement is posted publicly by law",
    "funds:poster": "the poster for the cultural house's notice board",
    "funds:expense": "a decided expense and its invoice copy (personal data covered) are public",
    "funds:invoice": "the public copy of a decided expense's invoice",
    "funds:receipt": "a receipt by its unguessable link (the payer's name hidden)",
    "funds:receipt_pdf": "the same receipt, printable",
    "feedback:ask": "anyone may ask a question (a code proves the phone)",
    "feedback:faq": "the area's answered questions, made public without personal data",
    "feedback:search": "searching the public answers",
    "feedback:public": "one public answer, without personal data",
    "outreach:public": "the area's public notices",
    "outreach:public_notice": "one public notice",
    "accounts:signin": "signing in",
    "accounts:signin_phone": "signing in with a code",
    "accounts:signin_password": "signing in with a password",
    "surveys:answer": "a survey is answered without an account (one code per household)",
    "surveys:answer_start": "where a household types its survey code",
    "surveys:answer_thanks": "the thank-you page after answering",
    "territory:browse": "the public tree of provinces and communes",
    "service_worker": "the head pages' offline script (a static file served from the root)",
    "reports:published_list": "survey results a province or commune chose to publish",
    "reports:published": "one published survey result (aggregates with suppression, no head named)",
    "meetings:slip_answer": "a household answers a meeting's ballot with its one-time code",
    "elections:area": "the area's published candidate list and election results (NĐ 59/2023 "
    "Điều 6 khoản 3: announced to residents; names, years of birth and votes, no phone)",
}
# Writes anyone (or a resident) may make: they are the product.
PUBLIC_WRITES = {"feedback:ask", "surveys:answer", "accounts:signin_phone", "meetings:slip_answer"}
ROLES = ["anonymous", "resident", "head", "treasurer", "commune", "district", "province"]


@dataclass
class Ground:
    province: object
    district: object
    commune: object
    area: object
    household: object
    fund: object
    expense: object
    receipt: object
    request: object


@dataclass
class Grounds:
    own: Ground
    neighbour: Ground
    people: dict
    # what anonymous GET sees on the neighbour's ground, walked once for the module's tests
    public_get: dict = field(default_factory=dict)


def _objects(area, household, keeper, approver, name) -> tuple:
    decision = funds.decision_record(
        actor=keeper,
        area=area,
        number=f"01/NQ-{name}",
        date=datetime.date(2026, 1, 10),
        method="meeting",
        subject="Lập quỹ khuyến học",
        households_in_favour=10,
        households_total=12,
    )
    fund = funds.fund_create(
        actor=keeper, area=area, name="Quỹ khuyến học", kind="study", purpose="Khuyến học",
        decision=decision,
    )  # fmt: skip
    receipt = funds.contribution_record(
        actor=keeper, fund=fund, household=household, amount=100_000,
        paid_on=datetime.date(2026, 3, 1), method="cash", payer_name="Người Nộp",
    )  # fmt: skip
    expense = funds.expense_record(
        actor=keeper, fund=fund, amount=10_000, payee="Nhà sách", purpose="Vở",
        spent_on=datetime.date(2026, 3, 2),
    )  # fmt: skip
    category = feedback.category_create(actor=None, commune=area.parent, name="Đường giao thông")
    request = feedback.request_create(
        actor=approver, area=area, category=category, text="Đường hỏng, nhà ông Tư.", public=False
    )
    return fund, expense, receipt, request


@pytest.fixture(scope="module")
def grounds(django_db_setup, django_db_blocker, tmp_path_factory):
    """Both grounds, built once for the module's tests (one per role) inside a transaction rolled
    back after the last one; each test runs in a savepoint of it, so its POSTs are undone."""
    tmp = tmp_path_factory.mktemp("access-matrix")
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            SMS_FILE_PATH=str(tmp / "sms.jsonl"),
            MEDIA_ROOT=str(tmp / "media"),
        ),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_grounds()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _build_grounds() -> Grounds:
    w = build_world()
    treasurer = appoint("Đặng Thị Lan", "0912000005", Role.TREASURER, w.area_a1)
    own = Ground(w.province, w.district, w.commune_a, w.area_a1, w.household_a1,
                 *_objects(w.area_a1, w.household_a1, w.head_a1, w.resident_a1, "A"))  # fmt: skip

    # The neighbour: a commune in another district of another province, with its own people.
    unit = make_unit
    p2 = unit(Kind.PROVINCE, "26", "Tỉnh Vĩnh Phúc")
    d2 = unit(Kind.RURAL_DISTRICT, "250", "Huyện Lập Thạch", p2)
    c2 = unit(Kind.COMMUNE, "09001", "Xã Bắc Bình", d2)
    a2 = unit(Kind.AREA, "09001-01", "Thôn 1", c2, area_type=AreaType.THON)
    h2 = household_create(actor=None, area=a2, code="09001-01-001", address="Số 1",
                          representative_name="Lò Văn Ba", representative_phone="0912000333",
                          members=2)  # fmt: skip
    head2 = make_person("Lò Văn Tâm", phone="0912000334", password=None)
    resident2 = make_person("Lò Thị Hoa", phone="0912000335", password=None)
    give(head2, Role.HEAD, a2)
    give(resident2, Role.RESIDENT, a2, household=h2)
    neighbour = Ground(p2, d2, c2, a2, h2, *_objects(a2, h2, head2, resident2, "B"))
    people = {
        "anonymous": None,
        "resident": w.resident_a1,
        "head": w.head_a1,
        "treasurer": treasurer,
        "commune": w.officer_a,
        "district": w.district_officer,
        "province": w.province_officer,
    }
    return Grounds(own, neighbour, people)


def _patterns():
    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            else:
                name = f"{namespace}:{p.name}" if namespace else (p.name or "")
                yield prefix + str(p.pattern), name

    return [
        (route, name)
        for route, name in walk(get_resolver().url_patterns)
        if not route.startswith(SKIPPED_PREFIXES)
    ]


def _url(route: str, name: str, g: Ground) -> str:
    """The route with its parameters filled for ground `g` (the commune for `<…:level>`)."""
    first = route.split("/", 1)[0]
    levelled = "<lvl:level>" in route or "<ground:level>" in route
    by_prefix = {"xa": g.commune, "huyen": g.district, "tinh": g.province}
    unit = g.commune if levelled else by_prefix.get(first, g.area)
    if "expense" in name or "invoice" in name:
        pk = g.expense.pk
    elif name.startswith("funds:"):
        pk = g.fund.pk
    elif name.startswith("feedback:"):
        pk = g.request.pk
    else:
        pk = 999_999  # a missing object: 404, never a 500
    values = {
        "level": "xa",
        "code": unit.code,
        "pk": pk,
        "seq": 1,
        "household_code": g.household.code,
        "token": g.receipt.token,
        "fmt": "pdf",
        "campaign_pk": 999_999,
        "file_pk": 999_999,
        "att": 999_999,
    }
    return "/" + re.sub(
        r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), 999_999)), route
    )  # others: a missing object


def _grounded(own: Ground, neighbour: Ground) -> set[str]:
    """The names of the patterns that are about a ground (their URL differs between grounds); the
    others (one's inbox, one's questions) are the person's own pages."""
    return {
        name
        for route, name in _patterns()
        if _url(route, name, own) != _url(route, name, neighbour)
    }


def _walk(client, person, g: Ground, method: str):
    """{(name, url): (status, wrote)} for every pattern on ground `g`."""
    client.logout()
    if person is not None:
        client.force_login(person)
    out = {}
    entries = AuditEntry.objects.count()
    for route, name in _patterns():
        url = _url(route, name, g)
        response = getattr(client, method)(url)
        before, entries = entries, AuditEntry.objects.count()
        out[(name, url)] = (response.status_code, entries > before)
    return out


MATRIX: dict = {"urls": 0, "requests": 0}


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, grounds, role):
    own, neighbour, person = grounds.own, grounds.neighbour, grounds.people[role]
    failures = []
    grounded = _grounded(own, neighbour)
    if not grounds.public_get:  # the same database for every role's test: walked once
        walked = _walk(client, None, neighbour, "get")
        grounds.public_get.update({key: status for key, (status, _w) in walked.items()})
    public_get = grounds.public_get
    walks = 0
    for ground_name, g in (("own", own), ("neighbour", neighbour)):
        for method in ("get", "post"):
            results = _walk(client, person, g, method)
            MATRIX["urls"] = len(results)
            MATRIX["requests"] += len(results)
            walks += len(results)
            for (name, url), (status, wrote) in results.items():
                where = f"{role} {method.upper()} {url} ({name}) on {ground_name} ground: {status}"
                if status >= 500:
                    failures.append(f"5xx: {where}")
                if role == "anonymous" and method == "get" and status == 200 and name not in PUBLIC:
                    failures.append(f"public without a declared reason: {where}")
                if (
                    ground_name == "neighbour"
                    and name in grounded
                    and method == "get"
                    and status == 200
                    and public_get.get((name, url)) != 200
                ):
                    failures.append(f"sees a neighbour's private page: {where}")
                if (
                    wrote
                    and ground_name == "neighbour"
                    and name in grounded
                    and name not in PUBLIC_WRITES
                ):
                    failures.append(f"wrote on a neighbour's ground: {where}")
                if wrote and role in ("anonymous", "resident") and name not in PUBLIC_WRITES:
                    failures.append(f"wrote without the right: {where}")
    print(
        f"access matrix: {role}: {len(results)} URLs × 2 grounds × 2 methods, {walks} requests "
        f"(and the {len(public_get)} anonymous GETs of the neighbour's ground, once per worker)"
    )
    assert not failures, "\n".join(failures)
