import pytest


@pytest.mark.django_db
def test_province_page_counts(world, client):
    response = client.get("/tinh/25/")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["districts"] == 1
    assert figures["communes"] == 2
    assert figures["areas"] == 3
    assert figures["households"] == 2


@pytest.mark.django_db
def test_households_page_access(world, client_for):
    url = f"/khu/{world.area_a1.code}/ho/"
    assert client_for(world.officer_a).get(url).status_code == 200
    assert client_for(world.head_a1).get(url).status_code == 200
    assert client_for(world.resident_a1).get(url).status_code == 403
    assert client_for(world.officer_b).get(url).status_code == 404
