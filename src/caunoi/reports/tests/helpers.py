"""Facts the reports' tests build on: a task the commune hands out in time, done by the head."""

import datetime

from django.utils import timezone

from caunoi.directives import services as directive_services
from caunoi.directives.models import Assignment
from caunoi.testing import send_directive


def send_task(world, areas, *, due_in: int = 30, reason: str = ""):
    due = timezone.localdate() + datetime.timedelta(days=due_in)
    return send_directive(
        world, areas=list(areas), due=due, reason=reason, title="Việc", body="Làm."
    )


def task_done(world, area, head) -> None:
    """A task handed out in time and done: the head's scorecard is excellent."""
    d = send_task(world, [area])
    a = Assignment.objects.get(directive=d, area=area)
    directive_services.assignment_complete(actor=head, assignment=a, note="Xong")
