"""What the surveys add to other apps' pages (see caunoi.core.sections)."""

from django.utils import timezone

from caunoi.core.sections import section

from . import selectors


@section("home", "surveys/_home.html", order=50)
def surveys_on_home(request):
    """The surveys the resident's household may answer now, and the campaigns whose results the
    reader may follow (the five latest)."""
    user = request.user
    if not user.is_authenticated:
        return None
    to_answer = selectors.campaign_to_answer(user, today=timezone.localdate())
    visible = list(selectors.campaign_list(user)[:5])
    if not to_answer and not visible:
        return None
    return {"to_answer": to_answer, "visible": visible}
