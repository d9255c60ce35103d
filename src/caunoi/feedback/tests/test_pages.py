"""The pages: asking (signed in or with a one-time code), acting, the public answers, access."""

import datetime
import io
import json
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from caunoi.core.models import AuditEntry
from caunoi.feedback import services
from caunoi.feedback.models import Notification, Photo, Request, Status
from caunoi.people.models import Person
from caunoi.testing import jpeg_with_gps

from .conftest import ask

pytestmark = pytest.mark.django_db
KEY = "k" * 24


def ask_url(world):
    return f"/khu/{world.area_a1.code}/hoi/"


def form(cats, **extra):
    data = {
        "kind": "question",
        "category": cats["roads"].pk,
        "text": "Ống nước ở ngõ 5 bị vỡ.",
        "place": "Ngõ 5, cạnh nhà văn hoá",
        "public": "on",
        "submission": KEY,
    }
    data.update(extra)
    return data


def test_area_page_offers_asking_and_shows_public_answers_only(client, world, cats, asked):
    r = client.get(f"/khu/{world.area_a1.code}/")
    assert r.status_code == 200
    assert ask_url(world) in r.content.decode()
    assert "sụt lún" not in r.content.decode()  # not answered yet
    services.request_answer(actor=world.head_a1, request=asked, answer="Đã báo xã sửa.")
    html = client.get(f"/khu/{world.area_a1.code}/").content.decode()
    assert "sụt lún" in html and "Đã báo xã sửa." in html
    assert world.resident_a1.full_name not in html
    assert "0912 345 678" not in html and world.resident_a1.phone not in html


def test_signed_in_resident_asks_once_even_when_replayed(client_for, world, cats):
    client = client_for(world.resident_a1)
    r = client.get(ask_url(world))
    assert r.status_code == 200 and "Đường giao thông" in r.content.decode()
    assert "Môi trường" not in r.content.decode()  # the neighbour commune's category
    r1 = client.post(ask_url(world), form(cats))
    r2 = client.post(ask_url(world), form(cats))
    req = Request.objects.get()
    assert r1.status_code == r2.status_code == 302
    assert r1["Location"] == r2["Location"] == f"/hoi-dap/{req.pk}/"
    assert req.author == world.resident_a1 and req.place == "Ngõ 5, cạnh nhà văn hoá"
    page = client.get(r1["Location"])
    assert page.status_code == 200 and "Ống nước" in page.content.decode()


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Write your question or report."),
        ("x" * 10_000, "Write at most 4.000 characters"),
    ],
)
def test_bad_text_shows_a_message_and_changes_nothing(client_for, world, cats, text, message):
    client = client_for(world.resident_a1)
    r = client.post(ask_url(world), form(cats, text=text))
    assert r.status_code == 200
    assert message in r.content.decode()
    assert Request.objects.count() == 0


def test_a_non_image_named_jpg_is_refused(client_for, world, cats):
    client = client_for(world.resident_a1)
    fake = SimpleUploadedFile("anh.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    r = client.post(ask_url(world), {**form(cats), "photos": [fake]})
    assert r.status_code == 200
    assert "whatever its name says" in r.content.decode()
    assert Request.objects.count() == 0 and Photo.objects.count() == 0


def test_photos_lose_their_exif_and_are_served_through_access(client_for, world, cats):
    resident = client_for(world.resident_a1)
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get(0x8825)
    photo = SimpleUploadedFile("nha.jpg", raw, content_type="image/jpeg")
    resident.post(ask_url(world), {**form(cats), "photos": [photo]})
    p = Photo.objects.get()
    body = resident.get(f"/hoi-dap/anh/{p.pk}/")
    data = b"".join(body.streaming_content)
    assert body.status_code == 200 and body["Content-Type"] == "image/jpeg"
    # An upload: never sniffed, sandboxed, shown inline under its own name.
    assert body["X-Content-Type-Options"] == "nosniff"
    assert body["Content-Security-Policy"].startswith("sandbox")
    assert (
        body["Content-Disposition"].startswith("inline;") and ".jpg" in body["Content-Disposition"]
    )
    exif = Image.open(io.BytesIO(data)).getexif()
    assert not exif.get(0x8825) and not exif.get(0x010F)
    resident.logout()
    # Not public until answered: a stranger gets 404; someone signed out goes to sign-in and back
    # (it may be their own, after their session expired).
    url = f"/hoi-dap/anh/{p.pk}/"
    signed_out = Client()
    assert signed_out.get(url)["Location"] == f"/dang-nhap/?next={url}"
    assert client_for(world.head_b1).get(url).status_code == 404
    services.request_answer(actor=world.head_a1, request=p.request, answer="Đã sửa")
    assert signed_out.get(url).status_code == 200
    # The head hides the photo (a face): the public no longer gets it.
    services.request_publish_edit(
        actor=world.head_a1, request=p.request, public_text="Ống nước vỡ", hidden_photos=[p.pk]
    )
    assert signed_out.get(url).status_code == 302
    assert client_for(world.head_b1).get(url).status_code == 404


def test_nfd_text_through_the_page(client_for, world, cats):
    client = client_for(world.resident_a1)
    nfd = unicodedata.normalize("NFD", "Cống thoát nước bị tắc")
    client.post(ask_url(world), form(cats, text=nfd))
    assert Request.objects.get().text == "Cống thoát nước bị tắc"


def test_asking_without_an_account_with_a_one_time_code(client, world, cats, settings):
    settings.SMS_BACKEND = "file"
    data = form(cats, **{"c-full_name": "Trần Thị Lan", "c-phone": "0987 654 321"})
    r = client.post(ask_url(world), data)
    assert r.status_code == 302 and r["Location"] == "/hoi-dap/ma-xac-nhan/"
    assert Request.objects.count() == 0
    # no account for a phone nobody has proved yet
    assert not Person.objects.filter(phone="0987654321").exists()
    with open(settings.SMS_FILE_PATH, encoding="utf-8") as f:
        sms = [json.loads(line) for line in f]
    code = next(ch for ch in sms[-1]["text"].split() if ch.rstrip(".").isdigit()).rstrip(".")
    assert sms[-1]["to"] == "0987654321"
    r = client.post("/hoi-dap/ma-xac-nhan/", {"code": "000000" if code != "000000" else "111111"})
    assert r.status_code == 200 and Request.objects.count() == 0
    assert not Person.objects.filter(phone="0987654321").exists()
    r = client.post("/hoi-dap/ma-xac-nhan/", {"code": code})
    req = Request.objects.get()
    assert r["Location"] == f"/hoi-dap/{req.pk}/"
    assert req.author == Person.objects.get(phone="0987654321")
    assert req.author.full_name == "Trần Thị Lan"
    assert req.contact_name == "Trần Thị Lan"  # what the asker typed stays on the question


def test_unproved_phone_gets_no_account_and_the_officer_name_wins(client, world, cats, settings):
    """A squatter types someone else's phone with a made-up name and never proves it: no account.
    An asker who did prove it keeps their name until the commune appoints the phone's owner under
    their real name: the officer's name wins, audited."""
    from caunoi.people import services as people_services
    from caunoi.people.models import Role

    settings.SMS_BACKEND = "file"
    data = form(cats, **{"c-full_name": "Kẻ Mạo Danh", "c-phone": "0987 000 111"})
    client.post(ask_url(world), data)
    assert not Person.objects.filter(phone="0987000111").exists()
    squatter = people_services.person_get_or_create_by_phone(
        actor=None, phone="0987000111", full_name="Kẻ Mạo Danh"
    )  # (an account made before this fix)
    people_services.mandate_appoint(
        actor=world.officer_a,
        unit=world.area_a1,
        role=Role.DEPUTY_HEAD,
        phone="0987000111",
        full_name="Nguyễn Văn Thật",
        start=datetime.date(2026, 1, 1),
    )
    squatter.refresh_from_db()
    assert squatter.full_name == "Nguyễn Văn Thật"
    entry = AuditEntry.objects.get(action="people.person.renamed")
    assert entry.actor == world.officer_a and entry.unit == world.area_a1
    assert (entry.before, entry.after) == (
        {"full_name": "Kẻ Mạo Danh"},
        {"full_name": "Nguyễn Văn Thật"},
    )


def test_head_records_a_question_for_a_resident(client_for, world, cats):
    client = client_for(world.head_a1)
    data = form(cats, full_name="Lò Văn Tâm", phone="0977 111 222")
    r = client.post(f"/khu/{world.area_a1.code}/hoi-dap/ghi/", data)
    req = Request.objects.get()
    assert r["Location"] == f"/hoi-dap/{req.pk}/"
    assert req.author.phone == "0977111222" and req.recorded_by == world.head_a1
    # The head of another area cannot record here.
    assert (
        client_for(world.head_b1).get(f"/khu/{world.area_a1.code}/hoi-dap/ghi/").status_code == 404
    )


def test_escalate_answer_confirm_through_the_pages(client_for, world, cats, asked):
    head = client_for(world.head_a1)
    r = head.post(f"/hoi-dap/{asked.pk}/chuyen-xa/", {"note": "Việc của xã"})
    assert r.status_code == 302
    officer = client_for(world.officer_a)
    r = officer.post(
        f"/hoi-dap/{asked.pk}/tra-loi/",
        {"answer": "Xã sẽ sửa trước 30/6.", "public_text": "Đường vào xóm bị sụt lún (Ông A báo)."},
    )
    assert r.status_code == 302
    asked.refresh_from_db()
    assert asked.status == Status.ANSWERED
    resident = client_for(world.resident_a1)
    home = resident.get("/").content.decode()
    assert f"/hoi-dap/{asked.pk}/" in home  # the in-app notification
    page = resident.get(f"/hoi-dap/{asked.pk}/").content.decode()
    assert "Has it been resolved?" in page
    assert Notification.objects.get().read_at is not None
    r = resident.post(f"/hoi-dap/{asked.pk}/da-giai-quyet/", {"resolved": "no", "reason": ""})
    assert r.status_code == 200 and "still not resolved" in r.content.decode()
    r = resident.post(
        f"/hoi-dap/{asked.pk}/da-giai-quyet/", {"resolved": "no", "reason": "Chưa thấy ai đến"}
    )
    asked.refresh_from_db()
    assert asked.status == Status.OPEN and asked.level == "commune" and asked.reopen_count == 1


def test_access_to_one_request(client_for, client, world, cats, asked):
    url = f"/hoi-dap/{asked.pk}/"
    # Staff and the asker see it whole; the neighbour commune, another head and the public: 404.
    assert client_for(world.officer_a).get(url).status_code == 200
    assert client_for(world.province_officer).get(url).status_code == 200
    for outsider in (world.officer_b, world.head_b1):
        c = client_for(outsider)
        assert c.get(url).status_code == 404
        assert c.post(f"{url}tra-loi/", {"answer": "x"}).status_code == 404
        assert c.post(f"{url}chuyen-xa/").status_code == 404
    client.logout()
    r = client.get(url)  # signed out (perhaps an expired session): to sign-in and back
    assert r.status_code == 302 and r["Location"] == f"/dang-nhap/?next={url}"
    assert client.get(f"/hoi-dap/{asked.pk + 100}/")["Location"].startswith("/dang-nhap/")
    # The district officer sees but may not answer: 403, nothing changed.
    district = client_for(world.district_officer)
    assert district.get(url).status_code == 200
    assert district.post(f"{url}tra-loi/", {"answer": "x"}).status_code == 403
    asked.refresh_from_db()
    assert asked.status == Status.OPEN and asked.answer == ""


def test_a_head_cannot_answer_another_areas_request(client_for, world, cats):
    req = ask(world, cats, area=world.area_a2, actor=world.officer_a, author=world.resident_a1)
    before = AuditEntry.objects.count()
    r = client_for(world.head_a1).post(f"/hoi-dap/{req.pk}/tra-loi/", {"answer": "Đã xong"})
    assert r.status_code == 404
    req.refresh_from_db()
    assert req.status == Status.OPEN and AuditEntry.objects.count() == before


def test_hide_through_the_page(client_for, world, cats, asked):
    head = client_for(world.head_a1)
    r = head.post(f"/hoi-dap/{asked.pk}/an/", {"reason": ""})
    assert r.status_code == 200 and "Say why it is hidden" in r.content.decode()
    r = head.post(f"/hoi-dap/{asked.pk}/an/", {"reason": "Xúc phạm người khác"})
    assert r.status_code == 302
    asked.refresh_from_db()
    assert asked.hidden


def test_rate_limit_message_on_the_page(client_for, world, cats, settings):
    settings.FEEDBACK_MAX_PER_PHONE_PER_DAY = 1
    client = client_for(world.resident_a1)
    client.post(ask_url(world), form(cats))
    r = client.post(ask_url(world), form(cats, submission="z" * 24, text="Câu thứ hai"))
    assert r.status_code == 200 and "the most we accept" in r.content.decode()
    assert Request.objects.count() == 1


def test_lists_take_a_constant_number_of_queries(
    client_for, world, cats, django_assert_max_num_queries, settings
):
    settings.FEEDBACK_MAX_PER_PHONE_PER_DAY = 100
    officer = client_for(world.officer_a)
    officer.get(f"/xa/{world.commune_a.code}/hoi-dap/")  # warm the session
    for i in range(3):
        ask(world, cats, text=f"Câu {i}")
    with django_assert_max_num_queries(12) as few:
        officer.get(f"/xa/{world.commune_a.code}/hoi-dap/")
    for i in range(20):
        ask(world, cats, text=f"Câu thêm {i}", area=world.area_a2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = officer.get(f"/xa/{world.commune_a.code}/hoi-dap/")
    assert r.content.decode().count('class="row"') == 23


def test_public_answer_lists_take_a_constant_number_of_queries(
    client, world, cats, django_assert_max_num_queries, settings
):
    settings.FEEDBACK_MAX_PER_PHONE_PER_DAY = 100

    def answered(n):
        for i in range(n):
            req = ask(world, cats, text=f"Câu {i}")
            services.request_answer(actor=world.head_a1, request=req, answer="Trả lời")
            services.request_publish_edit(
                actor=world.head_a1, request=req, public_text=f"Câu {i}", faq=True
            )

    answered(2)
    url = f"/xa/{world.commune_a.code}/cau-hoi-thuong-gap/"
    client.get(url)
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    answered(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = client.get(url)
    assert r.content.decode().count('class="answer"') == 8


def test_ground_list_access(client_for, world, cats, asked):
    assert (
        client_for(world.officer_b).get(f"/xa/{world.commune_a.code}/hoi-dap/").status_code == 404
    )
    assert client_for(world.head_a1).get(f"/khu/{world.area_a1.code}/hoi-dap/").status_code == 200
    assert client_for(world.head_a1).get(f"/khu/{world.area_a2.code}/hoi-dap/").status_code == 404
    # A resident of the area sees the area but not everyone's questions.
    assert (
        client_for(world.resident_a1).get(f"/khu/{world.area_a1.code}/hoi-dap/").status_code == 403
    )


def test_statistics_for_commune_and_province(client_for, world, cats):
    a = ask(world, cats)
    services.request_answer(actor=world.head_a1, request=a, answer="Xong")
    b = ask(world, cats, category=cats["papers"], text="Hỏi thủ tục")
    services.request_escalate(actor=world.head_a1, request=b)
    services.request_answer(actor=world.officer_a, request=b, answer="Xã trả lời")
    services.request_confirm(actor=world.resident_a1, request=b, resolved=False, reason="Chưa rõ")
    ask(world, cats, text="Quá hạn", area=world.area_a2)
    Request.objects.filter(text="Quá hạn").update(due_date="2020-01-01")
    from caunoi.feedback.selectors import request_statistics

    s = request_statistics(world.commune_a)
    assert s["total"].total == 3 and s["total"].overdue == 1
    assert s["total"].reopen_rate == 0.5
    assert s["total"].median_head is not None and s["total"].median_commune is not None
    assert {r.label: r.total for r in s["by_category"]} == {
        "Đường giao thông": 2,
        "Giấy tờ, thủ tục": 1,
    }
    assert {r.label: r.total for r in s["by_unit"]} == {"Khu 3 — Hoàng Văn Sơn": 2, "Khu 4": 1}
    assert s["per_area"] is True
    p = request_statistics(world.province)
    assert {r.label: r.total for r in p["by_unit"]} == {"Xã Đồng Xuân": 3}
    assert p["per_area"] is False
    r = client_for(world.province_officer).get(f"/tinh/{world.province.code}/hoi-dap/thong-ke/")
    assert r.status_code == 200 and "Xã Đồng Xuân" in r.content.decode()
    assert "By commune" in r.content.decode()
    r = client_for(world.officer_a).get(f"/xa/{world.commune_a.code}/hoi-dap/thong-ke/")
    assert r.status_code == 200 and "By residential area (its head)" in r.content.decode()
    assert (
        client_for(world.officer_b).get(f"/xa/{world.commune_a.code}/hoi-dap/thong-ke/").status_code
        == 404
    )
    assert (
        client_for(world.head_a1).get(f"/xa/{world.commune_a.code}/hoi-dap/thong-ke/").status_code
        == 403
    )


def test_statistics_of_a_two_level_province_and_an_area(world, cats, settings):
    """Today's provinces have no districts: the province's lines are its communes all the same,
    and an area's one line is the area with its head."""
    from caunoi.feedback.selectors import request_statistics
    from caunoi.territory.models import Kind
    from caunoi.territory.services import unit_create

    settings.FEEDBACK_MAX_PER_PHONE_PER_DAY = 100
    province = unit_create(actor=None, kind=Kind.PROVINCE, code="26", name="Tỉnh Vĩnh Phúc")
    ward = unit_create(
        actor=None, kind=Kind.WARD, code="09001", name="Phường Xuân Hòa", parent=province
    )
    area = unit_create(actor=None, kind=Kind.AREA, code="09001-01", name="TDP 1", parent=ward)
    roads = services.category_create(actor=None, commune=ward, name="Đường giao thông")
    ask(world, cats, area=area, category=roads)
    ask(world, cats, area=area, category=roads, text="Câu thứ hai")
    ask(world, cats)
    s = request_statistics(province)
    assert s["total"].total == 2 and s["per_area"] is False
    assert [(r.label, r.total) for r in s["by_unit"]] == [("Phường Xuân Hòa", 2)]
    assert [(r.label, r.total) for r in s["by_category"]] == [("Đường giao thông", 2)]
    own = request_statistics(world.area_a1)
    assert [(r.label, r.total) for r in own["by_unit"]] == [("Khu 3 — Hoàng Văn Sơn", 1)]
    assert request_statistics(world.area_a2)["by_unit"] == []


def test_statistics_take_a_fixed_number_of_queries(
    world, cats, settings, django_assert_num_queries
):
    from caunoi.feedback.selectors import request_statistics

    settings.FEEDBACK_MAX_PER_PHONE_PER_DAY = 100
    for i in range(4):
        req = ask(world, cats, text=f"Câu {i}", area=[world.area_a1, world.area_a2][i % 2])
        services.request_answer(actor=world.head_a1, request=req, answer="Xong")
    # the communes (or areas), one grouped query, the categories' names, the answers' times
    with django_assert_num_queries(4):
        request_statistics(world.province)
    with django_assert_num_queries(5):  # and the areas' heads
        request_statistics(world.commune_a)
    with django_assert_num_queries(4):  # an area: no children to read
        request_statistics(world.area_a1)


def test_categories_page(client_for, world):
    officer = client_for(world.officer_a)
    url = f"/xa/{world.commune_a.code}/hoi-dap/linh-vuc/"
    page = officer.get(url)
    assert page.status_code == 200
    # The due-time rules that apply, with their basis.
    assert "Working days the head has to answer" in page.content.decode()
    assert "Luật Tiếp công dân" in page.content.decode()
    officer.post(url, {"submission": KEY})
    officer.post(url, {"submission": KEY})  # a double click adds them once
    assert world.commune_a.feedback_categories.count() == 9
    cat = world.commune_a.feedback_categories.first()
    edit = f"{url}{cat.pk}/"
    assert "Working days the commune has to answer" in officer.get(edit).content.decode()
    r = officer.post(edit, {"name": cat.name, "head_days": 5, "commune_days": 15})
    assert r.status_code == 302 and r["Location"] == url
    cat.refresh_from_db()
    assert (cat.head_days, cat.commune_days) == (5, 15)
    assert AuditEntry.objects.filter(action="feedback.category.updated").count() == 1
    for page_url in (url, edit):
        assert client_for(world.officer_b).get(page_url).status_code == 404
        assert client_for(world.head_a1).get(page_url).status_code == 403
    # The neighbour commune's category under this commune's address: 404, even for its officer.
    other = services.category_create(actor=None, commune=world.commune_b, name="Khác")
    r = client_for(world.officer_b).get(f"/xa/{world.commune_b.code}/hoi-dap/linh-vuc/{cat.pk}/")
    assert r.status_code == 404
    assert officer.get(f"{url}{other.pk}/").status_code == 404


def test_search_ignores_diacritics(client, world, cats, asked):
    services.request_answer(actor=world.head_a1, request=asked, answer="Đã san lấp")
    r = client.get("/hoi-dap/tim-kiem/", {"q": "sut lun"})
    assert f"/hoi-dap/{asked.pk}/" in r.content.decode()
    r = client.get(f"/xa/{world.commune_a.code}/cau-hoi-thuong-gap/", {"q": "SAN LAP"})
    assert f"/hoi-dap/{asked.pk}/" in r.content.decode()
    r = client.get(f"/xa/{world.commune_b.code}/cau-hoi-thuong-gap/", {"q": "san lap"})
    assert f"/hoi-dap/{asked.pk}/" not in r.content.decode()


def test_search_narrows_to_a_unit_by_its_id(client, world, cats, asked):
    services.request_answer(actor=world.head_a1, request=asked, answer="Đã san lấp")
    own = client.get("/hoi-dap/tim-kiem/", {"q": "sut lun", "don-vi": world.commune_a.pk})
    assert own.context["unit"] == world.commune_a
    assert f"/hoi-dap/{asked.pk}/" in own.content.decode()
    other = client.get("/hoi-dap/tim-kiem/", {"q": "sut lun", "don-vi": world.commune_b.pk})
    assert f"/hoi-dap/{asked.pk}/" not in other.content.decode()


@pytest.mark.parametrize(
    "raw",
    [
        "²",  # "²".isdigit() is true, int("²") fails
        "１２",  # full-width digits
        "-1",
        "abc",
        "9" * 40,
        str(2**63),  # one past BIGINT
        unicodedata.normalize("NFD", "Đồng Xuân"),
        "",
    ],
)
def test_search_by_a_unit_that_cannot_be_one_searches_everywhere(client, world, cats, asked, raw):
    services.request_answer(actor=world.head_a1, request=asked, answer="Đã san lấp")
    r = client.get("/hoi-dap/tim-kiem/", {"q": "sut lun", "don-vi": raw})
    assert r.status_code == 200 and r.context.get("unit") is None
    assert f"/hoi-dap/{asked.pk}/" in r.content.decode()


def test_commune_forwards_returns_and_redacts_through_the_pages(client_for, world, cats, asked):
    services.request_escalate(actor=world.head_a1, request=asked)
    officer = client_for(world.officer_a)
    page = officer.get(f"/hoi-dap/{asked.pk}/chuyen-tiep/").content.decode()
    assert "Giấy tờ, thủ tục" in page and "Môi trường" not in page
    # Someone else's category (the neighbour commune's): refused, nothing changed.
    r = officer.post(f"/hoi-dap/{asked.pk}/chuyen-tiep/", {"category": cats["other"].pk})
    assert r.status_code == 200 and "Choose a category." in r.content.decode()
    r = officer.post(
        f"/hoi-dap/{asked.pk}/chuyen-tiep/", {"category": cats["papers"].pk, "note": "Tư pháp"}
    )
    asked.refresh_from_db()
    assert r.status_code == 302 and asked.category == cats["papers"]
    assert asked.events.filter(kind="forwarded").exists()
    r = officer.post(f"/hoi-dap/{asked.pk}/tra-lai/", {"note": ""})
    assert r.status_code == 200 and "Tell the head why" in r.content.decode()
    r = officer.post(f"/hoi-dap/{asked.pk}/tra-lai/", {"note": "Khu tự xử lý"})
    asked.refresh_from_db()
    assert r.status_code == 302 and asked.level == "head"
    head = client_for(world.head_a1)
    head.post(f"/hoi-dap/{asked.pk}/tra-loi/", {"answer": "Đã xử lý", "public_text": "Đường hỏng"})
    r = head.post(
        f"/hoi-dap/{asked.pk}/cong-khai/",
        {"public_text": "Đường lún, gọi 0987 111 222", "faq": "on"},
    )
    asked.refresh_from_db()
    assert r.status_code == 302 and asked.faq
    assert asked.public_text.startswith("Đường lún, gọi [") and "0987" not in asked.public_text
    assert AuditEntry.objects.filter(action="feedback.request.redacted").count() == 1


def test_the_head_cannot_forward_or_return(client_for, world, cats, asked):
    services.request_escalate(actor=world.head_a1, request=asked)
    head = client_for(world.head_a1)
    r = head.post(f"/hoi-dap/{asked.pk}/chuyen-tiep/", {"category": cats["papers"].pk})
    assert r.status_code == 403
    r = head.post(f"/hoi-dap/{asked.pk}/tra-lai/", {"note": "x"})
    assert r.status_code == 403
    asked.refresh_from_db()
    assert asked.category == cats["roads"] and asked.level == "commune"


def test_my_questions_lists_only_mine(client_for, world, cats, asked):
    ask(world, cats, actor=world.head_a1, author=world.head_a1, text="Của trưởng khu")
    page = client_for(world.resident_a1).get("/hoi-dap/cua-toi/").content.decode()
    assert f"/hoi-dap/{asked.pk}/" in page and page.count('class="row"') == 1


def test_answering_is_the_main_action_and_escalating_a_separate_step(client_for, world, asked):
    """Issue 12 item 8: the head's only text box is the answer, sent with a verb; escalating is
    a link to its own page that says what will happen, so typing an answer cannot escalate."""
    import re

    head = client_for(world.head_a1)
    page = head.get(f"/hoi-dap/{asked.pk}/").content.decode()
    forms = re.findall(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    actions = [action for action, _ in forms]
    assert f"/hoi-dap/{asked.pk}/tra-loi/" in actions
    assert f"/hoi-dap/{asked.pk}/chuyen-xa/" not in actions  # no escalating form here
    answer_form = dict(forms)[f"/hoi-dap/{asked.pk}/tra-loi/"]
    assert 'name="answer"' in answer_form and "Send the answer" in answer_form
    assert page.index('name="answer"') < page.index(f'href="/hoi-dap/{asked.pk}/chuyen-xa/"')
    step = head.get(f"/hoi-dap/{asked.pk}/chuyen-xa/").content.decode()
    assert "The commune will answer the resident instead of you" in step
    assert "No, I will answer it myself" in step
    r = head.post(f"/hoi-dap/{asked.pk}/tra-loi/", {"answer": "Tổ đã vá xong chiều nay."})
    assert r.status_code == 302
    asked.refresh_from_db()
    assert asked.status == Status.ANSWERED and asked.level == "head"


def test_asking_is_one_tap_from_the_residents_home_and_their_questions(client_for, world, cats):
    """Issue 12 item 11: "Ask the head of Khu 3" on the resident's home and on "My questions"."""
    resident = client_for(world.resident_a1)
    ask_link = f'href="/khu/{world.area_a1.code}/hoi/"'
    for url in ("/", "/hoi-dap/cua-toi/"):
        page = resident.get(url).content.decode()
        assert ask_link in page and "Ask the head of Khu 3" in page, url
    page = client_for(world.head_a1).get("/").content.decode()  # a head holds no household
    assert "Ask the head of" not in page


def test_the_communes_waiting_list_holds_only_what_was_sent_up(client_for, world, cats):
    """Issue 12 item 12: a question still with its head is not "waiting for your answer" at the
    commune; once sent up it is."""
    with_head = ask(world, cats)
    sent_up = ask(world, cats, text="Cống thoát nước ngõ 7 bị vỡ.")
    services.request_escalate(actor=world.head_a1, request=sent_up)
    page = client_for(world.officer_a).get("/").content.decode()
    assert f"/hoi-dap/{sent_up.pk}/" in page
    assert f"/hoi-dap/{with_head.pk}/" not in page
    head_page = client_for(world.head_a1).get("/").content.decode()
    assert f"/hoi-dap/{with_head.pk}/" in head_page and f"/hoi-dap/{sent_up.pk}/" not in head_page


def test_the_demo_resident_may_still_ask_today(world, cats):
    """Issue 12 item 11: the demo's questions are history, not today's asking."""
    from caunoi.feedback import demo
    from caunoi.people.models import Role
    from caunoi.testing import add_area, add_household, give, make_person

    for n in (1, 2):
        area = add_area(world.commune_a, n)
        give(make_person(f"Trưởng {n}", phone=f"091200009{n}", password=None), Role.HEAD, area)
    khu1 = world.commune_a.children.get(code="08119-01")
    home = add_household(khu1, 1, "Hà", address="Số 1")
    resident = make_person("Hà", phone="0912000002", password=None)
    give(resident, Role.RESIDENT, khu1, household=home)
    world.officer_a.username = "xa.dongxuan"
    world.officer_a.save()
    demo.build(province=world.province, log=lambda *a: None)
    assert Request.objects.filter(author=resident).count() == 4
    assert services._phone_limit().count(resident.phone) == 0  # all of today's asks left
