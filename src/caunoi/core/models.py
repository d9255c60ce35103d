from typing import TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def user_ref(*, on_delete=models.PROTECT, null: bool = True, **options) -> models.ForeignKey:
    """The user who did something to a row (created, recorded, decided, published it), for the
    record: no reverse accessor (`related_name="+"`), empty by default for a row the system wrote
    (a demo, an import). A user the app reaches from the other side (a head's `assignments`, a
    keeper's `kept_funds`) is a plain `ForeignKey` with its own related name."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=on_delete, null=null, related_name="+", **options
    )


def user_or_none(actor):
    """What a user column stores for `actor`: the signed-in user, or None for the system (a demo,
    an import, a task) and for a visitor signed out."""
    return actor if getattr(actor, "is_authenticated", False) else None


M = TypeVar("M", bound=models.Model)


def locked(obj: M, *related: str) -> M:
    """`obj` read again and locked until its transaction ends (`SELECT … FOR UPDATE`), with the
    `related` rows joined: the first step of a write that checks the row's state."""
    rows = type(obj)._default_manager.select_for_update()
    if related:
        rows = rows.select_related(*related)
    return rows.get(pk=obj.pk)


class AuditEntry(models.Model):
    """One write: who, when, what, the values before and after. Written in the writer's
    transaction by `caunoi.core.audit.audit_record`; never edited."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = user_ref(on_delete=models.SET_NULL, blank=True, verbose_name=_("by"))
    # A helper's write for the head who named them ("X for Y"): people.Delegation.
    on_behalf_of = user_ref(on_delete=models.SET_NULL, blank=True, verbose_name=_("for"))
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(_("object"), max_length=200)
    # The node of the territory whose ground this write is on (for "officers see their own ground").
    unit = models.ForeignKey(
        "territory.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unit_path = models.CharField(max_length=80, db_index=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"


class Submission(models.Model):
    """A form's one-time key: a retried or double-clicked submission finds the key taken and is
    sent to what the first one made (`caunoi.core.submissions`)."""

    key = models.CharField(max_length=64, unique=True)
    actor = user_ref(on_delete=models.CASCADE, blank=True)
    result_url = models.CharField(max_length=300, blank=True)
    # An API write's request (method, path, body) hashed: the same key with another request is
    # refused (`caunoi.core.api.once`). Empty for the pages' forms, whose key the server made.
    fingerprint = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.key


class OutboxEvent(models.Model):
    """Work to hand to the background workers, written in the same transaction as the change that
    calls for it (`caunoi.core.outbox`). A relay publishes it to the broker; the task marks it
    done. A broker outage only delays it: the row waits here."""

    topic = models.CharField(max_length=80)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    available_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["done_at", "available_at"], name="outbox_pending")]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"


class RateCounter(models.Model):
    """Hits on one key in one fixed window (`caunoi.core.ratelimit`); old windows are purged."""

    key = models.CharField(max_length=120)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratecounter_key_window")
        ]
        indexes = [models.Index(fields=["window_start"], name="ratecounter_window")]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%d/%m/%Y %H:%M}: {self.count}"


class PageVersion(models.Model):
    """How many times the public pages of one part of the territory changed (`caunoi.core.
    pagecache`): one row per unit path that writes happened on (an area's writes count on its
    commune), bumped by `audit_record` inside the writer's own transaction, so that a cached page
    keyed by it is never older than what is committed."""

    path = models.CharField(max_length=80, primary_key=True)
    n = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.path}: {self.n}"
