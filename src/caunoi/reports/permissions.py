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


def check_national(user) -> None:
    """The national report (every province) is read by those who hold `READ` over the whole
    country (a system administrator); 403 for anyone else (their own unit's report is theirs)."""
    from django.core.exceptions import PermissionDenied

    from caunoi.people import access

    if not access.Access.for_user(user).holds_everywhere(READ):
        raise PermissionDenied


def access_publication(*, user, pk: int, perm: Permission):
    """A live publication, if `user` holds `perm` on the unit that published it."""
    from caunoi.people import access

    from .models import Publication

    publication = Publication.objects.select_related("unit", "campaign").filter(pk=pk).first()
    return access.check_object(user, perm, publication, lambda p: p.unit)


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

# Commendation of heads (khen thưởng): the commune proposes; the level of the award decides.
COMMEND_READ = Permission(
    "reports.commend.read",
    Role.COMMUNE_OFFICER,
    Role.COMMUNE_LEADER,
    Role.DISTRICT_OFFICER,
    Role.PROVINCE_OFFICER,
    Role.SYSADMIN,
)
COMMEND_PROPOSE = Permission(
    "reports.commend.propose", Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER, Role.SYSADMIN
)
# The commune chair's certificate is decided by the commune's leader; the district's and the
# province's by their officers, on their own unit.
COMMEND_DECIDE_COMMUNE = Permission("reports.commend.decide", Role.COMMUNE_LEADER, Role.SYSADMIN)
COMMEND_DECIDE_UP = Permission(
    "reports.commend.decide_up", Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER, Role.SYSADMIN
)
# The head's own commendations (and their consent to show them): the head, the deputy.
COMMEND_OWN = Permission("reports.commend.own", Role.HEAD, Role.DEPUTY_HEAD)


def deciding_unit(proposal):
    """The unit whose officers decide `proposal` (its commune, district or province), or None
    (a district award where the tree has no district)."""
    from caunoi.territory.models import Level

    from .models import Award

    if proposal.award == Award.COMMUNE:
        return proposal.commune
    level = Level.DISTRICT if proposal.award == Award.DISTRICT else Level.PROVINCE
    return next((u for u in proposal.commune.lineage() if u.level == level), None)


def can_decide(user, proposal) -> bool:
    from caunoi.people import access

    from .models import Award

    unit = deciding_unit(proposal)
    if unit is None:
        return False
    perm = COMMEND_DECIDE_COMMUNE if proposal.award == Award.COMMUNE else COMMEND_DECIDE_UP
    return access.can(user, perm, unit)


def access_proposal(*, user, pk: int, perm: Permission = COMMEND_READ):
    """A proposal, if `user` holds `perm` on its commune (404 off the ground)."""
    from caunoi.people import access

    from .models import Proposal

    proposal = Proposal.objects.select_related("commune").filter(pk=pk).first()
    return access.check_object(user, perm, proposal, lambda p: p.commune)


def access_own_line(*, user, pk: int):
    """A line of a proposal about `user` themselves (the head consenting), else 404."""
    from django.http import Http404

    from .models import ProposalLine

    line = ProposalLine.objects.select_related("proposal", "area").filter(pk=pk).first()
    if line is None or line.person_id != getattr(user, "pk", None):
        raise Http404
    return line
