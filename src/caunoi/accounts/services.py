"""Writes of signing in: the sign-in lockout, one-time codes and API tokens. Atomic where they
write; a token's creation and revocation are audited. Nothing here decides permissions."""

import datetime
import hashlib
import logging
import math
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from caunoi import channels
from caunoi.core.audit import audit_change, audit_created, audit_record
from caunoi.core.exceptions import ApplicationError
from caunoi.core.models import locked
from caunoi.core.phones import normalize_phone
from caunoi.core.ratelimit import Limit, RateLimited
from caunoi.core.text import normalize
from caunoi.people import services as people_services
from caunoi.people.models import Delegation, DelegationKind, Mandate, Person, Role

from . import audit, policy
from .models import ApiToken, OneTimeCode

logger = logging.getLogger(__name__)

# --- Sign-in protection ---------------------------------------------------------------------------
#
# Every attempt (a code or a password) is counted by `caunoi.core.ratelimit.Limit` BEFORE it is
# judged, in one atomic upsert: at the last allowed failure, parallel attempts get different counts
# and only one of them is judged; the others are refused as locked. A right answer forgets the
# count. Attempts are counted in windows of SIGNIN_LOCK_MINUTES, so a lock lasts until its window
# ends (at most SIGNIN_LOCK_MINUTES).


class SignInLocked(ApplicationError):
    """Refused without looking at the code or password: too many attempts."""

    code = "locked"
    status = 429


class SignInFailed(ApplicationError):
    """The code or password was looked at and is wrong (the message says when this locked it)."""

    code = "failed"
    status = 400


def signin_key(value: str) -> str:
    """The guard key for what a person typed to sign in: the normalised phone number when it is
    one, otherwise the lower-cased username (so "0912 000 001", "+84912000001" and "0912000001"
    share one counter)."""
    try:
        return f"phone:{normalize_phone(value)}"
    except ValidationError:
        return f"user:{normalize(value).lower()[:70]}"


def _signin_limit() -> Limit:
    return Limit(
        "signin.attempts",
        per=policy.SIGNIN_MAX_FAILURES.value,
        seconds=policy.SIGNIN_LOCK_MINUTES.value * 60,
    )


def _minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


def _locked_message(limit: Limit) -> str:
    minutes = _minutes(limit.retry_after())
    return ngettext(
        "You entered a wrong code or password %(count)d times. Try again in %(minutes)d minute.",
        "You entered a wrong code or password %(count)d times. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"count": limit.per, "minutes": minutes}


def signin_guard_check(*, key: str) -> None:
    """Raise `SignInLocked` while this phone number or account is locked (a read: the attempt
    itself is counted by `signin_guard_hit`)."""
    limit = _signin_limit()
    if limit.exceeded(key):
        raise SignInLocked(_locked_message(limit))


def signin_guard_hit(*, key: str) -> int:
    """Count one attempt before judging it; `SignInLocked` when the allowed ones are used up.
    Returns the attempt's number in its window."""
    limit = _signin_limit()
    n = limit.add(key)
    if n > limit.per:
        logger.warning("Sign-in refused for %s: locked", key)
        raise SignInLocked(_locked_message(limit))
    return n


def signin_guard_failure(*, key: str, attempt: int, message: str) -> SignInFailed:
    """The error for a wrong attempt number `attempt`: `message`, or the lock message when it was
    the last one allowed."""
    limit = _signin_limit()
    if attempt >= limit.per:
        logger.warning("Sign-in locked for %s", key)
        return SignInFailed(_locked_message(limit), code="locked")
    return SignInFailed(message)


def signin_guard_succeed(*, key: str) -> None:
    _signin_limit().reset(key)


def _person_of(username: str) -> Person | None:
    try:
        return Person.objects.filter(phone=normalize_phone(username)).first()
    except ValidationError:
        return Person.objects.filter(username__iexact=normalize(username)[:150]).first()


@transaction.atomic
def password_signin_record(*, username: str, person: Person | None = None, locked: bool = False):
    """The change log keeps what an attacker of the admin would want hidden: an administrator's
    sign-in, and a lock of an account by wrong passwords (when the account exists)."""
    if locked:
        person = _person_of(username)
        if person is not None:
            audit_record(actor=None, action=audit.ACCOUNT_LOCKED, obj=person)
    elif person is not None and (person.is_staff or person.is_superuser):
        audit_record(actor=person, action=audit.STAFF_SIGNED_IN, obj=person)


# --- One-time codes -------------------------------------------------------------------------------


class OtpTooSoon(RateLimited):
    """A code was sent to this phone a moment ago (the page goes on to typing it)."""

    code = "too_soon"


def _otp_resend_limit() -> Limit:
    return Limit("otp.resend", per=1, seconds=policy.OTP_RESEND_SECONDS.value)


def _otp_phone_limit() -> Limit:
    return Limit("otp.phone", per=policy.OTP_MAX_PER_HOUR.value, seconds=3600)


def _otp_ip_limit() -> Limit:
    return Limit("otp.ip", per=policy.OTP_MAX_PER_IP_PER_HOUR.value, seconds=3600)


def _count(limit: Limit, key: str, refusal, *, error: type[RateLimited] = RateLimited) -> None:
    """Count one code request on `limit` for `key`; past it, refuse with `refusal` (an
    `ngettext_lazy` whose number is the wait, in "seconds" or "minutes")."""
    if limit.add(key) > limit.per:
        seconds = limit.retry_after()
        raise error(refusal % {"seconds": seconds, "minutes": _minutes(seconds)})


def _otp_phone_hit(phone: str) -> None:
    """Count one code request on the phone: one per OTP_RESEND_SECONDS, OTP_MAX_PER_HOUR an
    hour."""
    _count(
        _otp_resend_limit(),
        phone,
        ngettext_lazy(
            "A code was sent a moment ago. You can ask for a new one in %(seconds)d second.",
            "A code was sent a moment ago. You can ask for a new one in %(seconds)d seconds.",
            "seconds",
        ),
        error=OtpTooSoon,
    )
    _count(
        _otp_phone_limit(),
        phone,
        ngettext_lazy(
            "This phone number has asked for too many codes. Try again in %(minutes)d minute.",
            "This phone number has asked for too many codes. Try again in %(minutes)d minutes.",
            "minutes",
        ),
    )


def _otp_ip_hit(ip: str) -> None:
    """Count one code request from the network address: OTP_MAX_PER_IP_PER_HOUR an hour."""
    _count(
        _otp_ip_limit(),
        ip,
        ngettext_lazy(
            "Too many codes were asked for from this network. Try again in %(minutes)d minute.",
            "Too many codes were asked for from this network. Try again in %(minutes)d minutes.",
            "minutes",
        ),
    )


def _code_hash(phone: str, code: str) -> str:
    # The salt keeps its old name: a code sent just before the move still works.
    return salted_hmac("caunoi.people.otp", f"{phone}:{code}", algorithm="sha256").hexdigest()


def otp_key(phone: str) -> str:
    """The guard key of wrong codes typed for a phone: its own, not the password's (a new code
    starts it afresh, so wrong codes typed by someone else cannot lock the phone's owner out)."""
    return f"otp:{phone}"


def otp_request(*, phone: str, ip: str | None = None, enrol: bool = False) -> str:
    """Send a sign-in code to `phone` and return the normalised number. `ip` is the client's
    address (`caunoi.core.ratelimit.ip_address`), counted towards its own hourly limit.

    The answer is the same whether or not the number belongs to someone, and the limits count
    either way; but only a registered, active person is sent an SMS, and no code is stored for an
    unknown number. `enrol`: the number is being proved by someone who has no account yet (asking
    a question without one): the code is sent to it all the same, and `otp_verify(enrol_as=…)`
    creates the account once the code comes back. A lock by wrong codes does not stop a new code
    (the new code starts the count afresh). When the SMS cannot be sent, nothing is stored and the
    phone's requests are not counted, so the person may try again at once. The phone's counters
    are held until the code is sent, so two requests at once send one SMS."""
    phone = normalize_phone(phone)
    if ip is not None:
        _otp_ip_hit(ip)
    with transaction.atomic():
        _otp_phone_hit(phone)
        now = timezone.now()
        # Older codes stop working as soon as a new one is asked for.
        OneTimeCode.objects.filter(phone=phone, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        person = Person.objects.filter(phone=phone, is_active=True).first()
        if person is None and not enrol:
            return phone
        code = f"{secrets.randbelow(1_000_000):06d}"
        minutes = policy.OTP_TTL_MINUTES.value
        OneTimeCode.objects.create(
            phone=phone,
            code_hash=_code_hash(phone, code),
            created_at=now,
            expires_at=now + datetime.timedelta(minutes=minutes),
        )
        language = person.language if person is not None else ""
        with translation.override(language or settings.LANGUAGE_CODE):
            text = ngettext(
                "Cầu Nối sign-in code: %(code)s. It works for %(minutes)d minute. "
                "Do not give it to anyone.",
                "Cầu Nối sign-in code: %(code)s. It works for %(minutes)d minutes. "
                "Do not give it to anyone.",
                minutes,
            ) % {"code": code, "minutes": minutes}
        try:
            channels.send(channels.SMS, channels.Message(to=phone, text=text))
        except channels.SendError as exc:
            logger.error("Could not send the sign-in code to %s: %s", phone, exc)
            raise ApplicationError(
                _("We could not send the SMS just now. Please try again in a few minutes."),
                code="sms_failed",
                status=503,
            ) from exc
    signin_guard_succeed(key=otp_key(phone))
    return phone


class OtpAlreadyUsed(ApplicationError):
    code = "used"


def otp_verify(*, phone: str, code: str, enrol_as: str = "") -> Person:
    """The person whose phone received `code`. A code works once. Every attempt that could sign
    in counts towards the lock (a right one forgets the count); a code that was already used (a
    double submission) or has run out is answered as such and not counted: it cannot sign in.
    `enrol_as`: the name typed by someone proving a number that has no account yet (see
    `otp_request(enrol=True)`): the account is created now, with the number proved."""
    phone = normalize_phone(phone)
    key = otp_key(phone)
    signin_guard_check(key=key)
    code = "".join(ch for ch in (code or "") if not ch.isspace())
    outcome, person, attempt = "wrong", None, 0
    with transaction.atomic():
        now = timezone.now()
        match = None
        if len(code) == 6 and code.isdigit():
            wanted = _code_hash(phone, code)
            candidates = list(
                OneTimeCode.objects.select_for_update()
                .filter(phone=phone, created_at__gt=now - datetime.timedelta(days=1))
                .order_by("-created_at")[:5]
            )
            match = next(
                (c for c in candidates if constant_time_compare(c.code_hash, wanted)), None
            )
        if match is not None and match.used_at is not None:
            outcome = "used"
        elif match is not None and match.expires_at <= now:
            outcome = "expired"
        else:
            attempt = signin_guard_hit(key=key)  # raises SignInLocked: this attempt is not judged
            person = Person.objects.filter(phone=phone, is_active=True).first()
            if match is not None and person is None and enrol_as:
                if Person.objects.filter(phone=phone).exists():  # switched off: no new account
                    match = None
                else:
                    person = people_services.person_get_or_create_by_phone(
                        actor=None, phone=phone, full_name=enrol_as
                    )
            if match is not None and person is not None:
                match.used_at = now
                match.save(update_fields=["used_at"])
                outcome = "ok"
    if outcome == "ok" and person is not None:
        signin_guard_succeed(key=key)
        return person
    if outcome == "used":
        raise OtpAlreadyUsed(
            _("This code has already been used. If you are not signed in, ask for a new code.")
        )
    if outcome == "expired":
        raise SignInFailed(_("This code is no longer valid. Ask for a new code."), code="expired")
    raise signin_guard_failure(
        key=key,
        attempt=attempt,
        message=_("The code is wrong. Check the SMS and type the 6 digits again."),
    )


# --- API tokens -----------------------------------------------------------------------------------

TOKEN_PREFIX = "cn_"
# A used token's `last_used_at` is written at most this often (not on every request).
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, actor, person: Person, name: str) -> tuple[ApiToken, str]:
    """A new token for `person`. Returns it with the secret, which is never stored nor shown
    again (only its SHA-256 is kept)."""
    name = normalize(name)
    if not name:
        raise ApplicationError(_("Give the token a name saying what it is for."), code="invalid")
    longest = ApiToken._meta.get_field("name").max_length
    if longest is not None and len(name) > longest:
        raise ApplicationError(_("The token's name is too long."), code="invalid")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(person=person, name=name, token_hash=token_hash(raw))
    token.full_clean()
    token.save()
    audit_created(actor=actor, action=audit.API_TOKEN_CREATED, obj=token, fields=["person", "name"])
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    token = locked(token)
    if token.revoked_at is not None:
        raise ApplicationError(_("This token was already revoked."), code="already_revoked")
    with audit_change(
        actor=actor,
        action=audit.API_TOKEN_REVOKED,
        obj=token,
        fields=["person", "name", "revoked_at"],
    ):
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


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


# --------------------------------------------------------------------------- helpers of a head


def delegation_name(
    *,
    actor: Person,
    mandate: Mandate,
    helper_phone: str,
    kinds: list[str],
    end: datetime.date,
    ip: str | None = None,
) -> Delegation:
    """The head names a helper (a person with an account, by phone) for some kinds of work on the
    area of `mandate` until `end` (exclusive); a one-time code goes to the head's own phone and
    nothing is delegated until the head types it (`delegation_confirm`)."""
    today = timezone.localdate()
    errors: dict[str, str] = {}
    helper = None
    try:
        phone = normalize_phone(helper_phone)
    except ValidationError:
        errors["helper_phone"] = _("Write the helper's mobile number, e.g. 0912 345 678.")
    else:
        helper = Person.objects.filter(phone=phone, is_active=True).first()
        if helper is None:
            errors["helper_phone"] = _(
                "Nobody with this number has an account. The helper signs in once with it first."
            )
        elif helper.pk == actor.pk:
            errors["helper_phone"] = _("Name someone other than yourself.")
    kinds = [k for k in dict.fromkeys(kinds or ()) if k in DelegationKind.values]
    if not kinds:
        errors["kinds"] = _("Choose at least one kind of work.")
    if end is None or end <= today:
        errors["end"] = _("The end date must come after today.")
    elif mandate.end is not None and end > mandate.end:
        errors["end"] = _("The end date cannot come after the end of your mandate (%(d)s).") % {
            "d": mandate.end.strftime("%d/%m/%Y")
        }
    area = mandate.unit
    if (
        mandate.person_id != actor.pk
        or mandate.role not in (Role.HEAD, Role.DEPUTY_HEAD)
        or area is None
        or not area.is_area
    ):
        errors["__all__"] = _("Only the head of a residential area names a helper.")
    if not actor.phone:
        errors["__all__"] = _("Your account has no phone number to send the code to.")
    if errors or helper is None or area is None or not actor.phone:
        raise ValidationError(errors)
    otp_request(phone=actor.phone, ip=ip)  # refused (too soon, too many): nothing is named
    with transaction.atomic():
        delegation = Delegation.objects.create(
            mandate=mandate,
            head=actor,
            helper=helper,
            area=area,
            kinds=",".join(kinds),
            start=today,
            end=end,
        )
        audit_record(
            actor=actor,
            action=audit.DELEGATION_NAMED,
            obj=delegation,
            unit=mandate.unit,
            after={"helper": helper.pk, "kinds": kinds, "end": end.isoformat()},
        )
    return delegation


def delegation_confirm(*, actor: Person, delegation: Delegation, code: str) -> Delegation:
    """The head types the code sent to their phone: the helper may start."""
    if delegation.confirmed_at is not None or delegation.ended_at is not None:
        raise ApplicationError(_("This delegation is no longer waiting for a code."))
    otp_verify(phone=delegation.head.phone or "", code=code)  # SignInFailed / locked: refused
    with transaction.atomic():
        delegation.confirmed_at = timezone.now()
        delegation.save(update_fields=["confirmed_at"])
        audit_record(
            actor=actor,
            action=audit.DELEGATION_CONFIRMED,
            obj=delegation,
            unit=delegation.area,
            after={"helper": delegation.helper_id, "kinds": delegation.kind_list},
        )
    return delegation


def delegation_end(*, actor: Person, delegation: Delegation) -> Delegation:
    """The head (or the commune) ends the delegation now; ending it twice ends it once."""
    with transaction.atomic():
        d = locked(delegation)
        if d.ended_at is None:
            d.ended_at, d.ended_by = timezone.now(), actor
            d.save(update_fields=["ended_at", "ended_by"])
            audit_record(actor=actor, action=audit.DELEGATION_ENDED, obj=d, unit=d.area)
    return d
