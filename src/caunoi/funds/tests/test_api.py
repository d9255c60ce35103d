"""The funds' API: public reads, keepers' writes, no door to edit or delete an entry."""

import datetime
import json

import pytest

from caunoi.funds import chain
from caunoi.funds.models import Contribution, Entry, Expense

from .conftest import contribute, spend

pytestmark = pytest.mark.django_db
D = "2026-03-01"


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_public_reads_and_independent_chain_check(world, fund, client):
    for amount in (100_000, 50_000):
        contribute(
            world,
            fund,
            amount,
            paid_on=datetime.date(2026, 3, 1),
        )
    funds = client.get(f"/api/v1/funds/areas/{world.area_a1.code}").json()
    assert (funds["count"], funds["limit"], funds["offset"]) == (1, 100, 0)
    assert funds["items"][0]["balance"] == 150_000 and funds["items"][0]["entries"] == 2
    assert funds["items"][0]["area"] == world.area_a1.code
    assert funds["items"][0]["decision"] == "01/NQ-KDC"
    data = client.get(f"/api/v1/funds/{fund.pk}/entries").json()
    assert data["count"] == 2 and [e["seq"] for e in data["items"]] == [1, 2]
    prev = chain.GENESIS
    for e in data["items"]:  # what any citizen can recompute from the public data
        content = chain.canonical(
            fund_id=fund.pk,
            seq=e["seq"],
            kind=e["kind"],
            amount=e["amount"],
            balance=e["balance"],
            booked_on=datetime.date.fromisoformat(e["booked_on"]),
            description=e["description"],
            household_ref=e["household"],
            document=e["document"],
            reverses_seq=e["reverses"],
        )
        assert e["prev_hash"] == prev and chain.entry_hash(prev, content) == e["hash"]
        prev = e["hash"]
    assert "Bùi" not in json.dumps(data, ensure_ascii=False)
    assert client.get(f"/api/v1/funds/{fund.pk}/verify").json()["ok"] is True
    assert client.get("/api/v1/funds/999999/entries").status_code == 404


def test_lists_page_with_limit_and_offset(world, fund, client):
    for amount in (1_000, 2_000, 3_000):
        contribute(
            world,
            fund,
            amount,
            paid_on=datetime.date(2026, 3, 1),
        )
    url = f"/api/v1/funds/{fund.pk}/entries"
    page = client.get(url, {"limit": 2, "offset": 1}).json()
    assert (page["count"], page["limit"], page["offset"]) == (3, 2, 1)
    assert [e["seq"] for e in page["items"]] == [2, 3]
    assert client.get(url, {"limit": 501}).status_code == 400
    assert client.get(url, {"offset": -1}).status_code == 400
    schema = client.get("/api/v1/openapi.json").json()
    params = {
        p["name"] for p in schema["paths"]["/api/v1/funds/{fund_id}/entries"]["get"]["parameters"]
    }
    assert {"limit", "offset"} <= params


def test_keeper_records_and_second_person_approves(world, fund, treasurer_a1, client_for):
    head = client_for(world.head_a1)
    r = post(
        head,
        f"/api/v1/funds/{fund.pk}/contributions",
        {"household": "08119-03-001", "amount": 200_000, "paid_on": D},
    )
    assert r.status_code == 201 and r.json()["receipt_number"] == "PT00001"
    r = post(
        head,
        f"/api/v1/funds/{fund.pk}/expenses",
        {"amount": 80_000, "payee": "Nhà sách", "purpose": "Mua vở", "spent_on": D},
    )
    assert r.status_code == 201
    expense_id = r.json()["id"]
    r = post(head, f"/api/v1/funds/expenses/{expense_id}/approve", {})
    assert r.status_code == 403 and r.json()["code"] == "same_person"
    r = post(client_for(treasurer_a1), f"/api/v1/funds/expenses/{expense_id}/approve", {})
    assert r.status_code == 200 and r.json()["status"] == "approved" and r.json()["entry"] == 2


def test_a_retried_write_records_once(world, fund, client_for):
    head = client_for(world.head_a1)
    writes = [
        (
            f"/api/v1/funds/{fund.pk}/contributions",
            {"household": "08119-03-001", "amount": 200_000, "paid_on": D},
            {"household": "08119-03-001", "amount": 300_000, "paid_on": D},
        ),
        (
            f"/api/v1/funds/{fund.pk}/expenses",
            {"amount": 80_000, "payee": "Nhà sách", "purpose": "Mua vở", "spent_on": D},
            {"amount": 90_000, "payee": "Nhà sách", "purpose": "Mua vở", "spent_on": D},
        ),
        (
            f"/api/v1/funds/{fund.pk}/entries/1/reverse",
            {"reason": "Ghi nhầm số tiền"},
            {"reason": "Lý do khác"},
        ),
    ]
    for n, (url, body, other) in enumerate(writes):
        key = {"HTTP_IDEMPOTENCY_KEY": f"funds-write-{n:04d}"}
        first = post(head, url, body, **key)
        again = post(head, url, body, **key)
        assert first.status_code == again.status_code == 201, first.content
        assert again.json() == first.json()
        refused = post(head, url, other, **key)
        assert refused.status_code == 422 and refused.json()["code"] == "idempotency_key_reused"
    assert Contribution.objects.filter(fund=fund).count() == 1
    assert Expense.objects.filter(fund=fund).count() == 1
    # the contribution, then its reversing entry: each once
    assert Entry.objects.filter(fund=fund).count() == 2
    no_key = post(head, *writes[0][:2])
    assert no_key.status_code == 201 and Contribution.objects.filter(fund=fund).count() == 2
    bad_key = post(head, *writes[0][:2], HTTP_IDEMPOTENCY_KEY="short")
    assert bad_key.status_code == 400 and Contribution.objects.filter(fund=fund).count() == 2


@pytest.mark.parametrize(
    "body",
    [
        {"household": "08119-03-001", "amount": 0, "paid_on": D},
        {"household": "08119-03-001", "amount": -5, "paid_on": D},
        {"household": "08119-03-001", "amount": 1.5, "paid_on": D},
        {"household": "08119-03-001", "amount": 10**12, "paid_on": D},
        {"household": "08119-03-001", "amount": 1000, "paid_on": "2099-01-01"},
        {"household": "08122-01-001", "amount": 1000, "paid_on": D},
        {"household": "08119-03-001", "amount": "nhiều", "paid_on": D},
    ],
)
def test_bad_input_changes_nothing(world, fund, client_for, body):
    r = post(client_for(world.head_a1), f"/api/v1/funds/{fund.pk}/contributions", body)
    assert r.status_code == 400 and r.json()["message"]
    assert not Entry.objects.exists()


def test_access(world, fund, client, client_for):
    url = f"/api/v1/funds/{fund.pk}/contributions"
    body = {"household": "08119-03-001", "amount": 1000, "paid_on": D}
    assert post(client, url, body).status_code == 401
    assert post(client_for(world.resident_a1), url, body).status_code == 403
    assert post(client_for(world.inspector_a1), url, body).status_code == 403
    assert post(client_for(world.officer_a), url, body).status_code == 403
    assert post(client_for(world.officer_b), url, body).status_code == 404
    assert post(client_for(world.head_b1), url, body).status_code == 404
    assert not Entry.objects.exists()


def test_approval_access(world, fund, treasurer_a1, client, client_for):
    expense = spend(world, fund)
    url = f"/api/v1/funds/expenses/{expense.pk}/approve"
    assert post(client, url, {}).status_code == 401
    assert post(client_for(world.inspector_a1), url, {}).status_code == 403
    assert post(client_for(world.officer_b), url, {}).status_code == 404
    assert (
        post(client_for(treasurer_a1), "/api/v1/funds/expenses/999999/approve", {}).status_code
        == 404
    )
    reject = f"/api/v1/funds/expenses/{expense.pk}/reject"
    assert post(client_for(world.resident_a1), reject, {"reason": "x"}).status_code == 403
    r = post(client_for(treasurer_a1), reject, {"reason": "Không có hóa đơn"})
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert r.json()["number"] == "C0001" and r.json()["entry"] is None
    reverse = f"/api/v1/funds/{fund.pk}/entries/1/reverse"
    assert post(client_for(world.officer_b), reverse, {"reason": "x"}).status_code == 404


def test_no_door_edits_or_deletes_an_entry(world, fund, client_for):
    contribute(world, fund, 1000)  # paid on 1 March 2026
    head = client_for(world.head_a1)
    url = f"/api/v1/funds/{fund.pk}/entries/1"
    assert head.get(url).status_code == 200
    for method in ("put", "patch", "delete"):
        r = getattr(head, method)(url, json.dumps({"amount": 1}), content_type="application/json")
        assert r.status_code == 405
    r = post(head, f"/api/v1/funds/{fund.pk}/entries/1/reverse", {"reason": "Ghi nhầm"})
    assert r.status_code == 201 and r.json()["amount"] == -1000 and r.json()["reverses"] == 1
    assert list(Entry.objects.values_list("seq", "amount")) == [(1, 1000), (2, -1000)]


def test_admin_cannot_change_or_delete_entries(world, fund, client):
    from caunoi.testing import make_person

    contribute(world, fund, 1000)  # paid on 1 March 2026
    admin = make_person("Quản trị", username="root")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    entry = Entry.objects.get()
    base = "/quan-tri/funds/entry/"
    assert client.get(base).status_code == 200
    page = client.get(f"{base}{entry.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(f"{base}{entry.pk}/change/", {"amount": 1}).status_code == 403
    assert client.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Entry.objects.get().amount == 1000
