"""Checks of the kit: deploy checks (`manage.py check --deploy`, run before production starts)
and the retired-rule check (every `manage.py` command)."""

import os

from django.conf import settings
from django.core import checks

from caunoi.core.policy import RETIRED


@checks.register()
def retired_rules_not_set(app_configs=None, **kwargs):
    """A rule merged into another no longer decides anything: say so rather than ignore it."""
    return [
        checks.Warning(
            f"{old} is set in the environment but no longer read: {new} decides now.",
            hint=f"Move the value to {new} (see .env.example) and remove {old}.",
            id="core.W001",
        )
        for old, new in RETIRED.items()
        if os.environ.get(old, "").strip()
    ]


@checks.register(checks.Tags.security, deploy=True)
def secret_key_given(app_configs=None, **kwargs):
    """Without SECRET_KEY each machine makes its own under var/: fine on one machine, wrong on
    several app servers (each would refuse the others' sessions, signed links and CSRF tokens)."""
    if not settings.SECRET_KEY_GENERATED:
        return []
    return [
        checks.Error(
            "SECRET_KEY is not set: a key was generated under var/ for this machine only.",
            hint="Set SECRET_KEY (50+ random characters, the same on every app server) in the "
            "environment or SECRET_KEY_FILE.",
            id="core.E001",
        )
    ]
