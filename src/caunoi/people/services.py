"""Writes about people and their mandates: atomic and audited. Permissions are decided at the door
(views and API handlers, through `caunoi.people.access` and `.permissions`); these functions
enforce the business rules (one head per area, a role on its level, dates that make sense).
Signing in (one-time codes, the lockout, API tokens) is `caunoi.accounts`."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core import pagecache
from caunoi.core.audit import audit_change, audit_created, audit_record, snapshot
from caunoi.core.models import user_or_none
from caunoi.core.phones import normalize_phone
from caunoi.core.text import normalize
from caunoi.territory.models import Household, Unit

from . import audit, policy
from .models import ROLE_LEVEL, Mandate, Person, Role

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
def person_get_or_create_by_phone(
    *, actor, phone: str, full_name: str, authoritative: bool = False, unit: Unit | None = None
) -> Person:
    """The person with this phone number, created when new. `authoritative`: the name comes from
    an officer appointing them (their records win over whatever the person or anyone else typed
    before): an existing person's different name is replaced, audited."""
    phone = normalize_phone(phone)
    person = Person.objects.filter(phone=phone).first()
    full_name = normalize(full_name)
    if person is not None:
        if authoritative and full_name and person.full_name != full_name:
            with audit_change(
                actor=actor,
                action=audit.PERSON_RENAMED,
                obj=person,
                unit=unit,
                fields=["full_name"],
            ):
                person.full_name = full_name
                person.save(update_fields=["full_name"])
            # Their name is shown on the public pages of every unit they hold a mandate on (the
            # area's head, the commune's list of heads), not only where the rename was made.
            for held in Unit.objects.filter(mandates__person=person).distinct():
                pagecache.bump(held)
        return person
    if not full_name:
        raise ValidationError({"full_name": _("Enter the person's full name.")})
    person = Person.objects.create_user(phone=phone, full_name=full_name)
    audit_created(
        actor=actor, action=audit.PERSON_CREATED, obj=person, fields=["phone", "full_name"]
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
    term_state: str = "",
) -> Mandate:
    """Give `person` a role on `unit` (the door has checked that the actor may appoint it).
    `term_state` says how a head holds the post (an election's recognition: elected)."""
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
        term_state=term_state,
    )
    mandate.full_clean()
    mandate.save()
    audit_created(
        actor=actor, action=audit.MANDATE_CREATED, obj=mandate, unit=unit, fields=MANDATE_FIELDS
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
    with audit_change(
        actor=actor,
        action=audit.MANDATE_ENDED,
        obj=mandate,
        unit=mandate.unit,
        fields=MANDATE_FIELDS,
    ):
        mandate.end = end
        if note:
            mandate.note = normalize(note)
        mandate.save(update_fields=["end", "note"])
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
    term_state: str = "",
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
    person = person_get_or_create_by_phone(
        actor=actor, phone=phone, full_name=full_name, authoritative=True, unit=unit
    )
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
        term_state=term_state,
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
    audit_created(actor=actor, action=audit.TRAINING_ADDED, obj=training, unit=mandate.unit)
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
        created_by=user_or_none(actor),
    )
    audit_created(actor=actor, action=audit.ALLOWANCE_RATE_ADDED, obj=rate, unit=province)
    return rate
