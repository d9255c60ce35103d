"""Writes about residents' questions and reports: atomic and audited. Views and the Open311
endpoint call these and nothing else to change a request; they decide who may (see
`permissions`) and pass the objects. These enforce the rules of a request's life only."""

import datetime
import re
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from caunoi.core import pagecache, redact
from caunoi.core.audit import audit_change, audit_created, audit_record, snapshot
from caunoi.core.exceptions import ApplicationError
from caunoi.core.models import locked, user_or_none
from caunoi.core.ratelimit import Limit, RateLimited
from caunoi.core.text import normalize, search_key, slug
from caunoi.core.uploads import IMAGES, check_upload, strip_image
from caunoi.core.workdays import add_working_days
from caunoi.people import services as people_services
from caunoi.territory import rollup
from caunoi.territory.models import Level, Unit

from . import audit, policy, selectors
from .models import (
    ApiClient,
    Category,
    Event,
    Notification,
    Photo,
    Request,
    Status,
    Tier,
    key_hash,
)

MAX_PHOTOS = 3
AUDITED = [
    *("status", "level", "due_date", "public", "hidden", "hidden_reason"),
    *("public_text", "public_answer", "public_kept", "faq"),
]


def public_people(req: Request) -> redact.People:
    """Whose names `req`'s public text must not show: the area's residents and the asker."""
    asker = [req.contact_name, req.author.full_name if req.author is not None else ""]
    # Open311 sends first_name and last_name, joined in that order: "Lan Trần" is Trần Lan.
    turned = [" ".join([n.split()[-1], *n.split()[:-1]]) for n in asker if len(n.split()) > 1]
    return selectors.area_people(req.area, *asker, *turned)


def public_version(
    req: Request, source: str | None = None, keep=None, *, people: redact.People | None = None
) -> redact.Redaction:
    """What the public would read of `req` made from `source` (the head's text; by default what
    the public text was last made from): the area's residents' names and addresses, the asker's
    name, e-mail addresses, ID-card, phone and house numbers masked, except what the head chose
    to keep as written (`keep`, by default the last choice). Writes nothing."""
    if not source:
        source = req.public_source or req.text
    return redact.redact(
        source,
        people=people or public_people(req),
        keep=req.public_kept if keep is None else list(keep),
    )


def _set_public(req: Request, source: str, keep=None) -> None:
    people = public_people(req)
    found = public_version(req, source, keep, people=people)
    req.public_source = source if source != req.text else ""
    req.public_text = found.text
    req.public_kept = [piece.text for piece in found.kept]
    if req.answer:
        answer = redact.redact(req.answer, people=people, keep=keep or req.public_kept)
        req.public_answer = answer.text
        req.public_kept += [p.text for p in answer.kept if p.text not in req.public_kept]


def public_answers_fill() -> int:
    """Mask the answers given before answers were masked (their `public_answer` is empty), as
    `_set_public` masks a new one; the public reads only `public_answer`. Returns how many."""
    done = 0
    todo = Request.objects.exclude(answer="").filter(public_answer="")
    for req in todo.select_related("area", "author").iterator():
        answer = redact.redact(req.answer, people=public_people(req), keep=req.public_kept)
        Request.objects.filter(pk=req.pk).update(public_answer=answer.text)
        done += 1
    return done


def clean_text(value, *, field: str, empty_message: str, max_length: int | None = None) -> str:
    value = normalize_lines(value or "")
    limit = max_length or policy.MAX_TEXT.value
    if not value:
        raise ValidationError({field: empty_message})
    if len(value) > limit:
        raise ValidationError(
            {
                field: _(
                    "Write at most %(limit)s characters (this text has %(n)s). Keep the "
                    "essentials, or split it into two."
                )
                % {
                    "limit": f"{limit:,}".replace(",", "."),
                    "n": f"{len(value):,}".replace(",", "."),
                }
            }
        )
    return value


def normalize_lines(value: str) -> str:
    lines = [normalize(line) for line in str(value).splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _due(level: str, category: Category, start=None) -> datetime.date:
    days = category.head_days if level == Tier.HEAD else category.commune_days
    return add_working_days(start or timezone.now(), days)


def _event(req: Request, kind: str, actor, note: str = "", hours=None) -> Event:
    return Event.objects.create(
        request=req,
        kind=kind,
        level=req.level,
        actor=user_or_none(actor),
        note=note,
        hours=hours,
    )


def _audit(actor, action: str, req: Request, before=None):
    audit_record(
        actor=actor,
        action=action,
        obj=req,
        unit=req.area,
        before=before,
        after=snapshot(req, AUDITED),
    )


# --- Categories ---------------------------------------------------------------------------------

DEFAULT_CATEGORIES = [
    (gettext_lazy("Roads, lanes and bridges"), gettext_lazy("Infrastructure")),
    (gettext_lazy("Electricity and lighting"), gettext_lazy("Infrastructure")),
    (gettext_lazy("Water and drainage"), gettext_lazy("Infrastructure")),
    (gettext_lazy("Environment and waste"), gettext_lazy("Environment")),
    (gettext_lazy("Security and order"), gettext_lazy("Security")),
    (gettext_lazy("Land and construction"), pgettext_lazy("question group", "Administration")),
    (gettext_lazy("Papers and procedures"), pgettext_lazy("question group", "Administration")),
    (gettext_lazy("Social policies"), gettext_lazy("Society")),
    (gettext_lazy("Other"), gettext_lazy("Other")),
]


@transaction.atomic
def category_create(
    *,
    actor,
    commune: Unit,
    name: str,
    description: str = "",
    group: str = "",
    handler: str = "",
    head_days: int | None = None,
    commune_days: int | None = None,
    order: int = 0,
) -> Category:
    if commune.level != Level.COMMUNE:
        raise ValidationError(_("Categories belong to a commune."))
    name = clean_text(
        name, field="name", empty_message=_("Write the category's name."), max_length=120
    )
    base = f"{commune.code}-{slug(name, max_length=24) or 'muc'}"
    code, n = base, 1
    while Category.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    category = Category.objects.create(
        commune=commune,
        code=code,
        name=name,
        description=normalize(description)[:300],
        group=normalize(group)[:80],
        handler=normalize(handler)[:120],
        head_days=head_days if head_days is not None else policy.HEAD_DAYS.value,
        commune_days=commune_days if commune_days is not None else policy.COMMUNE_DAYS.value,
        order=order,
    )
    audit_created(
        actor=actor,
        action=audit.CATEGORY_CREATED,
        obj=category,
        unit=commune,
        fields=["code", "name", "head_days", "commune_days", "handler"],
    )
    return category


@transaction.atomic
def category_update(*, actor, category: Category, **fields) -> Category:
    names = ["name", "description", "group", "handler", "head_days", "commune_days", "is_active"]
    with audit_change(
        actor=actor,
        action=audit.CATEGORY_UPDATED,
        obj=category,
        unit=category.commune,
        fields=names,
    ):
        for name, value in fields.items():
            if name not in names:
                raise TypeError(name)
            setattr(category, name, normalize(value) if isinstance(value, str) else value)
        if not category.name:
            raise ValidationError({"name": _("Write the category's name.")})
        category.save()
    return category


def categories_ensure_defaults(*, actor, commune: Unit) -> list[Category]:
    """The default categories for a commune that has none yet (its officers adjust them)."""
    existing = list(commune.feedback_categories.all())
    if existing:
        return existing
    return [
        category_create(actor=actor, commune=commune, name=str(name), group=str(group), order=i)
        for i, (name, group) in enumerate(DEFAULT_CATEGORIES)
    ]


# --- Asking -------------------------------------------------------------------------------------


def _phone_limit() -> Limit:
    """At most MAX_PER_PHONE_PER_DAY questions from one phone number a day (a refused question
    does not count: its hit rolls back with it)."""
    return Limit("feedback.phone", per=policy.MAX_PER_PHONE_PER_DAY.value, seconds=86400)


def phone_limit_forget(*, phone: str) -> None:
    """Forget today's questions from `phone` in the daily limit (the demo's questions are its
    history, not what its resident asked today)."""
    _phone_limit().reset(phone)


def _phone_limit_message(limit: Limit) -> str:
    return _(
        "This phone number has sent %(n)d questions in the last 24 hours, the most we "
        "accept. Please wait until tomorrow, or call your head."
    ) % {"n": limit.per}


def request_draft_check(*, text: str, phone: str) -> str:
    """Before a one-time code is sent to someone asking without an account: the question's text
    (cleaned) would be accepted and the phone number has not reached its daily limit. Writes
    nothing."""
    text = clean_text(text, field="text", empty_message=_("Write your question or report."))
    limit = _phone_limit()
    if phone and limit.exceeded(phone):
        raise RateLimited(_phone_limit_message(limit))
    return text


def check_photos(photos) -> list:
    """The photos, checked by content and stripped of EXIF (GPS included); ValidationError on the
    `photos` field otherwise. Called before anything is written."""
    photos = [p for p in photos or [] if p]
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Attach at most %(n)d photos.") % {"n": MAX_PHOTOS}})
    clean = []
    for f in photos:
        try:
            check_upload(f, kinds=IMAGES)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from exc
        clean.append(strip_image(f))
    return clean


def _email(value: str) -> str:
    value = normalize(value)
    if value:
        try:
            validate_email(value)
        except ValidationError as exc:
            raise ValidationError({"email": _("Enter a valid e-mail address.")}) from exc
    return value


def _media_url(value: str) -> str:
    """A link to the asker's photo kept by their app: http(s) only, never fetched here."""
    value = normalize(value)
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError as exc:
            raise ValidationError(
                {"media_url": _("Give the photo's address as http(s)://…")}
            ) from exc
        if len(value) > 500:
            raise ValidationError({"media_url": _("The photo's address is too long.")})
    return value


@transaction.atomic
def request_create(
    *,
    actor,
    area: Unit,
    category: Category,
    text: str,
    kind: str = "question",
    place: str = "",
    public: bool = False,
    photos=(),
    author=None,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    media_url: str = "",
    lat=None,
    long=None,
    client=None,
) -> Request:
    """A question or report about `area`. `author` is the resident (the actor, or the resident a
    head records it for); without one (Open311), the contact fields say who asked."""
    if not area.is_area or not area.is_current:
        raise ValidationError(_("Choose a current residential area."))
    if category.commune_id != area.parent_id or not category.is_active:
        raise ValidationError({"category": _("Choose one of the commune's categories.")})
    text = clean_text(text, field="text", empty_message=_("Write your question or report."))
    place = normalize(place)
    if len(place) > 200:
        raise ValidationError({"place": _("Describe the place in at most 200 characters.")})
    clean_photos = check_photos(photos)
    author = author or user_or_none(actor)
    if author is not None and not contact_phone:
        contact_phone = author.phone or ""
    if contact_phone:
        limit = _phone_limit()
        limit.hit(contact_phone, _phone_limit_message(limit))
    now = timezone.now()
    req = Request.objects.create(
        **rollup.ground_keys(area),
        path=area.path,
        category=category,
        kind=kind,
        text=text,
        place=place,
        lat=lat,
        long=long,
        public=public,
        author=author,
        recorded_by=actor
        if getattr(actor, "is_authenticated", False) and actor != author
        else None,
        contact_name=normalize(contact_name)[:120],
        contact_phone=contact_phone,
        contact_email=_email(contact_email),
        media_url=_media_url(media_url),
        client=client,
        token=secrets.token_hex(8),
        level=Tier.HEAD,
        level_since=now,
        due_date=_due(Tier.HEAD, category, now),
        created_at=now,
        updated_at=now,
    )
    _set_public(req, text, keep=())
    req.save(update_fields=["public_text", "public_source", "public_kept"])
    for f in clean_photos:
        photo = Photo(request=req, content_type=f.content_type)
        photo.file.save(
            f"{req.pk}-{f.name}",
            f,
            save=False,  # a generated name (core.uploads)
        )
        photo.save()
    _event(req, Event.Kind.ASKED, actor)
    _audit(actor, audit.REQUEST_CREATED, req)
    return req


@transaction.atomic
def request_record(*, actor, area: Unit, full_name: str, phone: str, **fields) -> Request:
    """A head (or officer) records a question a resident asked at a meeting or a visit: the
    resident is found by phone (or added) and told of the answer like any asker."""
    author = people_services.person_get_or_create_by_phone(
        actor=actor, phone=phone, full_name=full_name
    )
    return request_create(actor=actor, area=area, author=author, **fields)


# --- Acting on a request ------------------------------------------------------------------------


def _lock(req: Request) -> Request:
    return locked(req, "area", "category")


def _require_open(req: Request, *, tier: str | None = None) -> None:
    """The request is open (and with `tier`): otherwise someone else has dealt with it since the
    page was shown."""
    if req.hidden:
        raise ApplicationError(_("This question is hidden."), code="hidden", status=409)
    if req.status != Status.OPEN or (tier and req.level != tier):
        raise ApplicationError(
            _("Someone has already dealt with this question. Here is where it stands now."),
            code="stale",
            status=409,
        )


def _move(req: Request, level: str) -> None:
    now = timezone.now()
    req.level = level
    req.level_since = now
    req.status = Status.OPEN
    req.due_date = _due(level, req.category, now)
    req.updated_at = now


@transaction.atomic
def request_escalate(*, actor, request: Request, note: str = "") -> Request:
    req = _lock(request)
    _require_open(req, tier=Tier.HEAD)
    before = snapshot(req, AUDITED)
    _move(req, Tier.COMMUNE)
    req.save()
    _event(req, Event.Kind.ESCALATED, actor, normalize(note)[:1000])
    _audit(actor, audit.REQUEST_ESCALATED, req, before)
    return req


@transaction.atomic
def request_return(*, actor, request: Request, note: str) -> Request:
    """The commune sends it back to the head (with what to do)."""
    req = _lock(request)
    _require_open(req, tier=Tier.COMMUNE)
    note = clean_text(
        note, field="note", empty_message=_("Tell the head why it comes back and what to do.")
    )
    before = snapshot(req, AUDITED)
    _move(req, Tier.HEAD)
    req.save()
    _event(req, Event.Kind.RETURNED, actor, note)
    _audit(actor, audit.REQUEST_RETURNED, req, before)
    return req


@transaction.atomic
def request_forward(*, actor, request: Request, category: Category, note: str = "") -> Request:
    """The commune passes it to the department of another of its categories (a new due time)."""
    req = _lock(request)
    _require_open(req, tier=Tier.COMMUNE)
    if category.commune_id != req.commune_id or not category.is_active:
        raise ValidationError({"category": _("Choose one of the commune's categories.")})
    if category.pk == req.category_id:
        raise ValidationError({"category": _("Choose another category than the present one.")})
    with audit_change(
        actor=actor,
        action=audit.REQUEST_FORWARDED,
        obj=req,
        unit=req.area,
        fields=[*AUDITED, "category"],
    ):
        req.category = category
        _move(req, Tier.COMMUNE)
        req.save()
        label = f"{category.name} ({category.handler})" if category.handler else category.name
        _event(req, Event.Kind.FORWARDED, actor, "\n".join(filter(None, [label, normalize(note)])))
    return req


@transaction.atomic
def request_answer(
    *, actor, request: Request, answer: str, public_text: str | None = None, keep=None
) -> Request:
    """The answer; with `public_text`, the text the public version is made from (masked, except
    `keep`: see `public_version`)."""
    req = _lock(request)
    _require_open(req)
    answer = clean_text(answer, field="answer", empty_message=_("Write the answer."))
    before = snapshot(req, AUDITED)
    now = timezone.now()
    hours = (now - req.level_since).total_seconds() / 3600
    req.answer = answer
    if public_text is not None and normalize_lines(public_text):
        _set_public(req, normalize_lines(public_text), keep)
    else:
        _set_public(req, req.public_source or req.text)
    req.answered_by_level = req.level
    req.answered_at = now
    req.status = Status.ANSWERED
    req.updated_at = now
    req.search_key = search_key(req.public_text, req.public_answer, req.category.name, req.place)
    req.save()
    _event(req, Event.Kind.ANSWERED, actor, answer, hours=hours)
    _audit(actor, audit.REQUEST_ANSWERED, req, before)
    _notify(req, Notification.Kind.ANSWERED)
    return req


def _notify(req: Request, kind: str, **params) -> None:
    """Tell the asker what happened: the kind and its parameters, rendered when read."""
    if req.author_id:
        Notification.objects.create(
            person_id=req.author_id, request=req, kind=kind, params={"request": req.pk, **params}
        )
        pagecache.bump_readers(req.author_id)  # their home page lists it


@transaction.atomic
def request_confirm(*, actor, request: Request, resolved: bool, reason: str = "") -> Request:
    """The asker says whether the answer resolved it; "no" reopens it at the level that answered."""
    req = _lock(request)
    if req.status != Status.ANSWERED:
        raise ApplicationError(
            _("This question is not waiting for your confirmation."), code="stale", status=409
        )
    before = snapshot(req, AUDITED)
    if resolved:
        req.status = Status.RESOLVED
        req.updated_at = timezone.now()
        req.save()
        _event(req, Event.Kind.RESOLVED, actor)
        _audit(actor, audit.REQUEST_RESOLVED, req, before)
        return req
    reason = clean_text(
        reason,
        field="reason",
        empty_message=_("Tell us what is still not resolved, so the answer can be better."),
    )
    _move(req, req.answered_by_level or req.level)
    req.reopen_count += 1
    req.save()
    _event(req, Event.Kind.REOPENED, actor, reason)
    _audit(actor, audit.REQUEST_REOPENED, req, before)
    return req


@transaction.atomic
def request_hide(*, actor, request: Request, reason: str) -> Request:
    """Hide abusive content: kept, with the reason, in the audit and the history."""
    req = _lock(request)
    reason = clean_text(
        reason,
        field="reason",
        empty_message=_("Say why it is hidden (it is kept in the change log)."),
        max_length=300,
    )
    before = snapshot(req, AUDITED)
    req.hidden = True
    req.hidden_reason = reason
    req.updated_at = timezone.now()
    req.save()
    _event(req, Event.Kind.HIDDEN, actor, reason)
    _audit(actor, audit.REQUEST_HIDDEN, req, before)
    return req


@transaction.atomic
def request_publish_edit(
    *, actor, request: Request, public_text: str, keep=(), faq: bool = False, hidden_photos=()
) -> Request:
    """Redact what the public sees: the question's text (made from `public_text` with personal
    data masked except `keep`, see `public_version`; the head also takes out plates and the
    like), which photos are shown, and whether it belongs to the commune's frequently asked
    questions."""
    req = _lock(request)
    before = snapshot(req, AUDITED)
    source = clean_text(
        public_text,
        field="public_text",
        empty_message=_("Write the text to show publicly, or do not make it public."),
    )
    _set_public(req, source, keep)
    req.faq = bool(faq)
    req.search_key = search_key(req.public_text, req.public_answer, req.category.name, req.place)
    req.updated_at = timezone.now()
    req.save()
    hidden_ids = {int(i) for i in hidden_photos}
    for photo in req.photos.all():
        if photo.public == (photo.pk in hidden_ids):
            photo.public = photo.pk not in hidden_ids
            photo.save(update_fields=["public"])
    _event(req, Event.Kind.EDITED, actor)
    _audit(actor, audit.REQUEST_REDACTED, req, before)
    return req


def notifications_read(*, person, request: Request) -> None:
    with transaction.atomic():
        read = Notification.objects.filter(
            person=person, request=request, read_at__isnull=True
        ).update(read_at=timezone.now())
        if read:
            pagecache.bump_readers(person)  # their home page no longer lists them


# --- Climbing when overdue ----------------------------------------------------------------------


def requests_escalate_overdue(*, today: datetime.date | None = None, batch: int = 500) -> int:
    """Send every overdue request still with a head to the commune (one transaction each, so a
    long run never holds locks); returns how many climbed. At the commune, overdue requests stay
    flagged and counted in the statistics the district and province see."""
    today = today or timezone.localdate()
    moved = 0
    while True:
        ids = list(
            Request.objects.filter(
                status=Status.OPEN, level=Tier.HEAD, hidden=False, due_date__lt=today
            ).values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return moved
        for pk in ids:
            with transaction.atomic():
                req = (
                    Request.objects.select_for_update()
                    .select_related("category", "area")
                    .get(pk=pk)
                )
                if req.status != Status.OPEN or req.level != Tier.HEAD or req.due_date >= today:
                    continue
                before = snapshot(req, AUDITED)
                _move(req, Tier.COMMUNE)
                req.save()
                _event(req, Event.Kind.AUTO_ESCALATED, None)
                _audit(None, audit.REQUEST_AUTO_ESCALATED, req, before)
                moved += 1


# --- Open311 clients ----------------------------------------------------------------------------


@transaction.atomic
def api_client_create(*, actor, name: str) -> tuple[ApiClient, str]:
    """An application allowed to post through Open311, and its api_key (shown once: only its hash
    is kept)."""
    key = secrets.token_urlsafe(24)
    client = ApiClient.objects.create(name=normalize(name)[:120], key_hash=key_hash(key))
    audit_record(actor=actor, action=audit.API_CLIENT_CREATED, obj=client)
    return client, key
