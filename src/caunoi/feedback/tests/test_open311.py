"""Open311 GeoReport v2 at /open311/v2/: a real client (georeport) for reads against a live
server, raw XML and JSON requests for the rest."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from caunoi.feedback import policy, services
from caunoi.feedback.models import ApiClient, Request

from .conftest import ask

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
ISO_VN = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")


def post(client, fmt="json", **data):
    return client.post(f"{BASE}/requests.{fmt}", data)


def good(world, cats, key, **extra):
    data = {
        "api_key": key,
        "service_code": cats["roads"].code,
        "address_string": "Cổng chợ Khu 3",
        "attribute[area]": world.area_a1.code,
        "description": "Ổ gà lớn trước cổng chợ.",
        "first_name": "Lan",
        "last_name": "Trần",
        "phone": "0987 000 111",
    }
    data.update(extra)
    return data


def test_discovery_in_both_formats(client):
    data = client.get(f"{BASE}/discovery.json").json()
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = ET.fromstring(client.get(f"{BASE}/discovery.xml").content)
    assert root.tag == "discovery"
    assert [f.text for f in root.iter("format")] == ["text/xml", "application/json"]


def test_services_and_definition_json_and_xml(client, world, cats):
    services_ = client.get(f"{BASE}/services.json").json()
    codes = {s["service_code"] for s in services_}
    assert codes == {"duong-giao-thong", "giay-to-thu-tuc", "moi-truong"}  # by name, not commune
    roads = next(s for s in services_ if s["service_code"] == "duong-giao-thong")
    assert roads["service_name"] == "Đường giao thông" and roads["metadata"] is True
    assert roads["type"] == "realtime"
    only_a = client.get(f"{BASE}/services.json", {"jurisdiction_id": world.commune_a.code}).json()
    assert {s["service_code"] for s in only_a} == {cats["roads"].code, cats["papers"].code}
    d = client.get(f"{BASE}/services/{cats['roads'].code}.json").json()
    area = d["attributes"][0]
    assert area["code"] == "area" and area["required"] is True
    assert [v["key"] for v in area["values"]] == [world.area_a1.code, world.area_a2.code]
    root = ET.fromstring(client.get(f"{BASE}/services/{cats['roads'].code}.xml").content)
    assert root.tag == "service_definition"
    assert [k.text for k in root.iter("key")][:2] == [world.area_a1.code, world.area_a2.code]
    assert root.find("attributes/attribute/datatype").text == "singlevaluelist"


def test_unknown_service_is_404_in_the_spec_format(client):
    r = client.get(f"{BASE}/services/khong-co.json")
    assert r.status_code == 404 and r.json()[0]["code"] == 404
    r = client.get(f"{BASE}/services/khong-co.xml")
    root = ET.fromstring(r.content)
    assert r.status_code == 404 and root.tag == "errors"
    assert root.find("error/code").text == "404" and root.find("error/description").text


def test_post_json_creates_one_request_at_the_head(client, world, cats, api_key):
    r = post(client, **good(world, cats, api_key))
    assert r.status_code == 201
    item = r.json()[0]
    req = Request.objects.get(pk=item["service_request_id"])
    assert req.area == world.area_a1 and req.category == cats["roads"]
    assert req.contact_phone == "0987000111" and req.contact_name == "Lan Trần"
    assert req.client == ApiClient.objects.get() and req.author is None
    assert "Khu 3" in item["service_notice"]
    token = client.get(f"{BASE}/tokens/{req.token}.json").json()[0]
    assert token == {"service_request_id": req.pk, "token": req.token}


def test_post_xml(client, world, cats, api_key):
    r = post(client, "xml", **good(world, cats, api_key, **{"attribute[kind]": "report"}))
    assert r.status_code == 201 and r["Content-Type"].startswith("text/xml")
    root = ET.fromstring(r.content)
    assert root.tag == "service_requests"
    pk = int(root.find("request/service_request_id").text)
    assert Request.objects.get(pk=pk).kind == "report"


@pytest.mark.parametrize(
    "change, status",
    [
        ({"api_key": ""}, 403),
        ({"api_key": "sai-khoa"}, 403),
        ({"service_code": ""}, 400),
        ({"service_code": "khong-co"}, 400),
        ({"attribute[area]": "08122-01"}, 400),  # an area of the neighbour commune
        ({"address_string": "", "lat": "21.3"}, 400),
        ({"address_string": "", "lat": "abc", "long": "105.2"}, 400),
        ({"address_string": ""}, 400),
        ({"description": ""}, 400),
        ({"description": "x" * 4001}, 400),
        ({"phone": "123"}, 400),
        ({"attribute[kind]": "khac"}, 400),
    ],
)
def test_post_errors_change_nothing(client, world, cats, api_key, change, status):
    r = post(client, **good(world, cats, api_key, **change))
    assert r.status_code == status
    body = r.json()
    assert body[0]["code"] == status and body[0]["description"]
    assert Request.objects.count() == 0


def test_an_empty_parameter_is_the_same_as_none(client, world, cats, api_key):
    r = post(client, **good(world, cats, api_key, lat="", long="", email=""))
    assert r.status_code == 201


def test_lat_long_alone_is_a_location(client, world, cats, api_key):
    data = good(world, cats, api_key, address_string="", lat="21.3012", long="105.1234")
    assert post(client, **data).status_code == 201
    req = Request.objects.get()
    assert float(req.lat) == 21.3012


def test_list_filters_and_privacy(client, world, cats, api_key):
    assert policy.MAX_PER_PHONE_PER_DAY.value >= 4  # four questions from one phone below
    open_public = ask(world, cats, text="Công khai, chưa trả lời. Gọi 0912 345 678")
    answered = ask(world, cats, category=cats["papers"], text="Hỏi về giấy tờ, tôi là Nguyễn Văn A")
    services.request_answer(
        actor=world.head_a1,
        request=answered,
        answer="Mang CCCD lên xã.",
        public_text="Hỏi về giấy tờ",
    )
    private = ask(world, cats, text="Riêng tư", public=False)
    old = ask(world, cats, text="Cũ")
    Request.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=120)
    )
    items = client.get(f"{BASE}/requests.json").json()
    ids = [i["service_request_id"] for i in items]
    assert ids == [answered.pk, open_public.pk]  # newest first; private and 120-day-old left out
    a = items[0]
    assert a["status"] == "closed" and "Mang CCCD" in a["status_notes"]
    assert a["description"] == "Hỏi về giấy tờ"  # the redacted text, not the name
    assert ISO_VN.match(a["requested_datetime"]) and ISO_VN.match(a["updated_datetime"])
    assert a["address_id"] == world.area_a1.code
    o = items[1]
    assert o["status"] == "open" and o["description"] == ""  # not reviewed yet
    assert ISO_VN.match(o["expected_datetime"])
    assert "0912" not in str(items) and world.resident_a1.full_name not in str(items)
    assert private.pk not in ids

    # Filters.
    def by(**p):
        return [i["service_request_id"] for i in client.get(f"{BASE}/requests.json", p).json()]

    assert by(status="open") == [open_public.pk]
    assert by(status="closed") == [answered.pk]
    assert by(service_code=cats["papers"].code) == [answered.pk]
    assert by(service_request_id=f"{old.pk},{open_public.pk},{private.pk}") == [
        open_public.pk,
        old.pk,
    ]
    start = (timezone.now() - datetime.timedelta(days=200)).isoformat()
    assert old.pk in by(start_date=start)
    assert by(end_date=(timezone.now() - datetime.timedelta(days=100)).isoformat()) == [old.pk]
    assert by(jurisdiction_id=world.commune_b.code) == []
    assert by(page_size="1") == [answered.pk]
    assert by(page_size="1", page="2") == [open_public.pk]
    r = client.get(f"{BASE}/requests.json", {"status": "pending"})
    assert r.status_code == 400 and r.json()[0]["code"] == 400
    r = client.get(f"{BASE}/requests.json", {"start_date": "hôm qua"})
    assert r.status_code == 400
    r = client.get(f"{BASE}/requests.json", {"jurisdiction_id": "99999"})
    assert r.status_code == 404
    # One request; private or unknown: 404 in the spec's format.
    one = client.get(f"{BASE}/requests/{answered.pk}.json").json()
    assert len(one) == 1 and one[0]["service_request_id"] == answered.pk
    assert client.get(f"{BASE}/requests/{private.pk}.json").status_code == 404
    root = ET.fromstring(client.get(f"{BASE}/requests/{private.pk}.xml").content)
    assert root.tag == "errors" and root.find("error/code").text == "404"


def test_the_posting_client_sees_its_own_private_request(client, world, cats, api_key):
    r = post(client, **good(world, cats, api_key))
    pk = r.json()[0]["service_request_id"]
    assert client.get(f"{BASE}/requests/{pk}.json").status_code == 404
    mine = client.get(f"{BASE}/requests/{pk}.json", {"api_key": api_key}).json()[0]
    assert mine["description"] == "Ổ gà lớn trước cổng chợ."
    assert client.get(f"{BASE}/requests.json", {"api_key": "sai"}).status_code == 403


def test_hidden_requests_never_leave(client, world, cats):
    req = ask(world, cats)
    services.request_answer(actor=world.head_a1, request=req, answer="Xong")
    services.request_hide(actor=world.head_a1, request=req, reason="Xúc phạm")
    assert client.get(f"{BASE}/requests.json").json() == []
    assert client.get(f"{BASE}/requests/{req.pk}.json").status_code == 404


def test_list_takes_a_constant_number_of_queries(
    client, world, cats, django_assert_max_num_queries, settings
):
    settings.FEEDBACK_MAX_PER_PHONE_PER_DAY = 100
    ask(world, cats)
    with django_assert_max_num_queries(6) as few:
        client.get(f"{BASE}/requests.json")
    for i in range(15):
        ask(world, cats, text=f"Câu {i}", area=world.area_a2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        items = client.get(f"{BASE}/requests.xml")
    assert len(ET.fromstring(items.content).findall("request")) == 16


def test_methods_other_than_get_and_post(client):
    r = client.delete(f"{BASE}/requests.json")
    assert r.status_code == 400 and r.json()[0]["code"] == 400


def test_media_url_points_to_the_public_photo(client, world, cats, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from caunoi.testing import jpeg_with_gps

    photo = SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")
    req = ask(world, cats, photos=[photo])
    services.request_answer(actor=world.head_a1, request=req, answer="Xong")
    item = client.get(f"{BASE}/requests/{req.pk}.json").json()[0]
    pk = req.photos.get().pk
    assert item["media_url"] == f"http://testserver/hoi-dap/anh/{pk}/"
    assert client.get(item["media_url"]).status_code == 200


def test_nul_bytes_are_refused_and_nothing_is_stored(client, world, cats, api_key):
    """PostgreSQL refuses NUL in text, SQLite stored it: refused before any view (issue 13, 9)."""
    r = post(client, **good(world, cats, api_key, description="Ổ gà\x00 lớn"))
    assert r.status_code == 400 and not Request.objects.exists()
    assert client.get(f"{BASE}/requests.json?service_code=a%00b").status_code == 400


def test_reports_per_api_key_are_limited(client, world, cats, api_key, settings):
    settings.OPEN311_MAX_PER_KEY_PER_HOUR = 2
    settings.FEEDBACK_MAX_PER_PHONE_PER_DAY = 10
    for _ in range(2):
        assert post(client, **good(world, cats, api_key)).status_code == 201
    r = post(client, **good(world, cats, api_key))
    assert r.status_code == 429 and Request.objects.count() == 2


def test_services_without_a_jurisdiction_name_each_category_once(client, world, cats):
    """Issue 12 item 21: the same category in every commune is one service (FixMyStreet lists
    distinct categories), for no jurisdiction and for a province; a commune lists its own."""
    services.category_create(actor=None, commune=world.commune_b, name="Đường giao thông")
    for params in ({}, {"jurisdiction_id": world.province.code}):
        names = [s["service_name"] for s in client.get(f"{BASE}/services.json", params).json()]
        assert sorted(names) == ["Giấy tờ, thủ tục", "Môi trường", "Đường giao thông"], params
    root = ET.fromstring(client.get(f"{BASE}/services.xml").content)
    assert [e.text for e in root.iter("service_name")].count("Đường giao thông") == 1
    b = client.get(f"{BASE}/services.json", {"jurisdiction_id": world.commune_b.code}).json()
    assert len(b) == 2 and all(s["service_code"].startswith("08122-") for s in b)
    shared = client.get(f"{BASE}/services/duong-giao-thong.json").json()
    area = shared["attributes"][0]
    assert area["code"] == "area" and area["datatype"] == "string" and "values" not in area
    in_b = client.get(
        f"{BASE}/services/duong-giao-thong.json", {"jurisdiction_id": world.commune_b.code}
    ).json()
    assert [v["key"] for v in in_b["attributes"][0]["values"]] == [world.area_b1.code]


def test_a_post_with_a_shared_code_goes_to_the_areas_commune(client, world, cats, api_key):
    in_b = services.category_create(actor=None, commune=world.commune_b, name="Đường giao thông")
    r = post(
        client,
        **good(
            world,
            cats,
            api_key,
            service_code="duong-giao-thong",
            **{"attribute[area]": world.area_b1.code},
        ),
    )
    assert r.status_code == 201, r.content
    req = Request.objects.get(pk=r.json()[0]["service_request_id"])
    assert req.category == in_b and req.area == world.area_b1
    r = post(client, **good(world, cats, api_key, service_code="moi-truong"))  # none in commune a
    assert r.status_code == 400 and "has no service moi-truong" in r.json()[0]["description"]
    listed = client.get(
        f"{BASE}/requests.json", {"service_code": "duong-giao-thong", "api_key": api_key}
    ).json()
    assert [i["service_request_id"] for i in listed] == [req.pk]


def test_email_and_media_url_are_kept_or_refused(client, client_for, world, cats, api_key):
    """Issue 12 item 21: `email` and `media_url` are the spec's; not silently dropped."""
    r = post(
        client,
        **good(
            world,
            cats,
            api_key,
            email="lan@example.vn",
            media_url="https://app.example.vn/anh/1.jpg",
        ),
    )
    assert r.status_code == 201, r.content
    req = Request.objects.get(pk=r.json()[0]["service_request_id"])
    assert (req.contact_email, req.media_url) == (
        "lan@example.vn",
        "https://app.example.vn/anh/1.jpg",
    )
    page = client_for(world.head_a1).get(f"/hoi-dap/{req.pk}/").content.decode()
    assert "mailto:lan@example.vn" in page and 'href="https://app.example.vn/anh/1.jpg"' in page
    own = client.get(f"{BASE}/requests/{req.pk}.json", {"api_key": api_key}).json()[0]
    assert own["media_url"] == "https://app.example.vn/anh/1.jpg"
    for bad in ({"email": "lan@"}, {"media_url": "javascript:alert(1)"}):
        before = Request.objects.count()
        r = post(client, **good(world, cats, api_key, **bad))
        assert r.status_code == 400 and r.json()[0]["code"] == 400, bad
        assert Request.objects.count() == before


def test_discovery_changeset_is_when_the_services_last_changed(client, world, cats):
    first = client.get(f"{BASE}/discovery.json").json()
    assert ISO_VN.match(first["changeset"]) and first["changeset"] != "2026-01-01T00:00:00+07:00"
    later = timezone.now() + datetime.timedelta(days=400)
    from caunoi.feedback.models import Category

    Category.objects.filter(pk=cats["roads"].pk).update(updated_at=later)
    data = client.get(f"{BASE}/discovery.json").json()
    expected = timezone.localtime(later).isoformat(timespec="seconds")
    assert data["changeset"] == expected == data["endpoints"][0]["changeset"]
    root = ET.fromstring(client.get(f"{BASE}/discovery.xml").content)
    assert root.find("changeset").text == expected
