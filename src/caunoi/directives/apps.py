from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "caunoi.directives"
    label = "directives"
    verbose_name = _("Tasks from the commune")

    def ready(self) -> None:
        # The report's indicators too (core.indicators).
        from . import audit, indicators, sections  # noqa: F401  (declare the actions, register the sections)
