from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "caunoi.outreach"
    label = "outreach"
    verbose_name = _("Notices and outreach")

    def ready(self):
        from caunoi.core import access
        from caunoi.people.models import Role

        from . import perms, tasks  # noqa: F401  (tasks register their outbox topics)

        access.grant(
            perms.PUBLISH, Role.HEAD, Role.DEPUTY_HEAD, Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER
        )
        access.grant(
            perms.REACH,
            Role.HEAD,
            Role.DEPUTY_HEAD,
            Role.COMMUNE_OFFICER,
            Role.COMMUNE_LEADER,
            Role.DISTRICT_OFFICER,
            Role.PROVINCE_OFFICER,
            Role.SYSADMIN,
        )
