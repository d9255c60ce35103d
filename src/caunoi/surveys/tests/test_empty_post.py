"""An empty POST to an answer page (a robot, a form sent before the page finished loading) is a
form error on the page, never a 500, for whoever sends it."""

import pytest
from django.urls import reverse

from caunoi.surveys import services
from caunoi.surveys.models import Response

pytestmark = pytest.mark.usefixtures("english")


def test_an_empty_post_by_code_is_a_form_error(world, campaign, client):
    ((_hh, code),) = services.invitations_issue(actor=None, campaign=campaign, area=world.area_a1)
    page = client.post(reverse("surveys:answer_code", args=[code]), {})
    assert page.status_code == 200
    assert "This question needs an answer." in page.content.decode()
    assert not Response.objects.exists()


def test_an_empty_post_by_the_resident_is_a_form_error(world, campaign, client_for):
    page = client_for(world.resident_a1).post(
        reverse("surveys:answer_household", args=[campaign.pk]), {}
    )
    assert page.status_code == 200
    assert "This question needs an answer." in page.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "who", ["head_a1", "inspector_a1", "officer_a", "district_officer", "province_officer"]
)
def test_an_empty_post_by_someone_with_no_household_there_is_404(world, campaign, client_for, who):
    """Only a household's representative answers for it: for anyone else the page is not theirs
    (404, as for a campaign that does not exist), whatever the POST holds."""
    person = getattr(world, who)
    page = client_for(person).post(reverse("surveys:answer_household", args=[campaign.pk]), {})
    assert page.status_code == 404
    assert not Response.objects.exists()


def test_an_empty_post_to_the_start_and_paper_pages(world, campaign, client, client_for):
    page = client.post(reverse("surveys:answer_start"), {})
    assert page.status_code == 200 and "Write the code from your slip." in page.content.decode()
    url = reverse("surveys:paper", args=[campaign.pk, "xa", world.commune_a.code])
    page = client_for(world.officer_a).post(url, {})
    assert page.status_code == 200
    assert not Response.objects.exists()
