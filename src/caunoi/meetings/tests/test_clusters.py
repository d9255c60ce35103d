"""Meetings by residential cluster (họp cụm dân cư): the head authorises each sub-meeting's chair,
the clusters' households and votes add up into the meeting's quorum and decisions, and nothing is
counted twice. Also: the voting method of each item, recorded and shown in the minutes; and one
decision rule for the meetings and the funds."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document

from caunoi.core.audit import AuditEntry
from caunoi.core.submissions import new_key
from caunoi.meetings import clusters, documents, services
from caunoi.meetings.models import ClusterResult, Convener, Meeting, Status
from caunoi.testing import record_results

from .conftest import begin

pytestmark = pytest.mark.django_db


def _cluster(world, meeting, title, chair):
    return clusters.cluster_authorise(
        actor=world.head_a1,
        meeting=meeting,
        title=title,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        place="Nhà ông Tâm",
        chair_name=chair,
    )


@pytest.fixture
def two(world, meeting):
    east = _cluster(world, meeting, "Cụm xóm Đông", "Nguyễn Văn Tâm")
    west = _cluster(world, meeting, "Cụm xóm Tây", "Lê Thị Hoa")
    for m in (meeting, east, west):
        begin(m)
    return east, west


def _items(meeting):
    return {i.kind: i for i in meeting.items.all()}


def _vote(world, cluster, meeting, decision, comment=None):
    items = _items(meeting)
    results = {items["decision"].pk: decision}
    if comment:
        results[items["comment"].pk] = comment
    return clusters.cluster_results_record(actor=world.head_a1, cluster=cluster, results=results)


def _finish(world, meeting, **kw):
    return record_results(meeting, actor=world.head_a1, votes=6, results={}, **kw)


def test_the_head_authorises_the_chairs_and_the_sums_decide(world, meeting, households, two):
    east, west = two
    assert east.convener == Convener.AUTHORISED and east.authorised_by == world.head_a1
    assert east.part_of == meeting and east.convener_name == "Nguyễn Văn Tâm"
    assert AuditEntry.objects.filter(action="meetings.cluster.authorised").count() == 2
    services.attendance_record(actor=world.head_a1, meeting=east, households=households[:4])
    services.attendance_record(actor=world.head_a1, meeting=west, households_present=3)
    east.refresh_from_db()
    # A cluster is not judged alone: 4 of 10 would be no quorum, but it is part of the whole.
    assert east.status == Status.OPEN and east.quorum is None
    _vote(world, east, meeting, (4, 0, 0), comment=(2, 1, 1))
    _vote(world, west, meeting, (2, 1, 0))
    services.attendance_record(actor=world.head_a1, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.households_present == 7 and meeting.status == Status.OPEN
    assert meeting.quorum.ok and meeting.quorum.count == 7
    _finish(world, meeting)
    meeting.refresh_from_db()
    decision = _items(meeting)["decision"]
    decision.meeting = meeting
    assert (decision.votes_for, decision.votes_against, decision.votes_abstained) == (6, 1, 0)
    assert decision.passed and decision.verdict.total == 10  # against all households
    comment = _items(meeting)["comment"]
    assert (comment.votes_for, comment.votes_against) == (2, 1)


def test_the_clusters_sums_can_fail_the_quorum(world, meeting, households, two):
    east, west = two
    services.attendance_record(actor=world.head_a1, meeting=east, households_present=3)
    services.attendance_record(actor=world.head_a1, meeting=west, households_present=2)
    services.attendance_record(actor=world.head_a1, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == Status.NOT_HELD and meeting.households_present == 5


def test_a_household_is_never_counted_twice(world, meeting, households, two):
    east, west = two
    services.attendance_record(actor=world.head_a1, meeting=east, households=households[:5])
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(actor=world.head_a1, meeting=west, households=households[4:8])
    assert households[4].code in str(exc.value) and "counted once" in str(exc.value)
    west.refresh_from_db()
    assert west.households_present is None and west.status == Status.PREPARING
    # Typed counts together cannot exceed the area's households.
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(actor=world.head_a1, meeting=west, households_present=6)
    assert "5 at the other clusters make 11, but the area has 10" in str(exc.value)
    # A cluster recorded twice counts once.
    services.attendance_record(actor=world.head_a1, meeting=east, households_present=9)
    east.refresh_from_db()
    assert east.households_present == 5
    services.attendance_record(actor=world.head_a1, meeting=west, households=households[5:8])
    # The meeting adds up its clusters; a count typed beside them is refused, not added.
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(actor=world.head_a1, meeting=meeting, households_present=16)
    assert "clusters' sum, 8, not counted again" in str(exc.value)
    services.attendance_record(actor=world.head_a1, meeting=meeting, households_present=8)
    meeting.refresh_from_db()
    assert meeting.households_present == 8
    # Votes recorded twice at a cluster count once.
    _vote(world, east, meeting, (5, 0, 0))
    _vote(world, east, meeting, (5, 0, 0))
    assert ClusterResult.objects.filter(cluster=east).count() == 1


def test_every_cluster_first_and_impossible_votes_refused(world, meeting, households, two):
    east, west = two
    services.attendance_record(actor=world.head_a1, meeting=east, households_present=4)
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(actor=world.head_a1, meeting=meeting)
    assert "1 of 2 cluster meetings are recorded" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        _vote(world, east, meeting, (3, 1, 1))
    assert "= 5, more than the 4 households represented" in str(exc.value)
    assert not ClusterResult.objects.exists()
    with pytest.raises(ValidationError):
        _vote(world, west, meeting, (1, 0, 0))  # not recorded yet
    with pytest.raises(ValidationError):
        _cluster(world, east, "Cụm trong cụm", "Ai đó")  # a cluster has no clusters


def test_a_counted_meeting_takes_no_more_clusters(world, meeting, households, two):
    east, west = two
    for c in two:
        services.attendance_record(actor=world.head_a1, meeting=c, households_present=3)
    services.attendance_record(actor=world.head_a1, meeting=meeting)
    with pytest.raises(ValidationError):
        _cluster(world, meeting, "Cụm muộn", "Ai đó")
    _vote(world, east, meeting, (3, 0, 0))  # the votes may follow the households' count
    with pytest.raises(ValidationError) as exc:
        _finish(world, meeting)
    assert "1 of 2 cluster meetings have recorded their votes" in str(exc.value)
    _vote(world, west, meeting, (3, 0, 0))
    _finish(world, meeting)
    assert _items(meeting)["decision"].votes_for == 6


def test_minutes_name_the_clusters_and_each_items_method(world, meeting, households, two):
    east, west = two
    services.attendance_record(actor=world.head_a1, meeting=east, households_present=4)
    services.attendance_record(actor=world.head_a1, meeting=west, households_present=3)
    _vote(world, east, meeting, (4, 0, 0))
    _vote(world, west, meeting, (3, 0, 0))
    services.attendance_record(actor=world.head_a1, meeting=meeting)
    decision = _items(meeting)["decision"]
    _finish(world, meeting, methods={decision.pk: "ballot"})
    decision.refresh_from_db()
    assert decision.method == "ballot"
    doc = Document(io.BytesIO(documents.minutes_docx(Meeting.objects.get(pk=meeting.pk))))
    text = "\n".join(
        [p.text for p in doc.paragraphs]
        + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    )
    assert "theo 2 cụm dân cư" in text
    assert "Cụm xóm Đông: chủ trì Nguyễn Văn Tâm (được trưởng khu ủy quyền), 4 hộ" in text
    assert "biểu quyết (bỏ phiếu kín)" in text


def test_each_item_keeps_its_method(world, meeting, households):
    begin(meeting)
    services.attendance_record(actor=world.head_a1, meeting=meeting, households_present=8)
    items = _items(meeting)
    with pytest.raises(ValidationError) as exc:
        record_results(
            meeting,
            actor=world.head_a1,
            votes=6,
            results={items["decision"].pk: (6, 1, 1)},
            methods={items["decision"].pk: "household"},  # not at a meeting held with quorum
        )
    assert f"item_{items['decision'].pk}_method" in exc.value.message_dict
    record_results(
        meeting,
        actor=world.head_a1,
        votes=6,
        results={items["decision"].pk: (6, 1, 1), items["comment"].pk: (3, 3, 2)},
        methods={items["decision"].pk: "ballot"},
    )
    got = {i.kind: i.method for i in meeting.items.all()}
    assert got == {"decision": "ballot", "comment": "hands", "record": ""}


def test_the_head_runs_clusters_through_the_pages(world, meeting, households, client_for):
    client = client_for(world.head_a1)
    add = reverse("meetings:cluster_add", args=[meeting.pk])
    day = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    body = {
        "title": "Cụm xóm Đông",
        "chair_name": "Nguyễn Văn Tâm",
        "date": day,
        "time": "19:00",
        "place": "Nhà ông Tâm",
        "submission": new_key(),
    }
    response = client.post(add, body)
    cluster = Meeting.objects.get(kind="cluster")
    assert response.status_code == 302 and response["Location"] == cluster.get_absolute_url()
    client.post(add, body)  # twice: once
    assert Meeting.objects.filter(kind="cluster").count() == 1
    bad = client.post(add, {**body, "chair_name": " ", "submission": new_key()})
    assert bad.status_code == 200 and Meeting.objects.filter(kind="cluster").count() == 1
    begin(cluster)
    begin(meeting)
    page = client.get(cluster.get_absolute_url()).content.decode()
    assert "Part of the meeting" in page and "chair authorised by" in page
    assert reverse("meetings:attendance", args=[cluster.pk]) in page
    client.post(
        reverse("meetings:attendance", args=[cluster.pk]),
        {"households_present": "7", "submission": new_key()},
    )
    items = _items(meeting)
    response = client.post(
        reverse("meetings:cluster_results", args=[cluster.pk]),
        {
            f"item_{items['decision'].pk}_for": "6",
            f"item_{items['decision'].pk}_against": "1",
            f"item_{items['decision'].pk}_abstained": "0",
            "submission": new_key(),
        },
    )
    assert response.status_code == 302
    whole = client.get(meeting.get_absolute_url()).content.decode()
    assert 'data-cluster-present="7"' in whole and "Cụm xóm Đông" in whole
    response = client.post(
        reverse("meetings:attendance", args=[meeting.pk]), {"submission": new_key()}
    )
    meeting.refresh_from_db()
    assert meeting.households_present == 7 and meeting.status == Status.OPEN


def test_cluster_pages_access(world, meeting, households, client_for):
    cluster = _cluster(world, meeting, "Cụm xóm Đông", "Nguyễn Văn Tâm")
    add = reverse("meetings:cluster_add", args=[meeting.pk])
    votes = reverse("meetings:cluster_results", args=[cluster.pk])
    assert client_for(world.head_a1).get(add).status_code == 200
    assert client_for(world.officer_b).get(add).status_code == 404
    assert client_for(world.officer_b).get(votes).status_code == 404
    assert client_for(world.resident_a1).get(add).status_code == 403
    assert client_for(world.resident_a1).get(votes).status_code == 403
    assert client_for(world.resident_a1).get(cluster.get_absolute_url()).status_code == 200
    # Not a cluster / a cluster: each page for its own kind only.
    assert (
        client_for(world.head_a1)
        .get(reverse("meetings:cluster_add", args=[cluster.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(world.head_a1)
        .get(reverse("meetings:cluster_results", args=[meeting.pk]))
        .status_code
        == 404
    )


# --------------------------------------------------------------- one rule for every decision


def test_funds_and_meetings_decide_by_one_rule(world, settings):
    from caunoi.core import policy as core_policy
    from caunoi.funds import policy as funds_policy
    from caunoi.funds import services as funds
    from caunoi.meetings import arithmetic
    from caunoi.meetings import policy as meetings_policy

    assert funds_policy.DECISION_THRESHOLD is meetings_policy.DECISION_SHARE
    assert "FUNDS_DECISION_THRESHOLD" not in core_policy.RULES
    assert "Luật Thực hiện dân chủ ở cơ sở 2022" in str(meetings_policy.DECISION_SHARE.basis)
    typed = funds.decision_record(
        actor=world.head_a1,
        area=world.area_a1,
        number="01/NQ",
        date=datetime.date(2020, 3, 1),
        method="meeting",
        subject="Lập quỹ khuyến học",
        households_in_favour=120,
        households_total=240,
    )
    assert not typed.passed and not arithmetic.decision_passed(120, 240)  # half is not more
    typed.households_in_favour = 121
    assert typed.passed and arithmetic.decision_passed(121, 240)
    settings.MEETINGS_DECISION_SHARE = 0.75
    typed.households_in_favour = 180  # exactly three quarters: not more
    assert not typed.passed and not arithmetic.decision_passed(180, 240)
    typed.households_in_favour = 181
    assert typed.passed and arithmetic.decision_passed(181, 240)
