from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "caunoi.people"
    label = "people"
    verbose_name = _("People and mandates")

    def ready(self) -> None:
        # (the change log's labels; the home section; the report's indicators)
        from . import audit, indicators, sections  # noqa: F401
