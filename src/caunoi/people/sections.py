"""People's sections on other apps' pages (see caunoi.core.sections)."""

from caunoi.core.sections import section

from .selectors import person_mandates


@section("home", "people/_home_places.html", order=0)
def places_on_home(request):
    """The signed-in person's places (their active mandates), first on the home page."""
    if not request.user.is_authenticated:
        return None
    return {"mandates": person_mandates(request.user)}
