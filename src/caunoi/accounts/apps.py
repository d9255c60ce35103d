from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "caunoi.accounts"
    label = "accounts"
    verbose_name = _("Accounts and sign-in")

    def ready(self) -> None:
        from . import audit, sections  # noqa: F401  (the change log's labels, sections)
