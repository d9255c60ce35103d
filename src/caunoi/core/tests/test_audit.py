import pytest
from django.db import transaction

from caunoi.core.audit import action, audit_record
from caunoi.core.models import AuditEntry
from caunoi.territory.services import household_update


@pytest.mark.django_db
def test_household_update_is_audited_with_before_and_after(world):
    household_update(actor=world.head_a1, household=world.household_a1, members=5)
    entry = AuditEntry.objects.filter(action="territory.household.updated").get()
    assert entry.actor == world.head_a1
    assert entry.before["members"] == 4 and entry.after["members"] == 5
    assert entry.unit == world.area_a1 and entry.unit_path == world.area_a1.path


@pytest.mark.django_db
def test_unchanged_update_writes_no_entry(world):
    household_update(actor=world.head_a1, household=world.household_a1, members=4)
    assert not AuditEntry.objects.filter(action="territory.household.updated").exists()


TESTED = action("core.entry.tested", "Tested")


@pytest.mark.django_db(transaction=True)
def test_audit_outside_a_transaction_is_refused(world):
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action=TESTED, obj=world.area_a1)
    with transaction.atomic():
        audit_record(actor=None, action=TESTED, obj=world.area_a1)
    assert AuditEntry.objects.filter(action=TESTED).count() == 1


@pytest.mark.django_db
def test_failed_write_leaves_no_audit(world):
    from django.core.exceptions import ValidationError

    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        household_update(actor=world.head_a1, household=world.household_a1, members=0)
    assert AuditEntry.objects.count() == before
    world.household_a1.refresh_from_db()
    assert world.household_a1.members == 4


@pytest.mark.django_db
def test_a_reference_written_as_a_code_is_refused(world):
    """The change log names related objects by their id: a writer that puts a household's code
    (or anything but an id) where the object's model has a foreign key is refused at once, in
    the writer's test, instead of a page failing later."""
    from caunoi.outreach.models import Acknowledgement

    ack = Acknowledgement(pk=1, household=world.household_a1, area=world.area_a1)
    with transaction.atomic():
        for wrong in [world.household_a1.code, [world.household_a1.pk], 2.5, True]:
            with pytest.raises(ValueError, match="household"):
                audit_record(actor=None, action=TESTED, obj=ack, after={"household": wrong})
        audit_record(
            actor=None,
            action=TESTED,
            obj=ack,
            before={"household": None},
            after={"household": world.household_a1.pk, "how": "web", "households": "any"},
        )
