import pytest


@pytest.mark.django_db
def test_admin_is_read_only_for_system_administrators(client, world):
    from caunoi.people.models import Person

    admin = Person.objects.create_superuser("root", "correct-horse-battery", full_name="Quản trị")
    client.force_login(admin)
    assert client.get("/quan-tri/territory/unit/").status_code == 200
    assert client.get(f"/quan-tri/territory/unit/{world.area_a1.pk}/change/").status_code == 200
    assert client.get("/quan-tri/territory/unit/add/").status_code == 403
    response = client.post(
        f"/quan-tri/territory/household/{world.household_a1.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    world.household_a1.refresh_from_db()


@pytest.mark.django_db
def test_officials_cannot_enter_the_admin(client_for, world):
    response = client_for(world.province_officer).get("/quan-tri/")
    assert response.status_code == 302
