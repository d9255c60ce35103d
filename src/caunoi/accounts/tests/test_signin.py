import datetime
import json
import re
import unicodedata

import pytest
from django.utils import timezone

from caunoi.accounts import services
from caunoi.accounts.models import OneTimeCode
from caunoi.core.exceptions import ApplicationError
from caunoi.core.models import RateCounter
from caunoi.core.ratelimit import RateLimited

pytestmark = pytest.mark.usefixtures("english")

PHONE_URL = "/dang-nhap/so-dien-thoai/"
CODE_URL = "/dang-nhap/ma/"
RESEND_URL = "/dang-nhap/ma/gui-lai/"
PASSWORD_URL = "/dang-nhap/mat-khau/"


@pytest.fixture(autouse=True)
def sms_to_file(settings):
    settings.SMS_BACKEND = "file"
    settings.SIGNIN_MAX_FAILURES = 5
    settings.SIGNIN_LOCK_MINUTES = 15
    settings.OTP_TTL_MINUTES = 5
    settings.OTP_RESEND_SECONDS = 60
    settings.OTP_MAX_PER_HOUR = 5
    settings.OTP_MAX_PER_IP_PER_HOUR = 30


def sent(settings):
    try:
        with open(settings.SMS_FILE_PATH, encoding="utf-8") as f:
            return [json.loads(line) for line in f]
    except FileNotFoundError:
        return []


def last_code(settings, phone):
    texts = [r["text"] for r in sent(settings) if r["to"] == phone]
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def attempts(value):
    """Sign-in attempts counted for a phone number or username in the current window."""
    return services._signin_limit().count(services.signin_key(value))


def code_attempts(phone):
    """Wrong codes counted for a phone in the current window (not the password's count)."""
    return services._signin_limit().count(services.otp_key(phone))


def wrong_code(code):
    return f"{(int(code) + 1) % 1_000_000:06d}"


# --- The choice page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_choice_page_offers_phone_and_password(client):
    response = client.get("/dang-nhap/?next=/xa/08119/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sign in with your phone number" in html
    assert "Officials: sign in with a password" in html
    assert "/dang-nhap/so-dien-thoai/?next=%2Fxa%2F08119%2F" in html
    assert "/dang-nhap/mat-khau/?next=%2Fxa%2F08119%2F" in html


@pytest.mark.django_db
def test_choice_page_drops_an_unsafe_next(client):
    html = client.get("/dang-nhap/?next=https://evil.example/").content.decode()
    assert 'href="/dang-nhap/so-dien-thoai/"' in html
    assert 'href="/dang-nhap/mat-khau/"' in html


# --- One-time code: services --------------------------------------------------------------------


@pytest.mark.django_db
def test_otp_request_stores_only_a_hash_and_sends_the_code(world, settings):
    phone = services.otp_request(phone="0912 000 001")
    assert phone == "0912000001"
    code = last_code(settings, phone)
    row = OneTimeCode.objects.get(phone=phone)
    assert code not in row.code_hash
    assert len(row.code_hash) == 64
    minutes = (row.expires_at - row.created_at).total_seconds() / 60
    assert minutes == 5
    assert services.otp_verify(phone="+84 912 000 001", code=code) == world.head_a1


@pytest.mark.django_db
def test_sms_text_is_in_the_person_s_language(world, settings):
    world.head_a1.language = "vi"
    world.head_a1.save()
    services.otp_request(phone=world.head_a1.phone)
    text = sent(settings)[-1]["text"]
    assert re.search(r"\d{6}", text)
    assert "5" in text
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.django_db
def test_code_works_once(world, settings):
    services.otp_request(phone=world.head_a1.phone)
    code = last_code(settings, world.head_a1.phone)
    services.otp_verify(phone=world.head_a1.phone, code=code)
    with pytest.raises(services.OtpAlreadyUsed):
        services.otp_verify(phone=world.head_a1.phone, code=code)
    # a double submission is not a failure
    assert code_attempts(world.head_a1.phone) == 0


@pytest.mark.django_db
def test_expired_code_is_refused(world, settings):
    services.otp_request(phone=world.head_a1.phone)
    code = last_code(settings, world.head_a1.phone)
    OneTimeCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(ApplicationError, match="no longer valid"):
        services.otp_verify(phone=world.head_a1.phone, code=code)
    assert OneTimeCode.objects.get().used_at is None
    assert code_attempts(world.head_a1.phone) == 0


@pytest.mark.django_db
def test_resend_is_throttled_and_a_new_code_replaces_the_old(world, settings, clock, monkeypatch):
    codes = iter([111111, 222222])
    monkeypatch.setattr(services.secrets, "randbelow", lambda n: next(codes))
    phone = world.head_a1.phone
    services.otp_request(phone=phone)
    with pytest.raises(services.OtpTooSoon, match="in 60 seconds") as info:
        services.otp_request(phone=phone)
    assert info.value.code == "too_soon"
    assert info.value.status == 429
    assert len(sent(settings)) == 1
    clock.advance(60)
    services.otp_request(phone=phone)
    assert [last_code(settings, phone)] == ["222222"]
    assert len(sent(settings)) == 2
    with pytest.raises(services.SignInFailed, match="no longer valid"):
        services.otp_verify(phone=phone, code="111111")
    assert services.otp_verify(phone=phone, code="222222") == world.head_a1


@pytest.mark.django_db
def test_a_phone_asks_for_at_most_the_hourly_number_of_codes(world, settings, clock):
    settings.OTP_MAX_PER_HOUR = 3
    phone = world.head_a1.phone
    for _ in range(3):
        services.otp_request(phone=phone)
        clock.advance(60)
    with pytest.raises(RateLimited, match="too many codes. Try again in 57 minutes"):
        services.otp_request(phone=phone)
    assert len(sent(settings)) == 3
    clock.advance(57 * 60)
    services.otp_request(phone=phone)
    assert len(sent(settings)) == 4


@pytest.mark.django_db
def test_one_network_address_asks_for_at_most_the_hourly_number_of_codes(world, settings, clock):
    settings.OTP_MAX_PER_IP_PER_HOUR = 2
    services.otp_request(phone="0987000001", ip="203.0.113.7")
    services.otp_request(phone="0987000002", ip="203.0.113.7")
    with pytest.raises(RateLimited, match="from this network"):
        services.otp_request(phone=world.head_a1.phone, ip="203.0.113.7")
    services.otp_request(phone=world.head_a1.phone, ip="203.0.113.8")
    assert [r["to"] for r in sent(settings)] == [world.head_a1.phone]


@pytest.mark.django_db
def test_unknown_or_inactive_number_gets_no_sms_but_the_same_answer(world, settings):
    assert services.otp_request(phone="0987 654 321") == "0987654321"
    world.resident_a1.is_active = False
    world.resident_a1.save()
    services.otp_request(phone=world.resident_a1.phone)
    assert sent(settings) == []
    # the resend delay behaves as for a registered number
    with pytest.raises(ApplicationError) as info:
        services.otp_request(phone="0987654321")
    assert info.value.code == "too_soon"


@pytest.mark.django_db
def test_sms_failure_is_a_clear_message_and_stores_nothing(world, settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = ""
    with pytest.raises(ApplicationError, match="could not send the SMS"):
        services.otp_request(phone=world.head_a1.phone)
    assert not OneTimeCode.objects.exists()
    # nothing was counted for the phone: once the gateway is back, a code goes at once
    settings.SMS_BACKEND = "file"
    services.otp_request(phone=world.head_a1.phone)
    assert len(sent(settings)) == 1


@pytest.mark.django_db
def test_five_wrong_codes_lock_the_phone_then_it_unlocks(world, settings, clock):
    phone = world.head_a1.phone
    services.otp_request(phone=phone)
    code = last_code(settings, phone)
    for _ in range(4):
        with pytest.raises(services.SignInFailed, match="code is wrong"):
            services.otp_verify(phone=phone, code=wrong_code(code))
    # the fifth wrong code is judged, and says it locked the phone
    with pytest.raises(services.SignInFailed, match="5 times. Try again in 15 minutes") as info:
        services.otp_verify(phone=phone, code=wrong_code(code))
    assert info.value.code == "locked"
    # locked: even the right code is refused
    with pytest.raises(services.SignInLocked, match="5 times. Try again in 15 minutes"):
        services.otp_verify(phone=phone, code=code)
    # time passes
    clock.advance(15 * 60)
    assert services.otp_verify(phone=phone, code=code) == world.head_a1
    assert code_attempts(phone) == 0


@pytest.mark.django_db
def test_wrong_codes_by_someone_else_cannot_lock_the_owner_out(world, settings, clock):
    """Anyone may type five wrong codes for a phone; its owner then asks for a new code, which is
    sent and works (the new code starts the count afresh). Each code gets the allowed guesses."""
    phone = world.head_a1.phone
    for _ in range(5):
        with pytest.raises(services.SignInFailed):
            services.otp_verify(phone=phone, code="000000")
    with pytest.raises(services.SignInLocked):
        services.otp_verify(phone=phone, code="000000")
    services.otp_request(phone=phone)
    assert len(sent(settings)) == 1
    assert services.otp_verify(phone=phone, code=last_code(settings, phone)) == world.head_a1
    # nor does it lock the password sign-in of the same phone
    assert attempts(phone) == 0


@pytest.mark.django_db
def test_lock_message_says_the_remaining_minutes(world, clock):
    key = services.signin_key(world.head_a1.phone)
    for _ in range(5):
        services.signin_guard_hit(key=key)
    clock.advance(11 * 60 + 50)  # 3 minutes 10 seconds of the 15 are left
    with pytest.raises(services.SignInLocked, match="Try again in 4 minutes"):
        services.signin_guard_check(key=key)
    with pytest.raises(services.SignInLocked, match="Try again in 4 minutes"):
        services.signin_guard_hit(key=key)


@pytest.mark.django_db
def test_success_resets_the_counter(world, settings):
    phone = world.head_a1.phone
    services.otp_request(phone=phone)
    code = last_code(settings, phone)
    for _ in range(4):
        with pytest.raises(services.SignInFailed):
            services.otp_verify(phone=phone, code=wrong_code(code))
    assert code_attempts(phone) == 4
    services.otp_verify(phone=phone, code=code)
    assert code_attempts(phone) == 0


@pytest.mark.django_db
def test_unknown_number_wrong_codes_count_too(world):
    for _ in range(5):
        with pytest.raises(services.SignInFailed):
            services.otp_verify(phone="0987654321", code="123456")
    with pytest.raises(services.SignInLocked):
        services.otp_verify(phone="0987654321", code="123456")


@pytest.mark.django_db
def test_no_code_is_stored_for_an_unknown_number(world, settings):
    services.otp_request(phone="0987654321")
    assert not OneTimeCode.objects.filter(phone="0987654321").exists()
    services.otp_request(phone=world.head_a1.phone)
    assert OneTimeCode.objects.filter(phone=world.head_a1.phone).count() == 1


@pytest.mark.django_db
def test_codes_per_network_address_are_limited(world, settings):
    """Twelve numbers from one address in seconds: past OTP_MAX_PER_IP_PER_HOUR, refused."""
    settings.OTP_MAX_PER_IP_PER_HOUR = 10
    for i in range(10):
        services.otp_request(phone=f"09876543{i:02d}", ip="203.0.113.9")
    with pytest.raises(RateLimited, match="from this network"):
        services.otp_request(phone="0987654399", ip="203.0.113.9")
    services.otp_request(phone="0987654398", ip="203.0.113.10")  # another address is not held


@pytest.mark.django_db
def test_enrolling_number_gets_a_code_and_an_account_only_once_proved(world, settings):
    phone = "0987111222"
    services.otp_request(phone=phone, enrol=True)
    assert len(sent(settings)) == 1
    assert not services.Person.objects.filter(phone=phone).exists()
    with pytest.raises(services.SignInFailed):
        services.otp_verify(phone=phone, code=wrong_code(last_code(settings, phone)), enrol_as="X")
    assert not services.Person.objects.filter(phone=phone).exists()
    person = services.otp_verify(phone=phone, code=last_code(settings, phone), enrol_as="Lê Văn A")
    assert (person.phone, person.full_name) == (phone, "Lê Văn A")


@pytest.mark.django_db
def test_guard_keys_are_normalised():
    assert services.signin_key("+84 912-000-001") == services.signin_key("0912000001")
    assert services.signin_key(" XA_A ") == services.signin_key("xa_a")
    assert services.signin_key("x" * 500).startswith("user:")
    assert len(services.signin_key("x" * 500)) <= 80


# --- One-time code: pages -----------------------------------------------------------------------


@pytest.mark.django_db
def test_otp_pages_sign_in_and_redirect_to_next(world, client, settings):
    page = client.get(PHONE_URL + "?next=/khu/08119-03/ho/")
    html = page.content.decode()
    assert 'type="tel"' in html
    response = client.post(PHONE_URL, {"phone": "0912 000 001", "next": "/khu/08119-03/ho/"})
    assert response.status_code == 302 and response.url == CODE_URL
    html = client.get(CODE_URL).content.decode()
    assert "0912 *** 001" in html
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="one-time-code"' in html
    code = last_code(settings, "0912000001")
    response = client.post(CODE_URL, {"code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302
    assert response.url == "/khu/08119-03/ho/"
    assert client.get("/khu/08119-03/ho/").status_code == 200
    assert int(client.session["_auth_user_id"]) == world.head_a1.pk


@pytest.mark.django_db
def test_unsafe_next_goes_home(world, client, settings):
    client.post(PHONE_URL, {"phone": "0912000001", "next": "https://evil.example/"})
    code = last_code(settings, "0912000001")
    response = client.post(CODE_URL, {"code": code})
    assert response.status_code == 302 and response.url == "/"


@pytest.mark.django_db
def test_unknown_number_gets_the_same_page_and_no_sms(world, client, settings):
    known = client.post(PHONE_URL, {"phone": "0912000001"})
    known_page = client.get(CODE_URL).content.decode()
    client.session.flush()
    unknown = client.post(PHONE_URL, {"phone": "0987654321"})
    unknown_page = client.get(CODE_URL).content.decode()
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url

    def plain(html, masked):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.replace(masked, "X"))

    assert plain(unknown_page, "0987 *** 321") == plain(known_page, "0912 *** 001")
    assert [r["to"] for r in sent(settings)] == ["0912000001"]


@pytest.mark.django_db
def test_code_page_without_a_phone_goes_back(client, db):
    response = client.get(CODE_URL)
    assert response.status_code == 302 and response.url == PHONE_URL


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value, message",
    [
        ("", "Enter your phone number."),
        ("123", "Vietnamese phone number"),
        ("0" * 5000, "10 digits"),
    ],
)
def test_phone_page_refuses_bad_input_cleanly(client, db, settings, value, message):
    response = client.post(PHONE_URL, {"phone": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not OneTimeCode.objects.exists()
    assert sent(settings) == []


@pytest.mark.django_db
def test_code_page_refuses_huge_or_malformed_codes_without_counting(world, client):
    client.post(PHONE_URL, {"phone": "0912000001"})
    for value in ("1" * 5000, "12ab56", "", "12345"):
        response = client.post(CODE_URL, {"code": value})
        assert response.status_code == 200
        assert "6 digits" in response.content.decode()
    assert code_attempts("0912000001") == 0


@pytest.mark.django_db
def test_five_wrong_codes_on_the_page_show_the_lock_message(world, client, settings, clock):
    client.post(PHONE_URL, {"phone": "0912000001"})
    code = last_code(settings, "0912000001")
    for _ in range(4):
        html = client.post(CODE_URL, {"code": wrong_code(code)}).content.decode()
        assert "The code is wrong" in html
    html = client.post(CODE_URL, {"code": wrong_code(code)}).content.decode()
    assert "You entered a wrong code or password 5 times. Try again in 15 minutes." in html
    html = client.post(CODE_URL, {"code": code}).content.decode()
    assert "Try again in 15 minutes" in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_double_submission_of_a_code_signs_in_once_and_counts_no_failure(
    world, client, settings, django_user_model
):
    from django.test import Client

    client.post(PHONE_URL, {"phone": "0912000001"})
    code = last_code(settings, "0912000001")
    # the second request leaves the browser with the same (anonymous) session cookie
    twin = Client()
    twin.cookies = client.cookies.__class__(client.cookies)
    first = client.post(CODE_URL, {"code": code})
    second = twin.post(CODE_URL, {"code": code})
    assert first.status_code == 302
    # signing in replaced the session the second request carried: it starts over, signed out
    assert second.status_code == 302 and second.url == PHONE_URL
    assert "_auth_user_id" not in twin.session
    assert code_attempts("0912000001") == 0
    # once signed in, posting again just goes on
    assert client.post(CODE_URL, {"code": code}).status_code == 302


@pytest.mark.django_db
def test_resend_button_respects_the_delay(world, client, settings, clock):
    client.post(PHONE_URL, {"phone": "0912000001"})
    response = client.post(RESEND_URL, follow=True)
    assert "You can ask for a new one in 60 seconds" in response.content.decode()
    assert len(sent(settings)) == 1
    clock.advance(60)
    response = client.post(RESEND_URL, follow=True)
    assert "A new code has been sent to 0912 *** 001" in response.content.decode()
    assert len(sent(settings)) == 2
    assert client.get(RESEND_URL).status_code == 405


@pytest.mark.django_db
def test_asking_again_too_soon_goes_to_the_code_page(world, client, settings):
    client.post(PHONE_URL, {"phone": "0912000001"})
    response = client.post(PHONE_URL, {"phone": "0912000001"}, follow=True)
    assert response.redirect_chain[-1][0] == CODE_URL
    assert "You can ask for a new one in" in response.content.decode()
    assert len(sent(settings)) == 1


@pytest.mark.django_db
def test_the_pages_count_codes_per_network_address(world, client, settings):
    from django.test import Client

    settings.OTP_MAX_PER_IP_PER_HOUR = 2
    same = {"REMOTE_ADDR": "203.0.113.7"}
    first = Client()
    assert first.post(PHONE_URL, {"phone": "0987000001"}, **same).status_code == 302
    assert first.post(RESEND_URL, follow=True, **same).status_code == 200  # too soon: counted
    response = client.post(PHONE_URL, {"phone": "0912000001"}, **same)  # another phone, in English
    assert response.status_code == 200
    assert "Too many codes were asked for from this network" in response.content.decode()
    other = Client().post(PHONE_URL, {"phone": "0912000001"}, REMOTE_ADDR="203.0.113.8")
    assert other.status_code == 302
    assert [r["to"] for r in sent(settings)] == ["0912000001"]


@pytest.mark.django_db
def test_asking_a_question_without_an_account_counts_codes_per_network_address(
    world, client, settings
):
    """feedback's ask page sends its code through otp_request too: the same per-address limit."""
    from django.test import Client

    from caunoi.feedback.services import category_create

    settings.OTP_MAX_PER_IP_PER_HOUR = 1
    roads = category_create(actor=None, commune=world.commune_a, name="Đường giao thông")
    ask = f"/khu/{world.area_a1.code}/hoi/"
    question = {
        "kind": "question",
        "category": roads.pk,
        "text": "Ống nước ở ngõ 5 bị vỡ.",
        "place": "Ngõ 5",
        "public": "on",
        "submission": "k" * 24,
        "c-full_name": "Trần Thị Lan",
        "c-phone": "0987 654 321",
    }
    same = {"REMOTE_ADDR": "203.0.113.7"}
    assert Client().post(PHONE_URL, {"phone": "0912000001"}, **same).status_code == 302
    response = client.post(ask, question, **same)  # someone else on that network, in English
    assert response.status_code == 200
    assert "Too many codes were asked for from this network" in response.content.decode()
    other = Client().post(ask, question, REMOTE_ADDR="203.0.113.8")
    assert other.status_code == 302 and other["Location"] == "/hoi-dap/ma-xac-nhan/"
    assert [r["to"] for r in sent(settings)] == ["0912000001", "0987654321"]


# --- Password sign-in ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_password_sign_in_with_username_or_phone(world, client):
    response = client.post(
        PASSWORD_URL,
        {"username": "XA_A", "password": "correct-horse-battery", "next": "/xa/08119/"},
    )
    assert response.status_code == 302 and response.url == "/xa/08119/"
    client.logout()
    response = client.post(
        PASSWORD_URL, {"username": "0913 000 001", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and response.url == "/"


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_then_it_unlocks(world, client, clock):
    for _ in range(4):
        html = client.post(PASSWORD_URL, {"username": "xa_a", "password": "nope"}).content
        assert b"username or password is wrong" in html
    html = client.post(PASSWORD_URL, {"username": "xa_a", "password": "nope"}).content.decode()
    assert "You entered a wrong code or password 5 times. Try again in 15 minutes." in html
    response = client.post(PASSWORD_URL, {"username": "xa_a", "password": "correct-horse-battery"})
    assert response.status_code == 200
    assert "Try again in 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    clock.advance(15 * 60)
    response = client.post(PASSWORD_URL, {"username": "xa_a", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert attempts("xa_a") == 0


@pytest.mark.django_db
def test_wrong_passwords_by_phone_lock_the_password_of_that_phone(world, client, settings):
    """officer_a's phone typed as the username: 5 wrong passwords lock it (the codes have their
    own count: a new code starts it afresh, a password does not)."""
    for _ in range(5):
        client.post(PASSWORD_URL, {"username": "0913000001", "password": "nope"})
    with pytest.raises(services.SignInLocked):
        services.signin_guard_check(key=services.signin_key("0913 000 001"))
    html = client.post(
        PASSWORD_URL, {"username": "0913000001", "password": "correct-horse-battery"}
    )
    assert "Try again in" in html.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_page_refuses_huge_input(world, client):
    response = client.post(PASSWORD_URL, {"username": "a" * 5000, "password": "x" * 5000})
    assert response.status_code == 200
    assert not RateCounter.objects.exists()


@pytest.mark.django_db
def test_sign_out_is_post_only(world, client_for):
    client = client_for(world.officer_a)
    assert client.get("/dang-xuat/").status_code == 405
    assert client.post("/dang-xuat/").status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_attempts_are_counted_before_they_are_judged(world):
    """The lock is decided by the count of the attempt itself (one atomic upsert), never by a
    check made before it: past the allowed number, an attempt is refused without being judged."""
    key = services.signin_key("0912000001")
    assert [services.signin_guard_hit(key=key) for _ in range(5)] == [1, 2, 3, 4, 5]
    with pytest.raises(services.SignInLocked):
        services.signin_guard_hit(key=key)


@pytest.mark.django_db
def test_a_session_signed_in_before_the_move_stays_signed_in(world, client):
    """accounts.0003: a session naming the backend's old path is rewritten, not signed out."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth import BACKEND_SESSION_KEY

    migration = import_module("caunoi.accounts.migrations.0003_sessions_backend_path")
    client.force_login(world.officer_a)
    session = client.session
    session[BACKEND_SESSION_KEY] = migration.OLD
    session.save()
    assert client.get("/dang-nhap/").status_code == 200  # signed out by the old path
    migration.forwards(apps, None)
    assert client.session[BACKEND_SESSION_KEY] == migration.NEW
    assert client.get("/dang-nhap/").status_code == 302
