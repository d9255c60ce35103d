"""The funds' permissions: each names the roles that hold it (see caunoi.people.access), and the
`access_<entity>()` functions that hand views and API handlers their scoped objects."""

from typing import Any

from django.http import Http404

from caunoi.people import access
from caunoi.people.access import COMMUNE_STAFF, HEADS, OVERSIGHT, Permission
from caunoi.people.models import DelegationKind as Kind
from caunoi.people.models import Mandate, Role
from caunoi.territory.models import Household, Unit

from .models import Campaign, Entry, Expense, Fund

KEEPERS = (*HEADS, Role.TREASURER)  # the area's keepers of its funds
# The area's keepers record contributions, expenses, decisions and corrections.
RECORD = Permission("funds.record", *KEEPERS)
# Record a household's contribution: the keepers, and a helper named for it (never an expense).
CONTRIBUTE = Permission("funds.contribute", *KEEPERS, delegable=(Kind.CONTRIBUTIONS,))
# Approving an expense takes a second keeper of the area (never the one who recorded it, which the
# service enforces as a business rule).
APPROVE = Permission("funds.approve", *KEEPERS)
# Reading everything (pending and rejected expenses, invoices, households' payments): the keepers,
# the inspection board of the area, and the commune, district and province above.
READ = Permission(
    "funds.read",
    *KEEPERS,
    Role.INSPECTOR,
    *COMMUNE_STAFF,
    *OVERSIGHT,
    delegable=(Kind.CONTRIBUTIONS,),
)


# The one way views and API handlers get a scoped object of the funds: fetched with the joins the
# caller needs, then checked on the object's own area (see caunoi.people.access.check: missing
# and "not yours" are one 404; 403 where the area is on the person's ground). `area`, when given,
# is the area of the URL: an object of another area is missing there too.


def access_fund(*, user: Any, pk: int, perm: Permission, area: Unit | None = None) -> Fund:
    fund = Fund.objects.filter(pk=pk).select_related("area__parent", "decision", "keeper").first()
    if fund is not None and area is not None and fund.area_id != area.pk:
        fund = None
    return access.check_object(user, perm, fund, lambda f: f.area)


def access_campaign(*, user: Any, pk: int, perm: Permission, fund: Fund) -> Campaign:
    campaign = (
        Campaign.objects.filter(pk=pk, fund_id=fund.pk)
        .select_related("fund__area", "decision")
        .first()
    )
    return access.check_object(user, perm, campaign, lambda c: c.fund.area)


def access_expense(
    *, user: Any, pk: int, perm: Permission, area: Unit | None = None, public: bool = False
) -> Expense:
    """With `public`, an approved or rejected expense is everyone's to read (the public ledger);
    a pending one still needs `perm`."""
    expense = access.found(
        Expense.objects.filter(pk=pk)
        .select_related("fund__area", "decision", "recorded_by", "decided_by", "entry")
        .first()
    )
    if area is not None and expense.fund.area_id != area.pk:
        raise Http404
    if public and expense.status != Expense.Status.PENDING:
        return expense
    access.check(user, perm, expense.fund.area)
    return expense


def access_entry(
    *, user: Any, fund_pk: int, seq: int, perm: Permission, area: Unit | None = None
) -> Entry:
    entry = Entry.objects.filter(fund_id=fund_pk, seq=seq).select_related("fund__area").first()
    if entry is not None and area is not None and entry.fund.area_id != area.pk:
        entry = None
    return access.check_object(user, perm, entry, lambda e: e.fund.area)


def access_household(*, user: Any, area: Unit, code: str, perm: Permission = READ) -> Household:
    """A household's own page: its representative may read it; otherwise `perm` on the area."""
    household = Household.objects.filter(area=area, code=code).first()
    if household is not None and _represents(user, household):
        return household
    access.check(user, perm, area)
    if household is None:
        raise Http404
    return household


def _represents(user: Any, household: Household) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    mine = Mandate.objects.active().filter(person=user, role=Role.RESIDENT, household=household)
    return mine.exists()
