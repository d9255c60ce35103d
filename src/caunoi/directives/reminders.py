"""Reminders to heads: before the due date and once overdue.

In-app now: a `Reminder` row the head sees in the inbox. Other channels (SMS, Zalo, … from the
outreach app) plug in without touching this module:

    from caunoi.directives.reminders import register_sender
    register_sender(lambda reminder: outreach.send_to_person(reminder.assignment.head, ...))

Senders run after the transaction commits, once per new reminder; a reminder is created at most
once per assignment and kind, so running `reminders_send` twice a day sends nothing twice.
"""

import datetime
import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from caunoi.core.workdays import add_working_days

from . import policy
from .models import Assignment, Reminder

logger = logging.getLogger(__name__)
_senders: list[Callable[[Reminder], None]] = []


def register_sender(sender: Callable[[Reminder], None]) -> None:
    if sender not in _senders:
        _senders.append(sender)


def _deliver(reminder: Reminder) -> None:
    for sender in list(_senders):
        try:
            sender(reminder)
        except Exception:  # one broken channel must not stop the others
            logger.exception("reminder sender %r failed for reminder %s", sender, reminder.pk)


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Create the reminders due today; returns how many were new."""
    today = today or timezone.localdate()
    soon = add_working_days(today, policy.REMIND.value)
    candidates = [
        (a, Reminder.Kind.OVERDUE if a.directive.due_date < today else Reminder.Kind.DUE_SOON)
        for a in Assignment.objects.open()
        .filter(directive__due_date__lte=soon)
        .select_related("directive")
    ]
    existing = set(
        Reminder.objects.filter(assignment__in=[a for a, _ in candidates]).values_list(
            "assignment_id", "kind"
        )
    )
    created = 0
    for a, kind in candidates:
        if (a.pk, kind) in existing:
            continue
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(assignment=a, kind=kind)
                transaction.on_commit(lambda r=reminder: _deliver(r))
        except IntegrityError:  # another worker made it a moment ago
            continue
        created += 1
    return created
