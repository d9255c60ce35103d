"""Writes of the API: its tokens, and appointing someone known by phone in one step."""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core.audit import audit_record, snapshot
from caunoi.core.exceptions import ApplicationError
from caunoi.core.text import normalize
from caunoi.people.models import ApiToken, Person

from . import audit

TOKEN_PREFIX = "cn_"
TOKEN_FIELDS = ["person", "name", "created_at", "revoked_at"]


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, actor, person: Person, name: str) -> tuple[ApiToken, str]:
    """A new token for `person`. Returns it with the secret, which is never stored nor shown
    again (only its SHA-256 is kept)."""
    name = normalize(name)
    if not name:
        raise ApplicationError(_("Give the token a name saying what it is for."), code="invalid")
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ApplicationError(_("The token's name is too long."), code="invalid")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(person=person, name=name, token_hash=token_hash(raw))
    token.full_clean()
    token.save()
    audit_record(
        actor=actor,
        action=audit.TOKEN_CREATED,
        obj=token,
        after=snapshot(token, ["person", "name"]),
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ApplicationError(_("This token was already revoked."), code="already_revoked")
    before = snapshot(token, ["person", "name", "revoked_at"])
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=audit.TOKEN_REVOKED,
        obj=token,
        before=before,
        after=snapshot(token, ["person", "name", "revoked_at"]),
    )
    return token


# A used token's `last_used_at` is written at most this often (not on every request).
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def api_token_authenticate(raw: str) -> Person | None:
    """The active person owning this unrevoked token, or None. Notes when it was used."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("person")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True, person__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person
