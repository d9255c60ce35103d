"""The attacks on the ledger's tamper evidence, one by one (issue 13, item 3): the database refuses
UPDATE, DELETE and TRUNCATE; someone who switches that off and deletes an entry, rolls the tip back
or recomputes the whole chain is caught by the seals (LEDGER_KEY) or, holding the key too, by the
checkpoints printed on the published papers."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from pypdf import PdfReader

from caunoi.funds import chain, guard, selectors, services
from caunoi.funds.models import Checkpoint, Entry, LedgerIsAppendOnly

from .conftest import contribute, spend, tamper

pytestmark = pytest.mark.django_db


def _refused(sql, params=()):
    with pytest.raises(Exception) as err, transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)
    return str(err.value)


def test_guard_is_installed():
    """Every trigger of the guard exists after the migrations (a migration that rebuilds a table
    on SQLite would drop them silently)."""
    assert guard.installed(connection) == guard.TRIGGERS[connection.vendor]


def test_database_refuses_delete_of_an_entry(world, fund):
    entry = contribute(world, fund).entry
    assert "append-only" in _refused("DELETE FROM funds_entry WHERE id = %s", [entry.pk])
    assert "append-only" in _refused("DELETE FROM funds_entry")  # SQLite's truncate
    assert Entry.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres  # SQLite has no TRUNCATE statement (DELETE without WHERE is refused above)
def test_database_refuses_truncate(world, fund):
    contribute(world, fund)
    with connection.cursor() as cur:  # the test's own pending FK checks would refuse first
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert "append-only" in _refused("TRUNCATE funds_entry CASCADE")
    assert "append-only" in _refused("TRUNCATE funds_checkpoint CASCADE")
    assert Entry.objects.filter(fund=fund).count() == 1


def test_database_refuses_to_roll_the_tip_back(world, fund):
    contribute(world, fund)
    contribute(world, fund)
    fund.refresh_from_db()
    assert "only moves forward" in _refused(
        "UPDATE funds_fund SET last_seq = 1 WHERE id = %s", [fund.pk]
    )
    assert "only moves forward" in _refused(
        "UPDATE funds_fund SET last_hash = %s WHERE id = %s", ["0" * 64, fund.pk]
    )
    # what the app does to a fund (a rename, re-keying) still works
    with connection.cursor() as cur:
        cur.execute("UPDATE funds_fund SET name = 'Quỹ mới' WHERE id = %s", [fund.pk])


def test_checkpoints_are_append_only(world, fund):
    contribute(world, fund)
    cp = services.checkpoint_publish(fund=fund, medium="statement")
    with pytest.raises(LedgerIsAppendOnly):
        cp.delete()
    with pytest.raises(LedgerIsAppendOnly):
        Checkpoint.objects.filter(pk=cp.pk).update(seq=9)
    assert "append-only" in _refused("DELETE FROM funds_checkpoint WHERE id = %s", [cp.pk])
    assert "append-only" in _refused("UPDATE funds_checkpoint SET seq = 9 WHERE id = %s", [cp.pk])


def _approved_expense(world, fund, treasurer):
    contribute(world, fund, amount=500_000)
    expense = spend(
        world, fund, 300_000, payee="Nhà sách Thanh Ba", purpose="Mua vở thưởng học sinh giỏi"
    )
    return services.expense_approve(actor=treasurer, expense=expense)


def roll_tip_back(fund, *, to_seq: int) -> None:
    """The fund's kept tip (last seq, hash and balance) set back to its entry `to_seq`, under the
    guard, as someone hiding entries after it would."""
    entry = Entry.objects.get(fund=fund, seq=to_seq)
    tamper(
        "UPDATE funds_fund SET last_seq = %s, last_hash = %s, balance = %s WHERE id = %s",
        [to_seq, entry.hash, entry.balance, fund.pk],
    )


def test_deleted_expense_entry_with_tip_rolled_back_is_caught(world, fund, treasurer_a1, client):
    """The issue's attack: delete an approved expense's entry, roll the fund's tip back. The chain
    itself holds (it is one entry shorter), but the expense has lost its entry."""
    expense = _approved_expense(world, fund, treasurer_a1)
    tamper("UPDATE funds_expense SET entry_id = NULL WHERE id = %s", [expense.pk])
    tamper("DELETE FROM funds_entry WHERE id = %s", [expense.entry_id])
    roll_tip_back(fund, to_seq=1)
    verdict = selectors.fund_verdict(fund)
    assert not verdict.ok and verdict.problem == "missing"
    assert not selectors.fund_verdicts([fund.__class__.objects.get(pk=fund.pk)])[fund.pk].ok
    page = client.get(fund.get_absolute_url()).content.decode()
    assert 'data-chain="broken"' in page and "Nothing has been changed" not in page
    with pytest.raises(SystemExit):
        call_command("verify_ledgers", fund=fund.pk)


def _rewrite(fund, *, change_seq: int, amount: int, key: bytes | None):
    """Recompute the whole chain after changing one amount, as someone with SQL access would:
    hashes, links, balances and the tip all fit again. `key`: whether they hold LEDGER_KEY."""
    rows = list(Entry.objects.filter(fund=fund).order_by("seq"))
    prev, balance = chain.GENESIS, 0
    for e in rows:
        a = amount if e.seq == change_seq else e.amount
        balance += a
        content = chain.canonical(
            fund_id=fund.pk,
            seq=e.seq,
            kind=e.kind,
            amount=a,
            balance=balance,
            booked_on=e.booked_on,
            description=e.description,
            household_ref=e.household_ref,
            document=e.document,
            reverses_seq=e.reverses.seq if e.reverses else None,
        )
        h = chain.entry_hash(prev, content)
        seal = chain.seal(fund.pk, e.seq, h, key=key) if key else e.seal
        tamper(
            "UPDATE funds_entry SET amount=%s, balance=%s, prev_hash=%s, hash=%s, seal=%s"
            " WHERE id=%s",
            [a, balance, prev, h, seal, e.pk],
        )
        prev = h
    tamper("UPDATE funds_fund SET last_hash=%s, balance=%s WHERE id=%s", [prev, balance, fund.pk])


def test_recomputed_chain_without_the_key_fails_its_seals(world, fund):
    for amount in (100_000, 200_000, 300_000):
        contribute(world, fund, amount=amount)
    _rewrite(fund, change_seq=2, amount=20_000, key=None)
    # the public chain itself holds: only the seal tells
    verdict = selectors.fund_verdict(fund)
    assert not verdict.ok and (verdict.problem, verdict.bad_seq) == ("seal", 2)


def test_seals_depend_on_the_key(settings):
    settings.LEDGER_KEY = "one key"
    a = chain.seal(1, 1, "ab" * 32)
    settings.LEDGER_KEY = "another key"
    assert chain.seal(1, 1, "ab" * 32) != a


def _statement_pdf(client, fund) -> str:
    url = f"/khu/{fund.area.code}/quy/{fund.pk}/cong-khai.pdf?ky=half&nam=2026&so=1"
    response = client.get(url)
    assert response.status_code == 200
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_statement_prints_the_tip_and_records_a_checkpoint(world, fund, client):
    for _ in range(2):
        contribute(world, fund)
    fund.refresh_from_db()
    text = _statement_pdf(client, fund)
    printed = chain.tip_text(2, fund.last_hash)
    assert printed in text
    cp = Checkpoint.objects.get(fund=fund)
    assert (cp.seq, cp.hash, cp.medium) == (2, fund.last_hash, "statement")
    _statement_pdf(client, fund)  # the same tip printed again: still one checkpoint
    assert Checkpoint.objects.filter(fund=fund).count() == 1
    poster = client.get(f"/khu/{fund.area.code}/quy/ap-phich.pdf")
    poster_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(poster.content)).pages)
    assert printed in poster_text
    page = client.get(fund.get_absolute_url()).content.decode()
    assert printed in page and 'data-agrees="1"' in page


def test_key_holder_who_rewrites_everything_is_caught_by_the_paper(world, fund, client, capsys):
    """Someone holding LEDGER_KEY recomputes hashes and seals: only a tip that left the database
    can tell. The public page and `verify_ledgers --checkpoint` both do."""
    for amount in (100_000, 200_000):
        contribute(world, fund, amount=amount)
    text = _statement_pdf(client, fund)
    seq, code = re.search(r"bút toán #(\d+) · ((?:[0-9a-f]{4} ?){4})", text).groups()
    paper = f"{fund.pk}:{seq}:{code}"
    call_command("verify_ledgers", checkpoint=[paper])
    assert "AGREES" in capsys.readouterr().out

    _rewrite(fund, change_seq=1, amount=10_000, key=chain.ledger_key())
    verdict = selectors.fund_verdict(fund)
    assert not verdict.ok and (verdict.problem, verdict.bad_seq) == ("checkpoint", 2)
    page = client.get(fund.get_absolute_url()).content.decode()
    assert 'data-agrees="0"' in page and 'data-chain="broken"' in page
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_ledgers", checkpoint=[paper])
    assert exit_.value.code == 1 and "DISAGREES" in capsys.readouterr().out


def test_shortened_ledger_is_caught_by_a_published_checkpoint(world, fund, client):
    for _ in range(3):
        contribute(world, fund)
    _statement_pdf(client, fund)
    last = Entry.objects.get(fund=fund, seq=3)
    tamper("DELETE FROM funds_contribution WHERE entry_id = %s", [last.pk])
    tamper("DELETE FROM funds_entry WHERE id = %s", [last.pk])
    roll_tip_back(fund, to_seq=2)
    verdict = selectors.fund_verdict(fund)
    assert not verdict.ok and (verdict.problem, verdict.bad_seq) == ("checkpoint", 3)


def test_checkpoint_argument_is_checked(world, fund):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("verify_ledgers", checkpoint=["1:2:abc"])


def test_api_lists_checkpoints_and_the_tip(world, fund, client):
    contribute(world, fund)
    _statement_pdf(client, fund)
    fund.refresh_from_db()
    page = client.get(f"/api/v1/funds/{fund.pk}/checkpoints").json()
    assert (page["count"], page["limit"], page["offset"]) == (1, 100, 0)  # the one list shape
    rows = page["items"]
    assert [(r["seq"], r["hash"], r["agrees"]) for r in rows] == [(1, fund.last_hash, True)]
    assert client.get(f"/api/v1/funds/{fund.pk}/verify").json()["tip_hash"] == fund.last_hash
