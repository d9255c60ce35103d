"""One policy registry: every legal or configurable threshold is a declared `Rule` with its
default, its legal basis (or "commune practice" where the law says nothing), and the environment
variable that sets it. Each app declares its rules in its `policy.py`:

    MIN_LEAD = rule(
        "DIRECTIVE_MIN_LEAD_WORKING_DAYS", 5,
        label=_("Minimum lead time (working days)"),
        basis=_("Commune policy following lesson 5 of the Phú Thọ review; not a legal rule."),
    )

`settings.py` turns every declared rule into a setting read from the environment
(`policy.settings_from_env`), `.env.example` lists them (a test checks), code reads
`MIN_LEAD.value` (so tests may override the setting), and pages show the rules that apply with
`{% include "core/_rules.html" with rules=… %}`. Nothing reads a threshold with
`getattr(settings, NAME, default)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


PARSERS: dict[type, Callable[[str], Any]] = {int: int, float: float, str: str, list: _list}


@dataclass(frozen=True)
class Rule:
    name: str  # the setting and the environment variable
    default: Any
    label: Any  # lazily translated
    basis: Any  # lazily translated: the law (article, decree) or "commune practice"
    share: bool = False  # a share of a whole (0.5): shown as a percentage

    @property
    def value(self) -> Any:
        return getattr(settings, self.name)

    def parse(self, raw: str) -> Any:
        return PARSERS[type(self.default)](raw.strip())


RULES: dict[str, Rule] = {}

# Rules that were merged into another: a deployment still setting the old name is told (a system
# check), never silently ignored. Old name → the rule that now decides.
RETIRED: dict[str, str] = {
    "FUNDS_DECISION_THRESHOLD": "MEETINGS_DECISION_SHARE",
}


def rule(name: str, default: Any, *, label: Any, basis: Any, share: bool = False) -> Rule:
    if type(default) not in PARSERS:
        raise TypeError(f"{name}: a rule's default is an int, float, str or list")
    declared = Rule(name, default, label, basis, share)
    RULES[name] = declared
    return declared


def settings_from_env(env: Callable[[str, str], str], modules: list[str]) -> dict[str, Any]:
    """The settings of every rule declared in `modules`, each from its environment variable or
    its default (for `settings.py`)."""
    from importlib import import_module

    for module in modules:
        import_module(module)
    values = {}
    for name, declared in RULES.items():
        raw = env(name, "")
        values[name] = declared.parse(raw) if raw.strip() else declared.default
    return values
