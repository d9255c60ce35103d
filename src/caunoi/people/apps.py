from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "caunoi.people"
    label = "people"
    verbose_name = _("People and mandates")

    def ready(self) -> None:
        # (the access layer, which tells core.audit whom a helper acts for; the change log's labels;
        # the home section; the report's indicators)
        from . import access, audit, indicators, sections  # noqa: F401
