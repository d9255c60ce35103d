from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "caunoi.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from . import audit, sections  # noqa: F401  (audited actions, the home section)
