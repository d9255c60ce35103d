from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "caunoi.funds"
    label = "funds"
    verbose_name = _("Community funds")

    def ready(self) -> None:
        from . import audit, checks, sections  # noqa: F401  (actions, deploy checks, sections)
