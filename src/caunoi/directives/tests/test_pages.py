"""The pages: who may do what (404 elsewhere, 403 on one's ground without the right), idempotent
retries, constant query counts, lesson-5 figures moving."""

import datetime
import re
from html import unescape
from urllib.parse import parse_qs

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from caunoi.core.workdays import add_working_days
from caunoi.directives import services
from caunoi.directives.models import Assignment, Directive, Report, Status
from caunoi.people.models import Role
from caunoi.territory import rollup
from caunoi.testing import add_area, give, make_person, tiny_pdf

from .conftest import far_due

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"directives:{name}", args=args)


def home_sections(person) -> str:
    """The signed-in home page's sections (`{% sections "home" %}` on core/home.html)."""
    from django.template import engines
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = person
    template = engines["django"].from_string('{% load caunoi %}{% sections "home" %}')
    return template.render({"request": request}, request)


def test_officer_writes_checks_and_sends_a_rushed_task(world, head_a2, client_for):
    c = client_for(world.officer_a)
    due = add_working_days(timezone.localdate(), 2)
    r = c.post(
        url("new", "08119"),
        {
            "title": "Phòng chống bão số 3",
            "body": "Kiểm tra nhà yếu, sơ tán hộ ven sông.",
            "category": "disaster",
            "due_date": due.strftime("%d/%m/%Y"),
            "areas": [world.area_a1.pk, world.area_a2.pk],
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    d = Directive.objects.get()
    assert r["Location"] == url("send", "08119", d.pk) and d.is_draft
    page = c.get(r["Location"]).content.decode()
    assert 'id="warn-lead"' in page
    r = c.post(url("send", "08119", d.pk), {"submission": "k" * 20, "reason": ""})
    assert r.status_code == 200 and "reason" in r.context["form"].errors
    d.refresh_from_db()
    assert d.is_draft
    r = c.post(url("send", "08119", d.pk), {"submission": "k" * 20, "reason": "Bão số 3 — khẩn"})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.state == "sent" and d.rush_reason == "Bão số 3 — khẩn" and d.below_min_lead
    # the retried POST (same key) lands on the same page and sends nothing more
    r = c.post(url("send", "08119", d.pk), {"submission": "k" * 20, "reason": "again"})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.rush_reason == "Bão số 3 — khẩn" and d.assignments.count() == 2


def test_recipient_area_of_another_commune_is_refused(world, client_for):
    c = client_for(world.officer_a)
    r = c.post(
        url("new", "08119"),
        {
            "title": "Họp",
            "body": "Họp khu",
            "category": "admin",
            "due_date": far_due().strftime("%d/%m/%Y"),
            "areas": [world.area_b1.pk],
        },
    )
    assert r.status_code == 200 and "areas" in r.context["form"].errors
    assert not Directive.objects.exists()


def test_past_due_date_and_no_recipients_are_refused(world, client_for):
    c = client_for(world.officer_a)
    past = (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    r = c.post(
        url("new", "08119"),
        {"title": "Họp", "body": "Họp khu", "category": "admin", "due_date": past},
    )
    errors = r.context["form"].errors
    assert "due_date" in errors and "areas" in errors
    assert not Directive.objects.exists()


def test_head_acknowledges_and_completes_once_even_when_retried(world, make_directive, client_for):
    d = make_directive(areas=[world.area_a1])
    a = d.assignments.get()
    c = client_for(world.head_a1)
    assert d.title in home_sections(world.head_a1)  # on the head's home
    page = c.get(url("assignment", a.pk)).content.decode()
    assert url("acknowledge", a.pk) in page
    for _ in range(2):
        r = c.post(url("acknowledge", a.pk), {"submission": "a" * 20})
        assert r.status_code == 302
    form = {"submission": "b" * 20, "note": "Đã thông báo tới các hộ", "households_reached": "1"}
    for _ in range(2):
        r = c.post(url("complete", a.pk), form)
        assert r.status_code == 302 and r["Location"] == url("assignment", a.pk)
    a.refresh_from_db()
    assert a.status == Status.DONE and a.households_reached == 1
    assert Report.objects.filter(assignment=a).count() == 2  # received + done, once each
    # progress after done: a clear message, nothing changed
    r = c.post(url("progress", a.pk), {"submission": "c" * 20, "percent": "50"}, follow=True)
    with translation.override("vi"):
        assert translation.gettext("This task is already closed.") in r.content.decode()
    a.refresh_from_db()
    assert a.percent == 100


def test_access_to_a_head_assignment(world, head_a2, make_directive, client_for):
    d = make_directive()
    mine = d.assignments.get(area=world.area_a1)
    refused = [
        (head_a2, 404),  # another area of the same commune: not their ground
        (world.head_b1, 404),  # the neighbour commune
        (world.officer_b, 404),
        (world.officer_a, 403),  # follows the commune, does not report for the head
        (world.inspector_a1, 403),
        (world.resident_a1, 403),
    ]
    for person, status in refused:
        c = client_for(person)
        assert c.get(url("assignment", mine.pk)).status_code == status, person
        for step, data in (
            ("progress", {"percent": "30"}),
            ("complete", {"note": "Xong"}),
            ("decline", {"reason": "Không được"}),
            ("acknowledge", {}),
        ):
            r = c.post(
                url(step, mine.pk), {**data, "submission": f"{person.pk}-{step}".ljust(20, "x")}
            )
            assert r.status_code == status, (person, step)
    mine.refresh_from_db()
    assert mine.status == Status.UNREAD and not mine.reports.exists()
    c = client_for(world.head_a1)
    assert c.get(url("assignment", mine.pk)).status_code == 200
    assert c.get(url("acknowledge", mine.pk)).status_code == 405  # POST only
    r = c.post(url("progress", mine.pk), {"percent": "30", "submission": "z" * 20})
    assert r.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Status.IN_PROGRESS and mine.reports.count() == 1


def test_a_draft_s_assignment_does_not_exist_for_its_head(world, make_directive, client_for):
    d = make_directive(areas=[world.area_a1], send=False)
    a = d.assignments.get()
    c = client_for(world.head_a1)
    assert c.get(url("assignment", a.pk)).status_code == 404
    assert c.post(url("acknowledge", a.pk), {"submission": "d" * 20}).status_code == 404


def test_signed_out_goes_to_sign_in_and_back(world, make_directive, client):
    d = make_directive(areas=[world.area_a1])
    a = d.assignments.get()
    for path in (
        url("ground", "xa", "08119"),
        url("new", "08119"),
        url("detail", "08119", d.pk),
        url("assignment", a.pk),
        url("inbox"),
    ):
        r = client.get(path)
        assert r.status_code == 302 and "next=" in r["Location"], path


def test_access_to_the_commune_pages(world, make_directive, client_for):
    d = make_directive(areas=[world.area_a1])
    cases = [
        (world.officer_a, 200, 200),
        (world.province_officer, 200, 403),  # follows, does not issue
        (world.district_officer, 200, 403),
        (world.head_a1, 403, 403),
        (world.officer_b, 404, 404),
        (world.head_b1, 404, 404),
    ]
    for person, follow, issue in cases:
        c = client_for(person)
        assert c.get(url("ground", "xa", "08119")).status_code == follow, person
        assert c.get(url("detail", "08119", d.pk)).status_code == follow, person
        assert c.get(url("new", "08119")).status_code == issue, person
        assert c.get(url("amend", "08119", d.pk)).status_code == issue, person
    # someone else's id through the own commune's address: not found (also for the province)
    other = make_directive(
        actor=world.officer_b, commune=world.commune_b, areas=[world.area_b1], send=False
    )
    assert client_for(world.officer_a).get(url("detail", "08119", other.pk)).status_code == 404
    path = url("detail", "08119", other.pk)
    assert client_for(world.province_officer).get(path).status_code == 404


def test_only_the_commune_s_officers_write_its_tasks(world, make_directive, client_for):
    d = make_directive(areas=[world.area_a1])
    draft = make_directive(areas=[world.area_a1], send=False, title="Nháp")
    new = {
        "title": "Họp",
        "body": "Họp khu",
        "category": "admin",
        "due_date": far_due().strftime("%d/%m/%Y"),
        "all_areas": "on",
    }
    for person, status in (
        (world.province_officer, 403),
        (world.district_officer, 403),
        (world.head_a1, 403),
        (world.officer_b, 404),
    ):
        c = client_for(person)
        key = str(person.pk).ljust(20, "k")
        assert c.post(url("new", "08119"), {**new, "submission": key}).status_code == status
        r = c.post(url("send", "08119", draft.pk), {"reason": "x", "submission": key})
        assert r.status_code == status, person
        r = c.post(url("amend", "08119", d.pk), {"title": "Khác", "body": "Khác", "due_date": ""})
        assert r.status_code == status, person
        r = c.post(url("withdraw", "08119", d.pk), {"reason": "Không cần"})
        assert r.status_code == status, person
    assert Directive.objects.count() == 2
    draft.refresh_from_db()
    d.refresh_from_db()
    assert draft.is_draft and d.version == 1 and d.state == "sent"


def test_page_two_of_the_tasks_keeps_the_year(world, client_for):
    Directive.objects.bulk_create(
        Directive(
            **rollup.commune_keys(world.commune_a),
            title=f"Việc {i}",
            body="—",
            category="admin",
            due_date=far_due(),
        )
        for i in range(51)
    )
    year = timezone.localdate().year - 1
    r = client_for(world.officer_a).get(url("ground", "xa", "08119"), {"nam": year})
    assert len(r.context["page"].object_list) == 50
    page = r.content.decode()
    match = re.search(r'rel="next" href="([^"]+)"', page)
    assert match is not None
    query = parse_qs(unescape(match.group(1)).lstrip("?"))
    assert query == {"nam": [str(year)], "trang": ["2"]}
    r = client_for(world.officer_a).get(url("ground", "xa", "08119") + unescape(match.group(1)))
    assert r.context["year"] == year and len(r.context["page"].object_list) == 1


def test_lists_and_rollups_use_a_constant_number_of_queries(
    world, make_directive, client_for, django_assert_num_queries
):
    c = client_for(world.officer_a)
    make_directive()

    def count(path):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert c.get(path).status_code == 200
        return len(ctx.captured_queries)

    pages = [
        url("ground", "xa", "08119"),
        url("ground", "tinh", "25"),
        url("ground", "huyen", "230"),
        url("inbox"),
    ]
    c_prov = client_for(world.province_officer)
    before = {}
    for p in pages[:1]:
        before[p] = count(p)
    # more areas, heads and directives: the same number of queries
    for i in range(5, 9):
        area = add_area(world.commune_a, i)
        give(
            make_person(f"Trưởng khu {i}", phone=f"09120001{i:02d}", password=None), Role.HEAD, area
        )
    for _ in range(3):
        make_directive(all_areas=True, areas=None)
    for p in pages[:1]:
        assert count(p) == before[p], p
    c = c_prov
    first = {p: count(p) for p in pages[1:3]}
    make_directive(all_areas=True, areas=None)
    make_directive(actor=world.officer_b, commune=world.commune_b, areas=[world.area_b1])
    for p in pages[1:3]:
        assert count(p) == first[p], p
    c = client_for(world.head_a1)
    n = count(url("inbox"))
    make_directive(areas=[world.area_a1])
    assert count(url("inbox")) == n


def test_lesson5_moves_when_a_rushed_task_is_sent_and_done(world, make_directive, client_for):
    c = client_for(world.province_officer)
    year = timezone.localdate().year
    make_directive(areas=[world.area_a1], due=far_due(40))
    r = c.get(url("ground", "tinh", "25"))
    total = r.context["total"]
    assert (total.directives, total.below_min, total.completion) == (1, 0, 0)
    rushed = make_directive(areas=[world.area_a1], due=add_working_days(timezone.localdate(), 1))
    a = rushed.assignments.get()
    services.assignment_complete(actor=world.head_a1, assignment=a, note="Xong")
    r = c.get(url("ground", "tinh", "25") + f"?nam={year}&xep=rushed")
    total = r.context["total"]
    assert (total.directives, total.below_min, total.bursts, total.peak_open) == (2, 1, 1, 2)
    assert total.completion == 0.5 and total.on_time_rate == 1
    assert r.context["rows"][0].unit == world.commune_a  # the rushed commune ranks first
    page = r.content.decode()
    assert "50,0%" in page


def test_withdrawn_task_stays_visible_and_closed_for_the_head(world, make_directive, client_for):
    d = make_directive(areas=[world.area_a1])
    a = d.assignments.get()
    c = client_for(world.officer_a)
    r = c.post(url("withdraw", "08119", d.pk), {"reason": ""})
    assert r.status_code == 200
    r = c.post(url("withdraw", "08119", d.pk), {"reason": "Trùng với văn bản khác"})
    assert r.status_code == 302
    h = client_for(world.head_a1)
    page = h.get(url("assignment", a.pk)).content.decode()
    assert "Trùng với văn bản khác" in page
    assert not Assignment.objects.open().filter(pk=a.pk).exists()


def test_attachments_and_evidence_are_served_only_to_those_who_may_see_them(
    world, head_a2, make_directive, client_for
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("ke-hoach.pdf", tiny_pdf(), content_type="application/pdf")
    d = make_directive(areas=[world.area_a1], files=[pdf], send=False)
    f = d.attachments.get()
    path = url("attachment", "08119", d.pk, f.pk)
    assert client_for(world.head_a1).get(path).status_code == 403  # a draft: not theirs yet
    d = services.directive_send(actor=world.officer_a, directive=d)
    r = client_for(world.head_a1).get(path)
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    # an upload is untrusted: never sniffed, sandboxed, downloaded under its own name
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Security-Policy"].startswith("sandbox")
    assert (
        r["Content-Disposition"].startswith("attachment")
        and "ke-hoach.pdf" in r["Content-Disposition"]
    )
    other = url("attachment", "08122", d.pk, f.pk)  # the right file under another commune
    assert client_for(world.officer_a).get(other).status_code == 404
    assert client_for(world.officer_a).get(path).status_code == 200
    assert client_for(head_a2).get(path).status_code == 403  # same commune, not a recipient
    assert client_for(world.officer_b).get(path).status_code == 404
    a = d.assignments.get()
    photo = SimpleUploadedFile("anh.png", _png(), content_type="image/png")
    services.assignment_complete(actor=world.head_a1, assignment=a, note="Xong", files=[photo])
    ev = a.reports.get(kind="done").files.get()
    epath = url("evidence", a.pk, ev.pk)
    r = client_for(world.officer_a).get(epath)
    assert r.status_code == 200 and r["Content-Disposition"].startswith("inline")
    assert r["Content-Security-Policy"].startswith("sandbox")
    assert client_for(world.head_a1).get(epath).status_code == 200
    assert client_for(world.province_officer).get(epath).status_code == 200
    assert client_for(world.resident_a1).get(epath).status_code == 403
    assert client_for(head_a2).get(epath).status_code == 404
    assert client_for(world.officer_b).get(epath).status_code == 404


def _png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(buf, "PNG")
    return buf.getvalue()


def test_the_home_section_lists_a_head_s_tasks_and_an_official_s_grounds(
    world, make_directive, english
):
    make_directive(areas=[world.area_a1], title="Tổng vệ sinh")
    head = home_sections(world.head_a1)
    assert "Tổng vệ sinh" in head and url("inbox") in head
    officer = home_sections(world.officer_a)
    assert url("ground", "xa", "08119") in officer and "Tổng vệ sinh" not in officer
    assert url("ground", "tinh", "25") in home_sections(world.province_officer)
    assert "/nhiem-vu/" not in home_sections(world.resident_a1)


def test_reminders_show_in_the_inbox(world, make_directive, client_for):
    from caunoi.directives.reminders import reminders_send

    make_directive(areas=[world.area_a1], due=add_working_days(timezone.localdate(), 1))
    assert reminders_send() == 1
    r = client_for(world.head_a1).get(url("inbox"))
    with translation.override("vi"):
        assert translation.gettext("Reminder") in r.content.decode()


def test_officer_amends_once_even_when_retried(world, make_directive, client_for):
    d = make_directive(areas=[world.area_a1])
    c = client_for(world.officer_a)
    page = c.get(url("amend", "08119", d.pk))
    assert page.context["form"]["title"].value() == d.title
    new_due = far_due(45).strftime("%d/%m/%Y")
    data = {"title": d.title, "body": "Thêm hộ cận nghèo", "due_date": new_due, "note": "Bổ sung"}
    for _ in range(2):
        r = c.post(url("amend", "08119", d.pk), {**data, "submission": "m" * 20})
        assert r.status_code == 302 and r["Location"] == url("detail", "08119", d.pk)
    d.refresh_from_db()
    assert d.version == 2 and d.body == "Thêm hộ cận nghèo" and d.changes.count() == 1
    r = c.post(url("amend", "08119", d.pk), {**data, "submission": "n" * 20})
    assert r.status_code == 200 and r.context["form"].non_field_errors()  # nothing changed
    d.refresh_from_db()
    assert d.version == 2


def test_no_task_category_is_preselected_and_its_names_are_the_tasks(client_for, world):
    """Issue 12 item 12: the category list starts empty and says "Hành chính", not the Django
    admin's "Quản trị website"; a task sent without one is refused with what to do."""
    from django.utils import translation

    from caunoi.directives.forms import DirectiveForm

    with translation.override("vi"):
        html = str(DirectiveForm(areas=[])["category"])
    assert "Quản trị website" not in html and "Hành chính" in html
    assert '<option value="" selected>' in html
    form = DirectiveForm(data={"title": "Họp", "body": "Họp khu", "all_areas": "on"}, areas=[])
    assert not form.is_valid() and "category" in form.errors


def test_who_is_late_comes_first_on_the_commune_and_task_pages(
    world, make_directive, client_for, english
):
    """Issue 12 item 13: the heads to remind come before the lists, not thousands of pixels down."""
    d = make_directive(areas=[world.area_a1, world.area_a2], body="Nội dung dài. " * 200)
    for n in range(5):
        make_directive(title=f"Việc {n}")
    Directive.objects.filter(pk=d.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    c = client_for(world.officer_a)
    page = c.get(url("ground", "xa", world.commune_a.code)).content.decode()
    late = page.index("data-late")
    assert late < page.index('id="tasks-title"') and late < page.index("Lesson 5")
    assert world.head_a1.full_name in page[late : page.index('id="tasks-title"')]
    detail = c.get(f"/xa/{world.commune_a.code}/nhiem-vu/{d.pk}/").content.decode()
    late = detail.index("data-late")
    assert late < detail.index("Nội dung dài.") and late < detail.index('id="areas-title"')
    assert f'href="tel:{world.head_a1.phone}"' in detail[late : detail.index('id="areas-title"')]
