"""Writes about people and their mandates: atomic and audited. Permissions are decided at the door
(views and API handlers, through `caunoi.people.access` and `.permissions`); these functions
enforce the business rules (one head per area, a role on its level, dates that make sense).

The account code (sign-in protection, one-time codes) is kept in its own sections below, to move
to an accounts app with `OneTimeCode` and `ApiToken`."""

import datetime
import logging
import math
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caunoi import channels
from caunoi.core.audit import audit_record, snapshot
from caunoi.core.exceptions import ApplicationError
from caunoi.core.ratelimit import Limit, RateLimited
from caunoi.core.text import normalize
from caunoi.territory.models import Household, Unit

from . import audit, policy
from .models import ROLE_LEVEL, Mandate, OneTimeCode, Person, Role
from .phones import normalize_phone

logger = logging.getLogger(__name__)

MANDATE_FIELDS = [
    "person",
    "role",
    "unit",
    "household",
    "start",
    "end",
    "decision_number",
    "decision_date",
    "note",
]
SINGLE_HOLDER_ROLES = {Role.HEAD, Role.DEPUTY_HEAD}


@transaction.atomic
def person_get_or_create_by_phone(*, actor, phone: str, full_name: str) -> Person:
    phone = normalize_phone(phone)
    person = Person.objects.filter(phone=phone).first()
    if person is not None:
        return person
    full_name = normalize(full_name)
    if not full_name:
        raise ValidationError({"full_name": _("Enter the person's full name.")})
    person = Person.objects.create_user(phone=phone, full_name=full_name)
    audit_record(
        actor=actor,
        action=audit.PERSON_CREATED,
        obj=person,
        after=snapshot(person, ["phone", "full_name"]),
    )
    return person


@transaction.atomic
def mandate_create(
    *,
    actor,
    person: Person,
    role: str,
    unit: Unit,
    start: datetime.date,
    end: datetime.date | None = None,
    household: Household | None = None,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    note: str = "",
) -> Mandate:
    """Give `person` a role on `unit` (the door has checked that the actor may appoint it)."""
    expected_level = ROLE_LEVEL.get(Role(role))
    if expected_level is not None and unit.level != expected_level:
        raise ValidationError({"unit": _("This role is held on another level of the territory.")})
    if not unit.is_current:
        raise ValidationError({"unit": _("This unit no longer exists.")})
    if household is not None and household.area_id != unit.pk:
        raise ValidationError({"household": _("The household is not in this residential area.")})
    if role in SINGLE_HOLDER_ROLES:
        # One head and at most one deputy per area (TT 04/2012 Điều 4, as amended by TT 14/2018).
        # Lock the area's row so two officers appointing at once cannot both succeed.
        Unit.objects.select_for_update().filter(pk=unit.pk).first()
        taken = Mandate.objects.filter(unit=unit, role=role).exclude(
            end__isnull=False, end__lte=start
        )
        if end is not None:
            taken = taken.filter(start__lt=end)
        if taken.exists():
            raise ValidationError(
                {
                    "role": _(
                        "This area already has a %(role)s for that period. End that mandate first."
                    )
                    % {"role": Role(role).label.lower()}
                }
            )
    mandate = Mandate(
        person=person,
        role=role,
        unit=unit,
        household=household,
        start=start,
        end=end,
        decision_number=normalize(decision_number),
        decision_date=decision_date,
        note=normalize(note),
        created_by=actor,
    )
    mandate.full_clean()
    mandate.save()
    audit_record(
        actor=actor,
        action=audit.MANDATE_CREATED,
        obj=mandate,
        unit=unit,
        after=snapshot(mandate, MANDATE_FIELDS),
    )
    return mandate


@transaction.atomic
def mandate_end(
    *, actor, mandate: Mandate, end: datetime.date | None = None, note: str = ""
) -> Mandate:
    mandate = (
        Mandate.objects.select_for_update(of=("self",)).select_related("unit").get(pk=mandate.pk)
    )
    end = end or timezone.localdate()
    if mandate.end is not None and mandate.end <= end:
        raise ValidationError(_("This mandate has already ended."))
    if end <= mandate.start:
        raise ValidationError({"end": _("The end date must be after the start date.")})
    before = snapshot(mandate, MANDATE_FIELDS)
    mandate.end = end
    if note:
        mandate.note = normalize(note)
    mandate.save(update_fields=["end", "note"])
    audit_record(
        actor=actor,
        action=audit.MANDATE_ENDED,
        obj=mandate,
        unit=mandate.unit,
        before=before,
        after=snapshot(mandate, MANDATE_FIELDS),
    )
    return mandate


@transaction.atomic
def mandate_appoint(
    *,
    actor,
    unit: Unit,
    role: str,
    phone: str,
    full_name: str,
    start: datetime.date,
    end: datetime.date | None = None,
    household_code: str = "",
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    note: str = "",
) -> Mandate:
    """Appoint the person with this phone number (created when new) to `role` on `unit`, all in
    one transaction: when the mandate is refused, no person is left behind. A resident may be
    tied to a household of the area by its code. The door checks that the actor may give this
    role here (`permissions.appointment_check`, or the mandates page's form)."""
    household = None
    if household_code:
        household = Household.objects.filter(code=normalize(household_code), area=unit).first()
        if household is None:
            raise ValidationError(
                {"household": _("No household with this code in this residential area.")}
            )
    person = person_get_or_create_by_phone(actor=actor, phone=phone, full_name=full_name)
    if not person.is_active:
        raise ValidationError({"phone": _("This person's account is switched off.")})
    # The same appointment twice (a double submission) is refused, not recorded twice.
    if (
        Mandate.objects.filter(person=person, role=role, unit=unit)
        .exclude(end__isnull=False, end__lte=start)
        .exists()
    ):
        raise ValidationError(
            {"phone": _("%(name)s already holds this role here.") % {"name": person.full_name}}
        )
    return mandate_create(
        actor=actor,
        person=person,
        role=role,
        unit=unit,
        start=start,
        end=end,
        household=household,
        decision_number=decision_number,
        decision_date=decision_date,
        note=note,
    )


# --- Sign-in protection (accounts: moves to an accounts app with OneTimeCode and ApiToken) --------
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


# --- One-time codes (accounts) --------------------------------------------------------------------


class OtpTooSoon(RateLimited):
    """A code was sent to this phone a moment ago (the page goes on to typing it)."""

    code = "too_soon"


def _otp_resend_limit() -> Limit:
    return Limit("otp.resend", per=1, seconds=policy.OTP_RESEND_SECONDS.value)


def _otp_phone_limit() -> Limit:
    return Limit("otp.phone", per=policy.OTP_MAX_PER_HOUR.value, seconds=3600)


def _otp_ip_limit() -> Limit:
    return Limit("otp.ip", per=policy.OTP_MAX_PER_IP_PER_HOUR.value, seconds=3600)


def _otp_phone_hit(phone: str) -> None:
    """Count one code request on the phone: one per OTP_RESEND_SECONDS, OTP_MAX_PER_HOUR an
    hour."""
    resend = _otp_resend_limit()
    if resend.add(phone) > resend.per:
        seconds = resend.retry_after()
        raise OtpTooSoon(
            ngettext(
                "A code was sent a moment ago. You can ask for a new one in %(seconds)d second.",
                "A code was sent a moment ago. You can ask for a new one in %(seconds)d seconds.",
                seconds,
            )
            % {"seconds": seconds}
        )
    hourly = _otp_phone_limit()
    if hourly.add(phone) > hourly.per:
        minutes = _minutes(hourly.retry_after())
        raise RateLimited(
            ngettext(
                "This phone number has asked for too many codes. Try again in %(minutes)d minute.",
                "This phone number has asked for too many codes. Try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes}
        )


def _otp_ip_hit(ip: str) -> None:
    """Count one code request from the network address: OTP_MAX_PER_IP_PER_HOUR an hour."""
    network = _otp_ip_limit()
    if network.add(ip) > network.per:
        minutes = _minutes(network.retry_after())
        raise RateLimited(
            ngettext(
                "Too many codes were asked for from this network. Try again in %(minutes)d minute.",
                "Too many codes were asked for from this network. Try again in %(minutes)d "
                "minutes.",
                minutes,
            )
            % {"minutes": minutes}
        )


def _code_hash(phone: str, code: str) -> str:
    return salted_hmac("caunoi.people.otp", f"{phone}:{code}", algorithm="sha256").hexdigest()


def otp_request(*, phone: str, ip: str | None = None) -> str:
    """Send a sign-in code to `phone` and return the normalised number. `ip` is the client's
    address (`caunoi.core.ratelimit.ip_address`), counted towards its own hourly limit.

    The answer is the same whether or not the number belongs to someone: a code row is stored
    and the limits count either way, but only a registered, active person is sent an SMS. When the
    SMS cannot be sent, nothing is stored and the phone's requests are not counted, so the person
    may try again at once. The phone's counters are held until the code is sent, so two requests
    at once send one SMS."""
    phone = normalize_phone(phone)
    signin_guard_check(key=signin_key(phone))
    if ip is not None:
        _otp_ip_hit(ip)
    with transaction.atomic():
        _otp_phone_hit(phone)
        now = timezone.now()
        # Older codes stop working as soon as a new one is asked for.
        OneTimeCode.objects.filter(phone=phone, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        code = f"{secrets.randbelow(1_000_000):06d}"
        minutes = policy.OTP_TTL_MINUTES.value
        OneTimeCode.objects.create(
            phone=phone,
            code_hash=_code_hash(phone, code),
            created_at=now,
            expires_at=now + datetime.timedelta(minutes=minutes),
        )
        person = Person.objects.filter(phone=phone, is_active=True).first()
        if person is None:
            return phone
        with translation.override(person.language or settings.LANGUAGE_CODE):
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
    return phone


class OtpAlreadyUsed(ApplicationError):
    code = "used"


def otp_verify(*, phone: str, code: str) -> Person:
    """The person whose phone received `code`. A code works once. Every attempt that could sign
    in counts towards the lock (a right one forgets the count); a code that was already used (a
    double submission) or has run out is answered as such and not counted: it cannot sign in."""
    phone = normalize_phone(phone)
    key = signin_key(phone)
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


# --- The head register ----------------------------------------------------------------------------

PROFILE_FIELDS = [
    "birth_year",
    "sex",
    "party_member",
    "party_cell_secretary",
    "front_head",
    "other_posts",
    "education",
    "qualification",
    "political_theory",
]
TERM_FIELDS = ["term_state", "term_end", "extension_number", "extension_date"]


@transaction.atomic
def head_profile_save(*, actor, mandate: Mandate, profile: dict, term: dict, phone_public: bool):
    """The head's (or deputy's) profile, how the post is held and the consent to show the phone:
    kept by whoever may appoint that role on the area (the commune: `access_head_mandate`)."""
    from .models import HeadProfile, TermState

    mandate = (
        Mandate.objects.select_for_update(of=("self",))
        .select_related("unit", "person")
        .get(pk=mandate.pk)
    )
    if mandate.role not in SINGLE_HOLDER_ROLES:
        raise ValidationError(_("Only heads and deputies have a profile in the register."))
    errors = {}
    year = profile.get("birth_year")
    this_year = timezone.localdate().year
    min_age = policy.HEAD_MIN_AGE.value
    if year is not None and not (this_year - 100 <= year <= this_year - min_age):
        errors["birth_year"] = _(
            "Enter a year of birth between %(a)s and %(b)s (a head is at least %(n)s years old)."
        ) % {"a": this_year - 100, "b": this_year - min_age, "n": min_age}
    state = term.get("term_state") or ""
    if state and state not in TermState.values:
        errors["term_state"] = _("Choose how the post is held from the list.")
    if state == TermState.EXTENDED and not (
        term.get("extension_number") and term.get("extension_date")
    ):
        errors["extension_number"] = _(
            "A term extended by decision needs the decision's number and date."
        )
    if term.get("term_end") and term["term_end"] <= mandate.start:
        errors["term_end"] = _("The end of term must be after the start date.")
    if profile.get("party_cell_secretary") and not profile.get("party_member"):
        errors["party_cell_secretary"] = _("A party-cell secretary is a party member: tick both.")
    if errors:
        raise ValidationError(errors)
    existing = HeadProfile.objects.filter(person=mandate.person).first()
    before = {
        **(snapshot(existing, PROFILE_FIELDS) if existing else {}),
        **snapshot(mandate, TERM_FIELDS),
        "phone_public": mandate.person.phone_public,
    }
    obj = existing or HeadProfile(person=mandate.person)
    obj.birth_year = year
    for name in ("sex", "other_posts", "education", "qualification", "political_theory"):
        obj.__dict__[name] = normalize(profile.get(name) or "")
    obj.party_member = bool(profile.get("party_member"))
    obj.party_cell_secretary = bool(profile.get("party_cell_secretary"))
    obj.front_head = bool(profile.get("front_head"))
    obj.save()
    mandate.term_state = state
    mandate.term_end = term.get("term_end")
    mandate.extension_number = normalize(term.get("extension_number") or "")
    mandate.extension_date = term.get("extension_date")
    mandate.save(update_fields=TERM_FIELDS)
    if mandate.person.phone_public != phone_public:
        mandate.person.phone_public = phone_public
        mandate.person.save(update_fields=["phone_public"])
    audit_record(
        actor=actor,
        action=audit.HEAD_PROFILE_SAVED,
        obj=mandate,
        unit=mandate.unit,
        before=before,
        after={
            **snapshot(obj, PROFILE_FIELDS),
            **snapshot(mandate, TERM_FIELDS),
            "phone_public": phone_public,
        },
    )
    return obj


@transaction.atomic
def training_add(
    *, actor, mandate: Mandate, course: str, provider: str, start, end=None, result=""
):
    from .models import Training

    errors = {}
    course, provider = normalize(course or "").strip(), normalize(provider or "").strip()
    if not course:
        errors["course"] = _("Enter the course's name.")
    if not provider:
        errors["provider"] = _("Enter who gave the course.")
    if start is None:
        errors["start"] = _("Enter a date as dd/mm/yyyy, for example 13/06/2022.")
    elif end is not None and end < start:
        errors["end"] = _("The end date must be after the start date.")
    if errors:
        raise ValidationError(errors)
    training = Training.objects.create(
        person=mandate.person,
        course=course,
        provider=provider,
        start=start,
        end=end,
        result=normalize(result or ""),
    )
    audit_record(
        actor=actor,
        action=audit.TRAINING_ADDED,
        obj=training,
        unit=mandate.unit,
        after=snapshot(training),
    )
    return training


@transaction.atomic
def allowance_rate_add(
    *,
    actor,
    province: Unit,
    effective_from,
    area_category: str,
    post: str,
    concurrent: bool,
    amount,
    basis: str,
):
    """A rate from the province's resolution. Rates are never edited: a new resolution adds rows
    with a later date."""
    from .models import AllowanceRate, AreaCategory, Post

    errors = {}
    basis = normalize(basis or "").strip()
    if effective_from is None:
        errors["effective_from"] = _("Enter a date as dd/mm/yyyy, for example 13/06/2022.")
    if area_category not in AreaCategory.values:
        errors["area_category"] = _("Choose from the list.")
    if post not in Post.values:
        errors["post"] = _("Choose from the list.")
    if amount is None or not (0 < amount <= 100_000_000):
        errors["amount"] = _("Enter an amount greater than 0.")
    if not basis:
        errors["basis"] = _("Name the resolution that sets this amount, e.g. 17/2023/NQ-HĐND.")
    if (
        not errors
        and AllowanceRate.objects.filter(
            province=province,
            effective_from=effective_from,
            area_category=area_category,
            post=post,
            concurrent=concurrent,
        ).exists()
    ):
        errors["effective_from"] = _("This rate is already in the table for that date.")
    if errors:
        raise ValidationError(errors)
    rate = AllowanceRate.objects.create(
        province=province,
        effective_from=effective_from,
        area_category=area_category,
        post=post,
        concurrent=concurrent,
        amount=amount,
        basis=basis,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action=audit.ALLOWANCE_RATE_ADDED,
        obj=rate,
        unit=province,
        after=snapshot(rate),
    )
    return rate
