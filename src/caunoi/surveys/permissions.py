"""The surveys' permissions, and the one way views and the API get a campaign (see
caunoi.people.access).

A campaign covers a territory (a province, a district, a commune, or the whole country). Its results
are read unit by unit: `access_campaign_at` is "this campaign at this unit", checked on the unit.
`access_campaign` is the campaign as a whole (where one's results start, the import template):
reached by whoever holds the permission in its territory, above it or below it (a commune officer
reaches the province's campaign through their commune)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from caunoi.people import access
from caunoi.people.access import COMMUNE_STAFF, HEADS, Permission
from caunoi.people.models import Role
from caunoi.people.selectors import household_list_represented
from caunoi.territory.models import Household, Unit

from .models import Campaign, Form

_OFFICERS = (*COMMUNE_STAFF, Role.PROVINCE_OFFICER, Role.SYSADMIN)

RUN = Permission("surveys.run", *_OFFICERS)  # open campaigns, issue codes, import responses
ENTER = Permission("surveys.enter", *_OFFICERS)  # type paper sheets
# Read aggregate results (areas under the minimum of responses stay hidden).
RESULTS = Permission("surveys.results", *_OFFICERS, Role.DISTRICT_OFFICER, *HEADS)


def _reaches(user: Any, perm: Permission, campaign: Campaign) -> bool:
    """`user` holds `perm` somewhere in the campaign's territory, or above it."""
    return access.Access.for_user(user).reaches(perm, campaign.unit)


def _knows(user: Any, campaign: Campaign) -> bool:
    """The campaign's territory is on the user's ground."""
    if campaign.unit is None:
        return bool(access.Access.for_user(user).grants)
    return access.Access.for_user(user).knows(campaign.unit)


def _campaign(pk: int) -> Campaign:
    return access.found(Campaign.objects.select_related("unit", "form").filter(pk=pk).first())


def access_campaign(*, user: Any, pk: int, perm: Permission) -> Campaign:
    """The campaign, if `user` holds `perm` in its territory (at, above or below it); 403 when the
    territory is on their ground but they hold `perm` nowhere in it; 404 otherwise."""
    campaign = _campaign(pk)
    if _reaches(user, perm, campaign):
        return campaign
    if _knows(user, campaign):
        raise PermissionDenied
    raise Http404


def access_campaign_at(
    *, user: Any, pk: int, level: int, code: str, perm: Permission, current: bool = False
) -> tuple[Campaign, Unit]:
    """The campaign and its unit at `level`/`code`, checked on that unit (`access.check`: 403 on
    the user's ground without `perm`, 404 off it). A missing campaign or unit, or a unit outside
    the campaign's territory, is 404. With `current`, a retired unit is missing (pages that
    write)."""
    campaign = _campaign(pk)
    unit = access.found(Unit.objects.filter(level=level, code=code).first())
    if current and not unit.is_current:
        raise Http404
    if not campaign.covers(unit):
        raise Http404
    access.check(user, perm, unit)
    return campaign, unit


def access_national(*, user: Any, pk: int, perm: Permission) -> Campaign:
    """A national campaign's results for the whole country: for those who hold `perm`
    everywhere; 403 for others who reach it; 404 for a campaign with a territory."""
    campaign = access_campaign(user=user, pk=pk, perm=perm)
    if campaign.unit_id is not None:
        raise Http404
    if not access.Access.for_user(user).holds_everywhere(perm):
        raise PermissionDenied
    return campaign


def holds_anywhere(user: Any, perm: Permission) -> bool:
    return access.Access.for_user(user).holds_anywhere(perm)


def check_anywhere(user: Any, perm: Permission) -> None:
    """For what belongs to no unit (the survey forms, shared by every ground): 403 unless `user`
    holds `perm` somewhere."""
    if not holds_anywhere(user, perm):
        raise PermissionDenied


def access_form(*, user: Any, pk: int, perm: Permission) -> Form:
    """A survey form (forms belong to no unit): 404 when missing, 403 unless `user` holds `perm`
    somewhere."""
    form = access.found(Form.objects.filter(pk=pk).first())
    check_anywhere(user, perm)
    return form


def access_answer(*, user: Any, pk: int) -> tuple[Campaign, Household]:
    """The campaign and the household `user` answers it for (a resident whose household lives in
    its territory); 404 otherwise."""
    campaign = _campaign(pk)
    households = [h for h in household_list_represented(user) if campaign.covers(h.area)]
    if not households:
        raise Http404
    return campaign, households[0]
