"""The actions the surveys record in the audit trail (see caunoi.core.audit)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.audit import action

CAMPAIGN_CREATED = action("surveys.campaign.created", _("Survey campaign opened"))
CODES_ISSUED = action("surveys.codes.issued", _("One-time survey codes issued for an area"))
FORM_IMPORTED = action("surveys.form.imported", _("Survey form imported (XLSForm)"))
RESPONSES_IMPORTED = action(
    "surveys.responses.imported", _("Survey responses imported from a file")
)
