"""A commune officer keeps an area's household list in the browser, on a phone."""

import re

import pytest
from harness import audit, exact, sign_in, t
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_add_and_edit_a_household(e2e_world, phone):
    sign_in(phone, "xa_a")
    phone.goto(f"/khu/{e2e_world.area_a1.code}/ho/")
    audit(phone, "households-list")
    phone.get_by_role("link", name=exact("Add a household")).click()
    audit(phone, "household-add")
    phone.get_by_role("button", name=exact("Add the household")).click()
    expect(phone.get_by_role("alert")).to_contain_text(
        t("Write the name of the head of household.")
    )
    audit(phone, "household-add-error")
    phone.get_by_label(t("Head of household")).fill("Trần Văn Tú")
    phone.get_by_label(t("Address")).fill("Số 12, ngõ 3")
    phone.get_by_label(t("Number of members")).fill("4")
    phone.get_by_role("button", name=exact("Add the household")).click()
    expect(phone.get_by_role("status")).to_contain_text("Trần Văn Tú")
    expect(phone.get_by_role("main")).to_contain_text("08119-03-002")
    phone.get_by_role("link", name=re.compile("08119-03-002")).click()
    phone.get_by_label(t("Number of members")).fill("5")
    phone.get_by_role("button", name=exact("Save")).click()
    expect(phone.get_by_role("status")).to_contain_text("08119-03-002")
    audit(phone, "households-after-edit")
