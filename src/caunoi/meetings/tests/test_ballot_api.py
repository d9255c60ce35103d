"""The decisions and ballots API (/api/v1/meetings/…): the area's officers read a meeting's
decisions and its household ballot in the kit's one list shape, record a cluster's votes and a
paper slip, and close the ballot; the neighbour commune gets 404, a resident 403; all in the
OpenAPI schema."""

import datetime
import json

import pytest
from django.utils import timezone

from caunoi.meetings import ballots, clusters, services
from caunoi.meetings.models import ClusterResult, Slip

from .conftest import begin

pytestmark = pytest.mark.django_db
LATER = timezone.localdate() + datetime.timedelta(days=7)


def post(client, url, body=None, **headers):
    return client.post(url, json.dumps(body or {}), content_type="application/json", **headers)


def twice(client, url, body, key):
    """The write sent, then retried with the same Idempotency-Key: the same answer both times."""
    first, again = (post(client, url, body, HTTP_IDEMPOTENCY_KEY=key) for _ in range(2))
    assert first.status_code == again.status_code and first.status_code in (200, 201), first.content
    assert again.json() == first.json()
    return first.json()


@pytest.fixture
def failed(world, meeting):
    begin(meeting)
    services.attendance_record(actor=world.head_a1, meeting=meeting, households_present=4)
    ballots.ballot_open(actor=world.head_a1, meeting=meeting, closes_on=LATER)
    return meeting


def test_ballot_read_record_close(world, failed, households, client_for):
    client = client_for(world.head_a1)
    item = failed.items.get(kind="decision")
    base = f"/api/v1/meetings/{failed.pk}"
    r = client.get(f"{base}/ballot")
    assert r.status_code == 200, r.content
    assert r.json()["households_total"] == 10 and r.json()["is_open"] and r.json()["tally"] is None
    slips = client.get(f"{base}/ballot/slips?limit=3").json()
    assert set(slips) == {"items", "count", "limit", "offset"}
    assert slips["count"] == 10 and len(slips["items"]) == 3
    assert not any(s["answered"] for s in slips["items"]) and "answers" not in slips["items"][0]
    body = {
        "household": households[0].code,
        "answers": [{"item": item.pk, "answer": "for"}],
    }
    r = post(client, f"{base}/ballot/slips", body)
    assert r.status_code == 201 and r.json() == {
        **r.json(),
        "household": households[0].code,
        "answered": True,
        "by_clerk": True,
    }
    twice = post(client, f"{base}/ballot/slips", body)
    assert twice.status_code == 400 and "one slip per household" in twice.json()["message"]
    bad = post(
        client,
        f"{base}/ballot/slips",
        {
            **body,
            "household": households[1].code,
            "answers": [{"item": item.pk, "answer": "maybe"}],
        },
    )
    assert bad.status_code == 400
    other = post(client, f"{base}/ballot/slips", {**body, "household": world.household_b1.code})
    assert other.status_code == 404  # another area's household
    for h in households[1:6]:
        post(client, f"{base}/ballot/slips", {**body, "household": h.code})
    r = post(client, f"{base}/ballot/close")
    assert r.status_code == 200 and not r.json()["is_open"]
    assert r.json()["tally"] == [
        {"item": item.pk, "votes_for": 6, "votes_against": 0, "votes_abstained": 0}
    ]
    again = post(client, f"{base}/ballot/close")  # closing twice counts once
    assert again.json()["tally"] == r.json()["tally"]
    decisions = client.get(f"{base}/decisions").json()
    assert decisions["count"] == 1
    got = decisions["items"][0]
    assert got["method"] == "household" and got["votes_for"] == 6
    assert got["verdict"] == {"count": 6, "total": 10, "needed": 6, "ok": True} and got["passed"]
    one = client.get(f"{base}/decisions/{item.pk}").json()
    assert one["id"] == item.pk
    assert client.get(f"{base}/decisions/{item.pk + 999}").status_code == 404


def test_retried_ballot_writes_record_once(world, failed, households, client_for):
    client = client_for(world.head_a1)
    item = failed.items.get(kind="decision")
    base = f"/api/v1/meetings/{failed.pk}"
    body = {"household": households[0].code, "answers": [{"item": item.pk, "answer": "for"}]}
    slip = twice(client, f"{base}/ballot/slips", body, "ballot-slip-00001")
    assert slip["household"] == households[0].code and slip["answered"]
    assert Slip.objects.filter(ballot__meeting=failed, answered_at__isnull=False).count() == 1
    closed = twice(client, f"{base}/ballot/close", {}, "ballot-close-0001")
    assert not closed["is_open"] and closed["tally"][0]["votes_for"] == 1


def test_cluster_votes_through_the_api(world, meeting, households, client_for):
    client = client_for(world.head_a1)
    cluster = clusters.cluster_authorise(
        actor=world.head_a1,
        meeting=meeting,
        title="Cụm xóm Đông",
        starts_at=timezone.now() + datetime.timedelta(days=2),
        place="Nhà ông Tâm",
        chair_name="Nguyễn Văn Tâm",
    )
    begin(cluster)
    begin(meeting)
    services.attendance_record(actor=world.head_a1, meeting=cluster, households_present=7)
    item = meeting.items.get(kind="decision")
    url = f"/api/v1/meetings/{cluster.pk}/cluster-votes"
    too_many = {
        "results": [{"item": item.pk, "votes_for": 7, "votes_against": 1, "votes_abstained": 0}]
    }
    r = post(client, url, too_many)
    assert r.status_code == 400 and "more than the 7 households represented" in r.content.decode()
    ok = {"results": [{"item": item.pk, "votes_for": 6, "votes_against": 1, "votes_abstained": 0}]}
    twice(client, url, ok, "cluster-votes-0001")  # recorded once: a retry answers the same
    assert ClusterResult.objects.filter(cluster=cluster).count() == 1
    services.attendance_record(actor=world.head_a1, meeting=meeting)
    got = client.get(f"/api/v1/meetings/{meeting.pk}/decisions").json()["items"][0]
    assert got["clusters"] == [
        {
            "cluster": cluster.pk,
            "title": "Cụm xóm Đông",
            "chair": "Nguyễn Văn Tâm",
            "votes_for": 6,
            "votes_against": 1,
            "votes_abstained": 0,
        }
    ]
    r = post(
        client,
        f"/api/v1/meetings/{meeting.pk}/results",
        {
            "chair_name": "Hoàng Văn Sơn",
            "chair_for": 7,
            "secretary_name": "Bùi Thị Thảo",
            "secretary_for": 7,
            "method": "hands",
            "method_for": 7,
            "results": [],
        },
    )
    assert r.status_code == 200, r.content
    decision = next(i for i in r.json()["items"] if i["kind"] == "decision")
    assert decision["votes_for"] == 6 and decision["passed"] and decision["method"] == "hands"


def test_ballot_api_access(world, failed, client_for):
    base = f"/api/v1/meetings/{failed.pk}"
    reads = [f"{base}/ballot", f"{base}/ballot/slips", f"{base}/decisions"]
    for url in reads:
        assert client_for(world.head_a1).get(url).status_code == 200
        assert client_for(world.officer_a).get(url).status_code == 200
        assert client_for(world.officer_b).get(url).status_code == 404
        assert client_for(world.resident_a1).get(url).status_code == 403
    item = failed.items.get(kind="decision")
    # Each write with a body the schema accepts, so that the answer is the access rule's: missing
    # off the ground (404), refused on it without the permission (403). (An empty body is refused
    # by the schema first, 400, before anyone's access is looked at.)
    writes = {
        f"{base}/ballot/slips": {
            "household": world.area_a1.households.first().code,
            "answers": [{"item": item.pk, "answer": "for"}],
        },
        f"{base}/ballot/close": {},
        f"{base}/cluster-votes": {"results": []},
    }
    for url, body in writes.items():
        assert post(client_for(world.officer_b), url, body).status_code == 404, url
        assert post(client_for(world.resident_a1), url, body).status_code == 403, url
    assert client_for(world.resident_a1).post(f"{base}/ballot/close").status_code == 403
    assert client_for(world.officer_b).post(f"{base}/ballot/close").status_code == 404
    paths = client_for(world.head_a1).get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/meetings/{meeting_id}/decisions",
        "/api/v1/meetings/{meeting_id}/decisions/{item_id}",
        "/api/v1/meetings/{meeting_id}/ballot",
        "/api/v1/meetings/{meeting_id}/ballot/slips",
        "/api/v1/meetings/{meeting_id}/ballot/close",
        "/api/v1/meetings/{meeting_id}/cluster-votes",
    ):
        assert path in paths


def test_no_ballot_is_404(world, meeting, client_for):
    assert client_for(world.head_a1).get(f"/api/v1/meetings/{meeting.pk}/ballot").status_code == 404
