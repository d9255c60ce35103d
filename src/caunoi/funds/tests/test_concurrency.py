"""Many writers at once on PostgreSQL: the chain never forks, the balance stays right."""

import datetime
import threading

import pytest
from django.db import connections

from caunoi.funds import selectors, services
from caunoi.funds.models import Entry, Expense

from .conftest import contribute

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
D = datetime.date(2026, 3, 1)


def run_parallel(n, work):
    barrier = threading.Barrier(n)
    results = []

    def run(i):
        try:
            barrier.wait()
            results.append(("ok", work(i)))
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            results.append(("error", exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_parallel_contributions_and_approvals_keep_one_chain(world, fund, treasurer_a1):
    writers, each = 12, 5
    expenses = [
        services.expense_record(
            actor=world.head_a1,
            fund=fund,
            amount=1_000,
            payee="X",
            purpose=f"Chi {i}",
            spent_on=D,
        )
        for i in range(writers)
    ]
    contribute(world, fund, 100_000)

    def work(i):
        for k in range(each):
            contribute(world, fund, 1_000 + i * 10 + k)
        services.expense_approve(
            actor=treasurer_a1, expense=Expense(pk=expenses[i].pk, fund_id=fund.pk)
        )
        return i

    results = run_parallel(writers, work)
    assert [kind for kind, _ in results] == ["ok"] * writers, results
    seqs = list(Entry.objects.filter(fund=fund).order_by("seq").values_list("seq", flat=True))
    total = 1 + writers * each + writers
    assert seqs == list(range(1, total + 1))
    expected = 100_000 + sum(1_000 + i * 10 + k for i in range(writers) for k in range(each))
    expected -= 1_000 * writers
    fund.refresh_from_db()
    assert fund.balance == expected
    assert Entry.objects.get(fund=fund, seq=total).balance == expected
    verdict = selectors.fund_verdict(fund)
    assert verdict.ok and verdict.entries == total
    numbers = set(fund.contributions.values_list("receipt_number", flat=True))
    assert len(numbers) == 1 + writers * each


def test_two_approvers_at_once_approve_once(world, fund, treasurer_a1):
    from caunoi.people.models import Role
    from caunoi.testing import appoint

    deputy = appoint("Cao Văn Tiến", "0912000006", Role.DEPUTY_HEAD, world.area_a1)
    contribute(world, fund, 10_000)
    expense = services.expense_record(
        actor=world.head_a1, fund=fund, amount=5_000, payee="X", purpose="Y", spent_on=D
    )
    people = [treasurer_a1, deputy] * 3
    results = run_parallel(
        6,
        lambda i: services.expense_approve(
            actor=people[i], expense=Expense(pk=expense.pk, fund_id=fund.pk)
        ),
    )
    assert sum(1 for kind, _ in results if kind == "ok") == 1
    assert all(isinstance(e, services.AlreadyDecided) for kind, e in results if kind == "error")
    assert Entry.objects.filter(fund=fund).count() == 2
