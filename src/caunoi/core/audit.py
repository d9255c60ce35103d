"""The audit trail: every service that writes calls `audit_record` inside its transaction.

Every action is declared once, with its label, in its app's `audit.py`:

    FUND_CREATED = action("funds.fund.created", _("Fund opened"))

named `<app>.<entity>.<past_verb>`; `audit_record(action=FUND_CREATED, …)` refuses a name that was
never declared, so the change log never shows a raw name (`action_label`). A value stored under
the name of one of the object's foreign keys must be the related object's id (the change log names
it): a code there is refused too.
"""

import datetime
import decimal
import re
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.forms.models import model_to_dict

from caunoi.core import memo, pagecache
from caunoi.core.models import AuditEntry, user_or_none

_NAME = re.compile(r"^[a-z]+\.[a-z_]+\.[a-z_]+$")


class Action(str):
    """An audited action's name, with its label for people (lazily translated)."""

    label: Any

    def __new__(cls, name: str, label: Any) -> "Action":
        if not _NAME.match(name):
            raise ValueError(f"audit action {name!r} is not <app>.<entity>.<past_verb>")
        declared = super().__new__(cls, name)
        declared.label = label
        return declared


ACTIONS: dict[str, Action] = {}


def action(name: str, label: Any) -> Action:
    """Declare an audited action (from the app's audit.py, imported by its AppConfig.ready())."""
    declared = Action(name, label)
    ACTIONS[name] = declared
    return declared


def action_label(name: str) -> str:
    """The label of an action for the change log."""
    declared = ACTIONS.get(name)
    return str(declared.label) if declared is not None else name


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


def _check_references(obj: models.Model, values) -> None:
    """A field of `values` named like one of the object's foreign keys holds an id (or None): the
    change log names the related object by it. A code there is the writer's mistake."""
    if not isinstance(values, dict):
        return
    for name, value in values.items():
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not (field.many_to_one and field.related_model is not None):
            continue
        pk_type = field.related_model._meta.pk.get_internal_type()
        numeric = pk_type in ("AutoField", "BigAutoField", "SmallAutoField", "IntegerField")
        ok = value is None or (
            isinstance(value, int) and not isinstance(value, bool)
            if numeric
            else isinstance(value, int | str) and not isinstance(value, bool)
        )
        if not ok:
            raise ValueError(
                f"audit of {obj._meta.label_lower}: {name!r} must hold the related object's id, "
                f"not {value!r}"
            )


ACTING_FOR: list[Callable[[Any, Any], Any]] = []


def acting_for_answer(answer: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """Register `answer(actor, unit)`: the person `actor` acts for on `unit` (a helper for the head
    who named them), or None. The access layer registers it (`people.access`); core knows no
    mandate."""
    ACTING_FOR.append(answer)
    return answer


def acting_for(actor, unit):
    """The person `actor` acts for on `unit`, or None (see `acting_for_answer`)."""
    if not getattr(actor, "is_authenticated", False):
        return None
    return next((p for p in (answer(actor, unit) for answer in ACTING_FOR) if p), None)


def _is_person(model: Any) -> bool:
    meta = getattr(model, "_meta", None)
    return meta is not None and meta.label == settings.AUTH_USER_MODEL


def _people_named(obj: models.Model) -> list[Any]:
    """The persons `obj` is (a person) or names in its foreign keys (a mandate's holder, a
    delegation's helper, a notification's reader): ids, read from the row, no query."""
    if _is_person(obj):
        return [obj.pk]
    return [
        getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if field.many_to_one and _is_person(field.related_model)
    ]


def audit_record(*, actor, action: str, obj: models.Model, unit=None, before=None, after=None):
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the writer's transaction")
    if action not in ACTIONS:
        raise ValueError(f"audit action {action!r} is not declared (caunoi.core.audit.action)")
    _check_references(obj, before)
    _check_references(obj, after)
    if unit is not None:
        pagecache.bump(unit)  # the unit's public pages changed, in this same transaction
    signed_in = user_or_none(actor)
    behalf = acting_for(actor, unit)
    # and the signed-in pages of who did it, for whom, and of everyone the row names
    pagecache.bump_readers(signed_in, behalf, *_people_named(obj))
    memo.forget()  # what this request read before its write is read again
    return AuditEntry.objects.create(
        actor=signed_in,
        on_behalf_of=behalf,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        unit=unit,
        unit_path=unit.path if unit is not None else "",
        before=before,
        after=after,
    )


@contextmanager
def audit_change(*, actor, action: str, obj: models.Model, unit=None, fields=None):
    """Audit what a block changes on `obj`: its state (the `fields` named, or all) before the block
    and after it, as one entry. Yields the before (the block may compare with it); a block that
    raises records nothing.

        with audit_change(actor=actor, action=audit.MANDATE_ENDED, obj=m, unit=m.unit, fields=F):
            m.end = end
            m.save(update_fields=["end"])
    """
    before = snapshot(obj, fields)
    yield before
    audit_record(
        actor=actor, action=action, obj=obj, unit=unit, before=before, after=snapshot(obj, fields)
    )


def audit_created(*, actor, action: str, obj: models.Model, unit=None, fields=None):
    """`audit_record` for a row just made: its state (the `fields` named, or all) is the after."""
    return audit_record(actor=actor, action=action, obj=obj, unit=unit, after=snapshot(obj, fields))


def done_for(obj: models.Model, action: str) -> AuditEntry | None:
    """The latest `action` on `obj` when a helper did it for someone ("X for Y": its `actor` and
    `on_behalf_of`), else None: a receipt or an answer shows it beside who did it."""
    entry = (
        AuditEntry.objects.filter(
            action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
        )
        .select_related("actor", "on_behalf_of")
        .order_by("-at", "-id")
        .first()
    )
    return entry if entry is not None and entry.on_behalf_of_id else None
