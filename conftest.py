import pytest

from caunoi.core.testing import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_for(client):
    """client_for(person): the test client signed in as that person."""

    def sign_in(person):
        client.force_login(person)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Plain HTTP and unhashed static files in tests; production keeps both strict."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    # Argon2 is the production hasher (tests/test_settings.py checks it); tests need speed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def counts_stay_true(db):
    """Use in tests that write households: afterwards every area's kept count is the real one."""
    from caunoi.core.testing import household_count_drift

    yield
    assert household_count_drift() == {}
