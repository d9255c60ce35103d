from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "caunoi.meetings"
    label = "meetings"
    verbose_name = _("Community meetings")

    def ready(self) -> None:
        from . import audit, sections  # noqa: F401  (declare the audited actions and the sections)
