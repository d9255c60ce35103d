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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pho tho", "Tỉnh Phú Thọ"),
        ("PHU THO", "Tỉnh Phú Thọ"),
        ("dong xuan", "Xã Đồng Xuân"),
        ("khu 3 dong xuan", "Khu 3"),
        ("Đồng Xuân", "Xã Đồng Xuân"),
    ],
)
def test_search_ignores_case_and_diacritics(world, client, query, expected):
    results = client.get("/tim-kiem/", {"q": query}).context["results"]
    assert results and results[0].name == expected


@pytest.mark.django_db
def test_search_numbers_are_whole_words(world, client):
    from caunoi.territory.models import AreaType
    from caunoi.territory.services import area_create

    area_create(actor=None, commune=world.commune_a, area_type=AreaType.KHU, name="30")
    names = [u.name for u in client.get("/tim-kiem/", {"q": "khu 3 dong xuan"}).context["results"]]
    assert names == ["Khu 3"]
    names = [u.name for u in client.get("/tim-kiem/", {"q": "khu 30"}).context["results"]]
    assert names == ["Khu 30"]
