"""Bad input gets a clear message and changes nothing."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from caunoi.core.models import AuditEntry
from caunoi.outreach.models import Delivery, Notice

pytestmark = pytest.mark.usefixtures("english")


def post(client, area, **data):
    base = {"title": "Thông báo", "body": "Nội dung", "category": "other", "is_public": "1"}
    base.update(data)
    return client.post(reverse("outreach:new", args=["khu", area.code]), base)


def nothing_changed():
    assert Notice.objects.count() == 0
    assert Delivery.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="outreach.notice").exists()


def test_empty_text(outreach, client_for):
    response = post(client_for(outreach.head_a1), outreach.area_a1, title="  ", body=" \n ")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "title" in errors and "body" in errors
    nothing_changed()


def test_a_time_in_the_past(outreach, client_for):
    past = timezone.localtime() - datetime.timedelta(days=1)
    response = post(
        client_for(outreach.head_a1), outreach.area_a1, publish_at=past.strftime("%Y-%m-%dT%H:%M")
    )
    assert "in the past" in str(response.context["form"].errors["publish_at"])
    nothing_changed()


def test_an_attachment_that_lies_about_its_type(outreach, client_for):
    liar = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = post(client_for(outreach.head_a1), outreach.area_a1, files=liar)
    assert "whatever its name says" in str(response.context["form"].errors["files"])
    nothing_changed()


def test_an_attachment_too_big(outreach, client_for, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    big = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n" + b"0" * 2000, "application/pdf")
    response = post(client_for(outreach.head_a1), outreach.area_a1, files=big)
    assert "at most" in str(response.context["form"].errors["files"])
    nothing_changed()


GPS_IFD = 0x8825


def photo_with_gps() -> bytes:
    """A JPEG as a phone takes it: the camera's make and where it was taken (GPS)."""
    exif = Image.Exif()
    exif[0x010F] = "Cầu Nối test camera"  # Make
    exif[GPS_IFD] = {
        1: "N",  # GPSLatitudeRef
        2: (21.0, 19.0, 30.0),  # GPSLatitude: Phú Thọ
        3: "E",  # GPSLongitudeRef
        4: (105.0, 12.0, 15.0),  # GPSLongitude
    }
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


def gps_of(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as im:
        return dict(im.getexif().get_ifd(GPS_IFD))


def test_an_image_is_kept_without_its_metadata(outreach, client_for):
    data = photo_with_gps()
    assert gps_of(data)[2] == (21.0, 19.0, 30.0)  # the upload really carries where it was taken
    photo = SimpleUploadedFile("anh.jpg", data, "image/jpeg")
    post(client_for(outreach.head_a1), outreach.area_a1, files=photo)
    attachment = Notice.objects.get().attachments.get()
    assert (attachment.kind, attachment.content_type) == ("image", "image/jpeg")
    with attachment.file.open("rb") as f:
        stored = f.read()
    with Image.open(io.BytesIO(stored)) as im:
        assert im.format == "JPEG" and im.size == (40, 30)
        assert len(im.getexif()) == 0  # no camera, no GPS, nothing
    assert gps_of(stored) == {}


def test_an_sms_longer_than_the_limit(outreach, client_for, settings):
    settings.OUTREACH_SMS_MAX_SEGMENTS = 2
    response = post(client_for(outreach.head_a1), outreach.area_a1, sms_text="Thông báo " * 20)
    assert "limit is 2" in str(response.context["form"].errors["sms_text"])
    nothing_changed()


def test_nfd_text_is_stored_nfc(outreach, client_for):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Họp khu dân cư Ðồng Xuân")
    post(client_for(outreach.head_a1), outreach.area_a1, title=nfd)
    assert Notice.objects.get().title == "Họp khu dân cư Đồng Xuân"


def test_someone_elses_notice_id(outreach, client_for):
    from .factories import publish

    notice = publish(outreach)
    client = client_for(outreach.head_b1)
    assert client.post(reverse("outreach:remind", args=[notice.pk])).status_code == 404
    assert client.get(reverse("outreach:reach", args=[999999])).status_code == 404
    assert client.get("/thong-bao/abc/").status_code == 404
