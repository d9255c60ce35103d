"""The audited actions of residents' questions and reports (see caunoi.core.audit)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.audit import action

CATEGORY_CREATED = action("feedback.category.created", _("Question category added"))
CATEGORY_UPDATED = action("feedback.category.updated", _("Question category changed"))
REQUEST_CREATED = action("feedback.request.created", _("Question or report received"))
REQUEST_ESCALATED = action("feedback.request.escalated", _("Question sent to the commune"))
REQUEST_AUTO_ESCALATED = action(
    "feedback.request.auto_escalated", _("Question sent to the commune automatically (overdue)")
)
REQUEST_RETURNED = action("feedback.request.returned", _("Question returned to the head"))
REQUEST_FORWARDED = action("feedback.request.forwarded", _("Question passed to another department"))
REQUEST_ANSWERED = action("feedback.request.answered", _("Question answered"))
REQUEST_RESOLVED = action("feedback.request.resolved", _("Question confirmed resolved"))
REQUEST_REOPENED = action("feedback.request.reopened", _("Question reopened by the asker"))
REQUEST_HIDDEN = action("feedback.request.hidden", _("Question hidden"))
REQUEST_REDACTED = action("feedback.request.redacted", _("Public text of a question edited"))
API_CLIENT_CREATED = action("feedback.api_client.created", _("Open311 key issued"))
