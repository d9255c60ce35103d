"""The reports app's permissions (see caunoi.people.access): a unit's report is read by the
officers of that unit and of the units above it."""

from caunoi.people.access import Permission
from caunoi.people.models import Role

# Read the report of a unit (a province, district, commune or area) of one's ground.
READ = Permission(
    "reports.read",
    Role.COMMUNE_OFFICER,
    Role.COMMUNE_LEADER,
    Role.DISTRICT_OFFICER,
    Role.PROVINCE_OFFICER,
    Role.SYSADMIN,
)
