from .models import Mandate


def person_mandates(person):
    """The person's active mandates with their units, most local first."""
    return list(
        Mandate.objects.active()
        .filter(person=person)
        .select_related("unit")
        .order_by("-unit__level", "role")
    )
