"""The shared kit every app stands on: scope from the URL, the page kit, files, API lists, rate
limits, policy rules, audit actions and sections. Each test can fail if its rule is broken."""

import datetime
import io
from urllib.parse import unquote

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from ninja import Router
from ninja.testing import TestClient
from openpyxl import Workbook, load_workbook

from caunoi.core import audit, pages, policy, ratelimit, responses, sections, tasks, xlsx
from caunoi.core.api import ListPage, paginate
from caunoi.core.exceptions import ApplicationError
from caunoi.core.models import AuditEntry, RateCounter, Submission
from caunoi.core.submissions import new_key
from caunoi.people import access
from caunoi.territory.models import Level
from caunoi.testing import run_parallel

rf = RequestFactory()


def _request(method="get", path="/", data=None, user=None):
    request = getattr(rf, method)(path, data or {})
    request.user = user or AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


# --- Scope from the URL ---------------------------------------------------------------------------


def test_level_converter_gives_a_level_and_reverses_from_either_form():
    assert reverse("territory:unit", args=[Level.COMMUNE, "08119"]) == "/xa/08119/"
    assert reverse("territory:unit", args=["xa", "08119"]) == "/xa/08119/"
    assert Level.from_prefix("khu") is Level.AREA and Level.DISTRICT.prefix == "huyen"


@access.unit_required(access.MANAGE_HOUSEHOLDS, level=Level.AREA)
def _households(request, unit):
    return HttpResponse(unit.code)


@access.unit_required(access.VIEW)
def _ground(request, unit):
    return HttpResponse(f"{unit.level}:{unit.code}")


@access.unit_required(access.VIEW, level=(Level.AREA, Level.COMMUNE))
def _area_or_commune(request, unit):
    return HttpResponse(unit.code)


@pytest.mark.django_db
class TestUnitRequired:
    def test_a_level_the_page_does_not_have_is_404_before_sign_in(self, world):
        with pytest.raises(Http404):
            _area_or_commune(_request(), level=Level.PROVINCE, code=world.province.code)
        response = _area_or_commune(
            _request(user=world.officer_a), level=Level.COMMUNE, code=world.commune_a.code
        )
        assert response.content.decode() == world.commune_a.code

    def test_the_right_person_gets_the_unit(self, world):
        response = _households(_request(user=world.head_a1), code=world.area_a1.code)
        assert response.content.decode() == world.area_a1.code
        code = world.commune_a.code
        response = _ground(_request(user=world.officer_a), level=Level.COMMUNE, code=code)
        assert response.content.decode() == f"{Level.COMMUNE}:{code}"

    def test_missing_and_not_yours_are_one_404(self, world):
        with pytest.raises(Http404):
            _ground(_request(user=world.officer_a), level=Level.COMMUNE, code="nope")
        with pytest.raises(Http404):
            _ground(_request(user=world.officer_b), level=Level.COMMUNE, code=world.commune_a.code)

    def test_on_the_ground_without_the_permission_is_403(self, world):
        with pytest.raises(PermissionDenied):
            _households(_request(user=world.resident_a1), code=world.area_a1.code)

    def test_signed_out_goes_to_sign_in_and_back(self, world):
        path = f"/khu/{world.area_a1.code}/ho/?trang=2"
        response = _households(_request(path=path), code=world.area_a1.code)
        assert response.status_code == 302
        assert unquote(response["Location"]).endswith(f"?next={path}")


# --- Page kit -------------------------------------------------------------------------------------


class NameForm(pages.SubmissionForm):
    name = forms.CharField(max_length=20)


def _write(data):
    if data["name"] == "field":
        raise ValidationError({"name": "Tên này đã có."})
    if data["name"] == "app":
        raise ApplicationError("Không làm được.")
    return RateCounter.objects.create(key=data["name"], window_start="2026-01-01T00:00Z")


def _post(key, name):
    request = _request("post", "/moi/", {"submission": key, "name": name})
    form = NameForm(**pages.bound(request))
    return form, pages.form_page(
        request, "core/_pager.html", form, write=_write, next="/xong/", success="Đã lưu."
    )


@pytest.mark.django_db
class TestFormPage:
    def test_a_double_submission_writes_once_and_lands_on_the_first(self):
        key = new_key()
        _, first = _post(key, "Khu 1")
        _, second = _post(key, "Khu 1")
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"] == "/xong/"
        assert RateCounter.objects.filter(key="Khu 1").count() == 1

    def test_a_refusal_goes_on_its_field_and_frees_the_key(self):
        key = new_key()
        form, response = _post(key, "field")
        assert response.status_code == 200
        assert form.errors["name"] == ["Tên này đã có."]
        assert not Submission.objects.filter(key=key).exists()
        _, fixed = _post(key, "Khu 2")
        assert fixed.status_code == 302 and RateCounter.objects.filter(key="Khu 2").exists()

    def test_an_application_error_is_a_form_error(self):
        form, response = _post(new_key(), "app")
        assert response.status_code == 200
        assert form.non_field_errors() == ["Không làm được."]
        assert not RateCounter.objects.exists()

    def test_get_is_unbound(self):
        assert pages.bound(_request()) == {}

    def test_a_button_writes_once_and_a_refused_one_goes_back_with_the_refusal(self):
        key = new_key()
        done = []
        for _ in range(2):
            request = _request("post", "/nut/", {"submission": key})
            response = pages.button_post(
                request, lambda: done.append(1) or done, back="/lai/", next="/xong/", success="Đã."
            )
            assert (response.status_code, response["Location"]) == (302, "/xong/")
        assert done == [1]

        def refuse():
            raise ApplicationError("Không làm được.")

        request = _request("post", "/nut/", {"submission": new_key()})
        response = pages.button_post(request, refuse, back="/lai/", success="Đã.")
        assert (response.status_code, response["Location"]) == (302, "/lai/")
        assert [str(m) for m in request._messages] == ["Không làm được."]


def test_pager_keeps_the_query_string():
    page = Paginator(list(range(120)), pages.PER_PAGE).get_page(2)
    request = rf.get("/xa/08119/nhiem-vu/", {"nam": "2022", "trang": "2"})
    html = render_to_string("core/_pager.html", {"page": page}, request=request)
    assert "?nam=2022&amp;trang=1" in html and "?nam=2022&amp;trang=3" in html


def test_paginate_reads_trang_and_forgives_nonsense():
    assert pages.paginate(rf.get("/", {"trang": "3"}), list(range(120))).number == 3
    assert pages.paginate(rf.get("/", {"trang": "abc"}), list(range(120))).number == 1
    assert pages.paginate(rf.get("/", {"trang": "99"}), list(range(120))).number == 3


# --- Files ----------------------------------------------------------------------------------------


def test_an_upload_is_sandboxed_and_keeps_its_vietnamese_name():
    response = responses.file_response(
        io.BytesIO(b"<svg onload=alert(1)>"),
        filename="Hóa đơn Đồng Xuân.svg",
        content_type="image/svg+xml",
        inline=True,
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")  # an SVG is never shown inline
    assert "filename*=utf-8''H%C3%B3a%20%C4%91%C6%A1n%20%C4%90%E1%BB%93ng%20Xu%C3%A2n.svg" in (
        disposition
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_photo_may_be_shown_inline():
    response = responses.file_response(
        io.BytesIO(b"\xff\xd8\xff"), filename="anh.jpg", content_type="image/jpeg", inline=True
    )
    assert response["Content-Disposition"].startswith("inline;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_xlsx_has_real_cells_a_frozen_header_and_widths():
    wb = Workbook()
    when = datetime.date(2022, 6, 13)
    xlsx.table(
        wb.active,
        title="Trưởng khu",
        header=["Khu", "Ngày", "Số hộ", "Tỷ lệ (%)"],
        rows=[["Khu 1", when, 1250, 61.9], ["Khu 2", None, 3, 0.4]],
    )
    response = responses.xlsx_response(wb, "Trưởng khu Đồng Xuân.xlsx")
    assert response["Content-Type"] == responses.XLSX
    assert "filename*=utf-8''" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.title == "Trưởng khu" and ws.freeze_panes == "A2"
    assert ws["A1"].font.bold
    assert ws["B2"].is_date and ws["B2"].value.date() == when
    assert ws["C2"].value == 1250 and ws["C2"].number_format == xlsx.INTEGER
    assert ws["D2"].value == 61.9
    assert ws.column_dimensions["A"].width >= 7


def test_pdf_is_inline_by_default():
    response = responses.pdf_response(b"%PDF-1.4 fake", "Công khai.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")


# --- API lists ------------------------------------------------------------------------------------

router = Router()


@router.get("/numbers", response=list[int])
@paginate(ListPage)
def numbers(request):
    return list(range(1000))


def test_api_lists_have_one_shape_and_one_cap():
    api = TestClient(router)
    assert api.get("/numbers?limit=3&offset=5").json() == {
        "items": [5, 6, 7],
        "count": 1000,
        "limit": 3,
        "offset": 5,
    }
    assert api.get("/numbers").json()["limit"] == ListPage.DEFAULT_LIMIT
    assert api.get("/numbers?limit=501").status_code == 422
    assert api.get("/numbers?offset=-1").status_code == 422


# --- Rate limits ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_limit_lets_per_through_then_refuses_with_429():
    limit = ratelimit.Limit("test.phone", per=3, seconds=3600)
    assert [limit.hit("0912000001") for _ in range(3)] == [1, 2, 3]
    with pytest.raises(ratelimit.RateLimited) as refused:
        limit.hit("0912000001")
    assert refused.value.status == 429
    assert limit.hit("0912000002") == 1  # another key is counted apart
    assert limit.exceeded("0912000001")
    limit.reset("0912000001")
    assert limit.count("0912000001") == 0
    assert not RateCounter.objects.filter(key__contains="0912000001").exists()  # hashed keys


@pytest.mark.django_db
def test_ended_windows_are_purged_daily_by_beat_and_current_ones_kept():
    old = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    RateCounter.objects.create(key="x", window_start=old, count=3)
    limit = ratelimit.Limit("test.purge", per=3, seconds=3600)
    limit.hit("0912000003")
    assert tasks.purge_rate_limits() == 1  # the task beat runs
    assert not RateCounter.objects.filter(key="x").exists()
    assert limit.count("0912000003") == 1  # the current window is kept
    call_command("purge_rate_limits", stdout=io.StringIO())  # the same from cron
    assert limit.count("0912000003") == 1


def test_every_beat_entry_names_a_registered_task(settings):
    from caunoi.celery import app

    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.purge_rate_limits" in names
    assert names <= set(app.tasks)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_hits_never_pass_the_last_place_twice():
    limit = ratelimit.Limit("test.race", per=5, seconds=3600)
    results = run_parallel(12, lambda: limit.hit("0912000009"))
    passed = [r for kind, r in results if kind == "ok"]
    refused = [r for kind, r in results if kind == "error"]
    assert len(passed) == 5 and all(isinstance(e, ratelimit.RateLimited) for e in refused)
    assert limit.count("0912000009") == 12


# --- Policy rules, audit actions, sections --------------------------------------------------------


def test_rules_follow_the_settings_and_parse_the_environment(settings):
    rule = policy.RULES["DIRECTIVE_MIN_LEAD_WORKING_DAYS"]
    settings.DIRECTIVE_MIN_LEAD_WORKING_DAYS = 2
    assert rule.value == 2
    assert policy.RULES["MEETINGS_DECISION_SHARE"].parse(" 0.6 ") == 0.6
    values = policy.settings_from_env(lambda name, default: "9", [])
    assert values["SIGNIN_MAX_FAILURES"] == 9
    with pytest.raises(TypeError):
        policy.rule("X_RULE", None, label="x", basis="y")


@pytest.mark.django_db
def test_undeclared_audit_actions_are_refused(world):
    from django.db import transaction

    with pytest.raises(ValueError), transaction.atomic():
        audit.audit_record(actor=None, action="made.up.thing", obj=world.area_a1)
    with pytest.raises(ValueError):
        audit.action("NotAName", "x")
    assert not AuditEntry.objects.filter(action="made.up.thing").exists()


def test_every_declared_action_has_a_label():
    assert audit.ACTIONS, "apps declare their actions at start-up"
    for name, declared in audit.ACTIONS.items():
        assert str(declared.label) and str(declared.label) != name, name


def test_sections_render_in_order_and_skip_what_has_nothing(monkeypatch):
    monkeypatch.setattr(sections, "REGISTRY", {slot: [] for slot in sections.SLOTS})
    sections.section("home", "b.html", order=20)(lambda request: {"n": 2})
    sections.section("home", "a.html", order=10)(lambda request: {"n": 1})
    sections.section("home", "c.html")(lambda request: None)
    shown = sections.render_slot("home", rf.get("/"))
    assert [t for t, _ in shown] == ["a.html", "b.html"]
    with pytest.raises(ValueError):
        sections.section("sidebar", "x.html")


def test_every_slot_has_a_section_and_a_page_that_renders_it():
    """A slot nobody fills, or that no page renders, is a hook nothing uses."""
    import pathlib

    templates = pathlib.Path(__file__).resolve().parents[2]
    rendered = " ".join(p.read_text() for p in templates.glob("**/templates/**/*.html"))
    for slot in sections.SLOTS:
        assert sections.REGISTRY[slot], slot
        assert f'{{% sections "{slot}"' in rendered, slot


@pytest.mark.django_db
def test_the_signed_out_home_and_the_search_page_share_core_search_box(client):
    for url in ("/", "/tim-kiem/"):
        body = client.get(url).content.decode()
        assert 'action="/tim-kiem/" role="search"' in body and 'name="q"' in body, url
