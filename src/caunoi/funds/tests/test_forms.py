"""Keepers' forms: decisions, funds, campaigns, exemptions; bad input changes nothing."""

import pytest
from django.urls import reverse

from caunoi.core.submissions import new_key
from caunoi.funds.models import Campaign, Decision, Exemption, Fund
from caunoi.testing import decide, make_fund

pytestmark = pytest.mark.django_db


def test_decision_and_fund_from_the_pages(world, client_for):
    client = client_for(world.head_a1)
    url = reverse("funds:decision_add", args=[world.area_a1.code])
    body = {
        "number": "02/NQ-KDC",
        "date": "05/01/2026",
        "method": "ballot",
        "subject": "Làm đường bê tông ngõ 3",
        "households_in_favour": "90",
        "households_total": "150",
        "submission": new_key(),
    }
    assert client.post(url, body).status_code == 302
    d = Decision.objects.get()
    assert (d.households_in_favour, d.households_total, d.method) == (90, 150, "ballot")
    again = client.post(url, {**body, "submission": new_key()})
    assert "already has a decision with this number" in again.content.decode()
    url = reverse("funds:fund_add", args=[world.area_a1.code])
    r = client.post(
        url,
        {
            "name": "Quỹ làm đường",
            "kind": "works",
            "purpose": "Bê tông hóa ngõ 3",
            "decision": d.pk,
            "bank_bin": "97040",
            "bank_account": "123",
            "submission": new_key(),
        },
    )
    assert "6 digits" in r.content.decode() and not Fund.objects.exists()
    r = client.post(
        url,
        {
            "name": "Quỹ la\u0300m đươ\u0300ng",
            "kind": "works",
            "purpose": "Bê tông hóa ngõ 3",
            "decision": d.pk,
            "submission": new_key(),
        },
    )
    fund = Fund.objects.get()
    assert r.status_code == 302 and fund.name == "Quỹ làm đường"  # NFD typed, NFC stored


@pytest.mark.parametrize(
    "change,message",
    [
        ({"households_in_favour": "200"}, "More households in favour than households in the area."),
        ({"households_total": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"date": "31/02/2026"}, "Enter a date as dd/mm/yyyy"),
        ({"date": "01/01/2099"}, "The date cannot be in the future."),
        ({"subject": ""}, "This field is required."),
    ],
)
def test_bad_decisions_change_nothing(world, client_for, change, message):
    body = {
        "number": "03/NQ",
        "date": "05/01/2026",
        "method": "meeting",
        "subject": "Quỹ",
        "households_in_favour": "10",
        "households_total": "150",
        "submission": new_key(),
    }
    r = client_for(world.head_a1).post(
        reverse("funds:decision_add", args=[world.area_a1.code]), {**body, **change}
    )
    assert r.status_code == 200 and message in r.content.decode()
    assert not Decision.objects.exists()


def test_campaign_and_exemption(world, fund, client_for):
    client = client_for(world.head_a1)
    url = reverse("funds:campaign_add", args=[world.area_a1.code, fund.pk])
    base = {
        "name": "Đóng góp năm 2026",
        "level": "household",
        "amount": "100.000",
        "start": "01/01/2026",
        "end": "31/12/2026",
    }
    r = client.post(url, {**base, "submission": new_key()})
    assert "decision behind it" in r.content.decode() and not Campaign.objects.exists()
    r = client.post(
        url, {**base, "decision": fund.decision.pk, "end": "01/12/2025", "submission": new_key()}
    )
    assert "The end comes before the start." in r.content.decode()
    r = client.post(url, {**base, "decision": fund.decision.pk, "submission": new_key()})
    campaign = Campaign.objects.get()
    assert r.status_code == 302 and campaign.amount == 100_000
    url = reverse("funds:exemption_add", args=[world.area_a1.code, fund.pk, campaign.pk])
    r = client.post(
        url, {"household": world.household_b1.code, "reason": "Hộ nghèo", "submission": new_key()}
    )
    assert "not in this residential area" in r.content.decode()
    r = client.post(
        url, {"household": world.household_a1.code, "reason": "Hộ nghèo", "submission": new_key()}
    )
    assert r.status_code == 302 and Exemption.objects.get().reason == "Hộ nghèo"


def test_officers_and_inspectors_cannot_open_funds(world, client_for):
    url = reverse("funds:fund_add", args=[world.area_a1.code])
    assert client_for(world.officer_a).get(url).status_code == 403
    assert client_for(world.inspector_a1).get(url).status_code == 403
    assert client_for(world.officer_b).get(url).status_code == 404
    assert client_for(world.head_a1).get(url).status_code == 200


def test_other_income_enters_the_ledger(world, fund, client_for):
    from caunoi.funds.models import Entry

    client = client_for(world.head_a1)
    url = reverse("funds:income_add", args=[world.area_a1.code, fund.pk])
    body = {
        "amount": "2.000.000",
        "source": "Công ty Hùng Vương tài trợ",
        "received_on": "10/02/2026",
    }
    r = client.post(url, {**body, "amount": "0", "submission": new_key()})
    assert "Enter an amount greater than 0." in r.content.decode()
    r = client.post(url, {**body, "submission": new_key()})
    assert r.status_code == 302
    e = Entry.objects.get()
    assert (e.kind, e.amount, e.balance, e.description) == (
        "income",
        2_000_000,
        2_000_000,
        "Công ty Hùng Vương tài trợ",
    )
    assert client_for(world.inspector_a1).get(url).status_code == 403


def test_a_decision_that_did_not_pass_cannot_found_a_fund(world, client_for):
    import datetime

    from django.core.exceptions import ValidationError

    on = datetime.date(2026, 1, 5)
    d = decide(world, 75, 150, number="05/NQ", date=on, method="ballot", subject="Làm cổng chào")
    assert not d.passed  # 75 of 150 is not MORE than half
    with pytest.raises(ValidationError) as err:
        make_fund(world, d, name="Quỹ cổng chào", kind="works", purpose="x")
    assert "did not pass" in str(err.value)
    assert not Fund.objects.exists()
    page = client_for(world.head_a1).get(reverse("funds:area", args=[world.area_a1.code]))
    assert "Not passed" in page.content.decode()
