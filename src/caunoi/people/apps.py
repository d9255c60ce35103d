from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "caunoi.people"
    label = "people"
    verbose_name = _("People and mandates")

    def ready(self):
        from . import audit  # noqa: F401  (registers the change log's labels)
