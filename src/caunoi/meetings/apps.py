from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "caunoi.meetings"
    label = "meetings"
    verbose_name = _("Community meetings")

    def ready(self) -> None:
        # The audited actions, the sections, and the report's indicators (core.indicators).
        from . import audit, indicators, sections  # noqa: F401
