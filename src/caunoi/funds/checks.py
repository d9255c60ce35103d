"""Deploy checks of the funds (`manage.py check --deploy`, run before production starts)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def ledger_key_set(app_configs=None, **kwargs):
    """Without LEDGER_KEY the seals are derived from SECRET_KEY: one more thing that must then never
    change, and a key that also sits in every developer's settings. Production sets its own."""
    if settings.LEDGER_KEY:
        return []
    return [
        checks.Error(
            "LEDGER_KEY is not set: the funds' ledger seals fall back to a key derived from "
            "SECRET_KEY.",
            hint="Set LEDGER_KEY (50+ random characters, the same on every app server, never "
            "changed) in the environment or LEDGER_KEY_FILE.",
            id="funds.E001",
        )
    ]
