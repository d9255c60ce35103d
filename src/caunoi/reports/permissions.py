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

# Publish a survey's aggregate results for one's ground, and withdraw them.
PUBLISH = Permission(
    "reports.publish",
    Role.COMMUNE_OFFICER,
    Role.COMMUNE_LEADER,
    Role.DISTRICT_OFFICER,
    Role.PROVINCE_OFFICER,
    Role.SYSADMIN,
)


def access_publication(*, user, pk: int, perm: Permission):
    """A live publication, if `user` holds `perm` on the unit that published it."""
    from django.http import Http404

    from caunoi.people import access

    from .models import Publication

    publication = Publication.objects.select_related("unit", "campaign").filter(pk=pk).first()
    if publication is None:
        raise Http404
    access.check(user, perm, publication.unit)
    return publication


# Enter the province's emulation rules for heads: its officers.
RULES = Permission("reports.rules", Role.PROVINCE_OFFICER, Role.SYSADMIN)
# Read a head's scorecard: the head and deputy of the area, and the officers above.
SCORECARD = Permission(
    "reports.scorecard",
    Role.HEAD,
    Role.DEPUTY_HEAD,
    Role.COMMUNE_OFFICER,
    Role.COMMUNE_LEADER,
    Role.DISTRICT_OFFICER,
    Role.PROVINCE_OFFICER,
    Role.SYSADMIN,
)
