from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "caunoi.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.urls import register_converter

        from . import checks  # noqa: F401  (the deploy and retired-rule checks)
        from .params import IdConverter

        register_converter(IdConverter, "int")  # ids beyond BIGINT: 404, not a 500
