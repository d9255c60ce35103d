"""Heads and residents sign in with their phone number and the code the SMS gateway carries."""

import re

import pytest
from harness import audit, exact, last_code, t, visit
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("who", "phone_typed", "place"),
    [("head_a1", "0912 000 001", "Khu 3"), ("resident_a1", "+84 912 000 111", "Khu 3")],
)
def test_phone_sign_in_with_a_code(e2e_world, e2e_settings, phone, who, phone_typed, place):
    e2e_settings.SMS_BACKEND = "file"
    person = getattr(e2e_world, who)
    visit(phone, "/dang-nhap/", "signin-choice")
    phone.get_by_role("link", name=exact("Sign in with your phone number")).click()
    audit(phone, "signin-phone")
    phone.get_by_label(t("Phone number")).fill(phone_typed)
    phone.get_by_role("button", name=exact("Send me a code")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(t("Type the code"))
    audit(phone, "signin-code")
    code = last_code(e2e_settings.SMS_FILE_PATH, person.phone)
    phone.get_by_label(t("Code from the SMS")).fill(code)
    phone.get_by_role("main").get_by_role("button", name=exact("Sign in")).click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(person.get_short_name())
    audit(phone, f"home-{who}")
    phone.get_by_role("link", name=re.compile(place)).first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(place)
    audit(phone, f"area-{who}")


def test_wrong_code_is_refused_with_a_clear_message(e2e_world, e2e_settings, phone):
    e2e_settings.SMS_BACKEND = "file"
    phone.goto("/dang-nhap/so-dien-thoai/")
    phone.get_by_label(t("Phone number")).fill("0912000001")
    phone.get_by_role("button", name=exact("Send me a code")).click()
    code = last_code(e2e_settings.SMS_FILE_PATH, "0912000001")
    wrong = "000000" if code != "000000" else "111111"
    phone.get_by_label(t("Code from the SMS")).fill(wrong)
    phone.get_by_role("main").get_by_role("button", name=exact("Sign in")).click()
    expect(phone.get_by_role("alert")).to_be_visible()
    audit(phone, "signin-code-wrong")
    expect(phone).to_have_url(re.compile("/dang-nhap/ma/"))
