"""Signed-in browsers stay signed in: a session remembers the dotted path of the backend that signed
it in, and Django signs out any session whose backend is no longer in AUTHENTICATION_BACKENDS. The
backend moved from `caunoi.people.backends` to `caunoi.accounts.backends`; the sessions kept in the
database (Cầu Nối's engine, `backends.db`) are rewritten to name the new path. With another engine
(cache, signed cookies) nothing is rewritten: those people sign in again once."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

OLD = "caunoi.people.backends.PhoneOrUsernameBackend"
NEW = "caunoi.accounts.backends.PhoneOrUsernameBackend"
DB_ENGINE = "django.contrib.sessions.backends.db"


def rewrite(apps, old: str, new: str) -> None:
    if settings.SESSION_ENGINE != DB_ENGINE:
        return
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    live = Session.objects.filter(expire_date__gt=timezone.now())
    for session in live.only("session_key", "session_data").iterator(chunk_size=2000):
        data = store.decode(session.session_data)  # {} when it cannot be read: left alone
        if data.get(BACKEND_SESSION_KEY) != old:
            continue
        data[BACKEND_SESSION_KEY] = new
        Session.objects.filter(session_key=session.session_key).update(
            session_data=store.encode(data)
        )


def forwards(apps, schema_editor):
    rewrite(apps, OLD, NEW)


def backwards(apps, schema_editor):
    rewrite(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_names_from_people"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
