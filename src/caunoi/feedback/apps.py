from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "caunoi.feedback"
    label = "feedback"
    verbose_name = _("Questions and reports")

    def ready(self):
        from caunoi.core import access
        from caunoi.people.models import Role

        from . import permissions as p

        access.grant(
            p.VIEW,
            Role.HEAD,
            Role.DEPUTY_HEAD,
            Role.COMMUNE_OFFICER,
            Role.COMMUNE_LEADER,
            Role.DISTRICT_OFFICER,
            Role.PROVINCE_OFFICER,
            Role.SYSADMIN,
        )
        access.grant(
            p.ANSWER,
            Role.HEAD,
            Role.DEPUTY_HEAD,
            Role.COMMUNE_OFFICER,
            Role.COMMUNE_LEADER,
            Role.SYSADMIN,
        )
        access.grant(p.COMMUNE, Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER, Role.SYSADMIN)
        access.grant(
            p.STATS,
            Role.COMMUNE_OFFICER,
            Role.COMMUNE_LEADER,
            Role.DISTRICT_OFFICER,
            Role.PROVINCE_OFFICER,
            Role.SYSADMIN,
        )
