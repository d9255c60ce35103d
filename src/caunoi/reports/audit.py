"""The actions the reports app records in the audit trail (see caunoi.core.audit)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.audit import action

PUBLISHED = action("reports.publication.created", _("Survey results published"))
WITHDRAWN = action("reports.publication.withdrawn", _("Published survey results withdrawn"))
RULES_SAVED = action("reports.rules.saved", _("Emulation rules for heads saved (a new version)"))
PROPOSED = action("reports.proposal.created", _("Heads proposed for commendation"))
LINE_DECIDED = action("reports.proposal_line.decided", _("Commendation of a head decided"))
LINE_AMENDED = action("reports.proposal_line.amended", _("Commendation proposal of a head amended"))
DECISION_ISSUED = action("reports.proposal.decided", _("Commendation decision issued"))
CONSENT_SET = action(
    "reports.proposal_line.consent", _("Head's consent to show a commendation publicly changed")
)
