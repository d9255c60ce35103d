"""The actions the reports app records in the audit trail (see caunoi.core.audit)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.audit import action

PUBLISHED = action("reports.publication.created", _("Survey results published"))
WITHDRAWN = action("reports.publication.withdrawn", _("Published survey results withdrawn"))
RULES_SAVED = action("reports.rules.saved", _("Emulation rules for heads saved (a new version)"))
