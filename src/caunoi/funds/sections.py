"""What the funds add to other apps' pages (see caunoi.core.sections)."""

from caunoi.core.sections import section
from caunoi.people import access
from caunoi.people import selectors as people_selectors

from . import permissions as perms
from . import selectors

AWAITING_SHOWN = 10  # expenses waiting for the reader's approval, on their home page


@section("unit", "funds/_unit_section.html", order=10)
def funds_on_unit(request, unit):
    """An area's public page: its funds and balances. A commune's, district's or province's page,
    for those who read the funds there: the way to the overview."""
    if unit.is_area:
        return {
            "funds": list(selectors.fund_list(area=unit)),
            "can_record": unit.is_current and access.can(request.user, perms.RECORD, unit),
        }
    if access.can(request.user, perms.READ, unit):
        return {}
    return None


@section("home", "funds/_home.html", order=10)
def funds_on_home(request):
    """The funds the reader keeps as treasurer (each with its one action, recording a
    contribution); expenses waiting for the reader's approval; the households they represent."""
    user = request.user
    if not user.is_authenticated:
        return None
    awaiting = list(selectors.expense_awaiting(user=user, perm=perms.APPROVE)[:AWAITING_SHOWN])
    households = people_selectors.household_list_represented(user)
    kept = selectors.fund_list_kept(user=user)
    if not awaiting and not households and not kept:
        return None
    return {"awaiting": awaiting, "households": households, "kept": kept}
