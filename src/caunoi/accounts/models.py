"""One-time codes and API tokens. Both moved here from `people` by state only: `db_table` keeps
their tables' names (see the app's docstring)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OneTimeCode(models.Model):
    """A sign-in code sent by SMS. Only its hash is kept."""

    phone = models.CharField(max_length=15, db_index=True)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "people_onetimecode"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.phone} {self.created_at:%d/%m/%Y %H:%M}"


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "people_apitoken"

    def __str__(self) -> str:
        return self.name
