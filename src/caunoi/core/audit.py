"""The audit trail: every service that writes calls `audit_record` inside its transaction."""

import datetime
import decimal

from django.db import models, transaction
from django.forms.models import model_to_dict

from caunoi.core.models import AuditEntry


def _jsonable(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """The audited state of an object: its concrete fields (or the ones named)."""
    data = model_to_dict(obj, fields=fields)
    data.pop("password", None)
    return {key: _jsonable(value) for key, value in data.items()}


def audit_record(*, actor, action: str, obj: models.Model, unit=None, before=None, after=None):
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the writer's transaction")
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        unit=unit,
        unit_path=unit.path if unit is not None else "",
        before=before,
        after=after,
    )
