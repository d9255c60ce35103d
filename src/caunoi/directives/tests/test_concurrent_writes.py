"""Concurrent writers wait for each other instead of failing (issue 18): on SQLite every
transaction begins IMMEDIATE and waits up to the busy timeout; on PostgreSQL each request borrows
a pooled connection. Runs on both databases (the suite's SQLite test database is a file)."""

import json

import pytest
from django.test import Client

from caunoi.accounts.services import api_token_create
from caunoi.directives.models import Directive
from caunoi.testing import build_world, run_parallel, send_directive

from .conftest import far_due

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_api_amends_all_succeed_and_each_is_recorded():
    world = build_world()
    body = "Ra quân sáng chủ nhật."
    d = send_directive(world, title="Tổng vệ sinh", body=body, category="campaign", due=far_due())
    _token, raw = api_token_create(actor=None, person=world.officer_a, name="test")
    writers = 6
    numbers = iter(range(writers))

    def amend():
        i = next(numbers)
        r = Client().post(
            f"/api/v1/directives/{d.pk}/amend",
            json.dumps(
                {"title": f"Tổng vệ sinh lần {i}", "body": "Sửa.", "due_date": str(far_due(40 + i))}
            ),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
            HTTP_IDEMPOTENCY_KEY=f"amend-{i:02d}-" + "k" * 12,
        )
        return r.status_code

    results = run_parallel(writers, amend)
    assert [r for r in results if r != ("ok", 200)] == []
    d = Directive.objects.get(pk=d.pk)
    assert d.title.startswith("Tổng vệ sinh lần ")
    assert d.changes.count() == writers and d.version == 1 + writers
