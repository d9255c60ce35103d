"""The funds' permissions: each names the roles that hold it (see caunoi.people.access)."""

from caunoi.people.access import Permission
from caunoi.people.models import Role

# The area's keepers record contributions, expenses, decisions and corrections.
RECORD = Permission("funds.record", Role.HEAD, Role.DEPUTY_HEAD, Role.TREASURER)
# Approving an expense takes a second keeper of the area (never the one who recorded it, which the
# service enforces as a business rule).
APPROVE = Permission("funds.approve", Role.HEAD, Role.DEPUTY_HEAD, Role.TREASURER)
# Reading everything (pending and rejected expenses, invoices, households' payments): the keepers,
# the inspection board of the area, and the commune, district and province above.
READ = Permission(
    "funds.read",
    Role.HEAD,
    Role.DEPUTY_HEAD,
    Role.TREASURER,
    Role.INSPECTOR,
    Role.COMMUNE_OFFICER,
    Role.COMMUNE_LEADER,
    Role.DISTRICT_OFFICER,
    Role.PROVINCE_OFFICER,
    Role.SYSADMIN,
)
