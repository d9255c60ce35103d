from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "caunoi.territory"
    label = "territory"
    verbose_name = _("Territory")

    def ready(self) -> None:
        from . import audit, converters  # noqa: F401  (audit declares the audited actions)

        converters.register()
