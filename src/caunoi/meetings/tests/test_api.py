"""The meetings' API: the head's flow, the verdicts, refusals with numbers, access."""

import datetime
import json

import pytest
from django.utils import timezone

from .conftest import begin

pytestmark = pytest.mark.django_db


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def twice(client, url, body, key):
    """The write sent, then retried with the same Idempotency-Key: the same answer both times."""
    first, again = (post(client, url, body, HTTP_IDEMPOTENCY_KEY=key) for _ in range(2))
    assert first.status_code == again.status_code and first.status_code in (200, 201), first.content
    assert again.json() == first.json()
    return first.json()


def plan() -> dict:
    """A regular meeting of Khu 3 in three days, as the head plans it."""
    return {
        "kind": "regular",
        "title": "Họp khu",
        "starts_at": (timezone.now() + datetime.timedelta(days=3)).isoformat(),
        "place": "Nhà văn hóa",
        "convener_name": "Hoàng Văn Sơn",
    }


def results(item_id: int) -> dict:
    """The results of a meeting of 6 households, its one decision carried 6-0-0 by hands."""
    return {
        "chair_name": "Hoàng Văn Sơn",
        "chair_for": 6,
        "secretary_name": "Bùi Thị Thảo",
        "secretary_for": 4,
        "method": "hands",
        "method_for": 6,
        "results": [{"item": item_id, "votes_for": 6, "votes_against": 0, "votes_abstained": 0}],
    }


def test_flow_and_verdicts(world, households, client_for):
    client = client_for(world.head_a1)
    base = f"/api/v1/meetings/areas/{world.area_a1.code}"
    r = post(client, base, plan())
    assert r.status_code == 201, r.content
    meeting = r.json()
    assert meeting["convener"] == "head" and meeting["documents"]["invitation_ics"].endswith(".ics")
    item = post(
        client,
        f"/api/v1/meetings/{meeting['id']}/items",
        {"title": "Lập quỹ", "kind": "decision", "matter": "fund"},
    ).json()
    from caunoi.meetings.models import Meeting

    begin(Meeting.objects.get(pk=meeting["id"]))
    bad = post(client, f"/api/v1/meetings/{meeting['id']}/attendance", {"households_present": 12})
    assert bad.status_code == 400 and "12 households represented" in bad.json()["message"]
    r = post(client, f"/api/v1/meetings/{meeting['id']}/attendance", {"households_present": 6})
    assert r.json()["quorum"] == {"count": 6, "total": 10, "needed": 6, "ok": True}
    r = post(client, f"/api/v1/meetings/{meeting['id']}/results", results(item["id"]))
    assert r.status_code == 200 and r.json()["status"] == "held"
    assert r.json()["items"][0]["verdict"] == {"count": 6, "total": 10, "needed": 6, "ok": True}
    assert r.json()["items"][0]["passed"] is True
    listed = client.get(base).json()
    assert (
        listed["count"] == 1
        and "minutes_pdf" in client.get(f"/api/v1/meetings/{meeting['id']}").json()["documents"]
    )
    assert (
        "/api/v1/meetings/{meeting_id}/results"
        in client.get("/api/v1/openapi.json").json()["paths"]
    )


def test_access(world, meeting, client_for):
    neighbour = client_for(world.officer_b)
    assert neighbour.get(f"/api/v1/meetings/{meeting.pk}").status_code == 404
    assert neighbour.get(f"/api/v1/meetings/areas/{world.area_a1.code}").status_code == 404
    resident = client_for(world.resident_a1)
    assert resident.get(f"/api/v1/meetings/{meeting.pk}").status_code == 200
    r = post(resident, f"/api/v1/meetings/{meeting.pk}/items", {"title": "x", "kind": "record"})
    assert r.status_code == 403


def test_retried_writes_record_once(world, households, client_for):
    from caunoi.meetings.models import Item, Meeting

    client = client_for(world.head_a1)
    base, body = f"/api/v1/meetings/areas/{world.area_a1.code}", plan()
    meeting = twice(client, base, body, "meeting-plan-0001")
    refused = post(
        client, base, {**body, "title": "Họp khác"}, HTTP_IDEMPOTENCY_KEY="meeting-plan-0001"
    )
    assert refused.status_code == 422 and refused.json()["code"] == "idempotency_key_reused"
    assert Meeting.objects.filter(area=world.area_a1).count() == 1
    url = f"/api/v1/meetings/{meeting['id']}"
    item = twice(
        client,
        f"{url}/items",
        {"title": "Lập quỹ", "kind": "decision", "matter": "fund"},
        "meeting-item-0001",
    )
    assert Item.objects.filter(meeting_id=meeting["id"]).count() == 1
    begin(Meeting.objects.get(pk=meeting["id"]))
    # recorded once: without the key, the second would be refused
    twice(client, f"{url}/attendance", {"households_present": 6}, "meeting-attendance-01")
    held = twice(client, f"{url}/results", results(item["id"]), "meeting-results-0001")
    assert held["status"] == "held" and held["items"][0]["votes_for"] == 6
