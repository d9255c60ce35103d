from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "caunoi.funds"
    label = "funds"
    verbose_name = _("Community funds")

    def ready(self) -> None:
        # The report's indicators too (core.indicators).
        from . import audit, checks, indicators, sections  # noqa: F401  (actions, deploy checks, sections)
