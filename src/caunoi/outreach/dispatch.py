"""Sending a notice's SMS, Zalo and e-mail messages: at most once per household, channel and round.

Each message is claimed on its own (queued → sending, committed) before it is handed to the
gateway, then marked sent. A worker that dies between the claim and the mark leaves the message
"sending"; no later run sends it again (after OUTREACH_SENDING_TIMEOUT_SECONDS it is marked failed,
"interrupted", and the household shows among those not reached, to be reminded or visited).
Messages not yet claimed stay queued for the next run: none is lost.

The messages go through `caunoi.channels`. A gateway that refuses for now or cannot be reached
(`SendError.retry`) leaves the message queued for a later attempt with exponential back-off
(OUTREACH_RETRY_BASE_SECONDS × 2^(attempt−1)), up to OUTREACH_SEND_ATTEMPTS; a message that can
never go (a refusal for good, a channel not configured) is failed at once, and so is one whose
gateway did not answer in time: it may have sent it, so it is never resent.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Min, Q
from django.db.models.functions import Mod
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from caunoi import channels

from .models import MESSAGE_CHANNELS, Delivery, Notice

logger = logging.getLogger(__name__)
BATCH = 500


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    retry_in: float | None = None  # seconds until the earliest message due again

    @property
    def finished(self) -> bool:
        return self.retry_in is None


def message_text(notice: Notice, round_: int) -> str:
    if round_ == 0:
        return notice.sms_text
    with translation.override("vi"):
        return _("Reminder: %(text)s") % {"text": notice.sms_text}


def backoff(attempt: int) -> float:
    return settings.OUTREACH_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0)


def expire_interrupted(notice_id: int) -> int:
    """Messages claimed by a worker that died: failed, never resent."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.OUTREACH_SENDING_TIMEOUT_SECONDS)
    with translation.override("vi"):
        reason = _("Sending was interrupted; not sent again so that nobody gets it twice.")
    return Delivery.objects.filter(
        notice_id=notice_id, status=Delivery.Status.SENDING, claimed_at__lt=cutoff
    ).update(status=Delivery.Status.FAILED, reason=reason)


def queued(notice_id: int):
    return Delivery.objects.filter(
        notice_id=notice_id, status=Delivery.Status.QUEUED, channel__in=MESSAGE_CHANNELS
    )


def dispatch_notice(
    notice_id: int, *, batch: int = BATCH, part: int = 0, parts: int = 1
) -> Outcome:
    """Send the notice's due messages (those whose id % parts == part: several workers share a
    big notice without contending for the same rows)."""
    notice = Notice.objects.get(pk=notice_id)
    expire_interrupted(notice_id)
    outcome = Outcome()
    texts: dict[int, str] = {}
    last_id = 0
    while True:
        now = timezone.now()
        mine = queued(notice_id).filter(pk__gt=last_id)
        if parts > 1:
            mine = mine.annotate(part=Mod("pk", parts)).filter(part=part)
        rows = list(
            mine.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("pk")
            .values_list("pk", "channel", "round", "recipient")[:batch]
        )
        if not rows:
            break
        last_id = rows[-1][0]
        for pk, channel, round_, recipient in rows:
            text = texts.get(round_) or texts.setdefault(round_, message_text(notice, round_))
            _send_one(pk, channel, recipient, text, outcome)
    waiting = queued(notice_id).aggregate(due=Min("next_attempt_at"))
    if waiting["due"] is not None:
        outcome.retry_in = max((waiting["due"] - timezone.now()).total_seconds(), 0.0)
    return outcome


def pending_messages(notice_id: int) -> int:
    """Queued messages with no due time yet (not tried): other parts are still at work."""
    return queued(notice_id).filter(next_attempt_at__isnull=True).count()


def _send_one(pk: int, channel: str, recipient: str, text: str, outcome: Outcome) -> None:
    now = timezone.now()
    claimed = Delivery.objects.filter(pk=pk, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:  # another worker has it
        return
    try:
        # The channel's value ("sms", "zalo", "email") is the package's name for it.
        channels.send(channel, channels.Message(to=recipient, text=text, reference=f"d{pk}"))
    except channels.SendError as exc:
        attempts = Delivery.objects.values_list("attempts", flat=True).get(pk=pk)
        if not exc.retry or attempts >= settings.OUTREACH_SEND_ATTEMPTS:
            Delivery.objects.filter(pk=pk).update(
                status=Delivery.Status.FAILED, reason=str(exc)[:200]
            )
            outcome.failed += 1
        else:
            Delivery.objects.filter(pk=pk).update(
                status=Delivery.Status.QUEUED,
                reason=str(exc)[:200],
                next_attempt_at=now + datetime.timedelta(seconds=backoff(attempts)),
            )
        logger.warning("Delivery %s (%s) not sent: %s", pk, channel, exc)
        return
    Delivery.objects.filter(pk=pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), reason=""
    )
    outcome.sent += 1
