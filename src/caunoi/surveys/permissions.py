"""The surveys' permissions: each names the roles that hold it (see caunoi.people.access)."""

from caunoi.people.access import Permission
from caunoi.people.models import Role

_OFFICERS = (Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER, Role.PROVINCE_OFFICER, Role.SYSADMIN)

RUN = Permission("surveys.run", *_OFFICERS)  # open campaigns, issue codes, import responses
ENTER = Permission("surveys.enter", *_OFFICERS)  # type paper sheets
# Read aggregate results (areas under the minimum of responses stay hidden).
RESULTS = Permission(
    "surveys.results", *_OFFICERS, Role.DISTRICT_OFFICER, Role.HEAD, Role.DEPUTY_HEAD
)
