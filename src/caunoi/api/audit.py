"""The API's audited actions: its tokens."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.audit import action

TOKEN_CREATED = action("api.token.created", _("API token created"))
TOKEN_REVOKED = action("api.token.revoked", _("API token revoked"))
