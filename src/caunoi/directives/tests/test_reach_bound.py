"""Issue 12, item 5: the households a head reports reached are at most the area's households; a
bigger number is a clear message on the form and the task stays open."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from caunoi.directives import services
from caunoi.directives.models import Status
from caunoi.territory.services import household_create

pytestmark = pytest.mark.django_db


def test_more_households_than_the_area_has_is_refused(world, make_directive):
    household_create(actor=None, area=world.area_a1, code=f"{world.area_a1.code}-900")
    world.area_a1.refresh_from_db()
    assert world.area_a1.household_count == 2
    a = make_directive(areas=[world.area_a1]).assignments.get()
    with pytest.raises(ValidationError) as exc:
        services.assignment_complete(
            actor=world.head_a1, assignment=a, note="Xong", households_reached=10000
        )
    assert "2 hộ" in str(exc.value.error_dict["households_reached"])
    a.refresh_from_db()
    assert a.status != Status.DONE and a.households_reached is None
    done = services.assignment_complete(
        actor=world.head_a1, assignment=a, note="Xong", households_reached=2
    )
    assert done.households_reached == 2


def test_the_form_says_so_in_vietnamese(world, make_directive, client_for):
    a = make_directive(areas=[world.area_a1]).assignments.get()
    page = client_for(world.head_a1).post(
        reverse("directives:complete", args=[a.pk]),
        {"submission": "c" * 20, "note": "Xong", "households_reached": "10000"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "có 1 hộ" in html and "không thể nhiều hơn" in html
    a.refresh_from_db()
    assert a.status != Status.DONE
