"""An election's deadlines: the commune chair's recognition of the result (R-5.x, in working
days) and the re-election after a round with no winner (`policy`)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from caunoi.core.workdays import add_working_days

from . import policy
from .models import Election, Status


def recognition_due(election: Election) -> datetime.date:
    return add_working_days(election.election_day, policy.RECOGNITION_WORKDAYS.value)


def recognition_overdue(election: Election, *, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return election.status == Status.ELECTED and recognition_due(election) < today


def re_election_due(election: Election) -> datetime.date:
    return election.election_day + datetime.timedelta(days=policy.RE_ELECTION_DAYS.value)
