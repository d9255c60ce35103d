import os

import pytest

from caunoi.testing import build_world


def _flush_past_the_ledger_guard():
    """The ledger's tables refuse DELETE and TRUNCATE (`caunoi.funds.guard`); a test database's
    flush (transactional tests) steps the guard aside for that one emptying, in its transaction."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from caunoi.funds import guard

    flush = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        return flush(self, guard.around_flush(self.connection.vendor, sql_list))

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]


_flush_past_the_ledger_guard()


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
    settings.MEDIA_ROOT = str(tmp_path / "media")  # uploads and notices' audio
    # Argon2 is the production hasher (tests/test_settings.py checks it); tests need speed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Public pages are not cached in tests (many write with the ORM, which bumps no version);
    # core/tests/test_pagecache.py turns it on and checks it.
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def counts_stay_true(db):
    """Use in tests that write households: afterwards every area's kept count is the real one."""
    from caunoi.testing import household_count_drift

    yield
    assert household_count_drift() == {}


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/2")


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def pytest_collection_modifyitems(config, items):
    """`@pytest.mark.postgres` tests need PostgreSQL (concurrent writers, a worker in another
    process): skipped on SQLite. `@pytest.mark.redis` tests need Redis: skipped without it on a
    developer's machine, but in CI (CI=true) a missing Redis fails the run instead."""
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    need_redis = [item for item in items if item.get_closest_marker("redis")]
    if need_redis and not _redis_answers():
        if os.environ.get("CI") == "true":
            raise pytest.UsageError(f"CI needs Redis at {REDIS_URL} for {len(need_redis)} tests")
        skip_redis = pytest.mark.skip(reason=f"no Redis at {REDIS_URL}")
        for item in need_redis:
            item.add_marker(skip_redis)
    if not on_postgres:
        skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
        for item in items:
            if item.get_closest_marker("postgres"):
                item.add_marker(skip_pg)


@pytest.fixture
def english(client):
    """Pages and messages in English, so that assertions read the msgids. The one way to ask
    for English: `pytestmark = pytest.mark.usefixtures("english")` or a fixture argument."""
    from django.utils import translation

    client.cookies["caunoi_language"] = "en"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
