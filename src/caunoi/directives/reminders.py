"""Reminders to heads: before the due date and once overdue, in-app (a `Reminder` row the head
sees in the inbox). A reminder is created at most once per assignment and kind, so running
`reminders_send` twice a day reminds nobody twice."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from caunoi.core import pagecache
from caunoi.core.workdays import add_working_days

from . import policy
from .models import Assignment, Reminder


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Create the reminders due today; returns how many were new."""
    today = today or timezone.localdate()
    soon = add_working_days(today, policy.REMIND.value)
    candidates = [
        (a, Reminder.Kind.OVERDUE if a.directive.due_date < today else Reminder.Kind.DUE_SOON)
        for a in Assignment.objects.open()
        .filter(directive__due_date__lte=soon)
        .select_related("directive", "area")
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
                Reminder.objects.create(assignment=a, kind=kind)
                pagecache.bump(a.area)  # the head's inbox shows it (no audit: a reminder)
        except IntegrityError:  # another worker made it a moment ago
            continue
        created += 1
    return created


def reminders_mark_read(*, assignment: Assignment) -> int:
    """The head opened the task: its reminders are read. Returns how many were unread."""
    with transaction.atomic():
        read = Reminder.objects.filter(assignment=assignment, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if read:
            pagecache.bump(assignment.area)  # the inbox no longer shows them (no audit: a read)
    return read
