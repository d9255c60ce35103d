"""The ledger: contributions with receipts, expenses with a second approver, the hash chain,
append-only through every door."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from PIL import Image

from caunoi.core.exceptions import ApplicationError
from caunoi.core.models import AuditEntry
from caunoi.funds import chain, selectors, services
from caunoi.funds.models import Entry, Expense, LedgerIsAppendOnly
from caunoi.testing import jpeg_with_gps

from .conftest import contribute, spend, tamper

pytestmark = pytest.mark.django_db
D = datetime.date(2026, 3, 1)


def test_contribution_gets_numbered_receipt_and_chained_entry(world, fund):
    c1 = contribute(world, fund)
    c2 = contribute(world, fund, amount=50_000)
    assert (c1.receipt_number, c2.receipt_number) == ("PT00001", "PT00002")
    assert c1.token != c2.token and len(c1.token) >= 16
    e1, e2 = c1.entry, c2.entry
    assert (e1.seq, e1.balance, e2.seq, e2.balance) == (1, 100_000, 2, 150_000)
    assert e1.prev_hash == chain.GENESIS and e2.prev_hash == e1.hash
    assert e1.household_ref == world.household_a1.code
    fund.refresh_from_db()
    assert (fund.balance, fund.last_seq, fund.last_hash) == (150_000, 2, e2.hash)
    assert selectors.fund_verdict(fund).ok
    assert AuditEntry.objects.filter(action="funds.contribution.recorded").count() == 2


def test_expense_needs_a_second_person(world, fund, treasurer_a1):
    contribute(world, fund, amount=500_000)
    invoice = SimpleUploadedFile("hoa-don.jpg", jpeg_with_gps(), content_type="image/jpeg")
    expense = spend(
        world,
        fund,
        300_000,
        payee="Nhà sách Thanh Ba",
        purpose="Mua vở thưởng học sinh giỏi",
        invoice=invoice,
    )
    assert expense.status == Expense.Status.PENDING and expense.entry is None
    with Image.open(expense.invoice.path) as im:
        assert not im.getexif()  # EXIF (and GPS) stripped
    with pytest.raises(services.NotASecondPerson):
        services.expense_approve(actor=world.head_a1, expense=expense)
    assert Entry.objects.filter(fund=fund).count() == 1
    services.expense_approve(actor=treasurer_a1, expense=expense)
    expense.refresh_from_db()
    assert expense.status == "approved" and expense.entry.amount == -300_000
    assert expense.entry.balance == 200_000
    with pytest.raises(services.AlreadyDecided):
        services.expense_approve(actor=treasurer_a1, expense=expense)
    assert selectors.fund_verdict(fund).ok


def test_rejected_expense_stays_with_reason(world, fund, treasurer_a1):
    expense = spend(world, fund, 90_000, actor=treasurer_a1, payee="Anh Tú", purpose="Tiếp khách")
    with pytest.raises(ValidationError):
        services.expense_reject(actor=world.head_a1, expense=expense, reason="  ")
    services.expense_reject(
        actor=world.head_a1, expense=expense, reason="Không có trong nghị quyết"
    )
    expense.refresh_from_db()
    assert expense.status == "rejected" and expense.reject_reason == "Không có trong nghị quyết"
    assert not Entry.objects.filter(fund=fund).exists()


def test_expense_cannot_overdraw(world, fund, treasurer_a1):
    contribute(world, fund, amount=100_000)
    expense = services.expense_record(
        actor=world.head_a1, fund=fund, amount=300_000, payee="X", purpose="Y", spent_on=D
    )
    with pytest.raises(ApplicationError) as err:
        services.expense_approve(actor=treasurer_a1, expense=expense)
    assert err.value.code == "insufficient"
    expense.refresh_from_db()
    assert expense.status == "pending"


@pytest.mark.parametrize("amount", [0, -5, 1.5, "100000", 10**13, True])
def test_bad_amounts_change_nothing(world, fund, amount):
    with pytest.raises(ValidationError):
        contribute(world, fund, amount=amount)
    assert not Entry.objects.exists()
    fund.refresh_from_db()
    assert fund.balance == 0 and fund.receipts_issued == 0


def test_future_date_and_forged_household_refused(world, fund):
    with pytest.raises(ValidationError) as err:
        contribute(
            world,
            fund,
            1000,
            paid_on=datetime.date.today() + datetime.timedelta(days=2),
        )
    assert "future" in str(err.value)
    with pytest.raises(ValidationError) as err:
        services.contribution_record(
            actor=world.head_a1,
            fund=fund,
            household=world.household_b1,
            amount=1000,
            method="cash",
            paid_on=D,
        )
    assert "not in this residential area" in str(err.value)
    assert not Entry.objects.exists()


def test_lying_invoice_refused(world, fund):
    fake = SimpleUploadedFile(
        "hoa-don.jpg", b"MZ\x90\x00 not an image at all", content_type="image/jpeg"
    )
    with pytest.raises(ValidationError) as err:
        services.expense_record(
            actor=world.head_a1,
            fund=fund,
            amount=1000,
            payee="X",
            purpose="Y",
            spent_on=D,
            invoice=fake,
        )
    assert "invoice" in err.value.message_dict
    assert not Expense.objects.exists()


def test_entries_refuse_edit_and_delete_in_the_orm(world, fund):
    entry = contribute(world, fund).entry
    entry.amount = 1
    with pytest.raises(LedgerIsAppendOnly):
        entry.save()
    with pytest.raises(LedgerIsAppendOnly):
        entry.delete()
    with pytest.raises(LedgerIsAppendOnly):
        Entry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(LedgerIsAppendOnly):
        Entry.objects.all().delete()


def test_database_refuses_update(world, fund):
    entry = contribute(world, fund).entry
    with pytest.raises(Exception) as err, transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("UPDATE funds_entry SET amount = 1 WHERE id = %s", [entry.pk])
    assert "append-only" in str(err.value)


def test_tampered_row_is_detected_and_named(world, fund):
    for _ in range(3):
        contribute(world, fund)
    second = Entry.objects.get(fund=fund, seq=2)
    tamper("UPDATE funds_entry SET amount = 10000 WHERE id = %s", [second.pk])
    verdict = selectors.fund_verdict(fund)
    assert not verdict.ok and verdict.bad_seq == 2 and verdict.problem == "hash"


def test_deleted_row_is_detected(world, fund):
    for _ in range(3):
        contribute(world, fund)
    last = Entry.objects.get(fund=fund, seq=3)
    # the contribution row references it: an attacker removes both
    tamper("DELETE FROM funds_contribution WHERE entry_id = %s", [last.pk])
    tamper("DELETE FROM funds_entry WHERE id = %s", [last.pk])
    verdict = selectors.fund_verdict(fund)
    assert not verdict.ok and verdict.problem == "tip"


def test_reversal_is_a_new_entry(world, fund):
    c = contribute(world, fund, amount=70_000)
    r = services.entry_reverse(actor=world.head_a1, entry=c.entry, reason="Ghi nhầm hộ")
    assert (r.seq, r.amount, r.balance, r.reverses_id) == (2, -70_000, 0, c.entry.pk)
    with pytest.raises(ApplicationError):
        services.entry_reverse(actor=world.head_a1, entry=c.entry, reason="lần nữa")
    with pytest.raises(ApplicationError):
        services.entry_reverse(actor=world.head_a1, entry=r, reason="đảo của đảo")
    assert selectors.fund_verdict(fund).ok
    assert selectors.household_overview(world.household_a1)["total_paid"] == 0


def test_verify_command(world, fund, capsys):
    contribute(world, fund)
    call_command("verify_ledgers")
    assert "1 funds, 1 entries checked, 0 broken" in capsys.readouterr().out
    tamper("UPDATE funds_entry SET description = 'sửa' WHERE fund_id = %s", [fund.pk])
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_ledgers", area=world.area_a1.code)
    assert exit_.value.code == 1
    assert "entry #1 (hash)" in capsys.readouterr().out
