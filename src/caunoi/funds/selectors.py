"""Reads for the funds: querysets with their joins set, figures computed in the database."""

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.people.access import Access, Permission
from caunoi.people.models import Mandate, Role
from caunoi.territory import rollup
from caunoi.territory import selectors as territory_selectors
from caunoi.territory.models import Household, Level, Unit

from . import chain, policy
from .models import Campaign, Checkpoint, Contribution, Decision, Entry, Exemption, Expense, Fund

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def fund_list(*, area):
    """An area's funds (public)."""
    return (
        Fund.objects.filter(area=area).select_related("area", "decision", "keeper").order_by("name")
    )


def fund_list_kept(*, user) -> list[Fund]:
    """The funds of the areas where `user` is the treasurer today (their own work)."""
    areas = Mandate.objects.active().filter(person=user, role=Role.TREASURER).values("unit_id")
    return list(
        Fund.objects.filter(area__in=areas, area__valid_to__isnull=True)
        .select_related("area")
        .order_by("area__code", "name")
    )


def fund_get(*, pk, area=None) -> Fund | None:
    """A fund (public), in `area` when it is given (the area of the URL)."""
    qs = Fund.objects.filter(pk=pk).select_related("area__parent", "decision", "keeper")
    if area is not None:
        qs = qs.filter(area=area)
    return qs.first()


def decision_list(*, area):
    return (
        Decision.objects.filter(area=area).select_related("meeting_item").order_by("-date", "-id")
    )


def decision_get(*, area, pk) -> Decision | None:
    return Decision.objects.filter(area=area, pk=pk).first()


def entry_list(*, fund, newest_first: bool = False):
    """A fund's ledger with what a public line shows (the household by code only) and what
    anyone needs to recompute the chain."""
    return (
        Entry.objects.filter(fund=fund)
        .select_related("reverses")
        .only(*chain.FIELDS, "fund_id")
        .order_by("-seq" if newest_first else "seq")
    )


def entry_get(*, fund, seq) -> Entry | None:
    return Entry.objects.filter(fund=fund, seq=seq).select_related("fund__area", "reverses").first()


def expense_list(*, fund, statuses=None, latest: int | None = None):
    """A fund's expenses, the latest first (only the `latest` ones when given)."""
    qs = Expense.objects.filter(fund=fund).select_related("decision", "recorded_by", "decided_by")
    if statuses:
        qs = qs.filter(status__in=statuses)
    qs = qs.order_by("-spent_on", "-number")
    return qs[:latest] if latest else qs


def expense_awaiting(*, user, perm: Permission):
    """Expenses waiting for a second person where the user holds `perm` (approving) that someone
    else recorded."""
    return (
        Expense.objects.filter(
            Access.for_user(user).unit_filter(perm, "fund__area__"),
            status=Expense.Status.PENDING,
        )
        .exclude(recorded_by=user)
        .select_related("fund__area")
        .order_by("created_at")
    )


def campaign_list(*, fund):
    return Campaign.objects.filter(fund=fund).select_related("decision").order_by("-start")


def campaign_open(*, fund, on: datetime.date | None = None) -> Campaign | None:
    """The fund's campaign running on `on` (today by default): the one a contribution is for
    unless the keeper says otherwise (the latest started, when two overlap)."""
    day = on or timezone.localdate()
    return campaign_list(fund=fund).filter(start__lte=day, end__gte=day).first()


def campaign_get(*, area, pk, fund=None) -> Campaign | None:
    qs = Campaign.objects.filter(fund__area=area, pk=pk).select_related("fund", "decision")
    if fund is not None:
        qs = qs.filter(fund=fund)
    return qs.first()


def fund_monthly(fund, *, months: int = 12) -> list[dict]:
    """The last `months` months with any entry: income and spending (reversals counted on the
    side they move)."""
    rows = (
        Entry.objects.filter(fund=fund)
        .annotate(month=TruncMonth("booked_on"))
        .values("month")
        .annotate(
            income=Sum("amount", filter=Q(amount__gt=0), default=0),
            spending=Sum("amount", filter=Q(amount__lt=0), default=0),
        )
        .order_by("-month")[:months]
    )
    return [{"month": r["month"], "income": r["income"], "spending": -r["spending"]} for r in rows]


def _checkpoints(fund_ids: list[int]) -> dict[int, dict[int, str]]:
    out: dict[int, dict[int, str]] = {}
    for fund_id, seq, h in Checkpoint.objects.filter(fund_id__in=fund_ids).values_list(
        "fund_id", "seq", "hash"
    ):
        out.setdefault(fund_id, {})[seq] = h
    return out


def _lost_entries(fund_ids: list[int]) -> dict[int, int]:
    """{fund id: number of an approved expense without its ledger entry}: an entry deleted behind
    the app's back (with the tip rolled back, the chain itself would still hold)."""
    rows = (
        Expense.objects.filter(fund_id__in=fund_ids, status=Expense.Status.APPROVED)
        .filter(entry__isnull=True)
        .values_list("fund_id", "number")
    )
    return dict(rows)


def _cross_checked(verdict: chain.Verdict, lost: int | None) -> chain.Verdict:
    if verdict.ok and lost is not None:
        return chain.Verdict(
            False, verdict.entries, verdict.balance, bad_seq=None, problem="missing"
        )
    return verdict


def fund_verdicts(funds: list[Fund]) -> dict[int, chain.Verdict]:
    """Verify several funds' chains in one query (the area's page): {fund id: verdict}. The tips
    are the ones on the given fund objects, read in the same request; every published checkpoint
    must still agree, and no approved expense may have lost its entry."""
    from itertools import groupby

    if not funds:
        return {}
    ids = [f.pk for f in funds]
    checkpoints, lost = _checkpoints(ids), _lost_entries(ids)
    rows = (
        Entry.objects.filter(fund_id__in=ids)
        .order_by("fund_id", "seq")
        .values_list("fund_id", *chain.FIELDS)
    ).iterator(chunk_size=5000)
    grouped = {fund_id: [r[1:] for r in group] for fund_id, group in groupby(rows, lambda r: r[0])}
    verdicts = {}
    for f in funds:
        verdict = chain.verify_rows(
            f.pk,
            grouped.get(f.pk, []),
            tip_seq=f.last_seq,
            tip_hash=f.last_hash,
            tip_balance=f.balance,
            checkpoints=checkpoints.get(f.pk),
        )
        verdicts[f.pk] = _cross_checked(verdict, lost.get(f.pk))
    return verdicts


def fund_verdict(fund: Fund) -> chain.Verdict:
    tip = Fund.objects.filter(pk=fund.pk).values_list("last_seq", "last_hash", "balance").get()
    rows = (
        Entry.objects.filter(fund_id=fund.pk).order_by("seq").values_list(*chain.FIELDS)
    ).iterator(chunk_size=5000)
    verdict = chain.verify_rows(
        fund.pk,
        rows,
        tip_seq=tip[0],
        tip_hash=tip[1],
        tip_balance=tip[2],
        checkpoints=_checkpoints([fund.pk]).get(fund.pk),
    )
    return _cross_checked(verdict, _lost_entries([fund.pk]).get(fund.pk))


@dataclass
class CheckedCheckpoint:
    checkpoint: Checkpoint
    agrees: bool  # today's ledger still has this hash at this entry number

    @property
    def tip(self) -> str:
        return chain.tip_text(self.checkpoint.seq, self.checkpoint.hash)


def checkpoint_list(*, fund: Fund) -> list[CheckedCheckpoint]:
    """The fund's published checkpoints, newest first, each checked against today's ledger."""
    cps = list(Checkpoint.objects.filter(fund=fund).order_by("-seq"))
    hashes = dict(
        Entry.objects.filter(fund=fund, seq__in=[c.seq for c in cps]).values_list("seq", "hash")
    )
    return [CheckedCheckpoint(c, hashes.get(c.seq) == c.hash) for c in cps]


def checkpoint_check(*, fund: Fund, seq: int, tip: str) -> bool:
    """A tip read from a paper (entry number and at least TIP_SHOWN hex digits of its hash) against
    today's ledger."""
    digits = chain.parse_tip(tip)
    if len(digits) < chain.TIP_SHOWN:
        return False
    h = Entry.objects.filter(fund=fund, seq=seq).values_list("hash", flat=True).first()
    return h is not None and h.startswith(digits)


# ------------------------------------------------------------------------------------- periods


@dataclass
class Period:
    kind: str  # "month", "quarter", "half"
    year: int
    number: int
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("Month %(n)s/%(y)s") % {"n": self.number, "y": self.year}
        if self.kind == "quarter":
            roman = ["I", "II", "III", "IV"][self.number - 1]
            return _("Quarter %(n)s/%(y)s") % {"n": roman, "y": self.year}
        if self.number == 1:
            return _("First six months of %(y)s") % {"y": self.year}
        return _("Last six months of %(y)s") % {"y": self.year}

    @property
    def slug(self) -> str:
        return f"{self.kind}-{self.year}-{self.number}"


PERIOD_KINDS = {"month": 12, "quarter": 4, "half": 2}


def period_of(kind: str, year: int, number: int) -> Period | None:
    if kind not in PERIOD_KINDS or not (1 <= number <= PERIOD_KINDS[kind]):
        return None
    if not (2000 <= year <= 2100):
        return None
    span = {"month": 1, "quarter": 3, "half": 6}[kind]
    first_month = (number - 1) * span + 1
    start = datetime.date(year, first_month, 1)
    last_month = first_month + span - 1
    end = (
        datetime.date(year + 1, 1, 1)
        if last_month == 12
        else datetime.date(year, last_month + 1, 1)
    ) - datetime.timedelta(days=1)
    return Period(kind, year, number, start, end)


def current_periods(today: datetime.date | None = None) -> list[Period]:
    today = today or timezone.localdate()
    periods = [
        period_of("month", today.year, today.month),
        period_of("quarter", today.year, (today.month - 1) // 3 + 1),
        period_of("half", today.year, 1 if today.month <= 6 else 2),
    ]
    return [p for p in periods if p is not None]  # all three (None only outside 2000–2100)


@dataclass
class Statement:
    fund: Fund
    period: Period
    opening: int
    income: list = field(default_factory=list)
    spending: list = field(default_factory=list)

    @property
    def total_income(self) -> int:
        return sum(e.amount for e in self.income)

    @property
    def total_spending(self) -> int:
        return -sum(e.amount for e in self.spending)

    @property
    def closing(self) -> int:
        return self.opening + self.total_income - self.total_spending


def fund_statement(*, fund: Fund, period: Period) -> Statement:
    """The "công khai thu – chi" of one period: opening balance, income lines, spending lines,
    closing balance. Lines are ledger entries booked in the period (reversals on their side)."""
    opening = (
        Entry.objects.filter(fund=fund, booked_on__lt=period.start).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    entries = list(
        Entry.objects.filter(fund=fund, booked_on__gte=period.start, booked_on__lte=period.end)
        .select_related("reverses")
        .order_by("booked_on", "seq")
    )
    return Statement(
        fund=fund,
        period=period,
        opening=opening,
        income=[e for e in entries if e.amount > 0],
        spending=[e for e in entries if e.amount < 0],
    )


# ----------------------------------------------------------------------------------- households


@dataclass
class CampaignLine:
    campaign: Campaign
    due: int
    paid: int
    exemption: Exemption | None

    @property
    def outstanding(self) -> int:
        if self.exemption is not None:
            return 0
        return max(0, self.due - self.paid)


def household_overview(household) -> dict:
    """What one household paid (with receipts), what is still due, its exemptions."""
    contributions = list(
        Contribution.objects.filter(household=household)
        .select_related("fund", "campaign", "entry")
        .annotate(reversed=Count("entry__reversed_by"))
        .order_by("-paid_on", "-id")
    )
    campaigns = list(
        Campaign.objects.filter(fund__area_id=household.area_id)
        .select_related("fund")
        .order_by("-start")
    )
    exemptions = {e.campaign_id: e for e in Exemption.objects.filter(household=household)}
    paid: dict[int, int] = {}
    for c in contributions:
        if c.campaign_id and not c.reversed:
            paid[c.campaign_id] = paid.get(c.campaign_id, 0) + c.amount
    lines = [
        CampaignLine(c, c.due_for(household), paid.get(c.pk, 0), exemptions.get(c.pk))
        for c in campaigns
    ]
    return {
        "contributions": contributions,
        "campaigns": lines,
        "total_paid": sum(c.amount for c in contributions if not c.reversed),
        "total_due": sum(line.outstanding for line in lines),
    }


def contribution_get(*, token: str) -> Contribution | None:
    if not token or len(token) > 32:
        return None
    return (
        Contribution.objects.filter(token=token)
        .select_related("fund__area__parent", "household", "campaign", "entry", "recorded_by")
        .annotate(reversed=Count("entry__reversed_by"))
        .first()
    )


# ------------------------------------------------------------------------------------- overview


@dataclass(frozen=True)
class FundFigures:
    """The funds of a ground (an area, a commune, a district, a province), counted by the
    database: one line of the overview's roll-up. An area is flagged for a contribution with no
    decision behind it, an approved expense with no invoice, or ledgers all silent too long."""

    funds: int
    areas: int  # that keep a fund
    balance: int
    last_entry: datetime.date | None  # the latest in its ledgers
    fresh: int  # areas with a ledger written lately
    loose: int  # areas with a contribution outside any decision
    unbilled: int  # areas with an approved expense and no invoice
    flagged: int  # areas with any of the three flags
    # Approved expenses, and those with an invoice: counted for a commune's areas only.
    expenses: int | None = None
    expenses_with_invoice: int | None = None

    @property
    def silent(self) -> int:
        """Areas whose every ledger is silent."""
        return self.areas - self.fresh

    @property
    def invoice_share(self) -> float | None:
        if not self.expenses or self.expenses_with_invoice is None:
            return None
        return self.expenses_with_invoice / self.expenses

    @property
    def flags(self) -> list[str]:
        """What is wrong, for an area's line."""
        return [
            label
            for n, label in (
                (self.loose, _("contribution with no decision behind it")),
                (self.unbilled, _("expense with no invoice")),
                (self.silent, _("ledger silent for %(n)s days") % {"n": policy.SILENT_DAYS.value}),
            )
            if n
        ]


def _count(queryset) -> Coalesce:
    """How many rows of `queryset` (filtered on an OuterRef), as a subquery."""
    rows = queryset.order_by().values("fund").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(rows), 0)


def _funds(silent_since: datetime.date, *, expenses: bool):
    """The funds as roll-up facts, each knowing whether it is flagged itself (a contribution
    outside any decision, an approved expense without an invoice), whether it is fresh, whether
    its area has a fresh ledger, and (`expenses`) its approved expenses with an invoice or not: so
    that every figure is an aggregate over funds."""
    approved = Expense.objects.filter(fund=OuterRef("pk"), status=Expense.Status.APPROVED)
    loose = Contribution.objects.filter(fund=OuterRef("pk"), campaign__isnull=True)
    facts = Fund.objects.annotate(
        fund_loose=ExpressionWrapper(
            Q(decision__isnull=True) & Exists(loose), output_field=BooleanField()
        ),
        fund_unbilled=Exists(approved.filter(invoice="")),
        area_fresh=Exists(
            Fund.objects.filter(area=OuterRef("area"), last_entry_on__gte=silent_since)
        ),
    )
    if expenses:
        facts = facts.annotate(
            approved=_count(approved), invoiced=_count(approved.exclude(invoice=""))
        )
    return facts


def _areas(q: Q | None = None) -> Count:
    return Count("area", distinct=True, filter=q)


def _figures(silent_since: datetime.date, *, expenses: bool) -> dict:
    # An area is loose (unbilled) when one of its funds is; fresh when one of its ledgers is.
    figures = {
        "funds": Count("id"),
        "areas": _areas(),
        "balance": Sum("balance", default=0),
        "last_entry": Max("last_entry_on"),  # (a figure's name hides a field's)
        "fresh": _areas(Q(last_entry_on__gte=silent_since)),
        "loose": _areas(Q(fund_loose=True)),
        "unbilled": _areas(Q(fund_unbilled=True)),
        "flagged": _areas(Q(fund_loose=True) | Q(fund_unbilled=True) | Q(area_fresh=False)),
    }
    if expenses:
        figures["expenses"] = Sum("approved", default=0)
        figures["expenses_with_invoice"] = Sum("invoiced", default=0)
    return figures


@dataclass(frozen=True)
class FundKind:
    kind: "StrOrPromise"  # the kind's label, translated when shown
    funds: int
    balance: int


@dataclass(frozen=True)
class FundOverview:
    total: FundFigures
    # A commune lists its areas; a district or province lists its communes (2,328 area cards
    # would not fit a phone's page budget). Only those that keep a fund.
    areas: list[rollup.Line[FundFigures]]
    communes: list[rollup.Line[FundFigures]]
    kinds: list[FundKind]


def fund_overview(*, unit: Unit, today: datetime.date | None = None) -> FundOverview:
    """The funds' roll-up for a commune, district or province, on the funds' level keys: the
    total, every area (of a commune) or commune (of a district or province, through its districts
    or not) that keeps a fund, with their flags; totals by kind of fund. Four queries, whatever
    the number of areas."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=policy.SILENT_DAYS.value)
    facts = _funds(since, expenses=unit.is_commune)
    figures = _figures(since, expenses=unit.is_commune)
    areas: list[rollup.Line[FundFigures]] = []
    communes: list[rollup.Line[FundFigures]] = []
    if unit.is_commune:
        result = rollup.rollup(facts, unit, figures=figures, row=FundFigures)
        areas = [line for line in result if line.figures.funds]
    else:
        result = rollup.rollup(facts, unit, figures=figures, row=FundFigures, children=False)
        lines = rollup.rollup_down(facts, unit, [Level.COMMUNE], figures=figures, row=FundFigures)
        communes = [line for line in lines[Level.COMMUNE] if line.figures.funds]
    kinds = [
        FundKind(Fund.Kind(r["kind"]).label, r["n"], r["balance"])
        for r in rollup.on_ground(Fund.objects.all(), unit)
        .values("kind")
        .annotate(n=Count("id"), balance=Sum("balance", default=0))
        .order_by("kind")
    ]
    return FundOverview(result.total.figures, areas, communes, kinds)


# ------------------------------------------------------------------------------------ who is who


def household_get(*, area, code: str):
    """A household of `area` by its code (as a keeper types it)."""
    return Household.objects.filter(area=area, code=code).first()


def household_choices(*, area) -> list[tuple[str, str]]:
    """(code, "house number · representative") of the area's households, for the keeper's
    suggestions list."""
    return [
        (h.code, " · ".join(filter(None, [h.address, h.representative_name])))
        for h in territory_selectors.household_list(area=area).only(
            "code", "address", "representative_name"
        )
    ]


def household_get_of_user(user, area):
    """The household whose representative `user` is, in `area` (or None)."""
    if not getattr(user, "is_authenticated", False):
        return None
    m = (
        Mandate.objects.active()
        .filter(person=user, role=Role.RESIDENT, unit=area, household__isnull=False)
        .select_related("household")
        .first()
    )
    return m.household if m else None
