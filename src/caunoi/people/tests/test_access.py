"""The access layer: the right person can, the neighbour commune gets 404, the resident 403."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from caunoi.people import access
from caunoi.people.models import Role

OK = "ok"
# (who, permission, where, outcome): the unit back, 403 on one's own ground, 404 off it
CHECKS = [
    ("officer_a", "VIEW", "area_a1", OK),  # the commune's officer sees inside its areas
    ("officer_a", "MANAGE_MANDATES", "commune_a", OK),
    ("officer_b", "VIEW", "area_a1", 404),  # the neighbour commune
    ("officer_b", "VIEW", "commune_a", 404),
    ("resident_a1", "VIEW", "area_a1", 403),  # a resident: their own area is not theirs to view
    ("resident_a1", "VIEW", "area_a2", 404),
    ("head_a1", "VIEW", "area_a1", OK),  # the head: their area, not the commune's audit
    ("head_a1", "VIEW_AUDIT", "commune_a", 403),
    ("head_a1", "VIEW", "area_b1", 404),
    ("inspector_a1", "VIEW", "area_a1", OK),  # the inspector reads but does not manage
    ("inspector_a1", "MANAGE_HOUSEHOLDS", "area_a1", 403),
    ("district_officer", "VIEW", "area_b1", OK),  # district and province cover all below
    ("province_officer", "VIEW", "area_b1", OK),
    ("district_officer", "MANAGE_MANDATES", "commune_a", 403),
]


@pytest.mark.django_db
class TestCheck:
    @pytest.mark.parametrize(("who", "perm", "where", "outcome"), CHECKS)
    def test_check(self, world, who, perm, where, outcome):
        person, unit = getattr(world, who), getattr(world, where)
        if outcome == OK:
            assert access.check(person, getattr(access, perm), unit) == unit
            return
        with pytest.raises(PermissionDenied if outcome == 403 else Http404):
            access.check(person, getattr(access, perm), unit)

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
