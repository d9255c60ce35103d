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


def _flush_by_delete_on_postgresql():
    """A transactional test's flush on PostgreSQL: DELETE instead of TRUNCATE. TRUNCATE gives each
    of the ~80 tables and their indexes new files, about 2.5 s a flush here against 0.1 s for the
    DELETEs, and the browser tests flush after every test. The tables hold a few hundred rows then;
    foreign keys are checked once all are deleted, so the order does not matter. Sequences are not
    reset, as Django's own flush does not unless asked (then, and for a cascade: TRUNCATE)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        deletes = [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(t))}"
            for t in tables
        ]
        # checked at the end, before the ledger guard's triggers come back (no ALTER TABLE while
        # a table has checks pending)
        return ["SET CONSTRAINTS ALL DEFERRED", *deletes, "SET CONSTRAINTS ALL IMMEDIATE"]

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]


_flush_by_delete_on_postgresql()
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
def page_cache_on(settings):
    """The page cache on (a minute), empty before and after the test."""
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


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


# Modules that take longest, started first so that the run does not end on one of them while the
# other worker idles (xdist hands out the rest in this order; a module marked `xdist_group`, the
# built demo, goes before all: xdist puts the biggest unit of work first). The browser tests stay
# last, where the collection puts them: the session's Chromium keeps Playwright's asyncio loop on
# the worker's thread and DJANGO_ALLOW_ASYNC_UNSAFE set, which no test after them should inherit.
LONGEST_FIRST = ("tests/test_benchmarks.py", "tests/test_access_matrix.py")


def _longest_first(items) -> None:
    def rank(item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return next((i for i, p in enumerate(LONGEST_FIRST) if path.startswith(p)), 99)

    items.sort(key=rank)  # stable: each module stays whole and in its own order


def _keep_xdist_groups(config, items) -> None:
    """`--dist loadgroup` keeps tests marked `xdist_group(name)` on one worker by the suffix
    `@name` that pytest-xdist adds to their node ids. pytest-xdist 3.8 writes it to `_nodeid`,
    which pytest 9 no longer reads (the id lives in `_id`): the suffix got lost and the demo
    module was built on both workers. Added here where it is missing."""
    if not config.getvalue("loadgroup"):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                        for m in item.iter_markers("xdist_group")})  # fmt: skip
        suffix = "@" + "_".join(names)
        if names and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)
            if not item.nodeid.endswith(suffix):  # a pytest that keeps its ids elsewhere again
                raise pytest.UsageError(f"cannot group {item.nodeid} on one xdist worker")


def pytest_collection_modifyitems(config, items):
    """`@pytest.mark.postgres` tests need PostgreSQL (concurrent writers, a worker in another
    process): skipped on SQLite. `@pytest.mark.redis` tests need Redis: skipped without it on a
    developer's machine, but in CI (CI=true) a missing Redis fails the run instead."""
    from django.conf import settings

    _longest_first(items)
    if hasattr(config, "workerinput"):  # an xdist worker: its ids are the ones scheduled
        _keep_xdist_groups(config, items)

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
