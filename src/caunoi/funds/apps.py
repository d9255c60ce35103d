from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "caunoi.funds"
    label = "funds"
    verbose_name = _("Community funds")

    def ready(self) -> None:
        from caunoi.core import access
        from caunoi.people.models import Role

        from . import perms

        # The area's keepers record contributions, expenses, decisions and corrections.
        access.grant(perms.RECORD, Role.HEAD, Role.DEPUTY_HEAD, Role.TREASURER)
        # Approving an expense takes a second keeper of the area (never the one who recorded it,
        # which the service enforces).
        access.grant(perms.APPROVE, Role.HEAD, Role.DEPUTY_HEAD, Role.TREASURER)
        # Reading everything (pending and rejected expenses, invoices, households' payments): the
        # keepers, the inspection board of the area, and the commune, district and province above.
        access.grant(
            perms.READ,
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
