"""The funds through HTTP: the flow, access for every kind of person, bad input, documents read
back, constant query counts."""

import datetime
import io
import re
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from caunoi.core.submissions import new_key
from caunoi.funds import services
from caunoi.funds.models import Contribution, Entry, Expense
from caunoi.people.models import Role
from caunoi.testing import (
    add_household,
    appoint,
    decide,
    fund_campaign,
    jpeg_with_gps,
    make_fund,
)

from .conftest import contribute, spend

pytestmark = pytest.mark.django_db
D = datetime.date(2026, 3, 1)


def fund_url(fund, name="funds:fund", *extra):
    return reverse(name, args=[fund.area.code, fund.pk, *extra])


def post_contribution(client, fund, **data):
    body = {
        "household": "08119-03-001",
        "amount": "100.000",
        "method": "cash",
        "paid_on": "01/03/2026",
        "submission": new_key(),
    }
    body.update(data)
    return client.post(fund_url(fund, "funds:contribution_add"), body)


def test_head_records_contribution_and_resident_sees_receipt(world, fund, client_for):
    client = client_for(world.head_a1)
    key = new_key()
    response = post_contribution(client, fund, submission=key)
    c = Contribution.objects.get()
    assert response.status_code == 302 and response["Location"] == c.get_absolute_url()
    again = post_contribution(client, fund, submission=key)  # double click
    assert again["Location"] == c.get_absolute_url() and Contribution.objects.count() == 1
    resident = client_for(world.resident_a1)
    page = resident.get(reverse("funds:household", args=[fund.area.code, "08119-03-001"]))
    assert page.status_code == 200 and c.receipt_number in page.content.decode()
    receipt = resident.get(c.get_absolute_url())
    html = receipt.content.decode()
    assert "PT00001" in html and "100.000" in html and "<svg" in html
    pdf = PdfReader(io.BytesIO(resident.get(reverse("funds:receipt_pdf", args=[c.token])).content))
    text = pdf.pages[0].extract_text()
    assert "BIÊN LAI THU TIỀN" in text and "PT00001" in text and "100.000" in text


@pytest.mark.parametrize(
    "amount,message",
    [
        ("0", "Enter an amount greater than 0."),
        ("-5000", "Enter an amount greater than 0."),
        ("12,5", "no decimals"),
        ("9999999999", "too large"),
        ("", "Enter the amount in đồng."),
        ("mười nghìn", "as a number"),
    ],
)
def test_bad_amounts_show_message_and_change_nothing(world, fund, client_for, amount, message):
    response = post_contribution(client_for(world.head_a1), fund, amount=amount)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Entry.objects.exists()


def test_future_date_and_forged_household(world, fund, client_for):
    client = client_for(world.head_a1)
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).strftime("%d/%m/%Y")
    r = post_contribution(client, fund, paid_on=tomorrow)
    assert "The date cannot be in the future." in r.content.decode()
    r = post_contribution(client, fund, household=world.household_b1.code)
    assert "No household of this area matches" in r.content.decode()
    r = post_contribution(client, fund, household="08119-03-001\u0301")
    assert r.status_code == 200 and not Entry.objects.exists()


def test_expense_flow_second_person_and_public_page(world, fund, treasurer_a1, client_for):
    contribute(world, fund, 500_000)
    head = client_for(world.head_a1)
    photo = SimpleUploadedFile("hoa-don.jpg", jpeg_with_gps(), content_type="image/jpeg")
    r = head.post(
        fund_url(fund, "funds:expense_add"),
        {
            "amount": "200000",
            "payee": "Nhà sách Thanh Ba",
            "purpose": "Mua vở",
            "spent_on": "02/03/2026",
            "invoice": photo,
            "submission": new_key(),
        },
    )
    expense = Expense.objects.get()
    assert r.status_code == 302 and expense.invoice
    # the recorder cannot approve
    r = head.post(reverse("funds:expense_approve", args=[fund.area.code, expense.pk]))
    expense.refresh_from_db()
    assert expense.status == "pending"
    # the public does not see a pending expense nor its invoice
    head.logout()
    anon = head
    assert anon.get(reverse("funds:expense", args=[fund.area.code, expense.pk])).status_code == 404
    assert anon.get(reverse("funds:invoice", args=[fund.area.code, expense.pk])).status_code == 404
    second = client_for(treasurer_a1)
    approve = reverse("funds:expense_approve", args=[fund.area.code, expense.pk])
    key = new_key()
    r = second.post(approve, {"submission": key})
    expense.refresh_from_db()
    assert expense.status == "approved" and expense.entry.balance == 300_000
    again = second.post(approve, {"submission": key}, follow=True)  # a double click
    assert "already been approved" not in again.content.decode()
    assert Entry.objects.filter(fund=fund).count() == 2
    second.logout()
    page = anon.get(fund_url(fund)).content.decode()
    assert 'data-chain="ok"' in page and 'data-balance="300000"' in page
    assert "Bùi Thị Thảo" not in page and "0912" not in page  # households by code only
    assert "08119-03-001" in page
    invoice = anon.get(reverse("funds:invoice", args=[fund.area.code, expense.pk]))
    assert invoice.status_code == 200 and invoice["Content-Type"] == "image/jpeg"
    # an upload: sandboxed, never sniffed, shown inline under its expense's number
    assert invoice["X-Content-Type-Options"] == "nosniff"
    assert invoice["Content-Security-Policy"].startswith("sandbox")
    assert invoice["Content-Disposition"] == 'inline; filename="hoa-don-C0001.jpg"'
    assert b"Exif" not in b"".join(invoice.streaming_content)


def test_rejected_expense_stays_visible_with_reason(world, fund, treasurer_a1, client_for):
    expense = services.expense_record(
        actor=world.head_a1, fund=fund, amount=50_000, payee="X", purpose="Liên hoan", spent_on=D
    )
    client = client_for(treasurer_a1)
    url = reverse("funds:expense_reject", args=[fund.area.code, expense.pk])
    client.post(url, {"reason": ""})
    expense.refresh_from_db()
    assert expense.status == "pending"
    client.post(url, {"reason": "Không thuộc mục đích của quỹ"})
    client.logout()
    page = client.get(reverse("funds:expense", args=[fund.area.code, expense.pk])).content.decode()
    assert "Không thuộc mục đích của quỹ" in page
    assert "Liên hoan" in client.get(fund_url(fund)).content.decode()


def test_tampering_fails_public_verification_naming_the_entry(world, fund, client):
    from .conftest import tamper

    for _ in range(3):
        contribute(world, fund, 10_000)
    assert 'data-chain="ok"' in client.get(fund_url(fund)).content.decode()
    entry = Entry.objects.get(fund=fund, seq=2)
    tamper("UPDATE funds_entry SET amount = 90000, balance = 100000 WHERE id = %s", [entry.pk])
    page = client.get(fund_url(fund)).content.decode()
    assert 'data-chain="broken"' in page and "#2" in page
    area_page = client.get(reverse("funds:area", args=[fund.area.code])).content.decode()
    assert 'data-chain="broken"' in area_page


def test_reversal_through_the_page(world, fund, client_for):
    c = contribute(world, fund, 10_000)
    client = client_for(world.head_a1)
    url = reverse("funds:reverse", args=[fund.area.code, fund.pk, c.entry.seq])
    assert client.get(url).status_code == 200
    r = client.post(url, {"reason": "Ghi nhầm số tiền", "submission": new_key()})
    assert r.status_code == 302
    assert list(Entry.objects.values_list("seq", "amount")) == [(1, 10_000), (2, -10_000)]
    # there is no door to edit or delete an entry
    assert client.put(url).status_code == 405 and client.delete(url).status_code == 405


ACCESS = [
    # (person, record contribution page, overview of commune a)
    ("head_a1", 200, 403),
    ("treasurer", 200, 403),
    ("inspector_a1", 403, 403),
    ("resident_a1", 403, 403),
    ("officer_a", 403, 200),
    ("officer_b", 404, 404),
    ("head_b1", 404, 404),
    ("province_officer", 403, 200),
]


@pytest.mark.parametrize("who,record,overview", ACCESS)
def test_access(world, fund, treasurer_a1, client_for, who, record, overview):
    person = treasurer_a1 if who == "treasurer" else getattr(world, who)
    client = client_for(person)
    assert client.get(fund_url(fund, "funds:contribution_add")).status_code == record
    assert (
        client.get(reverse("funds:overview", args=["xa", world.commune_a.code])).status_code
        == overview
    )


def test_inspector_reads_pending_and_household_pages(world, fund, client_for):
    expense = services.expense_record(
        actor=world.head_a1, fund=fund, amount=50_000, payee="X", purpose="Y", spent_on=D
    )
    client = client_for(world.inspector_a1)
    assert (
        client.get(reverse("funds:expense", args=[fund.area.code, expense.pk])).status_code == 200
    )
    assert (
        client.get(reverse("funds:household", args=[fund.area.code, "08119-03-001"])).status_code
        == 200
    )
    assert (
        client.post(reverse("funds:expense_approve", args=[fund.area.code, expense.pk])).status_code
        == 403
    )
    neighbour = client_for(world.officer_b)
    assert (
        neighbour.get(reverse("funds:expense", args=[fund.area.code, expense.pk])).status_code
        == 404
    )


def test_household_page_only_for_its_own_household(world, fund, client, client_for):
    url = reverse("funds:household", args=[fund.area.code, "08119-03-001"])
    signed_out = client.get(url)  # a session that expired: sign in and come back
    assert signed_out.status_code == 302
    assert signed_out["Location"] == f"{reverse('accounts:signin')}?next={url}"
    assert client_for(world.head_b1).get(url).status_code == 404
    assert client_for(world.resident_a1).get(url).status_code == 200
    neighbour = add_household(world.area_a1, 2, address="Số 2")
    other = reverse("funds:household", args=[fund.area.code, neighbour.code])
    assert client_for(world.resident_a1).get(other).status_code == 403  # not theirs
    missing = reverse("funds:household", args=[fund.area.code, "08119-03-999"])
    assert client_for(world.inspector_a1).get(missing).status_code == 404


def test_statements_read_back(world, fund, treasurer_a1, client):
    contribute(
        world,
        fund,
        100_000,
        paid_on=datetime.date(2026, 1, 20),
    )
    contribute(
        world,
        fund,
        250_000,
        method="transfer",
        paid_on=datetime.date(2026, 2, 5),
    )
    e = spend(
        world,
        fund,
        120_000,
        payee="Nhà sách",
        purpose="Mua vở",
        spent_on=datetime.date(2026, 2, 10),
    )
    services.expense_approve(actor=treasurer_a1, expense=e)
    url = fund_url(fund, "funds:statement", "xlsx")
    r = client.get(url, {"ky": "month", "nam": 2026, "so": 2})
    assert r["Content-Disposition"].startswith("attachment")
    assert (
        f'cong-khai-thu-chi-{fund.area.code}-{fund.pk}-month-2026-2.xlsx"'
        in r["Content-Disposition"]
    )
    ws = load_workbook(io.BytesIO(r.content)).active
    cells = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    # real cells: the day is a date, the amount a number (officials add them up)
    line = next(row for row in ws.iter_rows() if row[4].value == 250_000)
    assert line[1].value == datetime.datetime(2026, 2, 5)
    assert line[1].number_format.lower() == "dd/mm/yyyy"
    assert line[4].number_format == "#,##0"
    flat = [c for row in cells for c in row if c is not None]
    assert "BẢNG CÔNG KHAI THU – CHI QUỸ KHUYẾN HỌC" in flat
    assert ["I. Số dư đầu kỳ", None, None, None, 100_000] in [list(r) for r in cells]
    assert ["IV. Số dư cuối kỳ", None, None, None, 230_000] in [list(r) for r in cells]
    assert 250_000 in flat and 120_000 in flat
    r = client.get(fund_url(fund, "funds:statement", "pdf"), {"ky": "half", "nam": 2026, "so": 1})
    assert r["Content-Type"] == "application/pdf" and r["Content-Disposition"].startswith("inline")
    text = PdfReader(io.BytesIO(r.content)).pages[0].extract_text()
    assert "CÔNG KHAI THU – CHI" in text and "6 tháng đầu năm 2026" in text
    assert "230.000" in text and "Mua vở" in text and "08119-03-001" in text
    q = client.get(
        fund_url(fund, "funds:statement", "pdf"), {"ky": "quarter", "nam": 2026, "so": 1}
    )
    assert "Quý I/2026" in PdfReader(io.BytesIO(q.content)).pages[0].extract_text()
    assert client.get(url, {"ky": "month", "nam": 2026, "so": 13}).status_code == 404
    assert client.get(url, {"ky": "x"}).status_code == 404


NO_ZBAR = pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools not installed")


def zbar(path) -> str:
    out = subprocess.run(["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True)
    return out.stdout.strip()


def test_poster_has_the_public_page_qr(world, fund, client):
    r = client.get(reverse("funds:poster", args=[fund.area.code]))
    assert r["Content-Disposition"] == (f'inline; filename="ap-phich-quy-{fund.area.code}.pdf"')
    reader = PdfReader(io.BytesIO(r.content))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    text = reader.pages[0].extract_text()
    assert "CÔNG KHAI THU – CHI" in text and "Quỹ khuyến học" in text


@NO_ZBAR
def test_poster_qr_leads_to_the_public_page(world, fund, client, tmp_path):
    r = client.get(reverse("funds:poster", args=[fund.area.code]))
    image = PdfReader(io.BytesIO(r.content)).pages[0].images[0]
    path = tmp_path / f"qr{image.name[-4:] if '.' in image.name else '.png'}"
    path.write_bytes(image.data)
    assert zbar(path).endswith(f"/khu/{fund.area.code}/quy/")


@pytest.fixture
def per_person(world, fund):
    year = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    return fund_campaign(
        world.head_a1, fund, "Đóng góp năm 2026", *year, level="person", amount=20_000
    )


def test_household_vietqr_png(world, fund, per_person, client_for):
    client = client_for(world.resident_a1)
    page = client.get(reverse("funds:household", args=[fund.area.code, "08119-03-001"])).content
    assert b"80.000" in page  # 4 members × 20.000
    r = client.get(reverse("funds:vietqr", args=[fund.area.code, "08119-03-001", per_person.pk]))
    assert r["Content-Type"] == "image/png"
    services.exemption_grant(
        actor=world.head_a1,
        campaign=per_person,
        household=world.household_a1,
        reason="Hộ nghèo 2026",
    )
    page = client.get(reverse("funds:household", args=[fund.area.code, "08119-03-001"])).content
    assert "Hộ nghèo 2026".encode() in page


@NO_ZBAR
def test_household_vietqr_carries_what_is_due(world, fund, per_person, client_for, tmp_path):
    from vietqr_emvco import VietQRParser

    url = reverse("funds:vietqr", args=[fund.area.code, "08119-03-001", per_person.pk])
    path = tmp_path / "vietqr.png"
    path.write_bytes(client_for(world.resident_a1).get(url).content)
    parsed = VietQRParser.parse(zbar(path))
    assert parsed["amount"] == 80_000 and parsed["memo"] == f"{per_person.reference} 08119-03-001"


def test_fund_page_queries_constant(world, fund, client, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            contribute(world, fund, 1000)

    add(2)
    with django_assert_max_num_queries(20) as small:
        client.get(fund_url(fund))
    add(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(fund_url(fund))


def test_overview_flags_and_constant_queries(
    world, fund, treasurer_a1, client_for, django_assert_max_num_queries
):
    bare = make_fund(world, name="Quỹ vì người nghèo", kind="poor", purpose="Giúp hộ nghèo")
    contribute(
        world,
        bare,
        1000,
        paid_on=datetime.date.today() - datetime.timedelta(days=200),
    )
    e = spend(world, bare, 500, spent_on=datetime.date.today() - datetime.timedelta(days=150))
    services.expense_approve(actor=treasurer_a1, expense=e)
    client = client_for(world.officer_a)
    url = reverse("funds:overview", args=["xa", world.commune_a.code])
    with django_assert_max_num_queries(15) as first:
        html = client.get(url).content.decode()
    assert "contribution with no decision behind it" in html
    assert "expense with no invoice" in html
    assert re.search(r"ledger silent for 90 days", html)
    make_fund(
        world, actor=None, area=world.area_a2, name="Quỹ đường", kind="works", purpose="Làm đường"
    )
    with django_assert_max_num_queries(len(first.captured_queries)):
        after = client.get(url).content.decode()
    assert "Khu 4" not in html and "Khu 4" in after  # the second fund's area has its line now
    province = client_for(world.province_officer).get(
        reverse("funds:overview", args=["tinh", world.province.code])
    )
    html = province.content.decode()
    assert "Xã Đồng Xuân" in html and f"/xa/{world.commune_a.code}/quy/" in html
    assert "Khu 4" not in html  # a province lists its communes, not 2,328 areas


def _slot(slot, person=None, **kwargs):
    """What `{% sections slot … %}` renders on another app's page."""
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = person or AnonymousUser()
    template = Template(
        "{% load caunoi %}{% sections slot " + " ".join(f"{k}={k}" for k in kwargs) + " %}"
    )
    return template.render(Context({"request": request, "slot": slot, **kwargs}))


def test_unit_section_on_the_public_area_and_commune_pages(world, fund):
    html = _slot("unit", unit=world.area_a1)
    assert "Quỹ khuyến học" in html and reverse("funds:area", args=[fund.area.code]) in html
    assert "Open a fund" not in html
    empty = _slot("unit", world.head_a1, unit=world.area_a2)
    assert "keeps no fund" in empty and "Open a fund" not in empty
    head_a2 = appoint("Cao Văn Tiến", "0912000006", Role.HEAD, world.area_a2)
    assert "Open a fund" in _slot("unit", head_a2, unit=world.area_a2)
    overview = reverse("funds:overview", args=["xa", world.commune_a.code])
    assert overview in _slot("unit", world.officer_a, unit=world.commune_a)
    assert "Community funds" not in _slot("unit", unit=world.commune_a)
    assert "Community funds" not in _slot("unit", world.officer_b, unit=world.commune_a)


def test_home_section_shows_what_waits_for_the_reader(world, fund, treasurer_a1):
    services.expense_record(
        actor=world.head_a1, fund=fund, amount=50_000, payee="X", purpose="Mua vở", spent_on=D
    )
    html = _slot("home", treasurer_a1)
    assert "Approve expense C0001" in html and "Mua vở" in html
    assert "Approve expense" not in _slot("home", world.head_a1)  # they recorded it
    resident = _slot("home", world.resident_a1)
    household = reverse("funds:household", args=[fund.area.code, world.household_a1.code])
    assert household in resident and "Approve expense" not in resident
    neighbour = _slot("home", world.officer_b)  # only their own places, nothing of funds
    assert "/quy/" not in neighbour and "Approve expense" not in neighbour
    assert _slot("home") == ""


def test_area_funds_page_queries_constant(world, fund, client, django_assert_max_num_queries):
    url = reverse("funds:area", args=[fund.area.code])
    with django_assert_max_num_queries(20) as first:
        client.get(url)
    for name in ("Quỹ vì người nghèo", "Quỹ làm đường"):
        other = make_fund(world, name=name, kind="other", purpose="x")
        for _ in range(3):
            contribute(world, other, 1000)
    with django_assert_max_num_queries(len(first.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count('data-chain="ok"') == 3


def test_someone_else_s_ids_are_not_found(world, fund, client_for):
    other = make_fund(
        world, actor=world.head_b1, area=world.area_b1, name="Quỹ khu 1", kind="other", purpose="x"
    )
    expense = services.expense_record(
        actor=world.head_b1, fund=other, amount=1000, payee="X", purpose="Y", spent_on=D
    )
    head = client_for(world.head_a1)
    a, b = world.area_a1.code, world.area_b1.code
    # B's expense through A's address, and through B's own address
    assert head.post(reverse("funds:expense_approve", args=[a, expense.pk])).status_code == 404
    assert head.post(reverse("funds:expense_approve", args=[b, expense.pk])).status_code == 404
    # B's fund through A's address
    assert head.get(reverse("funds:contribution_add", args=[a, other.pk])).status_code == 404
    # a campaign of another fund in the form
    decision = decide(world, 1, 1, actor=world.head_b1, area=world.area_b1, number="1", date=D)
    campaign = fund_campaign(
        world.head_b1, other, "Khác", D, D, level="voluntary", amount=None, decision=decision
    )
    r = post_contribution(head, fund, campaign=campaign.pk)
    assert r.status_code == 200 and not Entry.objects.exists()
    expense.refresh_from_db()
    assert expense.status == "pending"


def test_household_page_queries_constant(world, fund, client_for, django_assert_max_num_queries):
    client = client_for(world.resident_a1)
    url = reverse("funds:household", args=[fund.area.code, world.household_a1.code])

    def pay(n):
        for _ in range(n):
            contribute(world, fund, 1000)

    pay(1)
    with django_assert_max_num_queries(25) as first:
        client.get(url)
    pay(10)
    fund_campaign(world.head_a1, fund, "Đợt 2", D, D, amount=5000)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_statement_for_another_period_from_the_form(world, fund, client):
    page = client.get(fund_url(fund)).content.decode()
    assert 'name="ky"' in page and "formaction=" in page
    r = client.get(fund_url(fund, "funds:statement", "xlsx"), {"ky": "month", "nam": 2025, "so": 7})
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    assert any("7/2025" in str(c) for row in ws.iter_rows(values_only=True) for c in row if c)


def test_invoice_public_copy_covers_personal_data(world, fund, treasurer_a1, client, client_for):
    from PIL import Image

    contribute(world, fund, 100_000)
    photo = SimpleUploadedFile("hd.jpg", jpeg_with_gps(), content_type="image/jpeg")
    expense = spend(world, fund, invoice=photo)
    services.expense_approve(actor=treasurer_a1, expense=expense)
    head = client_for(world.head_a1)
    url = reverse("funds:invoice_cover", args=[fund.area.code, expense.pk])
    assert head.post(url, {"cells": ["1", "16"]}).status_code == 302
    expense.refresh_from_db()
    assert expense.covered == "1,16"

    def pixel(response, xy):
        import io as _io

        with Image.open(_io.BytesIO(b"".join(response.streaming_content))) as im:
            return im.convert("RGB").getpixel(xy)

    head.logout()
    invoice_url = reverse("funds:invoice", args=[fund.area.code, expense.pk])
    public = client.get(invoice_url)
    assert max(pixel(public, (2, 2))) < 40  # cell 1 blacked out
    assert max(pixel(client.get(invoice_url + "?goc=1"), (2, 2))) < 40  # the public cannot ask
    original = client_for(world.inspector_a1).get(invoice_url + "?goc=1")
    assert min(pixel(original, (2, 2))) > 120  # the inspection board sees the original
    # bad cells, wrong people
    head = client_for(world.head_a1)
    head.post(url, {"cells": ["0", "17"]})
    expense.refresh_from_db()
    assert expense.covered == "1,16"
    assert client_for(world.resident_a1).post(url, {"cells": ["2"]}).status_code == 403
    assert client_for(world.officer_b).post(url, {"cells": ["2"]}).status_code == 404
    page = client_for(world.head_a1).get(
        reverse("funds:expense", args=[fund.area.code, expense.pk])
    )
    assert 'name="cells"' in page.content.decode()


KEEPER_PAGES = ["decision_add", "fund_add", "campaign_add", "exemption_add", "contribution_add"]
KEEPER_PAGES += ["income_add", "expense_add", "reverse", "expense_approve", "expense_reject"]
KEEPER_PAGES += ["invoice_cover"]


@pytest.mark.parametrize("page", KEEPER_PAGES)
@pytest.mark.parametrize(
    "who,status",
    [
        ("head_a1", "ok"),
        ("resident_a1", 403),
        ("inspector_a1", 403),
        ("officer_a", 403),
        ("officer_b", 404),
        ("head_b1", 404),
        (None, "sign-in"),
    ],
)
def test_keeper_pages_access(world, fund, treasurer_a1, client, client_for, page, who, status):
    c = contribute(world, fund, 10_000)
    campaign = fund_campaign(world.head_a1, fund, "Đợt 1", D, D, level="voluntary", amount=None)
    expense = services.expense_record(
        actor=treasurer_a1, fund=fund, amount=1000, payee="X", purpose="Y", spent_on=D
    )
    code = fund.area.code
    args = {
        "decision_add": [code],
        "fund_add": [code],
        "campaign_add": [code, fund.pk],
        "exemption_add": [code, fund.pk, campaign.pk],
        "contribution_add": [code, fund.pk],
        "income_add": [code, fund.pk],
        "expense_add": [code, fund.pk],
        "reverse": [code, fund.pk, c.entry.seq],
        "expense_approve": [code, expense.pk],
        "expense_reject": [code, expense.pk],
        "invoice_cover": [code, expense.pk],
    }[page]
    url = reverse(f"funds:{page}", args=args)
    browser = client_for(getattr(world, who)) if who else client
    posts = page in ("expense_approve", "expense_reject", "invoice_cover")
    r = browser.post(url, {"reason": "Sai"}) if posts else browser.get(url)
    expected = {
        "sign-in": (302, f"{reverse('accounts:signin')}?next={url}"),
        "ok": (302, reverse("funds:expense", args=[code, expense.pk])) if posts else (200, ""),
    }.get(status, (status, ""))
    assert (r.status_code, r.get("Location", "")) == expected
    decided = {"expense_approve": "approved", "expense_reject": "rejected"}.get(page, "pending")
    expense.refresh_from_db()
    assert expense.status == (decided if status == "ok" else "pending")


def test_the_rules_that_apply_are_shown(world, fund, client_for):
    page = client_for(world.head_a1).get(reverse("funds:decision_add", args=[fund.area.code]))
    html = page.content.decode()
    assert "The limits that apply here" in html
    assert "must be in favour for a decision to pass" in html  # the meetings' one rule
    assert "Luật Thực hiện dân chủ ở cơ sở 2022" in html
    overview = client_for(world.officer_a).get(
        reverse("funds:overview", args=["xa", world.commune_a.code])
    )
    assert "before a fund is flagged as silent: <strong>90</strong>" in overview.content.decode()


def test_a_changed_threshold_is_the_one_applied_and_shown(world, fund, client_for, settings):
    settings.MEETINGS_DECISION_SHARE = 0.75
    decision = decide(
        world, 100, 150, number="07/NQ", date=D, method="ballot", subject="Làm cổng chào"
    )
    assert not decision.passed  # 2/3 is not more than 75%
    html = client_for(world.head_a1).get(reverse("funds:area", args=[fund.area.code]))
    assert "it needs more than 75% of all the households" in html.content.decode()


def test_ledger_pages_keep_the_query_string(world, fund, client):
    for _ in range(51):
        contribute(world, fund, 1000)
    first = client.get(fund_url(fund), {"ky": "month"}).content.decode()
    assert 'id="e51"' in first and 'id="e1"' not in first
    assert 'rel="next" href="?ky=month&amp;trang=2"' in first
    second = client.get(fund_url(fund), {"ky": "month", "trang": 2}).content.decode()
    assert 'id="e1"' in second and 'id="e51"' not in second


def test_receipt_by_link_hides_the_payers_name(world, fund, client, client_for):
    from .conftest import contribute

    c = contribute(world, fund, payer_name="Bùi Thị Thảo")
    url = c.get_absolute_url()
    anonymous = client.get(url).content.decode()
    assert c.receipt_number in anonymous and "Bùi Thị Thảo" not in anonymous
    pdf = client.get(url + "bien-lai.pdf")
    assert "Thảo" not in "".join(
        p.extract_text() for p in __import__("pypdf").PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "Bùi Thị Thảo" in client_for(world.head_a1).get(url).content.decode()


def test_treasurer_finds_the_household_by_house_number_or_name(
    world, fund, treasurer_a1, client_for
):
    """Issue 12 item 10: the keeper types what they know (house number, name, code); the date
    is today and the campaign the fund's open one unless changed."""
    add_household(world.area_a1, 12, "Nguyễn Văn An", address="Số 12, Khu 3", members=3)
    today = datetime.date.today()
    days = today - datetime.timedelta(days=10), today + datetime.timedelta(days=30)
    campaign = fund_campaign(world.head_a1, fund, "Đợt thu 2026", *days)
    client = client_for(treasurer_a1)
    page = client.get(fund_url(fund, "funds:contribution_add")).content.decode()
    assert f'value="{today.isoformat()}"' in page  # the date: today
    assert re.search(rf'<option value="{campaign.pk}" selected>', page)  # the open campaign
    assert '<datalist id="id_household-list">' in page and "Số 12, Khu 3 · Nguyễn Văn An" in page
    assert "08119-01-001" not in page  # no example from another commune
    for typed in ("Số 12", "12", "nguyen van an", "08119-03-012"):
        r = post_contribution(
            client, fund, household=typed, paid_on=today.strftime("%d/%m/%Y"), campaign=campaign.pk
        )
        assert r.status_code == 302, typed
        assert Contribution.objects.latest("pk").household.code == "08119-03-012"
    r = post_contribution(client, fund, household="Khu 3")  # both households: which one?
    assert "Several households match" in r.content.decode() and "08119-03-001" in r.content.decode()
    r = post_contribution(client, fund, household="Số 99")
    assert "No household of this area matches" in r.content.decode()


def test_treasurer_home_leads_to_recording_a_contribution(world, fund, treasurer_a1, client_for):
    """Issue 12 item 9: the treasurer's home names the fund and its one action."""
    page = client_for(treasurer_a1).get("/").content.decode()
    assert fund.name in page
    assert fund_url(fund, "funds:contribution_add") in page and "Record a contribution" in page
