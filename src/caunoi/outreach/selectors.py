"""Reads of the outreach app, ready for views (access is decided by the caller, through
outreach.permissions)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from caunoi.people.access import Access, Permission
from caunoi.people.models import Mandate, Role
from caunoi.people.selectors import household_list_represented, person_mandates
from caunoi.territory import rollup
from caunoi.territory.models import Household, Level, Unit
from caunoi.territory.rollup import Line

from . import policy
from .models import (
    MESSAGE_CHANNELS,
    Acknowledgement,
    Attachment,
    Channel,
    ChannelDecision,
    Delivery,
    Notice,
    NoticeArea,
    NoticeAudio,
)
from .wording import speech_text, text_hash

# The roles whose holders write notices and follow their reach (their home page leads there).
WORK_ROLES = (Role.HEAD, Role.DEPUTY_HEAD, Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER)


def notice_get(pk: int) -> Notice | None:
    return Notice.objects.select_related("unit", "author").filter(pk=pk).first()


def notice_target_list(notice: Notice, *, user, perm: Permission) -> list[NoticeArea]:
    """The notice's areas on which `user` holds `perm` (with the counts)."""
    q = Access.for_user(user).unit_filter(perm, "area__")
    return list(notice.targets.filter(q).select_related("area"))


def notice_household_get(notice: Notice, *, user) -> Household | None:
    """The user's household that received the notice, if any."""
    households = [h.pk for h in household_list_represented(user)]
    if not households:
        return None
    row = (
        Delivery.objects.filter(notice=notice, channel=Channel.WEB, household_id__in=households)
        .select_related("household")
        .first()
    )
    return row.household if row else None


def _visible_now() -> Q:
    today = timezone.localdate()
    return Q(status=Notice.Status.PUBLISHED, publish_at__lte=timezone.now()) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


def notice_list(*, area: Unit, drafts: bool = False) -> QuerySet[Notice]:
    """The notices sent to `area` (and its drafts with `drafts`), newest first, with the area's
    counts (`area_households`, `area_acknowledged`)."""
    qs = Notice.objects.filter(targets__area=area)
    if not drafts:
        qs = qs.filter(status=Notice.Status.PUBLISHED)
    return (
        qs.select_related("unit")
        .annotate(
            area_households=Sum("targets__households", filter=Q(targets__area=area)),
            area_acknowledged=Sum("targets__acknowledged", filter=Q(targets__area=area)),
        )
        .order_by("-publish_at", "-pk")
    )


def notice_page_unit(*, pk: int, **_url: object) -> Unit | None:
    """The unit whose version keys a notice's public pages (`core.pagecache`): its sender's."""
    return Unit.objects.filter(notices__pk=pk).only("pk", "path", "level").first()


def notice_list_public(*, area: Unit, limit: int = 5) -> list[Notice]:
    return list(
        Notice.objects.filter(_visible_now(), is_public=True, targets__area=area).order_by(
            "-publish_at", "-pk"
        )[:limit]
    )


def delivery_list(*, household: Household) -> QuerySet[Delivery]:
    """The household's notices, newest first, each with `acknowledged` (bool)."""
    return (
        Delivery.objects.filter(household=household, channel=Channel.WEB, round=0)
        .filter(  # ended notices stay in the household's own history
            notice__status=Notice.Status.PUBLISHED, notice__publish_at__lte=timezone.now()
        )
        .select_related("notice")
        .annotate(
            acknowledged=Exists(
                Acknowledgement.objects.filter(
                    notice=OuterRef("notice_id"), household=OuterRef("household_id")
                )
            )
        )
        .order_by("-notice__publish_at", "-notice_id")
    )


def household_get(*, code: str, areas: list[Unit]) -> Household | None:
    """The household of `code` if it lives in one of `areas`."""
    return Household.objects.select_related("area").filter(code=code, area__in=areas).first()


def household_list_not_reached(*, notice: Notice, areas: list[Unit]) -> QuerySet[Household]:
    """Households of `areas` the notice went to that have not acknowledged it."""
    return (
        Household.objects.filter(
            Exists(
                Delivery.objects.filter(
                    notice=notice, channel=Channel.WEB, household=OuterRef("pk")
                )
            ),
            area__in=areas,
        )
        .exclude(Exists(Acknowledgement.objects.filter(notice=notice, household=OuterRef("pk"))))
        .order_by("code")
    )


def delivery_summary(*, notice: Notice, areas: list[Unit]) -> dict:
    """{channel: {status: n}} of the notice's messages in `areas` (one query)."""
    out: dict = {}
    rows = (
        Delivery.objects.filter(notice=notice, area__in=areas, channel__in=MESSAGE_CHANNELS)
        .values_list("channel", "status")
        .annotate(n=Count("pk"))
    )
    for channel, status, n in rows:
        out.setdefault(channel, {})[status] = n
    return out


def notice_acknowledged(notice: Notice, *, household: Household) -> bool:
    return Acknowledgement.objects.filter(notice=notice, household=household).exists()


def attachment_list(*, notice: Notice) -> QuerySet[Attachment]:
    return Attachment.objects.filter(notice=notice).order_by("pk")


def delivery_unread_count(*, household: Household) -> int:
    """The household's notices it has not opened yet."""
    return delivery_list(household=household).filter(read_at__isnull=True).count()


def acknowledgement_list(*, notice: Notice, areas: list[Unit]) -> QuerySet[Acknowledgement]:
    return (
        Acknowledgement.objects.filter(notice=notice, area__in=areas)
        .select_related("household", "by")
        .order_by("-at")
    )


@dataclass(frozen=True)
class Reach:
    """A notice's reach on a ground: the households it went to, those who know it, and the
    number of its areas there (a child of the ground it did not go to has none)."""

    households: int
    acknowledged: int
    areas: int

    @classmethod
    def of(cls, *, households: int | None, acknowledged: int | None, areas: int) -> "Reach":
        return cls(households or 0, acknowledged or 0, areas)

    @property
    def share(self) -> float:
        return self.acknowledged / self.households if self.households else 0.0


REACH = {
    "households": Sum("households"),
    "acknowledged": Sum("acknowledged"),
    "areas": Count("pk"),
}


@dataclass(frozen=True)
class NoticeReach:
    """A notice with its reach on a unit's ground, and on each child of the unit it went to."""

    notice: Notice
    reach: Reach
    level: Level | None  # the children's level (None for an area)
    parts: list[Line[Reach]]


def notice_reach_summary(*, unit: Unit, limit: int = 20) -> list[NoticeReach]:
    """The latest `limit` notices published to `unit`'s ground with their reach there, rolled up
    to the unit's children (`territory.rollup`, on the notice areas' level keys): per area for a
    commune, per commune for a district or a two-level province, per district for a 2022
    province. Four queries whatever the size."""
    on_ground = rollup.on_ground(NoticeArea.objects.all(), unit)
    notices = list(
        Notice.objects.filter(
            status=Notice.Status.PUBLISHED, pk__in=on_ground.values("notice_id")
        ).order_by("-publish_at", "-pk")[:limit]
    )
    if not notices:
        return []
    facts = NoticeArea.objects.filter(notice__in=notices)
    reach = rollup.rollup_each(facts, unit, by="notice_id", figures=REACH, row=Reach.of)
    return [
        NoticeReach(
            notice=n,
            reach=reach[n.pk].total.figures,
            level=reach[n.pk].child_level,
            parts=[line for line in reach[n.pk] if line.figures.areas],
        )
        for n in notices
        if n.pk in reach  # (unless its areas were dropped between the two reads)
    ]


def notice_broadcast_schedule(notice: Notice) -> list[datetime.datetime]:
    """The loudspeaker slots for a notice whose category the law wants broadcast (empty
    otherwise): `policy.BROADCAST_DAYS` consecutive days from its publication, at each of
    OUTREACH_LOUDSPEAKER_TIMES."""
    if not notice_needs_broadcast(notice):
        return []
    days = policy.BROADCAST_DAYS.value
    start = timezone.localtime(notice.publish_at)
    slots = []
    tz = timezone.get_current_timezone()
    for day in range(days + 1):
        date = start.date() + datetime.timedelta(days=day)
        for hhmm in settings.OUTREACH_LOUDSPEAKER_TIMES:
            h, m = (int(x) for x in hhmm.split(":"))
            at = datetime.datetime(date.year, date.month, date.day, h, m, tzinfo=tz)
            if at >= start:
                slots.append(at)
    dates = sorted({s.date() for s in slots})[:days]
    return [s for s in slots if s.date() in dates]


def notice_needs_broadcast(notice: Notice) -> bool:
    return notice.category in settings.OUTREACH_BROADCAST_CATEGORIES


def channel_decision_list(*, area: Unit) -> QuerySet[ChannelDecision]:
    """The channels the area's community chose, with who recorded them."""
    return ChannelDecision.objects.filter(area=area).select_related(
        "recorded_by", "meeting_item__meeting"
    )


@dataclass(frozen=True)
class ChannelReach:
    """A channel of a notice before it is published: the households it can reach, and those of
    the areas that chose it that it cannot (no phone, no e-mail address, no account)."""

    channel: str
    reached: int
    missing: int

    @property
    def label(self) -> str:
        return str(Channel(self.channel).label)

    @property
    def chosen(self) -> int:
        return self.reached + self.missing


@dataclass(frozen=True)
class ReachPreview:
    households: int
    rows: list[ChannelReach]
    unreached: int  # households no message and no account reaches: the board, loudspeaker, a visit
    unreached_named: list = field(default_factory=list)  # the first of them (UNREACHED_NAMED)


UNREACHED_NAMED = 20  # households the preview names among those no message reaches


def notice_reach_preview(targets: list[NoticeArea]) -> ReachPreview:
    """What publishing will really reach (one query for the households, one for the choices): Cầu
    Nối the households with an account, SMS and Zalo those with a phone, e-mail those with an
    address, in the areas whose community chose each; and how many no message reaches at all."""
    ids = [t.area_id for t in targets]
    account = Mandate.objects.active().filter(role=Role.RESIDENT, household=OuterRef("pk"))
    phone, email, web = ~Q(representative_phone=""), ~Q(email=""), Q(account=True)
    per_area = {
        r["area_id"]: r
        for r in Household.objects.filter(area_id__in=ids, is_active=True)
        .annotate(account=Exists(account))
        .values("area_id")
        .annotate(
            n_total=Count("id"),
            n_phone=Count("id", filter=phone),
            n_email=Count("id", filter=email),
            n_web=Count("id", filter=web),
            n_phone_web=Count("id", filter=phone | web),
            n_email_web=Count("id", filter=email | web),
            n_any=Count("id", filter=phone | email | web),
        )
    }
    chosen: dict[int, set[str]] = {}
    for area_id, channel in ChannelDecision.objects.filter(area_id__in=ids).values_list(
        "area_id", "channel"
    ):
        chosen.setdefault(area_id, set()).add(channel)
    reached = {c: 0 for c in (Channel.WEB, *MESSAGE_CHANNELS)}
    missing = dict.fromkeys(reached, 0)
    households = unreached = 0
    for area_id, r in per_area.items():
        households += r["n_total"]
        reached[Channel.WEB] += r["n_web"]
        missing[Channel.WEB] += r["n_total"] - r["n_web"]
        mine = chosen.get(area_id, set())
        for channel in MESSAGE_CHANNELS:
            if channel in mine:
                have = r["n_email"] if channel == Channel.EMAIL else r["n_phone"]
                reached[channel] += have
                missing[channel] += r["n_total"] - have
        by_phone = bool(mine & {Channel.SMS, Channel.ZALO})
        by_email = Channel.EMAIL in mine
        if by_phone and by_email:
            reachable = r["n_any"]
        elif by_phone:
            reachable = r["n_phone_web"]
        elif by_email:
            reachable = r["n_email_web"]
        else:
            reachable = r["n_web"]
        unreached += r["n_total"] - reachable
    rows = [
        ChannelReach(c, reached[c], missing[c])
        for c in reached
        if c == Channel.WEB or reached[c] or missing[c]
    ]
    named: list[Household] = []
    if unreached:
        # Areas grouped by what their community chose (a handful of groups, whatever the
        # number of areas): in each, the households none of its channels reaches.
        groups: dict[frozenset[str], list[int]] = {}
        for area_id in per_area:
            groups.setdefault(frozenset(chosen.get(area_id, set())), []).append(area_id)
        none = Q(pk__in=[])
        for kinds, area_ids in groups.items():
            reach = web
            if kinds & {Channel.SMS, Channel.ZALO}:
                reach |= phone
            if Channel.EMAIL in kinds:
                reach |= email
            none |= Q(area_id__in=area_ids) & ~reach
        named = list(
            Household.objects.filter(area_id__in=ids, is_active=True)
            .annotate(account=Exists(account))
            .filter(none)
            .select_related("area")
            .order_by("area__code", "code")[:UNREACHED_NAMED]
        )
    return ReachPreview(
        households=households, rows=rows, unreached=unreached, unreached_named=named
    )


def work_unit_list(user) -> list[Unit]:
    """The units where `user` writes notices or follows them, most local first (home page)."""
    return [m.unit for m in person_mandates(user) if m.role in WORK_ROLES and m.unit is not None]


def audio_list(*, notice: Notice) -> list[NoticeAudio]:
    """The audios of the notice's current text, the one made on publication first."""
    current = text_hash(
        speech_text(unit_name=notice.unit.name, title=notice.title, body=notice.body)
    )
    rows = list(notice.audios.filter(text_hash=current).exclude(status=NoticeAudio.Status.FAILED))
    default = (NoticeAudio.Voice.NORTH, NoticeAudio.Speed.NORMAL)
    return sorted(rows, key=lambda a: ((a.voice, a.speed) != default, a.requested_at))


def audio_get(*, notice: Notice, pk: int) -> NoticeAudio | None:
    return notice.audios.filter(pk=pk, status=NoticeAudio.Status.READY).first()
