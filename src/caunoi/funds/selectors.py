"""Reads for the funds: querysets with their joins set, figures computed in the database."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.people.models import Mandate, Role
from caunoi.territory.models import Household, Level

from . import chain, policy
from .models import Campaign, Contribution, Decision, Entry, Exemption, Expense, Fund


def fund_list(*, area):
    """An area's funds (public)."""
    return (
        Fund.objects.filter(area=area).select_related("area", "decision", "keeper").order_by("name")
    )


def fund_get(*, pk, area=None) -> Fund | None:
    """A fund (public), in `area` when it is given (the area of the URL)."""
    qs = Fund.objects.filter(pk=pk).select_related("area__parent", "decision", "keeper")
    if area is not None:
        qs = qs.filter(area=area)
    return qs.first()


def decision_list(*, area):
    return Decision.objects.filter(area=area).order_by("-date", "-id")


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


def expense_awaiting(*, user, paths: list[str]):
    """Expenses waiting for a second person on the user's ground that someone else recorded."""
    if not paths:
        return Expense.objects.none()
    q = Q()
    for p in paths:
        q |= Q(fund__area__path__startswith=p)
    return (
        Expense.objects.filter(q, status=Expense.Status.PENDING)
        .exclude(recorded_by=user)
        .select_related("fund__area")
        .order_by("created_at")
    )


def campaign_list(*, fund):
    return Campaign.objects.filter(fund=fund).select_related("decision").order_by("-start")


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


def fund_verdicts(funds: list[Fund]) -> dict[int, chain.Verdict]:
    """Verify several funds' chains in one query (the area's page): {fund id: verdict}. The tips
    are the ones on the given fund objects, read in the same request."""
    from itertools import groupby

    if not funds:
        return {}
    rows = (
        Entry.objects.filter(fund_id__in=[f.pk for f in funds])
        .order_by("fund_id", "seq")
        .values_list("fund_id", *chain.FIELDS)
    ).iterator(chunk_size=5000)
    by_id = {f.pk: f for f in funds}
    verdicts = {}
    for fund_id, group in groupby(rows, key=lambda r: r[0]):
        f = by_id[fund_id]
        verdicts[fund_id] = chain.verify_rows(
            fund_id,
            (r[1:] for r in group),
            tip_seq=f.last_seq,
            tip_hash=f.last_hash,
            tip_balance=f.balance,
        )
    for f in funds:
        if f.pk not in verdicts:
            verdicts[f.pk] = chain.verify_rows(
                f.pk, [], tip_seq=f.last_seq, tip_hash=f.last_hash, tip_balance=f.balance
            )
    return verdicts


def fund_verdict(fund: Fund) -> chain.Verdict:
    tip = Fund.objects.filter(pk=fund.pk).values_list("last_seq", "last_hash", "balance").get()
    rows = (
        Entry.objects.filter(fund_id=fund.pk).order_by("seq").values_list(*chain.FIELDS)
    ).iterator(chunk_size=5000)
    return chain.verify_rows(fund.pk, rows, tip_seq=tip[0], tip_hash=tip[1], tip_balance=tip[2])


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
    return [
        period_of("month", today.year, today.month),
        period_of("quarter", today.year, (today.month - 1) // 3 + 1),
        period_of("half", today.year, 1 if today.month <= 6 else 2),
    ]


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


@dataclass
class AreaRow:
    area_id: int
    code: str
    name: str
    commune: str
    funds: int = 0
    balance: int = 0
    last_entry_on: datetime.date | None = None
    expenses: int = 0
    expenses_with_invoice: int = 0
    contributions_without_decision: int = 0
    flags: list = field(default_factory=list)
    commune_code: str = ""

    @property
    def invoice_share(self) -> float | None:
        return self.expenses_with_invoice / self.expenses if self.expenses else None


def fund_overview(*, unit, today: datetime.date | None = None) -> dict:
    """The funds' roll-up for a commune, district or province: every area that keeps a fund
    here, with its last entry, share of expenses with an invoice and its flags; totals by kind of
    fund. A fixed number of grouped queries, whatever the number of areas. (Its `path__startswith`
    strategy is the funds' own until the territory has one roll-up module.)"""
    today = today or timezone.localdate()
    by_area = unit.level >= Level.COMMUNE
    funds = Fund.objects.filter(area__path__startswith=unit.path)
    rows: dict[int, AreaRow] = {}
    for r in (
        funds.values(
            "area_id", "area__code", "area__name", "area__parent__name", "area__parent__code"
        )
        .annotate(n=Count("id"), balance=Sum("balance"), last=Max("last_entry_on"))
        .order_by("area__code")
    ):
        rows[r["area_id"]] = AreaRow(
            r["area_id"],
            r["area__code"],
            r["area__name"],
            r["area__parent__name"],
            commune_code=r["area__parent__code"],
            funds=r["n"],
            balance=r["balance"] or 0,
            last_entry_on=r["last"],
        )
    for r in (
        Expense.objects.filter(
            fund__area__path__startswith=unit.path, status=Expense.Status.APPROVED
        )
        .values("fund__area_id")
        .annotate(n=Count("id"), with_invoice=Count("id", filter=~Q(invoice="")))
    ):
        row = rows.get(r["fund__area_id"])
        if row:
            row.expenses, row.expenses_with_invoice = r["n"], r["with_invoice"]
    for r in (
        Contribution.objects.filter(
            fund__area__path__startswith=unit.path, fund__decision__isnull=True
        )
        .filter(Q(campaign__isnull=True))
        .values("fund__area_id")
        .annotate(n=Count("id"))
    ):
        row = rows.get(r["fund__area_id"])
        if row:
            row.contributions_without_decision = r["n"]
    silent_since = today - datetime.timedelta(days=policy.SILENT_DAYS.value)
    for row in rows.values():
        if row.contributions_without_decision:
            row.flags.append(_("contribution with no decision behind it"))
        if row.expenses > row.expenses_with_invoice:
            row.flags.append(_("expense with no invoice"))
        if row.last_entry_on is None or row.last_entry_on < silent_since:
            row.flags.append(_("ledger silent for %(n)s days") % {"n": policy.SILENT_DAYS.value})
    kinds = [
        {"kind": Fund.Kind(r["kind"]).label, "funds": r["n"], "balance": r["balance"] or 0}
        for r in funds.values("kind")
        .annotate(n=Count("id"), balance=Sum("balance"))
        .order_by("kind")
    ]
    communes: dict[str, dict] = {}
    for row in rows.values():
        c = communes.setdefault(
            row.commune_code,
            {
                "code": row.commune_code,
                "name": row.commune,
                "areas": 0,
                "flagged": 0,
                "balance": 0,
                "last": None,
            },
        )
        c["areas"] += 1
        c["flagged"] += bool(row.flags)
        c["balance"] += row.balance
        if row.last_entry_on and (c["last"] is None or row.last_entry_on > c["last"]):
            c["last"] = row.last_entry_on
    return {
        # A commune lists its areas; a district or province lists its communes (2,328 area
        # cards would not fit a phone's page budget).
        "rows": list(rows.values()) if by_area else [],
        "communes": [] if by_area else sorted(communes.values(), key=lambda c: c["code"]),
        "areas": len(rows),
        "kinds": kinds,
        "flagged": sum(1 for r in rows.values() if r.flags),
        "balance": sum(r.balance for r in rows.values()),
    }


# ------------------------------------------------------------------------------------ who is who


def household_get(*, area, code: str):
    """A household of `area` by its code (as a keeper types it)."""
    return Household.objects.filter(area=area, code=code).first()


def household_of_user(user, area):
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


def households_of_user(user):
    """The households whose representative `user` is, everywhere."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        m.household
        for m in Mandate.objects.active()
        .filter(person=user, role=Role.RESIDENT, household__isnull=False)
        .select_related("household__area")
    ]
