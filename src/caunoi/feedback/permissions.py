"""The feedback app's permissions: each names the roles that hold it (see caunoi.people.access)."""

from caunoi.people.access import Permission
from caunoi.people.models import Role

# See the requests of a ground, with the askers' names.
VIEW = Permission(
    "feedback.view",
    Role.HEAD,
    Role.DEPUTY_HEAD,
    Role.COMMUNE_OFFICER,
    Role.COMMUNE_LEADER,
    Role.DISTRICT_OFFICER,
    Role.PROVINCE_OFFICER,
    Role.SYSADMIN,
)
# Answer, escalate, hide, redact (heads at their level, the commune at any).
ANSWER = Permission(
    "feedback.answer",
    Role.HEAD,
    Role.DEPUTY_HEAD,
    Role.COMMUNE_OFFICER,
    Role.COMMUNE_LEADER,
    Role.SYSADMIN,
)
# Act at the commune level, keep categories and Open311 keys.
COMMUNE = Permission("feedback.commune", Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER, Role.SYSADMIN)
# Statistics of a ground.
STATS = Permission(
    "feedback.stats",
    Role.COMMUNE_OFFICER,
    Role.COMMUNE_LEADER,
    Role.DISTRICT_OFFICER,
    Role.PROVINCE_OFFICER,
    Role.SYSADMIN,
)
