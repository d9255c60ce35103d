"""Parallel sign-in attempts on real connections (PostgreSQL only: SQLite serialises writers).

The lock must hold at its edge: with one failure left, parallel guesses must not all be judged
(an old check-then-count guard let every one of them through)."""

import json

import pytest

from caunoi.accounts import services
from caunoi.accounts.backends import PhoneOrUsernameBackend
from caunoi.accounts.forms import PasswordSignInForm
from caunoi.accounts.models import OneTimeCode
from caunoi.people.models import Person
from caunoi.testing import make_person, run_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SMS_BACKEND = "file"
    settings.SIGNIN_MAX_FAILURES = 5
    settings.SIGNIN_LOCK_MINUTES = 15


def kinds(results):
    return sorted(type(value).__name__ for _kind, value in results)


def codes_sent(settings):
    with open(settings.SMS_FILE_PATH, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f]
    return [
        next(w for w in t.replace(".", " ").split() if w.isdigit() and len(w) == 6) for t in texts
    ]


def test_parallel_wrong_codes_at_the_last_allowed_failure_are_judged_once(settings):
    person = Person.objects.create_user(phone="0912000001", full_name="Hoàng Văn Sơn")
    services.otp_request(phone=person.phone)
    (code,) = codes_sent(settings)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        with pytest.raises(services.SignInFailed):
            services.otp_verify(phone=person.phone, code=wrong)
    results = run_parallel(8, lambda: services.otp_verify(phone=person.phone, code=wrong))
    # one guess used the last place (and says it locked the phone); seven were refused unjudged
    assert kinds(results) == ["SignInFailed"] + ["SignInLocked"] * 7
    with pytest.raises(services.SignInLocked):
        services.otp_verify(phone=person.phone, code=code)
    assert OneTimeCode.objects.get().used_at is None


def test_parallel_guesses_without_a_code_row_are_counted_atomically(settings):
    """An unknown number has no code rows to lock: the counter alone must hold the edge."""
    for _ in range(4):
        with pytest.raises(services.SignInFailed):
            services.otp_verify(phone="0987654321", code="123456")
    results = run_parallel(8, lambda: services.otp_verify(phone="0987654321", code="123456"))
    assert kinds(results) == ["SignInFailed"] + ["SignInLocked"] * 7


def test_parallel_wrong_passwords_at_the_last_allowed_failure_are_judged_once(monkeypatch):
    make_person("Cán bộ xã", username="xa_a")
    judged = []
    authenticate = PhoneOrUsernameBackend.authenticate

    def counting(self, request, **credentials):
        judged.append(credentials.get("username"))
        return authenticate(self, request, **credentials)

    monkeypatch.setattr(PhoneOrUsernameBackend, "authenticate", counting)
    data = {"username": "xa_a", "password": "nope"}
    for _ in range(4):
        assert not PasswordSignInForm(data=data).is_valid()
    assert len(judged) == 4
    results = run_parallel(6, lambda: PasswordSignInForm(data=data).is_valid())
    assert [value for _kind, value in results] == [False] * 6
    assert len(judged) == 5  # only one of the six parallel passwords was looked at
    right = {"username": "xa_a", "password": "correct-horse-battery"}
    assert not PasswordSignInForm(data=right).is_valid()
    assert len(judged) == 5


def test_parallel_double_submission_signs_in_once(settings):
    person = Person.objects.create_user(phone="0912000001", full_name="Hoàng Văn Sơn")
    services.otp_request(phone=person.phone)
    (code,) = codes_sent(settings)
    results = run_parallel(4, lambda: services.otp_verify(phone=person.phone, code=code))
    oks = [value for kind, value in results if kind == "ok"]
    assert oks == [person]
    assert kinds(results) == ["OtpAlreadyUsed"] * 3 + ["Person"]
    # a double submission is not a failure
    assert services._signin_limit().count(services.signin_key(person.phone)) == 0
    assert OneTimeCode.objects.get().used_at is not None


def test_parallel_code_requests_send_one_sms(settings):
    person = Person.objects.create_user(phone="0912000001", full_name="Hoàng Văn Sơn")
    results = run_parallel(4, lambda: services.otp_request(phone=person.phone, ip="203.0.113.7"))
    assert kinds(results) == ["OtpTooSoon"] * 3 + ["str"]
    assert len(codes_sent(settings)) == 1
    assert OneTimeCode.objects.count() == 1
