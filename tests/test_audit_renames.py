"""Every migration that renames audit actions: the new names are declared (so the change log has
their labels), old entries get them, and going back restores the old names."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps

from caunoi.core.audit import ACTIONS
from caunoi.core.migration_ops import RenameAuditActions
from caunoi.core.models import AuditEntry

SRC = Path(__file__).resolve().parent.parent / "src"


def _renames():
    for path in sorted(SRC.glob("caunoi/*/migrations/0*.py")):
        module = importlib.import_module(".".join(path.relative_to(SRC).with_suffix("").parts))
        for op in module.Migration.operations:
            if isinstance(op, RenameAuditActions):
                yield pytest.param(op, id=f"{module.__name__.split('.')[1]}.{path.stem}")


RENAMES = list(_renames())


def test_each_app_that_renamed_actions_has_its_migration():
    assert {p.id.split(".")[0] for p in RENAMES} >= {
        "directives",
        "outreach",
        "surveys",
        "territory",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("op", RENAMES)
def test_old_names_become_declared_names_and_back(op):
    for n, old in enumerate(op.renamed):
        AuditEntry.objects.create(action=old, object_type="test.thing", object_id=str(n))
    op.forwards(apps, None)
    assert set(AuditEntry.objects.values_list("action", flat=True)) == set(op.renamed.values())
    assert set(op.renamed.values()) <= set(ACTIONS), "a new name must be declared"
    op.backwards(apps, None)
    assert set(AuditEntry.objects.values_list("action", flat=True)) == set(op.renamed)
