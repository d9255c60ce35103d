"""People's sections on other apps' pages (see caunoi.core.sections)."""

from caunoi.core.pagecache import reader_scope
from caunoi.core.sections import section

from .models import Role
from .selectors import person_mandates


@section("home", "people/_home_places.html", order=0)
def places_on_home(request):
    """The signed-in person's places (their active mandates), first on the home page."""
    if not request.user.is_authenticated:
        return None
    mandates = person_mandates(request.user)
    # A resident is not "in charge" of anything: their place is where they live.
    lives_only = bool(mandates) and all(m.role == Role.RESIDENT for m in mandates)
    return {"mandates": mandates, "lives_only": lives_only}


@reader_scope
def mandate_units(person):
    """A person's signed-in pages read what happens on the units of their mandates (and below:
    an officer's commune and its areas; a household's area)."""
    return [m.unit.path for m in person_mandates(person) if m.unit]
