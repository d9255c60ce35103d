"""The funds' audited actions, each declared once with its label (see caunoi.core.audit)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.audit import action

DECISION_RECORDED = action("funds.decision.recorded", _("Residents' decision recorded"))
FUND_CREATED = action("funds.fund.created", _("Fund opened"))
CAMPAIGN_CREATED = action("funds.campaign.created", _("Contribution campaign set up"))
EXEMPTION_GRANTED = action("funds.exemption.granted", _("Household exempted from a campaign"))
CONTRIBUTION_RECORDED = action("funds.contribution.recorded", _("Contribution recorded"))
INCOME_RECORDED = action("funds.income.recorded", _("Other income recorded"))
EXPENSE_RECORDED = action("funds.expense.recorded", _("Expense recorded"))
EXPENSE_APPROVED = action("funds.expense.approved", _("Expense approved"))
EXPENSE_REJECTED = action("funds.expense.rejected", _("Expense rejected"))
INVOICE_COVERED = action("funds.invoice.covered", _("Personal data covered on an invoice"))
ENTRY_REVERSED = action("funds.entry.reversed", _("Ledger entry corrected"))
