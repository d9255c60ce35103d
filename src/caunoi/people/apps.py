from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "caunoi.people"
    label = "people"
    verbose_name = _("People and mandates")

    def ready(self):
        from caunoi.core import access

        from .models import Role

        # The province keeps the allowance table of its People's Council resolution.
        access.grant("heads.allowances", Role.PROVINCE_OFFICER, Role.SYSADMIN)
