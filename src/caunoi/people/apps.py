from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "caunoi.people"
    label = "people"
    verbose_name = _("People and mandates")

    def ready(self) -> None:
        from . import audit, sections  # noqa: F401  (the change log's labels; the home section)
