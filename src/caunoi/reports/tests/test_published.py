import pytest
from django.urls import reverse

from caunoi.reports.models import Publication
from caunoi.surveys import services as survey_services
from caunoi.testing import survey_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(world):
    campaign = survey_campaign(world)
    rows = (
        "khu,danh_gia\n"
        + f"{world.area_a1.code},rat_tot\n" * 6
        + f"{world.area_a2.code},hieu_qua\n" * 2
        + f"{world.area_b1.code},hieu_qua\n" * 3
    )
    survey_services.responses_import(
        actor=world.province_officer, campaign=campaign, data=rows.encode(), filename="x.csv"
    )
    return campaign


def publish_url(campaign, unit):
    return reverse("reports:publish", args=[campaign.pk, unit.url_prefix, unit.code])


def test_province_publishes_and_anyone_reads_without_an_account(world, client, campaign):
    client.force_login(world.province_officer)
    page = client.get(publish_url(campaign, world.province))
    assert page.status_code == 200
    assert "Không bao giờ công bố" in page.content.decode()
    done = client.post(publish_url(campaign, world.province), {"note": "Cảm ơn bà con"})
    publication = Publication.objects.get()
    assert done.status_code == 302 and done["Location"] == publication.get_absolute_url()
    again = client.post(publish_url(campaign, world.province), {"note": ""})
    assert again.status_code == 200 and Publication.objects.count() == 1  # already public
    client.logout()
    text = client.get(publication.get_absolute_url()).content.decode()
    assert "Cảm ơn bà con" in text and "Đồng Xuân" not in text  # the district is the child
    district = reverse("reports:published_at", args=[publication.pk, "huyen", world.district.code])
    text = client.get(district).content.decode()
    assert "Đồng Xuân" in text and "54,5%" in text  # 6 “rất tốt” of 11 in the district
    assert "Chưa đủ số phiếu" in text  # Hanh Cù: 3 responses, under the minimum of 5
    commune = reverse("reports:published_at", args=[publication.pk, "xa", world.commune_a.code])
    text = client.get(commune).content.decode()
    assert client.get(commune).status_code == 200
    assert "Khu 3" not in text and "Khu 4" not in text  # no area's rating of its named head
    hidden = reverse("reports:published_at", args=[publication.pk, "xa", world.commune_b.code])
    assert client.get(hidden).status_code == 404  # under the minimum
    assert "Đánh giá trưởng khu" in client.get(reverse("reports:published_list")).content.decode()


def test_withdrawn_results_are_gone(world, client, campaign):
    client.force_login(world.officer_a)
    client.post(publish_url(campaign, world.commune_a), {"note": ""})
    publication = Publication.objects.get()
    assert publication.unit == world.commune_a
    client.force_login(world.officer_b)
    assert client.post(reverse("reports:withdraw", args=[publication.pk])).status_code == 404
    client.force_login(world.officer_a)
    client.post(reverse("reports:withdraw", args=[publication.pk]))
    client.logout()
    assert client.get(publication.get_absolute_url()).status_code == 404


def test_who_may_publish(world, client, campaign):
    client.force_login(world.officer_b)
    assert client.get(publish_url(campaign, world.commune_a)).status_code == 404
    client.force_login(world.head_a1)
    assert client.post(publish_url(campaign, world.commune_a)).status_code == 403
    client.force_login(world.officer_a)
    area = reverse("reports:publish", args=[campaign.pk, "xa", world.area_a1.code])
    assert client.get(area).status_code == 404  # an area is not a commune
    assert not Publication.objects.exists()
