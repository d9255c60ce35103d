"""Writes about people and their mandates: atomic, audited, checked against the actor's ground."""

import datetime
import logging
import math
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caunoi.core.audit import audit_record, snapshot
from caunoi.core.exceptions import ApplicationError
from caunoi.core.sms import SmsError, send_sms
from caunoi.core.text import normalize
from caunoi.people.access import MANAGE_ALLOWANCES, Access
from caunoi.territory.models import Household, Unit

from .models import ROLE_LEVEL, Mandate, OneTimeCode, Person, Role, SignInGuard
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
        action="people.person.created",
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
    """Give `person` a role on `unit`. The actor must be allowed to appoint that role there."""
    if actor is not None and not Access.for_user(actor).may_appoint(role, unit):
        raise PermissionDenied
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
        action="people.mandate.created",
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
    if actor is not None and not Access.for_user(actor).may_appoint(mandate.role, mandate.unit):
        raise PermissionDenied
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
        action="people.mandate.ended",
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
    tied to a household of the area by its code."""
    if actor is not None and not Access.for_user(actor).may_appoint(role, unit):
        raise PermissionDenied
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


# --- Sign-in protection ---------------------------------------------------------------------------


class SignInLocked(ApplicationError):
    code = "locked"
    status = 429


class SignInFailed(ApplicationError):
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


def _locked_message(locked_until) -> str:
    minutes = max(1, math.ceil((locked_until - timezone.now()).total_seconds() / 60))
    return ngettext(
        "You entered a wrong code or password %(count)d times. Try again in %(minutes)d minute.",
        "You entered a wrong code or password %(count)d times. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"count": settings.SIGNIN_MAX_FAILURES, "minutes": minutes}


def signin_guard_check(*, key: str) -> None:
    """Raise `SignInLocked` while this phone number or account is locked."""
    guard = SignInGuard.objects.filter(key=key, locked_until__gt=timezone.now()).first()
    if guard is not None:
        raise SignInLocked(_locked_message(guard.locked_until))


@transaction.atomic
def signin_guard_fail(*, key: str) -> SignInGuard:
    """Count one failure; the last allowed one locks the key for SIGNIN_LOCK_MINUTES.

    Counted with UPDATE … SET failures = failures + 1, which holds the row lock until commit, so
    parallel wrong attempts all count and only one of them sets the lock."""
    now = timezone.now()
    SignInGuard.objects.get_or_create(key=key)
    rows = SignInGuard.objects.filter(key=key)
    # A lock that has run out: start counting afresh.
    rows.filter(locked_until__lte=now).update(locked_until=None, failures=0, updated_at=now)
    rows.update(failures=F("failures") + 1, updated_at=now)
    guard = rows.select_for_update().get()
    if guard.failures >= settings.SIGNIN_MAX_FAILURES and guard.locked_until is None:
        locked_until = now + datetime.timedelta(minutes=settings.SIGNIN_LOCK_MINUTES)
        rows.filter(locked_until__isnull=True).update(
            locked_until=locked_until, failures=0, updated_at=now
        )
        guard.refresh_from_db()
        logger.warning("Sign-in locked for %s until %s", key, guard.locked_until)
    return guard


def signin_guard_succeed(*, key: str) -> None:
    SignInGuard.objects.filter(key=key).delete()


def signin_guard_failure(*, key: str, message: str) -> ApplicationError:
    """Record a failure and return the error to raise: the lock message when it locked."""
    guard = signin_guard_fail(key=key)
    if guard.locked_until is not None and guard.locked_until > timezone.now():
        return SignInLocked(_locked_message(guard.locked_until))
    return SignInFailed(message)


# --- One-time codes -------------------------------------------------------------------------------


def _code_hash(phone: str, code: str) -> str:
    return salted_hmac("caunoi.people.otp", f"{phone}:{code}", algorithm="sha256").hexdigest()


def otp_request(*, phone: str) -> str:
    """Send a sign-in code to `phone` and return the normalised number.

    The answer is the same whether or not the number belongs to someone: a code row is stored
    either way (so the resend delay behaves the same), but only a registered, active person is
    sent an SMS."""
    phone = normalize_phone(phone)
    signin_guard_check(key=signin_key(phone))
    now = timezone.now()
    with transaction.atomic():
        latest = (
            OneTimeCode.objects.select_for_update().filter(phone=phone).order_by("-created_at")
        ).first()
        if latest is not None:
            wait = settings.OTP_RESEND_SECONDS - (now - latest.created_at).total_seconds()
            if wait > 0:
                seconds = math.ceil(wait)
                raise ApplicationError(
                    ngettext(
                        "A code was sent a moment ago. You can ask for a new one in %(seconds)d "
                        "second.",
                        "A code was sent a moment ago. You can ask for a new one in %(seconds)d "
                        "seconds.",
                        seconds,
                    )
                    % {"seconds": seconds},
                    code="too_soon",
                    status=429,
                )
        # Older codes stop working as soon as a new one is asked for.
        OneTimeCode.objects.filter(phone=phone, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        code = f"{secrets.randbelow(1_000_000):06d}"
        minutes = settings.OTP_TTL_MINUTES
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
            send_sms(to=phone, text=text)
        except SmsError as exc:
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
    """The person whose phone received `code`. A code works once; wrong codes count towards the
    lock, a code that was already used (a double submission) or has run out does not."""
    phone = normalize_phone(phone)
    key = signin_key(phone)
    signin_guard_check(key=key)
    code = "".join(ch for ch in (code or "") if not ch.isspace())
    now = timezone.now()
    outcome = "wrong"
    person = None
    if len(code) == 6 and code.isdigit():
        wanted = _code_hash(phone, code)
        with transaction.atomic():
            candidates = list(
                OneTimeCode.objects.select_for_update()
                .filter(phone=phone, created_at__gt=now - datetime.timedelta(days=1))
                .order_by("-created_at")[:5]
            )
            match = next(
                (c for c in candidates if constant_time_compare(c.code_hash, wanted)), None
            )
            if match is not None:
                person = Person.objects.filter(phone=phone, is_active=True).first()
                if person is None:
                    outcome = "wrong"
                elif match.used_at is not None:
                    outcome = "used"
                elif match.expires_at <= now:
                    outcome = "expired"
                else:
                    match.used_at = now
                    match.save(update_fields=["used_at"])
                    outcome = "ok"
    if outcome == "ok":
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
    kept by whoever may appoint that role on the area (the commune)."""
    from .models import HeadProfile, TermState

    mandate = (
        Mandate.objects.select_for_update(of=("self",))
        .select_related("unit", "person")
        .get(pk=mandate.pk)
    )
    if mandate.role not in SINGLE_HOLDER_ROLES:
        raise ValidationError(_("Only heads and deputies have a profile in the register."))
    if actor is not None and not Access.for_user(actor).may_appoint(mandate.role, mandate.unit):
        raise PermissionDenied
    errors = {}
    year = profile.get("birth_year")
    this_year = timezone.localdate().year
    if year is not None and not (this_year - 100 <= year <= this_year - settings.HEAD_MIN_AGE):
        errors["birth_year"] = _(
            "Enter a year of birth between %(a)s and %(b)s (a head is at least %(n)s years old)."
        ) % {
            "a": this_year - 100,
            "b": this_year - settings.HEAD_MIN_AGE,
            "n": settings.HEAD_MIN_AGE,
        }
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
        action="people.head_profile.saved",
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

    if actor is not None and not Access.for_user(actor).may_appoint(mandate.role, mandate.unit):
        raise PermissionDenied
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
        action="people.training.added",
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

    if actor is not None and not Access.for_user(actor).can(MANAGE_ALLOWANCES, province):
        raise PermissionDenied
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
        action="people.allowance_rate.added",
        obj=rate,
        unit=province,
        after=snapshot(rate),
    )
    return rate
