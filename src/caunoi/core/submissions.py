"""Idempotent form submissions: a retried POST from a flaky network, or a double click,
records once.

The form carries a one-time key (`{% submission_key %}` renders it). Inside the writer's
transaction:

    sub, first = submission_claim(key=form.cleaned_data["submission"], actor=user)
    if not first:
        return redirect(sub.result_url or fallback)      # the replay: show what the first one made
    notice = notice_publish(...)
    submission_done(sub, url=notice.get_absolute_url())

Two concurrent requests with one key: the second waits on the unique index, then sees the
first's row.
"""

import re
import secrets

from django.db import IntegrityError, transaction

from caunoi.core.models import Submission, user_or_none

_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_key() -> str:
    return secrets.token_urlsafe(24)


def valid_key(key: str | None) -> bool:
    return bool(key and _KEY.match(key))


def submission_claim(
    *, key: str | None, actor=None, fingerprint: str = ""
) -> tuple[Submission | None, bool]:
    """(row, True) when this key is new; (earlier row, False) for a replay. A missing or malformed
    key is not idempotent: (None, True), and the caller proceeds as for any other POST.
    `fingerprint` is kept on a new row for the caller to compare on a replay (the API's)."""
    if key is None or not valid_key(key):
        return None, True
    actor = user_or_none(actor)
    try:
        with transaction.atomic():
            row = Submission.objects.create(key=key, actor=actor, fingerprint=fingerprint)
            return row, True
    except IntegrityError:
        return Submission.objects.get(key=key), False


def submission_done(sub: Submission | None, *, url: str) -> None:
    if sub is not None:
        sub.result_url = url
        sub.save(update_fields=["result_url"])
