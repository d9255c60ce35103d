from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "caunoi.outreach"
    label = "outreach"
    verbose_name = _("Notices and outreach")

    def ready(self) -> None:
        # The report's indicators too (core.indicators).
        from . import audit, indicators, sections, tasks  # noqa: F401  (actions, sections, outbox topics)
