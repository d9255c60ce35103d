"""The actions of accounts recorded in the change log (see caunoi.core.audit). Before the accounts
app, API tokens were recorded as `api.token.created`/`api.token.revoked` (rewritten by migration
0002)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.audit import action

API_TOKEN_CREATED = action("accounts.api_token.created", _("API token created"))
API_TOKEN_REVOKED = action("accounts.api_token.revoked", _("API token revoked"))
STAFF_SIGNED_IN = action("accounts.staff.signed_in", _("Administrator signed in"))
ACCOUNT_LOCKED = action("accounts.account.locked", _("Sign-in locked after wrong passwords"))
DELEGATION_NAMED = action("accounts.delegation.named", _("Helper named by the head"))
DELEGATION_CONFIRMED = action(
    "accounts.delegation.confirmed", _("Helper confirmed with the head's code")
)
DELEGATION_ENDED = action("accounts.delegation.ended", _("Helper's delegation ended"))
