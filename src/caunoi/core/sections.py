"""One extension mechanism: an app adds a section to a page of another app without that page
knowing the app. The slots:

* `home`: the signed-in home page (`request`);
* `unit`: a unit's public page, the area's included (`request`, `unit`);
* `head`: a head's (or deputy's) entry in the commune's register (`request`, `mandate`).

An app registers its sections in its `sections.py` (imported by its AppConfig.ready()):

    @section("unit", "funds/_unit_section.html", order=10)
    def funds_on_unit(request, unit):
        if not unit.is_area:
            return None                      # nothing to show: the section is left out
        return {"funds": selectors.fund_list(area=unit)}

and the page renders the slot with `{% sections "unit" unit=unit %}` (`core` template tags).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

SLOTS = ("home", "unit", "head")


@dataclass(frozen=True)
class Section:
    slot: str
    template: str
    context: Callable[..., dict[str, Any] | None]
    order: int


REGISTRY: dict[str, list[Section]] = {slot: [] for slot in SLOTS}


def section(
    slot: str, template: str, *, order: int = 50
) -> Callable[[Callable[..., dict[str, Any] | None]], Callable[..., dict[str, Any] | None]]:
    if slot not in REGISTRY:
        raise ValueError(f"no section slot {slot!r} (one of {', '.join(SLOTS)})")

    def register(
        context: Callable[..., dict[str, Any] | None],
    ) -> Callable[..., dict[str, Any] | None]:
        entries = [s for s in REGISTRY[slot] if s.template != template]
        entries.append(Section(slot, template, context, order))
        REGISTRY[slot] = sorted(entries, key=lambda s: (s.order, s.template))
        return context

    return register


def render_slot(slot: str, request: HttpRequest, **kwargs: Any) -> list[tuple[str, dict[str, Any]]]:
    """The (template, context) of each section that has something to show, in order."""
    shown = []
    for entry in REGISTRY[slot]:
        context = entry.context(request, **kwargs)
        if context is not None:
            shown.append((entry.template, {"request": request, **kwargs, **context}))
    return shown
