"""The actions the directives app records in the change log (see caunoi.core.audit)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.audit import action

DIRECTIVE_CREATED = action("directives.directive.created", _("Task written (draft)"))
DIRECTIVE_SENT = action("directives.directive.sent", _("Task sent to the heads"))
DIRECTIVE_AMENDED = action("directives.directive.amended", _("Task amended"))
DIRECTIVE_WITHDRAWN = action("directives.directive.withdrawn", _("Task withdrawn"))
ASSIGNMENT_ACKNOWLEDGED = action(
    "directives.assignment.acknowledged", _("Task received by the head")
)
ASSIGNMENT_PROGRESSED = action("directives.assignment.progressed", _("Progress reported on a task"))
ASSIGNMENT_NOTIFIED = action(
    "directives.assignment.notified", _("Households told of a task by a notice")
)
ASSIGNMENT_COMPLETED = action("directives.assignment.completed", _("Task done"))
ASSIGNMENT_DECLINED = action("directives.assignment.declined", _("Task reported as not possible"))
