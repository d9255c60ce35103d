import datetime

import pytest
from django.core.exceptions import ValidationError

from caunoi.core.models import AuditEntry
from caunoi.territory import selectors
from caunoi.territory.models import Household, Kind, Level, Restructuring, Unit, UnitVersion
from caunoi.territory.services import (
    Decision,
    unit_change,
    unit_create,
    unit_dissolve,
    unit_rename,
    units_merge,
)
from caunoi.testing import make_unit

BEFORE = datetime.date(2022, 6, 13)
DAY = datetime.date(2025, 7, 1)
AFTER = datetime.date(2025, 8, 1)

# Whatever these tests do to households, every area keeps its true household count.
pytestmark = pytest.mark.usefixtures("counts_stay_true")


def decision(day=DAY, number="1676/NQ-UBTVQH15"):
    return Decision(effective_date=day, number=number, date=datetime.date(2025, 6, 16))


def reload(unit):
    return Unit.objects.get(pk=unit.pk)


def names(rows):
    return sorted(r.name for r in rows)


@pytest.mark.django_db
def test_rename_keeps_history(world):
    unit_rename(
        actor=world.officer_a, unit=world.commune_a, name="Xã Đồng Xuân Mới", decision=decision()
    )
    c = reload(world.commune_a)
    assert c.name == "Xã Đồng Xuân Mới" and c.code == "08119"
    assert selectors.unit_version_get(c, on=BEFORE).name == "Xã Đồng Xuân"
    assert selectors.unit_version_get(c, on=AFTER).name == "Xã Đồng Xuân Mới"
    old = c.versions.get(valid_to=DAY)
    r = old.ended_by
    assert r.kind == Restructuring.Kind.RENAME and r.decision_number == "1676/NQ-UBTVQH15"
    assert c.versions.get(valid_from=DAY).started_by == r
    # descendants' search keys follow: "khu 3 dong xuan moi" finds area a1
    assert world.area_a1 in selectors.unit_search("khu 3 dong xuan moi")
    assert AuditEntry.objects.filter(action="territory.unit.renamed", object_id=str(c.pk)).exists()


@pytest.mark.django_db
def test_rename_refusals(world):
    with pytest.raises(ValidationError):  # nothing changes
        unit_rename(actor=None, unit=world.commune_a, name="Xã Đồng Xuân", decision=decision())
    unit_rename(actor=None, unit=world.commune_a, name="Xã A", decision=decision())
    with pytest.raises(ValidationError):  # not after the current version's start
        unit_rename(actor=None, unit=world.commune_a, name="Xã B", decision=decision(DAY))
    with pytest.raises(ValidationError):  # in the future
        unit_rename(
            actor=None,
            unit=world.commune_a,
            name="Xã C",
            decision=decision(datetime.date.today() + datetime.timedelta(days=3)),
        )
    assert reload(world.commune_a).name == "Xã A"


@pytest.mark.django_db
def test_move_updates_paths_and_as_of(world):
    other = make_unit(Kind.RURAL_DISTRICT, "231", "Huyện Cẩm Khê", world.province, short="Cẩm Khê")
    unit_change(actor=None, unit=world.commune_a, parent=other, decision=decision())
    c = reload(world.commune_a)
    a1 = reload(world.area_a1)
    assert c.parent == other
    assert c.path == f"{other.path}{c.pk}/"
    assert a1.path == f"{c.path}{a1.pk}/"
    assert " cam khe " in a1.search_key
    assert names(selectors.unit_children(world.district, on=BEFORE)) == [
        "Xã Hanh Cù",
        "Xã Đồng Xuân",
    ]
    assert names(selectors.unit_children(world.district, on=AFTER)) == ["Xã Hanh Cù"]
    assert names(selectors.unit_children(world.district)) == ["Xã Hanh Cù"]
    assert names(selectors.unit_children(other)) == ["Xã Đồng Xuân"]
    assert selectors.unit_descendant_counts(other, on=BEFORE) == {}
    assert selectors.unit_descendant_counts(other, on=AFTER)[Kind.AREA] == 2
    assert selectors.unit_descendant_counts(other)["households"] == 1
    assert AuditEntry.objects.filter(action="territory.unit.moved", object_id=str(c.pk)).exists()
    with pytest.raises(ValidationError):  # under itself
        unit_change(actor=None, unit=other, parent=world.area_a1, decision=decision(AFTER))


@pytest.mark.django_db
def test_reclassify(world):
    unit_change(
        actor=None,
        unit=world.commune_a,
        kind=Kind.WARD,
        name="Phường Đồng Xuân",
        decision=decision(),
    )
    c = reload(world.commune_a)
    assert c.kind == Kind.WARD and c.short_name == "Đồng Xuân"
    assert selectors.unit_version_get(c, on=BEFORE).kind == Kind.COMMUNE
    assert c.versions.get(valid_from=DAY).started_by.kind == Restructuring.Kind.RECLASSIFY
    assert AuditEntry.objects.filter(action="territory.unit.reclassified").exists()
    with pytest.raises(ValidationError):
        unit_change(actor=None, unit=c, kind=Kind.RURAL_DISTRICT, decision=decision(AFTER))


@pytest.mark.django_db
def test_merge_communes(world):
    keeper = units_merge(
        actor=world.province_officer,
        sources=[world.commune_a, world.commune_b],
        keeper=world.commune_a,
        name="Xã Đồng Xuân",
        decision=decision(),
    )
    b = reload(world.commune_b)
    assert b.valid_to == DAY and not b.is_current
    assert keeper.code == "08119"
    # the retired unit's areas (with their households) now sit under the keeper, with history
    b1 = reload(world.area_b1)
    assert b1.parent == keeper and b1.path.startswith(keeper.path)
    assert selectors.unit_version_get(b1, on=BEFORE).parent == world.commune_b
    assert selectors.unit_version_get(b1, on=AFTER).parent == keeper
    assert names(selectors.unit_children(world.district)) == ["Xã Đồng Xuân"]
    assert names(selectors.unit_children(world.district, on=BEFORE)) == [
        "Xã Hanh Cù",
        "Xã Đồng Xuân",
    ]
    assert selectors.unit_descendant_counts(keeper)[Kind.AREA] == 3
    assert selectors.unit_descendant_counts(keeper)["households"] == 2
    assert selectors.unit_descendant_counts(world.district, on=BEFORE)[Kind.COMMUNE] == 2
    assert selectors.unit_descendant_counts(world.district, on=AFTER)[Kind.COMMUNE] == 1
    r = Restructuring.objects.get(kind=Restructuring.Kind.MERGE)
    assert set(r.sources.all()) == {world.commune_a, world.commune_b}
    assert list(r.results.all()) == [keeper]
    # the retired code is never given again
    with pytest.raises(ValidationError):
        unit_create(
            actor=None, kind=Kind.COMMUNE, code="08122", name="Xã Mới", parent=world.district
        )
    # the retired unit can no longer change
    with pytest.raises(ValidationError):
        unit_rename(actor=None, unit=b, name="Xã X", decision=decision(AFTER))
    assert AuditEntry.objects.filter(action="territory.unit.retired", object_id=str(b.pk)).exists()


@pytest.mark.django_db
def test_merge_refusals(world):
    w = world
    refused = [
        ([w.area_a1, w.area_a2], w.area_b1),  # keeper not among the sources
        ([w.commune_a, w.area_a1], w.commune_a),  # levels mixed
        ([w.area_a1, w.area_b1], w.area_a1),  # areas of different communes
        ([w.area_a1], w.area_a1),  # only one
    ]
    for sources, keeper in refused:
        with pytest.raises(ValidationError):
            units_merge(actor=None, sources=sources, keeper=keeper, decision=decision())
    assert Restructuring.objects.count() == 0
    assert Unit.objects.filter(valid_to__isnull=False).count() == 0


@pytest.mark.django_db
def test_merge_areas_moves_households(world):
    def merge_khu_3_into_khu_4():
        sources = [world.area_a1, world.area_a2]
        kept = world.area_a2
        return units_merge(
            actor=world.officer_a, sources=sources, keeper=kept, name="Khu 4", decision=decision()
        )

    merge_khu_3_into_khu_4()
    assert Household.objects.get(pk=world.household_a1.pk).area == world.area_a2
    assert not reload(world.area_a1).is_current
    assert names(selectors.unit_children(world.commune_a)) == ["Khu 4"]
    assert names(selectors.unit_children(world.commune_a, on=BEFORE)) == ["Khu 3", "Khu 4"]
    # a second identical submission does nothing more
    with pytest.raises(ValidationError):
        merge_khu_3_into_khu_4()
    assert Restructuring.objects.count() == 1


@pytest.mark.django_db
def test_dissolve(world):
    with pytest.raises(ValidationError):  # still has households
        unit_dissolve(actor=None, unit=world.area_a1, decision=decision())
    unit_dissolve(actor=None, unit=world.area_a1, decision=decision(), children_to=world.area_a2)
    assert Household.objects.get(pk=world.household_a1.pk).area == world.area_a2
    # a district abolished: its communes go to the province
    unit_dissolve(actor=None, unit=world.district, decision=decision(), children_to=world.province)
    assert reload(world.commune_a).parent == world.province
    assert reload(world.area_a2).path.startswith(reload(world.commune_a).path)
    assert selectors.unit_descendant_counts(world.province, on=BEFORE)[Kind.RURAL_DISTRICT] == 1
    assert Kind.RURAL_DISTRICT not in selectors.unit_descendant_counts(world.province)
    assert selectors.unit_descendant_counts(world.province)[Kind.COMMUNE] == 2
    assert UnitVersion.objects.filter(unit=world.commune_a).count() == 2
    assert Unit.objects.filter(level=Level.DISTRICT, valid_to=DAY).count() == 1
