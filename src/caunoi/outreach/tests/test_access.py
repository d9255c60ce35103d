"""Who may do what: the right person can, the neighbour commune gets 404, the one who sees but may
not act gets 403; residents see their own area's notices and public ones."""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from caunoi.outreach.models import Acknowledgement, Notice

from .factories import draft, publish


@pytest.fixture
def notice(outreach):
    return publish(outreach, is_public=False)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("head_a1", 200),
        ("officer_a", 200),
        ("district_officer", 200),
        ("province_officer", 200),
        ("head_b1", 404),
        ("officer_b", 404),
        ("resident_a1", 403),
        ("inspector_a1", 403),
    ],
)
def test_reach_page(outreach, notice, client_for, who, status):
    response = client_for(getattr(outreach, who)).get(reverse("outreach:reach", args=[notice.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "prefix", "code", "status"),
    [
        ("head_a1", "khu", "08119-03", 200),
        ("head_a1", "khu", "08119-04", 404),  # the next area: not their ground
        ("head_b1", "khu", "08119-03", 404),
        ("officer_a", "xa", "08119", 200),
        ("officer_a", "xa", "08122", 404),
        ("officer_b", "khu", "08119-03", 404),
        ("inspector_a1", "khu", "08119-03", 403),
        ("resident_a1", "khu", "08119-03", 403),
        ("district_officer", "xa", "08119", 403),
        ("province_officer", "tinh", "25", 404),  # notices are written by areas and communes
    ],
)
def test_write_a_notice(outreach, client_for, who, prefix, code, status):
    response = client_for(getattr(outreach, who)).get(reverse("outreach:new", args=[prefix, code]))
    assert response.status_code == status


def test_a_head_cannot_publish_to_another_area_by_posting_its_code(outreach, client_for):
    client = client_for(outreach.head_a1)
    response = client.post(
        reverse("outreach:new", args=["khu", outreach.area_b1.code]),
        {"title": "x", "body": "y", "category": "other"},
    )
    assert response.status_code == 404
    assert Notice.objects.count() == 0


def test_an_officer_only_reaches_areas_of_their_commune(outreach, client_for):
    client = client_for(outreach.officer_a)
    client.post(
        reverse("outreach:new", args=["xa", "08119"]),
        {
            "title": "Phòng chống bão",
            "body": "Chằng chống nhà cửa.",
            "category": "disaster",
            "areas": [outreach.area_b1.code],  # someone else's area
        },
    )
    assert Notice.objects.count() == 0


def test_private_notice_is_seen_by_its_households_only(outreach, notice, client, client_for):
    url = notice.get_absolute_url()
    assert client.get(url)["Location"] == f"{reverse('accounts:signin')}?next={url}"  # anonymous
    assert client_for(outreach.head_b1).get(url).status_code == 404
    assert client_for(outreach.resident_a1).get(url).status_code == 200


def test_a_private_notice_sends_someone_signed_out_to_sign_in_and_back(
    outreach, notice, client_for
):
    """A resident whose session expired opens the SMS's link: sign-in, then the page. A stranger
    signed in gets 404, as for a notice that does not exist (which also asks for sign-in)."""
    attachment = notice.attachments.create(
        file="a.pdf", name="a.pdf", kind="pdf", content_type="application/pdf", size=10
    )
    pages = [
        notice.get_absolute_url(),
        reverse("outreach:attachment", args=[notice.pk, attachment.pk]),
        reverse("outreach:print", args=[notice.pk]),
        reverse("outreach:loudspeaker", args=[notice.pk]),
        reverse("outreach:listen", args=[notice.pk]),
        reverse("outreach:audio", args=[notice.pk, 1]),
        reverse("outreach:notice", args=[999999]),
    ]
    signed_out = Client()
    stranger = client_for(outreach.head_b1)
    for url in pages:
        response = signed_out.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('accounts:signin')}?next={quote(url)}"
        assert stranger.get(url).status_code == 404, url


def test_public_notice_is_public_with_open_graph(outreach, client):
    notice = publish(outreach, is_public=True)
    body = client.get(notice.get_absolute_url()).content.decode()
    assert f'<meta property="og:title" content="{notice.title}">' in body
    assert 'property="og:description"' in body
    assert "http://testserver/thong-bao/" in body  # the link in the text for Zalo
    area_page = client.get(f"/khu/{outreach.area_a1.code}/").content.decode()
    assert notice.title in area_page


def test_draft_is_never_public(outreach, client, client_for):
    notice = draft(outreach, is_public=True)
    assert client.get(notice.get_absolute_url()).status_code == 302  # sign-in, as for a missing one
    assert client_for(outreach.resident_a1).get(notice.get_absolute_url()).status_code == 404


def test_only_a_household_of_the_notice_can_say_got_it(outreach, notice, client_for):
    url = reverse("outreach:acknowledge", args=[notice.pk])
    assert client_for(outreach.head_b1).post(url).status_code == 404
    assert client_for(outreach.head_a1).post(url).status_code == 403
    assert Acknowledgement.objects.count() == 0


def test_a_head_cannot_mark_a_household_of_another_area(outreach, notice, client_for):
    url = reverse("outreach:mark", args=[notice.pk, outreach.household_b1.code])
    assert client_for(outreach.head_a1).post(url, {"how": "visit"}).status_code == 404
    assert client_for(outreach.head_b1).post(url, {"how": "visit"}).status_code == 404
    assert Acknowledgement.objects.count() == 0


def test_channels_page(outreach, client_for):
    url = reverse("outreach:channels", args=[outreach.area_a1.code])
    assert client_for(outreach.head_a1).get(url).status_code == 200
    assert client_for(outreach.resident_a1).get(url).status_code == 403
    assert client_for(outreach.officer_b).get(url).status_code == 404


def test_a_notice_for_its_households_only_from_the_form(outreach, client_for, client):
    head = client_for(outreach.head_a1)
    head.post(
        reverse("outreach:new", args=["khu", outreach.area_a1.code]),
        {"title": "Danh sách hộ nghèo", "body": "Xem tại nhà văn hóa.", "category": "policy",
         "is_public": "0"},
    )  # fmt: skip
    notice = Notice.objects.get()
    assert notice.is_public is False
