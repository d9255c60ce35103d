"""Parallel sign-in attempts on real connections (PostgreSQL only: SQLite serialises writers)."""

import threading

import pytest
from django.db import connection, connections

from caunoi.core.exceptions import ApplicationError
from caunoi.people import services
from caunoi.people.models import OneTimeCode, Person, SignInGuard

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


def run_parallel(n, work):
    barrier = threading.Barrier(n)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(("ok", work()))
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            results.append(("error", exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_parallel_failures_all_count_and_lock_once(settings):
    settings.SIGNIN_MAX_FAILURES = 5
    key = services.signin_key("0912000001")
    results = run_parallel(8, lambda: services.signin_guard_fail(key=key))
    assert [kind for kind, _ in results] == ["ok"] * 8
    guard = SignInGuard.objects.get(key=key)
    assert guard.locked_until is not None
    assert guard.failures == 3  # 5 locked it (and reset the count), 3 more counted after


def test_parallel_double_submission_signs_in_once(settings):
    settings.SMS_BACKEND = "file"
    person = Person.objects.create_user(phone="0912000001", full_name="Hoàng Văn Sơn")
    services.otp_request(phone=person.phone)
    with open(settings.SMS_FILE_PATH, encoding="utf-8") as f:
        code = next(w for w in f.read().replace(".", " ").split() if w.isdigit() and len(w) == 6)
    results = run_parallel(4, lambda: services.otp_verify(phone=person.phone, code=code))
    oks = [value for kind, value in results if kind == "ok"]
    errors = [value for kind, value in results if kind == "error"]
    assert oks == [person]
    assert len(errors) == 3
    assert all(isinstance(e, services.OtpAlreadyUsed) for e in errors)
    assert all(isinstance(e, ApplicationError) for e in errors)
    assert not SignInGuard.objects.filter(failures__gt=0).exists()
    assert OneTimeCode.objects.get().used_at is not None
