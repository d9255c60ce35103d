"""The directives API: same rules as the pages, in the OpenAPI schema, idempotent writes."""

import json

import pytest
from django.utils import timezone

from caunoi.accounts.services import api_token_create
from caunoi.core.workdays import add_working_days
from caunoi.directives.models import Assignment, Directive, Status

from .conftest import far_due

pytestmark = pytest.mark.django_db


def body(r):
    return json.loads(r.content.decode())


@pytest.fixture
def api(client):
    def as_(person):
        _token, raw = api_token_create(actor=None, person=person, name="test")

        def call(method, path, data=None, **headers):
            extra = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
            extra.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})
            fn = getattr(client, method)
            if data is not None:
                return fn(
                    f"/api/v1{path}", json.dumps(data), content_type="application/json", **extra
                )
            return fn(f"/api/v1{path}", **extra)

        return call

    return as_


def payload(world, **kw):
    data = {
        "commune": "08119",
        "title": "Tổng vệ sinh",
        "body": "Ra quân tổng vệ sinh sáng chủ nhật.",
        "category": "campaign",
        "due_date": far_due().isoformat(),
        "areas": ["08119-03", "08119-04"],
    }
    data.update(kw)
    return data


def test_schema_lists_the_endpoints(client):
    paths = body(client.get("/api/v1/openapi.json"))["paths"]
    for p in (
        "/api/v1/directives",
        "/api/v1/directives/{pk}",
        "/api/v1/assignments",
        "/api/v1/assignments/{pk}/complete",
        "/api/v1/lesson5/{level}/{code}",
    ):
        assert p in paths


def test_officer_sends_and_head_completes_through_the_api(world, api):
    officer = api(world.officer_a)
    rushed = payload(world, due_date=add_working_days(timezone.localdate(), 1).isoformat())
    r = officer("post", "/directives", rushed)
    assert r.status_code == 400 and "reason" in body(r)["errors"]
    assert not Directive.objects.exists()
    r = officer(
        "post",
        "/directives",
        {**rushed, "reason": "Đoàn kiểm tra về"},
        **{"Idempotency-Key": "x" * 20},
    )
    assert r.status_code == 201, body(r)
    d = body(r)
    assert d["below_min_lead"] and d["recipients"] == 2 and d["rush_reason"] == "Đoàn kiểm tra về"
    again = officer(
        "post",
        "/directives",
        {**rushed, "reason": "Đoàn kiểm tra về"},
        **{"Idempotency-Key": "x" * 20},
    )
    assert again.status_code == 201 and body(again)["id"] == d["id"]
    other = officer(
        "post", "/directives", {**rushed, "reason": "khác"}, **{"Idempotency-Key": "x" * 20}
    )
    assert other.status_code == 422 and body(other)["code"] == "idempotency_key_reused"
    assert Directive.objects.count() == 1

    head = api(world.head_a1)
    mine = body(head("get", "/assignments"))
    assert (mine["count"], mine["limit"], mine["offset"]) == (1, 100, 0)
    assert [a["area"] for a in mine["items"]] == ["08119-03"]
    pk = mine["items"][0]["id"]
    r = head(
        "post", f"/assignments/{pk}/progress", {"percent": 30}, **{"Idempotency-Key": "p" * 20}
    )
    assert body(r)["status"] == "in_progress"
    r = head("post", f"/assignments/{pk}/complete", {"note": "Xong", "households_reached": 1})
    assert body(r)["status"] == "done"
    r = head("post", f"/assignments/{pk}/progress", {"percent": 40})
    assert r.status_code == 400
    assert Assignment.objects.get(pk=pk).percent == 100
    detail = body(officer("get", f"/directives/{d['id']}"))
    assert detail["done"] == 1 and detail["completion"] == 0.5

    l5 = body(api(world.province_officer)("get", "/lesson5/province/25"))
    assert l5["total"]["directives"] == 1 and l5["total"]["below_min_share"] == 1.0
    assert l5["total"]["code"] == "25"
    assert [c["code"] for c in l5["communes"]][0] == "08119"


def test_the_task_list_is_a_page(world, api, make_directive):
    for i in range(3):
        make_directive(areas=[world.area_a1], title=f"Việc {i}")
    officer = api(world.officer_a)
    page = body(officer("get", "/directives?commune=08119&limit=2&offset=1"))
    assert (page["count"], page["limit"], page["offset"]) == (3, 2, 1)
    assert [d["title"] for d in page["items"]] == ["Việc 1", "Việc 0"]
    first = page["items"][0]
    assert first["commune"] == "08119" and first["recipients"] == 1 and first["done"] == 0
    assert first["completion"] == 0 and first["assignments"] is None
    assert officer("get", "/directives?commune=08119&limit=501").status_code == 400
    assert api(world.officer_b)("get", "/directives?commune=08119").status_code == 404
    assert api(world.head_a1)("get", "/directives?commune=08119").status_code == 403
    assert api(world.officer_b)("get", "/assignments").status_code == 403


def test_the_lists_are_pages_in_the_schema(client):
    schema = body(client.get("/api/v1/openapi.json"))
    for path in ("/api/v1/directives", "/api/v1/assignments"):
        op = schema["paths"][path]["get"]
        assert {"limit", "offset"} <= {p["name"] for p in op["parameters"]}
        ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        shape = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert set(shape["properties"]) == {"items", "count", "limit", "offset"}
    one = schema["components"]["schemas"]["DirectiveOut"]["properties"]
    assert {"commune", "recipients", "done", "completion"} <= set(one)


def test_api_access(world, api, make_directive):
    d = make_directive(areas=[world.area_a1])
    a = d.assignments.get()
    assert api(world.officer_b)("get", f"/directives/{d.pk}").status_code == 404
    assert api(world.head_a1)("get", f"/directives/{d.pk}").status_code == 403
    assert api(world.province_officer)("get", f"/directives/{d.pk}").status_code == 200
    assert api(world.province_officer)("post", "/directives", payload(world)).status_code == 403
    assert api(world.officer_b)("post", "/directives", payload(world)).status_code == 404
    assert api(world.head_b1)("post", f"/assignments/{a.pk}/acknowledge").status_code == 404
    assert api(world.officer_a)("post", f"/assignments/{a.pk}/acknowledge").status_code == 403
    assert Assignment.objects.get(pk=a.pk).status == Status.UNREAD
    r = api(world.officer_a)("post", "/directives", payload(world, areas=["08122-01"]))
    assert r.status_code == 400 and "areas" in body(r)["errors"]
    r = api(world.officer_a)("post", "/directives", payload(world, due_date="2020-01-01"))
    assert r.status_code == 400 and "due_date" in body(r)["errors"]
    r = api(world.officer_a)("post", "/directives", payload(world, areas=[]))
    assert r.status_code == 400 and "areas" in body(r)["errors"]
