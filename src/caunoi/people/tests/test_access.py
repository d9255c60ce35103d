"""The access layer: the right person can, the neighbour commune gets 404, the resident 403."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from caunoi.people import access
from caunoi.people.models import Role


@pytest.mark.django_db
class TestCheck:
    def test_officer_of_commune_sees_inside_its_areas(self, world):
        assert access.check(world.officer_a, access.VIEW, world.area_a1) == world.area_a1
        assert access.check(world.officer_a, access.MANAGE_MANDATES, world.commune_a)

    def test_neighbour_commune_gets_404(self, world):
        with pytest.raises(Http404):
            access.check(world.officer_b, access.VIEW, world.area_a1)
        with pytest.raises(Http404):
            access.check(world.officer_b, access.VIEW, world.commune_a)

    def test_resident_gets_403_on_own_area_and_404_next_door(self, world):
        with pytest.raises(PermissionDenied):
            access.check(world.resident_a1, access.VIEW, world.area_a1)
        with pytest.raises(Http404):
            access.check(world.resident_a1, access.VIEW, world.area_a2)

    def test_head_sees_own_area_but_not_the_commune_audit(self, world):
        assert access.check(world.head_a1, access.VIEW, world.area_a1)
        with pytest.raises(PermissionDenied):
            access.check(world.head_a1, access.VIEW_AUDIT, world.commune_a)
        with pytest.raises(Http404):
            access.check(world.head_a1, access.VIEW, world.area_b1)

    def test_inspector_reads_but_does_not_manage(self, world):
        assert access.check(world.inspector_a1, access.VIEW, world.area_a1)
        with pytest.raises(PermissionDenied):
            access.check(world.inspector_a1, access.MANAGE_HOUSEHOLDS, world.area_a1)

    def test_district_and_province_cover_everything_below(self, world):
        for person in (world.district_officer, world.province_officer):
            assert access.check(person, access.VIEW, world.area_b1)
        with pytest.raises(PermissionDenied):
            access.check(world.district_officer, access.MANAGE_MANDATES, world.commune_a)

    def test_anonymous_gets_404(self, world):
        from django.contrib.auth.models import AnonymousUser

        with pytest.raises(Http404):
            access.check(AnonymousUser(), access.VIEW, world.area_a1)

    def test_ended_mandate_grants_nothing(self, world):
        import datetime

        mandate = world.officer_a.mandates.get()
        mandate.end = datetime.date(2022, 1, 1)
        mandate.save()
        with pytest.raises(Http404):
            access.check(world.officer_a, access.VIEW, world.area_a1)


@pytest.mark.django_db
def test_appointing_only_inside_own_ground(world):
    a = access.Access.for_user(world.officer_a)
    assert a.may_appoint(Role.HEAD, world.area_a2)
    assert not a.may_appoint(Role.HEAD, world.area_b1)
    assert not a.may_appoint(Role.COMMUNE_OFFICER, world.commune_a)
    p = access.Access.for_user(world.province_officer)
    assert p.may_appoint(Role.COMMUNE_OFFICER, world.commune_b)
    assert not access.Access.for_user(world.head_a1).may_appoint(Role.DEPUTY_HEAD, world.area_a1)


@pytest.mark.django_db
def test_unit_filter_limits_querysets_to_the_ground(world):
    from caunoi.territory.models import Household

    q = access.Access.for_user(world.officer_a).unit_filter(access.VIEW, "area__")
    assert list(Household.objects.filter(q)) == [world.household_a1]
    q = access.Access.for_user(world.resident_a1).unit_filter(access.VIEW, "area__")
    assert not Household.objects.filter(q).exists()


@pytest.mark.django_db
def test_an_app_declares_its_own_permission(world):
    perm = access.Permission("example.do", Role.HEAD)
    assert access.check(world.head_a1, perm, world.area_a1) == world.area_a1
    with pytest.raises(Http404):
        access.check(world.head_a1, perm, world.area_a2)
    with pytest.raises(PermissionDenied):
        access.check(world.resident_a1, perm, world.area_a1)
    assert not access.can(world.officer_a, perm, world.area_a1)
