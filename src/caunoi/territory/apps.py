from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "caunoi.territory"
    label = "territory"
    verbose_name = _("Territory")

    def ready(self) -> None:
        from . import audit, converters, tasks  # noqa: F401  (audited actions, outbox topic)

        converters.register()
