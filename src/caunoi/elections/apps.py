from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "caunoi.elections"
    label = "elections"
    verbose_name = _("Elections of the heads")

    def ready(self) -> None:
        from . import audit, sections  # noqa: F401  (declare the audited actions and the sections)
