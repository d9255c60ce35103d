"""Backup and restore, proven (issue 18): a populated database is backed up, wiped and restored;
every table's count is equal again, every ledger chain verifies and the uploaded files are back.
Runs on the suite's database (SQLite: the online backup API; PostgreSQL: pg_dump/pg_restore)."""

import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from caunoi.funds import selectors as funds_selectors
from caunoi.funds import services as funds
from caunoi.funds.models import Entry, Fund
from caunoi.testing import build_world, decide, make_fund

pytestmark = pytest.mark.django_db(transaction=True)


def counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.managed}


def populate() -> None:
    world = build_world()
    on = datetime.date(2026, 1, 5)
    decision = decide(world, 1, 1, number="01/NQ-KDC", date=on, subject="Lập Quỹ khuyến học")
    fund = make_fund(world, decision, purpose="Khen thưởng học sinh giỏi")
    for i in range(5):
        funds.contribution_record(
            actor=world.head_a1,
            fund=fund,
            household=world.household_a1,
            amount=100_000 + i * 10_000,
            method="cash",
            paid_on=datetime.date(2026, 2, 1 + i),
        )


def test_backup_wipe_restore_gives_back_every_row_and_chain(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    populate()
    invoice = Path(settings.MEDIA_ROOT) / "funds" / "hoa-don.jpg"
    invoice.parent.mkdir(parents=True)
    invoice.write_bytes(b"\xff\xd8 an invoice photo")
    before = counts()
    assert before["funds.Entry"] == 5 and before["territory.Household"] >= 2

    call_command("backup", str(tmp_path / "backup"))
    call_command("flush", "--noinput")  # the wipe (TRUNCATE on PostgreSQL: the ledger allows it)
    invoice.unlink()
    assert Entry.objects.count() == 0

    call_command("restore_backup", str(tmp_path / "backup"), "--yes")
    assert counts() == before
    for fund in Fund.objects.all():
        verdict = funds_selectors.fund_verdict(fund)
        assert verdict.ok and verdict.entries == 5, verdict
    assert invoice.read_bytes() == b"\xff\xd8 an invoice photo"
