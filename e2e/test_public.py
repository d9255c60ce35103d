"""Public pages on a Vietnamese phone: home, browsing down to a residential area, search,
the language switch and the repeat-load weight. Every page goes through harness.audit."""

import re

import pytest
from harness import REPEAT_LOAD_BUDGET, audit, exact, t, visit
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def figure(page, label: str):
    """The value shown under a figure's label (<dt>label</dt><dd>value</dd>)."""
    return page.locator("dl.figures div").filter(has=page.get_by_text(t(label), exact=True))


def test_home(e2e_world, phone):
    visit(phone, "/", "home")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Cầu Nối")
    expect(phone.locator("html")).to_have_attribute("lang", "vi")
    search = phone.get_by_role("search")
    expect(search.get_by_label(t("Province, commune or residential area"))).to_be_editable()
    expect(phone.get_by_role("link", name=t("Browse provinces and communes"))).to_be_visible()
    nav = phone.get_by_role("navigation", name=t("Main menu"))
    for name in ("Places", "Search", "Sign in"):
        expect(nav.get_by_role("link", name=exact(name))).to_be_visible()


def test_browse_down_to_the_area_page(e2e_world, phone):
    w = e2e_world
    visit(phone, "/dia-ban/", "browse")
    expect(phone.get_by_role("heading", level=1)).to_have_text(t("Provinces and cities"))

    phone.get_by_role("link", name=re.compile(w.province.name)).click()
    audit(phone, "province")
    expect(phone).to_have_url(re.compile("/tinh/25/$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text(w.province.name)
    expect(figure(phone, "District-level units").locator("dd")).to_have_text("1")
    expect(figure(phone, "Commune-level units").locator("dd")).to_have_text("2")
    expect(figure(phone, "Residential areas").locator("dd")).to_have_text("3")
    expect(figure(phone, "Households").locator("dd")).to_have_text("2")

    phone.get_by_role("link", name=re.compile(w.district.name)).click()
    audit(phone, "district")
    expect(phone.get_by_role("heading", level=1)).to_have_text(w.district.name)
    crumbs = phone.get_by_role("navigation", name=t("You are here"))
    expect(crumbs.get_by_role("link", name=w.province.short_name)).to_be_visible()

    phone.get_by_role("link", name=re.compile(w.commune_a.name)).click()
    audit(phone, "commune")
    expect(phone.get_by_role("heading", level=1)).to_have_text(w.commune_a.name)
    # The commune lists its areas with their heads' names.
    khu3 = phone.get_by_role("link", name=re.compile(r"^\s*Khu 3\b"))
    expect(khu3).to_contain_text(w.head_a1.full_name)
    expect(phone.get_by_role("link", name=re.compile(r"^\s*Khu 4\b"))).to_contain_text(t("No head"))

    khu3.click()
    audit(phone, "area")
    expect(phone).to_have_url(re.compile("/khu/08119-03/$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Khu 3")
    expect(phone.get_by_role("main")).to_contain_text(w.head_a1.full_name)
    # No consent: the head's phone is not shown, and nobody signed in sees no household list.
    expect(phone.get_by_role("link", name=re.compile(t("Call")))).to_have_count(0)
    expect(phone.get_by_text(w.head_a1.phone)).to_have_count(0)
    expect(phone.get_by_role("link", name=t("Household list"))).to_have_count(0)


def test_area_page_shows_the_phone_only_with_consent(e2e_world, phone):
    head = e2e_world.head_a1
    head.phone_public = True
    head.save(update_fields=["phone_public"])
    visit(phone, "/khu/08119-03/", "area-phone-public")
    call = phone.get_by_role("link", name=re.compile(t("Call")))
    expect(call).to_contain_text(head.phone)
    expect(call).to_have_attribute("href", f"tel:{head.phone}")


@pytest.mark.parametrize(
    ("query", "found", "where"),
    [("khu 3 dong xuan", "Khu 3", "Xã Đồng Xuân"), ("phu tho", "Tỉnh Phú Thọ", None)],
    ids=["area", "province"],
)
def test_search_without_accents(e2e_world, phone, query, found, where):
    visit(phone, "/tim-kiem/", "search")
    form = phone.get_by_role("search")
    form.get_by_label(t("Province, commune or residential area")).fill(query)
    form.get_by_role("button", name=exact("Search")).click()
    audit(phone, f"search-{query.replace(' ', '-')}")
    hit = phone.get_by_role("main").get_by_role("link", name=re.compile(rf"^\s*{found}(\s|$)"))
    expect(hit).to_have_count(1)
    if where:
        expect(hit).to_contain_text(where)
    hit.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(found)


def test_language_switch_in_the_footer(e2e_world, phone):
    visit(phone, "/dia-ban/", "browse-vi")
    footer = phone.get_by_role("contentinfo")
    footer.get_by_role("button", name="English").click()
    audit(phone, "browse-en")
    expect(phone).to_have_url(re.compile("/dia-ban/$"))  # stays on the same page
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_role("heading", level=1)).to_have_text(t("Provinces and cities", "en"))
    footer.get_by_role("button", name="Tiếng Việt").click()
    phone.wait_for_load_state("load")
    expect(phone.locator("html")).to_have_attribute("lang", "vi")
    expect(footer.get_by_role("button", name="English")).to_be_visible()


def test_repeat_load_is_light(e2e_world, phone):
    phone.meter.set_cache(enabled=True)
    first = visit(phone, "/", "home-first")
    phone.get_by_role("link", name=t("Browse provinces and communes")).click()
    audit(phone, "browse-cached")
    second = visit(phone, "/", "home-repeat", budget=REPEAT_LOAD_BUDGET)
    assert second < first, phone.meter.describe()
    print(phone.meter.describe())
    css = sum(t.bytes for t in phone.meter.transfers if t.type == "Stylesheet")
    assert css < 1000, f"the stylesheet came again: {phone.meter.describe()}"


def test_not_found_page(e2e_world, phone):
    visit(phone, "/xa/99999/", "not-found", status=404)
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    expect(phone.get_by_role("navigation", name=t("Main menu"))).to_be_visible()
