from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "caunoi.feedback"
    label = "feedback"
    verbose_name = _("Questions and reports")

    def ready(self):
        # The report's indicators too (core.indicators).
        from . import audit, indicators, sections  # noqa: F401  (actions' labels, page sections)
