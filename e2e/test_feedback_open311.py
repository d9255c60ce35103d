"""Open311 GeoReport v2 read by a real client library (georeport) over HTTP from the live server.
Not a browser test: it lives here for the live server started over plain HTTP (conftest)."""

import re

import pytest

ISO_VN = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")


@pytest.fixture
def answered(e2e_world):
    from caunoi.feedback import services

    w = e2e_world
    roads = services.category_create(actor=None, commune=w.commune_a, name="Đường giao thông")
    services.category_create(actor=None, commune=w.commune_a, name="Giấy tờ, thủ tục")
    services.category_create(actor=None, commune=w.commune_b, name="Môi trường")
    services.category_create(actor=None, commune=w.commune_b, name="Đường giao thông")
    req = services.request_create(
        actor=w.resident_a1, area=w.area_a1, category=roads, text="Ổ gà trước chợ", public=True
    )
    services.request_answer(actor=w.head_a1, request=req, answer="Đã vá ổ gà.")
    return req


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_client_reads(live_server, e2e_world, answered, fmt):
    from georeport import GeoReport

    req = answered
    geo = GeoReport(f"{live_server.url}/open311/v2", output_format=fmt)
    names = [s["service_name"] for s in geo.get_service_list()]
    # Each category name once, though two communes have "Đường giao thông" (issue 12 item 21).
    assert sorted(names) == ["Giấy tờ, thủ tục", "Môi trường", "Đường giao thông"]
    shared = geo.get_service_definition("duong-giao-thong")
    assert shared["service_code"] == "duong-giao-thong"
    definition = geo.get_service_definition(req.category.code)
    assert definition["service_code"] == req.category.code
    found = geo.get_service_requests(status="closed")
    # xmltodict gives a dict for a single item: normalise, as clients must.
    found = found if isinstance(found, list) else [found]
    assert [str(f["service_request_id"]) for f in found] == [str(req.pk)]
    if fmt == "json":  # georeport cannot read an empty XML list (<service_requests/>)
        assert geo.get_service_requests(status="open") == []
    one = geo.get_service_request(str(req.pk))
    assert "Đã vá ổ gà." in one["status_notes"]
    assert ISO_VN.match(one["requested_datetime"])
    other = GeoReport(
        f"{live_server.url}/open311/v2", jurisdiction=e2e_world.commune_b.code, output_format=fmt
    ).get_service_list()
    other = other if isinstance(other, list) else [other]
    assert sorted(s["service_name"] for s in other) == ["Môi trường", "Đường giao thông"]
