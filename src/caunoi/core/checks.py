"""Deploy checks of the kit (`manage.py check --deploy`, run before production starts)."""

from django.conf import settings
from django.core import checks


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
