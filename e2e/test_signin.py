"""Officials sign in with a password on a phone, find their place on the home page and open it;
the commune officer opens an area's household list; a wrong password; signing out."""

import re

import pytest
from harness import audit, exact, sign_in, t, visit
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("login", "role", "place", "url"),
    [
        ("tinh", "province_officer", "Tỉnh Phú Thọ", "/tinh/25/"),
        ("huyen", "district_officer", "Huyện Thanh Ba", "/huyen/230/"),
        ("xa_a", "commune_officer", "Xã Đồng Xuân", "/xa/08119/"),
        ("0913 000 001", "commune_officer", "Xã Đồng Xuân", "/xa/08119/"),  # phone, typed spaced
    ],
    ids=["province", "district", "commune", "commune-by-phone"],
)
def test_official_signs_in_and_opens_their_place(e2e_world, phone, login, role, place, url):
    sign_in(phone, login)
    audit(phone, f"home-{role}")
    expect(phone).to_have_url(re.compile(r"/$"))
    main = phone.get_by_role("main")
    expect(main.get_by_role("heading", level=2).first).to_have_text(t("Your places"))
    link = main.get_by_role("link", name=re.compile(rf"^\s*{re.escape(place)}(\s|$)"))
    expect(link).to_have_count(1)
    nav = phone.get_by_role("navigation", name=t("Main menu"))
    expect(nav.get_by_role("link", name=exact("My work"))).to_be_visible()
    expect(nav.get_by_role("link", name=exact("Sign in"))).to_have_count(0)
    link.click()
    audit(phone, f"place-{role}")
    expect(phone).to_have_url(re.compile(re.escape(url) + "$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text(place)


def test_commune_officer_opens_the_household_list(e2e_world, phone):
    w = e2e_world
    sign_in(phone, "xa_a")
    visit(phone, "/khu/08119-03/", "area-signed-in")
    phone.get_by_role("link", name=t("Household list")).click()
    audit(phone, "households")
    expect(phone).to_have_url(re.compile("/khu/08119-03/ho/$"))
    households = phone.get_by_role("list", name=re.compile(t("Households")))
    card = households.get_by_role("listitem").filter(has_text=w.household_a1.code)
    expect(card).to_contain_text(w.household_a1.representative_name)
    expect(card).to_contain_text(w.household_a1.address)
    expect(card.get_by_role("link", name="0912000111")).to_have_attribute("href", "tel:0912000111")
    # The neighbour commune's household is not on this list.
    expect(households).not_to_contain_text(w.household_b1.representative_name)


def test_household_list_on_a_desktop(e2e_world, desktop):
    sign_in(desktop, "xa_a")
    visit(desktop, "/khu/08119-03/ho/", "households-desktop")
    expect(desktop.get_by_role("list", name=re.compile(t("Households")))).to_contain_text(
        "Bùi Thị Thảo"
    )


def test_wrong_password_shows_the_error_summary(e2e_world, phone):
    sign_in(phone, "xa_a", "not-the-password")
    audit(phone, "signin-wrong-password")
    expect(phone).to_have_url(re.compile("/dang-nhap/"))
    summary = phone.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text(t("Please correct the following"))
    expect(summary).to_contain_text(
        t("The phone number, username or password is wrong. Check them and try again.")
    )
    # What was typed as the username stays; the password does not.
    expect(phone.get_by_label(t("Phone number or username"))).to_have_value("xa_a")
    expect(phone.get_by_label(t("Password"), exact=True)).to_have_value("")


def test_sign_in_page_and_sign_out(e2e_world, phone):
    visit(phone, "/dang-nhap/", "signin")
    expect(phone.get_by_role("heading", level=1)).to_have_text(t("Sign in"))
    sign_in(phone, "huyen")
    footer = phone.get_by_role("contentinfo")
    expect(footer).to_contain_text(e2e_world.district_officer.full_name)
    footer.get_by_role("button", name=exact("Sign out")).click()
    audit(phone, "signed-out")
    expect(phone).to_have_url(re.compile(r"/$"))
    nav = phone.get_by_role("navigation", name=t("Main menu"))
    expect(nav.get_by_role("link", name=exact("Sign in"))).to_be_visible()
    expect(footer.get_by_role("button", name=exact("Sign out"))).to_have_count(0)
    # Signed out for real: the household list sends to sign-in (and back), its data unseen.
    phone.goto("/khu/08119-03/ho/")
    expect(phone).to_have_url(re.compile(r"/dang-nhap/\?next=/khu/08119-03/ho/$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text(t("Sign in"))
    expect(phone.get_by_role("main")).not_to_contain_text(
        e2e_world.household_a1.representative_name
    )
    sign_in(phone, "huyen", sent_here=True)
    expect(phone).to_have_url(re.compile("/khu/08119-03/ho/$"))
    expect(phone.get_by_role("main")).to_contain_text(e2e_world.household_a1.representative_name)
