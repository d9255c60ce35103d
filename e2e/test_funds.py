"""The community fund on a 360 px phone: the head records a contribution and an expense with its
invoice photo, a second person approves it, the resident opens the receipt, the public page shows
balance, statements and the chain's status, and a row tampered in the database is named there."""

import datetime
import re
from pathlib import Path

import harness
import pytest
from harness import audit, exact, t, visit
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def phone_sign_in(page, settings, number: str) -> None:
    """Sign in by SMS code from the sign-in page's link to it (the way a head finds it)."""
    harness.phone_sign_in(page, settings, number, from_sign_in_page=True)


def invoice_photo(tmp_path) -> Path:
    im = Image.new("RGB", (320, 200), (240, 240, 230))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (21.0, 17.0, 0.0)}
    path = tmp_path / "hoa-don.jpg"
    im.save(path, format="JPEG", exif=exif.tobytes())
    return path


def treasurer_and_fund(w):
    """Khu 3's treasurer (0912000005) and its study fund, set up by its residents' decision."""
    from caunoi.people.models import Role
    from caunoi.testing import BANK, appoint, decide, make_fund

    appoint("Đặng Thị Lan", "0912000005", Role.TREASURER, w.area_a1)
    decision = decide(w, 120, 150, number="01/NQ-KDC", subject="Lập Quỹ khuyến học")
    return make_fund(w, decision, **BANK)


def test_fund_flow_on_a_phone(e2e_world, e2e_settings, phone, new_page, tmp_path):
    from caunoi.funds.models import Entry

    e2e_settings.SMS_BACKEND = "file"
    e2e_settings.MEDIA_ROOT = str(tmp_path / "media")
    w = e2e_world
    fund = treasurer_and_fund(w)
    fund_url = f"/khu/{w.area_a1.code}/quy/{fund.pk}/"
    day = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()

    # The head records a contribution: a numbered receipt with its QR code.
    phone_sign_in(phone, e2e_settings, "0912000001")
    visit(phone, fund_url, "funds-fund-head")
    phone.get_by_role("link", name=exact("Record a contribution")).click()
    audit(phone, "funds-contribution-form")
    phone.get_by_role("button", name=exact("Record and issue the receipt")).click()
    expect(phone.get_by_role("alert")).to_contain_text(t("Enter the amount in đồng."))
    audit(phone, "funds-contribution-errors")
    phone.get_by_label(t("Household")).fill(w.household_a1.code)
    phone.get_by_label(t("Amount"), exact=True).fill("500.000")
    phone.get_by_label(t("Date paid")).fill(day)
    phone.get_by_role("button", name=exact("Record and issue the receipt")).click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("PT00001")
    expect(phone.get_by_role("main")).to_contain_text("500.000")
    audit(phone, "funds-receipt")

    # ... and an expense with the invoice photo, which waits for a second person.
    phone.goto(fund_url)
    phone.get_by_role("link", name=exact("Record an expense")).click()
    audit(phone, "funds-expense-form")
    phone.get_by_label(t("Amount"), exact=True).fill("200000")
    phone.get_by_label(t("Paid to")).fill("Nhà sách Thanh Ba")
    phone.get_by_label(t("What for")).fill("Mua vở thưởng học sinh giỏi")
    phone.get_by_label(t("Date"), exact=True).fill(day)
    phone.get_by_label(t("Photo of the invoice or receipt")).set_input_files(
        invoice_photo(tmp_path)
    )
    phone.get_by_role("button", name=exact("Record the expense")).click()
    expect(phone.get_by_role("main")).to_contain_text(
        t("You recorded this expense, so a second person must approve it.")
    )
    expect(phone.get_by_role("button", name=exact("Approve the expense"))).to_have_count(0)
    audit(phone, "funds-expense-pending")
    # The head covers the corner of the photo that shows the seller's phone number.
    phone.get_by_role("checkbox", name="1", exact=True).check()
    phone.get_by_role("button", name=exact("Save the public copy")).click()
    expect(phone.get_by_role("status")).to_contain_text(
        t("The public copy of the invoice was updated.")
    )
    audit(phone, "funds-expense-covered")

    # The treasurer approves it from their home page.
    second = new_page("phone")
    phone_sign_in(second, e2e_settings, "0912000005")
    second.get_by_role("link", name=re.compile("C0001")).click()
    audit(second, "funds-expense-to-approve")
    second.get_by_role("button", name=exact("Approve the expense")).click()
    expect(second.get_by_role("status")).to_contain_text("C0001")
    audit(second, "funds-expense-approved")

    # The resident finds the receipt from their home page.
    resident = new_page("phone")
    phone_sign_in(resident, e2e_settings, "0912000111")
    resident.get_by_role("link", name=re.compile(w.household_a1.code)).click()
    audit(resident, "funds-household")
    resident.get_by_role("link", name=re.compile("PT00001")).click()
    expect(resident.get_by_role("heading", level=1)).to_contain_text("PT00001")
    audit(resident, "funds-receipt-resident")

    # The public page, without signing in: balance, months, entries, the chain verified.
    public = new_page("phone")
    visit(public, f"/khu/{w.area_a1.code}/", "funds-area-public")
    public.get_by_role("link", name=re.compile("Quỹ khuyến học")).first.click()
    expect(public.get_by_role("main")).to_contain_text("300.000")
    expect(public.locator("[data-chain=ok]")).to_be_visible()
    expect(public.get_by_role("main")).not_to_contain_text(w.household_a1.representative_name)
    audit(public, "funds-fund-public")
    pdf = public.request.get(
        public.get_by_role("link", name=re.compile(r"\(PDF\)")).first.get_attribute("href")
    )
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # Someone edits entry #2 in the database: the public page names it.
    from django.db import connection

    entry = Entry.objects.get(fund=fund, seq=2)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = replica")
        else:
            cur.execute("DROP TRIGGER IF EXISTS funds_entry_append_only")
        cur.execute("UPDATE funds_entry SET amount = -20000 WHERE id = %s", [entry.pk])
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = DEFAULT")
    visit(public, fund_url, "funds-fund-tampered")
    alert = public.locator("[data-chain=broken]")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("#2")


def test_household_vietqr_and_commune_overview(e2e_world, e2e_settings, phone, new_page):
    from caunoi.testing import BANK, decide, fund_campaign, make_fund

    e2e_settings.SMS_BACKEND = "file"
    w = e2e_world
    subject = "Đóng góp làm đường"
    decision = decide(w, 100, 150, number="01/NQ-KDC", method="ballot", subject=subject)
    purpose = "Bê tông hóa đường khu"
    fund = make_fund(w, decision, name="Quỹ làm đường", kind="works", purpose=purpose, **BANK)
    year = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    fund_campaign(w.head_a1, fund, "Làm đường năm 2026", *year, level="person", amount=50_000)
    phone_sign_in(phone, e2e_settings, "0912000111")
    phone.get_by_role("link", name=re.compile(w.household_a1.code)).click()
    expect(phone.get_by_role("main")).to_contain_text("200.000")  # 4 members × 50.000
    qr = phone.get_by_role("img", name=re.compile("VietQR"))
    expect(qr).to_be_visible()
    phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    assert phone.evaluate("img => img.naturalWidth", qr.element_handle()) > 100
    audit(phone, "funds-household-vietqr")

    officer = new_page("phone")
    from harness import sign_in

    sign_in(officer, "xa_a")
    officer.goto(f"/xa/{w.commune_a.code}/")
    officer.get_by_role("link", name=exact("Community funds of the areas")).click()
    expect(officer.get_by_role("heading", level=1)).to_contain_text(w.commune_a.name)
    expect(officer.get_by_role("main")).to_contain_text(
        t("ledger silent for %(n)s days") % {"n": 90}
    )
    audit(officer, "funds-commune-overview")
