import datetime
import io
import json
import re
import unicodedata

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from caunoi.territory import selectors
from caunoi.territory.importers import areas
from caunoi.territory.models import Household, Level, Restructuring, Unit
from caunoi.testing import vn_province

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DAY = "2025-07-01"

# Whatever these tests do to households, every area keeps its true household count.
# Messages are asserted in English (the msgids); test_i18n keeps the Vietnamese complete.
pytestmark = pytest.mark.usefixtures("counts_stay_true", "english")


def upload(data: bytes, name="mau.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def commune_urls(world):
    c = world.commune_a.code
    return [
        f"/xa/{c}/mau-nhap.xlsx",
        f"/xa/{c}/nhap/",
        f"/xa/{c}/khu/them/",
        f"/xa/{c}/gop-khu/",
        f"/khu/{world.area_a1.code}/doi-ten/",
    ]


@pytest.mark.django_db
def test_access(world, client_for, client):
    for url in commune_urls(world):
        assert client_for(world.officer_a).get(url).status_code == 200, url
        assert client_for(world.province_officer).get(url).status_code == 200, url
        assert client_for(world.officer_b).get(url).status_code == 404, url
        assert client_for(world.head_a1).get(url).status_code == 403, url
        assert client_for(world.resident_a1).get(url).status_code == 403, url
        assert client_for(world.district_officer).get(url).status_code == 403, url
        client.logout()
        response = client.get(url)  # signed out (or the session expired): sign in, then back
        assert response.status_code == 302, url
        assert response["Location"] == f"/dang-nhap/?next={url}", url
    assert client_for(world.officer_a).put(commune_urls(world)[1]).status_code == 405
    assert client_for(world.officer_a).post(commune_urls(world)[0]).status_code == 405
    url = f"/tinh/{world.province.code}/nhap/"
    assert client_for(world.province_officer).get(url).status_code == 200
    assert client_for(world.officer_a).get(url).status_code == 403
    assert client_for(world.head_b1).get(url).status_code == 403


@pytest.mark.django_db
def test_posts_by_others_change_nothing(world, client_for):
    url = f"/xa/{world.commune_a.code}/khu/them/"
    for person, status in ((world.officer_b, 404), (world.head_a1, 403)):
        r = client_for(person).post(url, {"area_type": "khu", "name": "9"})
        assert r.status_code == status
    assert not Unit.objects.filter(name="Khu 9").exists()


@pytest.mark.django_db
def test_template_download(world, client_for):
    r = client_for(world.officer_a).get(f"/xa/{world.commune_a.code}/mau-nhap.xlsx")
    assert r["Content-Type"] == XLSX
    assert "attachment" in r["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert areas.AREA_SHEET in wb.sheetnames and areas.HOUSEHOLD_SHEET in wb.sheetnames


@pytest.mark.django_db
def test_import_page(world, client_for):
    c = client_for(world.officer_a)
    url = f"/xa/{world.commune_a.code}/nhap/"
    wb = openpyxl.load_workbook(io.BytesIO(areas.template_workbook(world.commune_a)))
    wb[areas.AREA_SHEET].append([1, "Thôn", "Đồng Lạng", ""])
    wb[areas.HOUSEHOLD_SHEET].append([1, "Thôn Đồng Lạng", "", "Số 2", "Trần Văn Tú", "", 3])
    wb[areas.HOUSEHOLD_SHEET].append([2, "Khu 99", "", "Số 3", "Lê Văn Ba", "", 3])
    bad = io.BytesIO()
    wb.save(bad)
    r = c.post(url, {"file": upload(bad.getvalue())})
    assert r.status_code == 200
    body = r.content.decode()
    assert "Khu 99" in body and "Hộ gia đình" in body
    assert not Unit.objects.filter(name="Thôn Đồng Lạng").exists()
    wb[areas.HOUSEHOLD_SHEET].delete_rows(4)
    good = io.BytesIO()
    wb.save(good)
    r = c.post(url, {"file": upload(good.getvalue())}, follow=True)
    assert r.redirect_chain[-1][0] == f"/xa/{world.commune_a.code}/"
    assert "Thôn Đồng Lạng" in r.content.decode()
    assert Household.objects.filter(representative_name="Trần Văn Tú").count() == 1
    # the same file again (a double submission) creates nothing more
    c.post(url, {"file": upload(good.getvalue())})
    assert Unit.objects.filter(name="Thôn Đồng Lạng").count() == 1
    assert Household.objects.filter(representative_name="Trần Văn Tú").count() == 1
    # a text file named .xlsx, and an empty post
    r = c.post(url, {"file": upload(b"just text", "mau.xlsx")})
    assert "not an Excel" in r.content.decode()
    r = c.post(url, {})
    assert r.status_code == 200 and "error-summary" in r.content.decode()


@pytest.mark.django_db
def test_upload_size_limit(world, client_for, settings):
    from caunoi.territory import forms

    big = b"PK\x03\x04" + b"0" * (forms.MAX_UPLOAD + 1)
    r = client_for(world.officer_a).post(f"/xa/{world.commune_a.code}/nhap/", {"file": upload(big)})
    assert "too large" in r.content.decode()


@pytest.mark.django_db
def test_add_area(world, client_for):
    c = client_for(world.officer_a)
    url = f"/xa/{world.commune_a.code}/khu/them/"
    r = c.post(url, {"area_type": "thon", "name": unicodedata.normalize("NFD", "Đồng Lạng")})
    area = Unit.objects.get(level=Level.AREA, name="Thôn Đồng Lạng")
    assert r.status_code == 302 and r["Location"] == f"/khu/{area.code}/"
    assert area.code == "08119-05"
    r = c.post(url, {"area_type": "thon", "name": "Đồng Lạng"})  # again
    assert r.status_code == 200 and "already exists" in r.content.decode()
    r = c.post(url, {"area_type": "thon", "name": "  "})
    assert r.status_code == 200
    assert Unit.objects.filter(parent=world.commune_a).count() == 3


@pytest.mark.django_db
def test_rename_area(world, client_for):
    c = client_for(world.officer_a)
    url = f"/khu/{world.area_a1.code}/doi-ten/"
    r = c.post(
        url,
        {"area_type": "khu", "name": "3A", "effective_date": DAY, "decision_number": "12/QĐ-UBND"},
    )
    assert r.status_code == 302
    a1 = Unit.objects.get(pk=world.area_a1.pk)
    assert a1.name == "Khu 3A"
    assert selectors.unit_version_get(a1, on=datetime.date(2024, 1, 1)).name == "Khu 3"
    # a typo fix: no restructuring
    r = c.post(url, {"area_type": "khu", "name": "3B", "correction": "on"})
    assert r.status_code == 302
    assert Unit.objects.get(pk=a1.pk).name == "Khu 3B"
    assert Restructuring.objects.count() == 1
    # no effective date and not a correction
    r = c.post(url, {"area_type": "khu", "name": "3C"})
    assert r.status_code == 200 and "error-summary" in r.content.decode()
    # a date in the future
    r = c.post(url, {"area_type": "khu", "name": "3C", "effective_date": "2999-01-01"})
    assert r.status_code == 200 and Unit.objects.get(pk=a1.pk).name == "Khu 3B"


@pytest.mark.django_db
def test_merge_areas_with_confirmation(world, client_for):
    c = client_for(world.officer_a)
    url = f"/xa/{world.commune_a.code}/gop-khu/"
    data = {
        "areas": [world.area_a1.code, world.area_a2.code],
        "keeper": world.area_a2.code,
        "area_type": "khu",
        "name": "",
        "effective_date": DAY,
        "decision_number": "5/NQ-HĐND",
    }
    # wrong input
    r = c.post(url, {**data, "areas": [world.area_a2.code]})
    assert r.status_code == 200 and "error-summary" in r.content.decode()
    r = c.post(url, {**data, "keeper": world.area_b1.code})
    assert r.status_code == 200 and "error-summary" in r.content.decode()
    r = c.post(url, data)
    assert r.status_code == 200
    body = r.content.decode()
    assert "Check the merger" in body
    assert world.area_a1.code in body and "never used again" in body
    assert Unit.objects.get(pk=world.area_a1.pk).is_current  # nothing done yet
    r = c.post(url, {**data, "confirm": "yes"})
    assert r.status_code == 302
    assert not Unit.objects.get(pk=world.area_a1.pk).is_current
    assert Household.objects.get(pk=world.household_a1.pk).area_id == world.area_a2.pk
    # double submission: refused with a message, nothing more happens
    r = c.post(url, {**data, "confirm": "yes"})
    assert r.status_code == 200
    assert Restructuring.objects.count() == 1
    assert "error-summary" in r.content.decode()
    # someone else's area
    r = c.post(url, {**data, "areas": [world.area_a2.code, world.area_b1.code], "confirm": "yes"})
    assert r.status_code == 200
    assert Unit.objects.get(pk=world.area_b1.pk).is_current


@pytest.mark.django_db
def test_province_import(world, client_for):
    c = client_for(world.province_officer)
    url = f"/tinh/{world.province.code}/nhap/"
    wards = [("Xã Đồng Xuân", 8119), ("Xã Hanh Cù", 8122), ("Xã Đông Lĩnh", 8125)]
    data = [
        vn_province("Tỉnh Phú Thọ", 25, districts=[("Huyện Thanh Ba", 230, wards)]),
        {"name": "Tỉnh Vĩnh Phúc", "code": 26, "division_type": "tỉnh", "districts": []},
    ]
    f = SimpleUploadedFile("units.json", json.dumps(data).encode(), "application/json")
    r = c.post(url, {"file": f})
    assert r.status_code == 302
    assert Unit.objects.filter(code="08125").exists()
    assert not Unit.objects.filter(code="26").exists()  # only this province is read
    r = c.post(url, {"file": SimpleUploadedFile("x.json", b"PK\x03\x04junk")})
    assert r.status_code == 200 and "could not be read" in r.content.decode()
    r = c.post(url, {"file": SimpleUploadedFile("x.json", b"{nope")})
    assert "not the JSON" in r.content.decode()


def submission_key(response) -> str:
    return re.search(r'name="submission" value="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.django_db
def test_a_resent_form_adds_one_area(world, client_for):
    """The same submission key twice (a double click, a retried POST) lands on the first area."""
    c = client_for(world.officer_a)
    url = f"/xa/{world.commune_a.code}/khu/them/"
    key = submission_key(c.get(url))
    first = c.post(url, {"area_type": "khu", "name": "9", "submission": key})
    again = c.post(url, {"area_type": "khu", "name": "9", "submission": key})
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert Unit.objects.filter(name="Khu 9").count() == 1


@pytest.mark.django_db
def test_a_refused_import_can_be_sent_again_with_its_key(world, client_for):
    """A file refused row by row rolls its claim back: the corrected file, sent from the same
    page (same key), is imported."""
    c = client_for(world.officer_a)
    url = f"/xa/{world.commune_a.code}/nhap/"
    key = submission_key(c.get(url))
    wb = openpyxl.load_workbook(io.BytesIO(areas.template_workbook(world.commune_a)))
    wb[areas.HOUSEHOLD_SHEET].append([1, "Khu 99", "", "Số 3", "Lê Văn Ba", "", 3])
    bad = io.BytesIO()
    wb.save(bad)
    r = c.post(url, {"file": upload(bad.getvalue()), "submission": key})
    assert r.status_code == 200 and "Khu 99" in r.content.decode()
    assert submission_key(r) == key  # the page keeps the key for the corrected file
    wb[areas.HOUSEHOLD_SHEET].delete_rows(3)
    wb[areas.HOUSEHOLD_SHEET].append([1, "Khu 3", "", "Số 3", "Lê Văn Ba", "", 3])
    good = io.BytesIO()
    wb.save(good)
    r = c.post(url, {"file": upload(good.getvalue()), "submission": key})
    assert r.status_code == 302
    assert Household.objects.filter(representative_name="Lê Văn Ba").count() == 1
    r = c.post(url, {"file": upload(good.getvalue()), "submission": key})  # resent
    assert r.status_code == 302
    assert Household.objects.filter(representative_name="Lê Văn Ba").count() == 1


@pytest.mark.django_db
def test_merge_confirmation_carries_the_key(world, client_for):
    c = client_for(world.officer_a)
    url = f"/xa/{world.commune_a.code}/gop-khu/"
    key = submission_key(c.get(url))
    data = {
        "areas": [world.area_a1.code, world.area_a2.code],
        "keeper": world.area_a2.code,
        "area_type": "khu",
        "name": "",
        "effective_date": DAY,
        "submission": key,
    }
    confirm = c.post(url, data)
    assert submission_key(confirm) == key
    first = c.post(url, {**data, "confirm": "yes"})
    assert first.status_code == 302
    assert first["Location"] == f"/xa/{world.commune_a.code}/"
    # Resent: Khu 3 is no longer a choice, so the form refuses it before its key is looked at
    # (core.pages checks the key of valid forms only); nothing happens twice.
    again = c.post(url, {**data, "confirm": "yes"})
    assert again.status_code == 200
    assert Restructuring.objects.count() == 1


@pytest.mark.django_db
def test_retired_area_pages_that_write_are_missing(world, client_for):
    from caunoi.territory.services import Decision, units_merge

    units_merge(
        actor=None,
        sources=[world.area_a1, world.area_a2],
        keeper=world.area_a2,
        decision=Decision(effective_date=datetime.date(2025, 7, 1)),
    )
    c = client_for(world.officer_a)
    assert c.get(f"/khu/{world.area_a1.code}/doi-ten/").status_code == 404
    assert c.get(f"/khu/{world.area_a1.code}/ho/them/").status_code == 404
    assert c.get(f"/khu/{world.area_a1.code}/ho/").status_code == 200  # reading stays open
