"""Today's Phú Thọ on a phone (two-level, after the 2025 reform): the province page with its map
and table, down to a residential area that was in Tỉnh Vĩnh Phúc before 1 July 2025."""

import re

import pytest
from harness import audit, t, visit
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def reformed(e2e_world):
    from caunoi.testing import build_two_level, reform_2025

    two = build_two_level(areas=2)
    return e2e_world, two, reform_2025(e2e_world, two)


def test_todays_province_down_to_an_area_once_in_another_province(reformed, phone):
    world, two, province = reformed
    visit(phone, "/tinh/25/", "reform-province")
    expect(phone.get_by_role("heading", level=1)).to_have_text(province.name)
    # no district level any more: the communes are right below the province
    expect(phone.get_by_role("link", name=re.compile("Huyện Thanh Ba"))).to_have_count(0)
    expect(phone.get_by_role("img", name=re.compile(t("Households")))).to_be_visible()
    table = phone.get_by_role("region", name=t("Communes and their figures"))
    expect(table.get_by_role("link", name="Phường Xuân Hòa")).to_be_visible()

    phone.get_by_label(t("Colour the communes by")).select_option("khu")
    phone.get_by_role("button", name=t("Colour the map")).click()
    audit(phone, "reform-province-map-areas")
    expect(phone).to_have_url(re.compile(r"chi_so=khu"))

    phone.get_by_role("list").get_by_role("link", name=re.compile("Phường Xuân Hòa")).first.click()
    audit(phone, "reform-ward")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Phường Xuân Hòa")
    crumbs = phone.get_by_role("navigation", name=t("You are here"))
    expect(crumbs.get_by_role("link", name=re.compile("Phú Thọ"))).to_be_visible()

    phone.get_by_role("link", name=re.compile(r"^\s*Tổ dân phố 1\b")).click()
    audit(phone, "reform-area")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Tổ dân phố 1")
    crumbs = phone.get_by_role("navigation", name=t("You are here"))
    expect(crumbs.get_by_role("link", name=re.compile("Phú Thọ"))).to_be_visible()

    # the same area as it was in 2024: in Tỉnh Vĩnh Phúc
    visit(phone, f"/khu/{two.areas[0].code}/?ngay=2024-01-01", "reform-area-2024")
    expect(phone.get_by_role("main")).to_contain_text("Vĩnh Phúc")
