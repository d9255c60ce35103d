from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "caunoi.directives"
    label = "directives"
    verbose_name = _("Tasks from the commune")

    def ready(self):
        from caunoi.core import access
        from caunoi.people.models import Role

        from . import permissions as p

        # Only the commune's own officers hand out and change work (not the district or province).
        access.grant(p.ISSUE, Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER, Role.SYSADMIN)
        # Following the work and the lesson-5 figures: the commune and the levels above it.
        access.grant(
            p.FOLLOW,
            Role.COMMUNE_OFFICER,
            Role.COMMUNE_LEADER,
            Role.DISTRICT_OFFICER,
            Role.PROVINCE_OFFICER,
            Role.SYSADMIN,
        )
        # Working on an area's tasks: its head and deputy.
        access.grant(p.WORK, Role.HEAD, Role.DEPUTY_HEAD)
