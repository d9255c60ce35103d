"""The directives app's permissions: each names the roles holding it (see caunoi.people.access)."""

from caunoi.people.access import Permission
from caunoi.people.models import Role

# Write, send, amend and withdraw a commune's tasks: only the commune's own officers (not the
# district or province).
ISSUE = Permission("directives.issue", Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER, Role.SYSADMIN)
# See a commune's tasks, completion, evidence and the lesson-5 figures: the commune and above.
FOLLOW = Permission(
    "directives.follow",
    Role.COMMUNE_OFFICER,
    Role.COMMUNE_LEADER,
    Role.DISTRICT_OFFICER,
    Role.PROVINCE_OFFICER,
    Role.SYSADMIN,
)
# Acknowledge, report on and finish an area's tasks: its head and deputy.
WORK = Permission("directives.work", Role.HEAD, Role.DEPUTY_HEAD)
