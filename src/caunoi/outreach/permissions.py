"""The outreach permissions: each names the roles that hold it (see caunoi.people.access)."""

from caunoi.people.access import Permission
from caunoi.people.models import Role

# Write and publish notices, record channels, mark visits, remind.
PUBLISH = Permission(
    "outreach.publish", Role.HEAD, Role.DEPUTY_HEAD, Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER
)
# See who was reached and who acknowledged.
REACH = Permission(
    "outreach.reach",
    Role.HEAD,
    Role.DEPUTY_HEAD,
    Role.COMMUNE_OFFICER,
    Role.COMMUNE_LEADER,
    Role.DISTRICT_OFFICER,
    Role.PROVINCE_OFFICER,
    Role.SYSADMIN,
)
