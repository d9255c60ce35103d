"""Who may do what to a question, decided at the door (`permissions`): the right person can, the
neighbour commune's officer and another area's head get 404, someone on the ground who may not
act gets 403, and nothing changes for any of them. Then the sections and the list's pages."""

import pytest
from django.test import RequestFactory

from caunoi.core.models import AuditEntry
from caunoi.core.sections import render_slot
from caunoi.feedback import services
from caunoi.feedback.models import Request, Status, Tier

from .conftest import ask

pytestmark = pytest.mark.django_db

# Each acting page, and a valid POST for it.
ACTIONS = {
    "tra-loi": {"answer": "Đã xong"},
    "chuyen-xa": {"note": "Việc của xã"},
    "an": {"reason": "Xúc phạm"},
    "cong-khai": {"public_text": "Đường hỏng"},
}


def _unchanged(req: Request, audits: int) -> None:
    fresh = Request.objects.get(pk=req.pk)
    assert (fresh.status, fresh.level, fresh.hidden) == (Status.OPEN, Tier.HEAD, False)
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize("action", ACTIONS)
def test_outsiders_get_404_and_nothing_changes(client_for, world, cats, asked, action):
    audits = AuditEntry.objects.count()
    for outsider in (world.officer_b, world.head_b1):
        c = client_for(outsider)
        assert c.get(f"/hoi-dap/{asked.pk}/{action}/").status_code == 404
        assert c.post(f"/hoi-dap/{asked.pk}/{action}/", ACTIONS[action]).status_code == 404
    _unchanged(asked, audits)


@pytest.mark.parametrize("action", ACTIONS)
def test_on_the_ground_without_the_right_gets_403(client_for, world, cats, asked, action):
    audits = AuditEntry.objects.count()
    # The asker, the area's inspector and the district officer know the area but may not act.
    for person in (world.resident_a1, world.inspector_a1, world.district_officer):
        r = client_for(person).post(f"/hoi-dap/{asked.pk}/{action}/", ACTIONS[action])
        assert r.status_code == 403
    _unchanged(asked, audits)


@pytest.mark.parametrize("action", ACTIONS)
def test_the_areas_head_acts(client_for, world, cats, asked, action):
    head = client_for(world.head_a1)
    assert head.get(f"/hoi-dap/{asked.pk}/{action}/").status_code == 200
    r = head.post(f"/hoi-dap/{asked.pk}/{action}/", ACTIONS[action])
    assert r.status_code == 302 and r["Location"] == f"/hoi-dap/{asked.pk}/"


@pytest.mark.parametrize("action", [*ACTIONS, "chuyen-tiep", "tra-lai", "da-giai-quyet"])
def test_signed_out_goes_to_sign_in_and_back(client, world, cats, asked, action):
    url = f"/hoi-dap/{asked.pk}/{action}/"
    r = client.get(url)
    assert r.status_code == 302 and r["Location"] == f"/dang-nhap/?next={url}"


def test_once_at_the_commune_the_head_no_longer_answers(client_for, world, cats, asked):
    services.request_escalate(actor=world.head_a1, request=asked)
    head = client_for(world.head_a1)
    assert head.post(f"/hoi-dap/{asked.pk}/tra-loi/", {"answer": "Đã sửa"}).status_code == 403
    page = head.get(f"/hoi-dap/{asked.pk}/").content.decode()
    assert f"/hoi-dap/{asked.pk}/tra-loi/" not in page
    officer = client_for(world.officer_a)
    assert f"/hoi-dap/{asked.pk}/tra-loi/" in officer.get(f"/hoi-dap/{asked.pk}/").content.decode()
    r = officer.post(f"/hoi-dap/{asked.pk}/tra-loi/", {"answer": "Xã sửa"})
    assert r.status_code == 302
    assert Request.objects.get(pk=asked.pk).status == Status.ANSWERED


def test_a_stale_action_says_so_on_the_form(client_for, world, cats, asked):
    services.request_escalate(actor=world.head_a1, request=asked)
    r = client_for(world.officer_a).post(f"/hoi-dap/{asked.pk}/chuyen-xa/", {"note": "Lần nữa"})
    assert r.status_code == 200 and "Someone has already dealt with" in r.content.decode()
    assert asked.events.filter(kind="escalated").count() == 1


def test_only_the_asker_confirms(client_for, world, cats, asked):
    services.request_answer(actor=world.head_a1, request=asked, answer="Xong")
    url = f"/hoi-dap/{asked.pk}/da-giai-quyet/"
    for staff in (world.head_a1, world.officer_a, world.inspector_a1):
        assert client_for(staff).post(url, {"resolved": "yes"}).status_code == 403
    assert client_for(world.officer_b).post(url, {"resolved": "yes"}).status_code == 404
    assert Request.objects.get(pk=asked.pk).status == Status.ANSWERED
    r = client_for(world.resident_a1).post(url, {"resolved": "yes"})
    assert r.status_code == 302
    assert Request.objects.get(pk=asked.pk).status == Status.RESOLVED


def test_record_page_access(client_for, world, cats):
    url = f"/khu/{world.area_a1.code}/hoi-dap/ghi/"
    assert client_for(world.head_a1).get(url).status_code == 200
    assert client_for(world.officer_b).get(url).status_code == 404
    assert client_for(world.resident_a1).get(url).status_code == 403


def test_photos_of_a_private_question_stay_private(client_for, world, cats):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from caunoi.testing import jpeg_with_gps

    photo = SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")
    req = ask(world, cats, photos=[photo], public=False)
    services.request_answer(actor=world.head_a1, request=req, answer="Xong")
    url = f"/hoi-dap/anh/{req.photos.get().pk}/"
    assert client_for(world.resident_a1).get(url).status_code == 200  # the asker
    assert client_for(world.officer_a).get(url).status_code == 200
    assert client_for(world.officer_b).get(url).status_code == 404
    assert client_for(world.inspector_a1).get(url).status_code == 404  # not public: no photo


def test_the_list_pages_keep_the_filter(client_for, world, cats, settings):
    settings.FEEDBACK_MAX_PER_PHONE_PER_DAY = 100
    for i in range(52):
        ask(world, cats, text=f"Câu {i}")
    ask(world, cats, text="Đã trả lời")
    officer = client_for(world.officer_a)
    first = officer.get(f"/xa/{world.commune_a.code}/hoi-dap/", {"loc": "open"})
    html = first.content.decode()
    assert html.count('class="row"') == 50
    assert "?loc=open&amp;trang=2" in html
    second = officer.get(f"/xa/{world.commune_a.code}/hoi-dap/", {"loc": "open", "trang": "2"})
    assert second.content.decode().count('class="row"') == 3
    assert "?loc=open&amp;trang=1" in second.content.decode()


def test_sections_on_the_area_page_and_the_home_page(world, cats, asked, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    factory = RequestFactory()
    request = factory.get("/")
    request.user = AnonymousUser()
    ((template, context),) = [
        s
        for s in render_slot("unit", request, unit=world.area_a1)
        if s[0] == "feedback/_unit_section.html"
    ]
    assert context["answers"] == [] and context["can_list"] is False
    services.request_answer(actor=world.head_a1, request=asked, answer="Đã báo xã sửa.")
    (context,) = [
        c
        for t, c in render_slot("unit", request, unit=world.area_a1)
        if t == "feedback/_unit_section.html"
    ]
    assert [r.pk for r in context["answers"]] == [asked.pk]
    # Nothing on a province's page for someone who may not see its questions.
    assert not [
        t
        for t, c in render_slot("unit", request, unit=world.province)
        if t == "feedback/_unit_section.html"
    ]
    request.user = world.province_officer
    (context,) = [
        c
        for t, c in render_slot("unit", request, unit=world.province)
        if t == "feedback/_unit_section.html"
    ]
    assert context["can_list"] and context["can_stats"]
    # Home: the asker's new answer; nothing for someone with nothing here; nothing signed out.
    request.user = world.resident_a1
    (context,) = [c for t, c in render_slot("home", request) if t == "feedback/_home.html"]
    assert [n.request_id for n in context["notifications"]] == [asked.pk]
    request.user = world.head_b1
    assert not [t for t, c in render_slot("home", request) if t == "feedback/_home.html"]
    request.user = AnonymousUser()
    assert not [t for t, c in render_slot("home", request) if t == "feedback/_home.html"]
