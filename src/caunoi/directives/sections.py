"""What the directives app adds to other apps' pages (see caunoi.core.sections)."""

from caunoi.core.sections import section
from caunoi.people.access import Access

from . import permissions, selectors

HOME_TASKS = 10


@section("home", "directives/_home.html")
def directives_on_home(request):
    """A head's open tasks (the first ten by due date) and links to the grounds an official
    follows; nothing for someone who neither works nor follows tasks."""
    user = request.user
    if not user.is_authenticated:
        return None
    works = bool(Access.for_user(user).paths(permissions.WORK))
    tasks = selectors.assignment_inbox(user)[0][:HOME_TASKS] if works else None
    grounds = selectors.unit_list_followed(user)
    if tasks is None and not grounds:
        return None
    return {"tasks": tasks, "grounds": grounds}
