import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from caunoi.core.audit import AuditEntry
from caunoi.core.pdf import text_lines
from caunoi.core.submissions import new_key
from caunoi.people.models import Role
from caunoi.reports import reminders, services
from caunoi.reports.models import CommendationReminder, Proposal, ProposalLine
from caunoi.reports.tests.helpers import task_done
from caunoi.testing import appoint, give, make_person

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def leader(world):
    person = make_person("Trịnh Văn Chủ", username="chutich")
    give(person, Role.COMMUNE_LEADER, world.commune_a)
    return person


@pytest.fixture
def head_a2(world):
    return appoint("Đỗ Thị Hoa", "0912000009", Role.HEAD, world.area_a2)


@pytest.fixture
def evidence(world, head_a2):
    task_done(world, world.area_a1, world.head_a1)
    task_done(world, world.area_a2, head_a2)


def _propose(world, award="commune", reason="Hoàn thành xuất sắc nhiệm vụ"):
    return services.proposal_create(
        actor=world.officer_a,
        commune=world.commune_a,
        year=YEAR,
        award=award,
        lines=[
            {"area": world.area_a1.pk, "reason": reason},
            {"area": world.area_a2.pk, "reason": "Vận động 100% hộ"},
        ],
    )


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_propose_keeps_the_scorecard_and_the_deadlines(world, evidence):
    proposal = _propose(world, reason="Hoa\u0300n tha\u0300nh")  # NFD in, NFC kept
    lines = list(proposal.lines.order_by("area__code"))
    assert [line.person for line in lines][0] == world.head_a1
    assert lines[0].reason == "Hoàn thành"
    assert lines[0].score == 100.0 and lines[0].grade == "excellent"
    keys = [c["key"] for c in lines[0].scorecard["criteria"]]
    assert "directives.done:fair_on_time_rate" in keys
    assert proposal.propose_by == services.propose_deadline(YEAR) > datetime.date(YEAR, 12, 31)
    assert not proposal.proposed_late and not proposal.decided_late
    assert AuditEntry.objects.filter(action="reports.proposal.created").count() == 1


def test_bad_proposals_change_nothing(world, evidence):
    from django.core.exceptions import ValidationError

    from caunoi.core.exceptions import ApplicationError

    cases = [
        dict(lines=[]),
        dict(lines=[{"area": world.area_b1.pk, "reason": "x"}]),  # another commune's area
        dict(year=YEAR + 1),
        dict(award="national"),
    ]
    for extra in cases:
        kw = dict(
            actor=world.officer_a,
            commune=world.commune_a,
            year=YEAR,
            award="commune",
            lines=[{"area": world.area_a1.pk, "reason": "x"}],
        )
        kw.update(extra)
        with pytest.raises(ValidationError):
            services.proposal_create(**kw)
    with pytest.raises(ApplicationError) as refused:  # no reason: said per line
        services.proposal_create(
            actor=world.officer_a,
            commune=world.commune_a,
            year=YEAR,
            award="commune",
            lines=[{"area": world.area_a1.pk, "reason": "   "}],
        )
    assert "Khu 3" in str(refused.value.extra["details"][0])
    assert not Proposal.objects.exists()
    _propose(world)
    with pytest.raises(ValidationError):  # the same again (a double submission)
        _propose(world)
    assert Proposal.objects.count() == 1


def test_a_head_without_evidence_is_not_proposed(world):
    from caunoi.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError):
        services.proposal_create(
            actor=world.officer_a,
            commune=world.commune_a,
            year=YEAR,
            award="commune",
            lines=[{"area": world.area_a1.pk, "reason": "Tốt"}],
        )


def test_decide_return_amend_then_issue(world, evidence, leader):
    proposal = _propose(world)
    one, two = proposal.lines.order_by("area__code")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):  # a refusal says why
        services.proposal_decide(
            actor=leader, proposal=proposal, decisions={one.pk: ("refused", "")}
        )
    with pytest.raises(ValidationError):  # never one's own proposal
        services.proposal_decide(
            actor=world.officer_a, proposal=proposal, decisions={one.pk: ("approved", "")}
        )
    with pytest.raises(ValidationError):  # a line of nothing waiting
        services.proposal_decide(
            actor=leader, proposal=proposal, decisions={999999: ("approved", "")}
        )
    p = services.proposal_decide(
        actor=leader,
        proposal=proposal,
        decisions={one.pk: ("approved", ""), two.pk: ("returned", "Bổ sung minh chứng")},
    )
    assert p.state == Proposal.State.RETURNED and not p.number
    services.line_amend(
        actor=world.officer_a,
        line=ProposalLine.objects.get(pk=two.pk),
        reason="Vận động 100% hộ, có biên bản",
        because="Bổ sung theo yêu cầu",
    )
    p.refresh_from_db()
    assert p.state == Proposal.State.PENDING
    p = services.proposal_decide(actor=leader, proposal=p, decisions={two.pk: ("approved", "")})
    assert p.state == Proposal.State.DECIDED and p.number == "1/QĐ-UBND"
    assert p.decided_by == leader and not p.decided_late
    assert AuditEntry.objects.filter(action="reports.proposal_line.amended").count() == 1
    assert AuditEntry.objects.filter(action="reports.proposal.decided").count() == 1
    # The province's report counts it in lesson 5, down to the district.
    from caunoi.core.indicators import REGISTRY

    table = REGISTRY["reports.commendations"].compute(world.province, YEAR)
    assert table.total["heads"] == 2 and table.total["commended"] == 2
    assert table.total["proposed_in_time"] == 1.0 and table.total["decided_in_time"] == 1.0
    assert [line.unit for line in table.lines] == [world.district]
    assert REGISTRY["reports.commendations"].compute(world.commune_b, YEAR) is None


def test_late_steps_are_flagged(world, evidence, leader):
    proposal = _propose(world)
    Proposal.objects.filter(pk=proposal.pk).update(
        propose_by=datetime.date(2000, 1, 1), decide_by=datetime.date(2000, 1, 1)
    )
    proposal.refresh_from_db()
    assert proposal.proposed_late and proposal.decided_late


def test_reminders_before_the_deadlines(world, evidence):
    proposal = _propose(world)
    day = proposal.decide_by - datetime.timedelta(days=1)
    assert reminders.reminders_send(today=day) >= 1
    assert reminders.reminders_send(today=day) == 0  # nobody reminded twice
    r = CommendationReminder.objects.get(kind="decide")
    assert r.proposal == proposal and r.commune == world.commune_a
    # Proposals for last year: the communes that have not proposed are reminded.
    due = services.propose_deadline(YEAR)
    assert reminders.reminders_send(today=due.replace(day=due.day) - datetime.timedelta(days=0))
    assert set(
        CommendationReminder.objects.filter(kind="propose").values_list("commune", flat=True)
    ) == {world.commune_b.pk}  # Đồng Xuân has proposed


def test_pages_propose_decide_documents_consent(world, evidence, leader, client):
    k1, k2, k3 = new_key(), new_key(), new_key()
    url = reverse("reports:propose", args=[world.commune_a.code])
    client.force_login(world.officer_a)
    page = client.get(url, {"nam": YEAR})
    assert page.status_code == 200 and "Hoàng Văn Sơn" in page.content.decode()
    body = {
        "award": "commune",
        f"pick_{world.area_a1.pk}": "on",
        f"reason_{world.area_a1.pk}": "Hoàn thành xuất sắc",
        "submission": k1,
    }
    done = client.post(url + f"?nam={YEAR}", body)
    assert done.status_code == 302
    again = client.post(url + f"?nam={YEAR}", body)  # the same submission key again
    assert again.status_code == 302 and Proposal.objects.count() == 1
    proposal = Proposal.objects.get()
    detail = reverse("reports:proposal", args=[proposal.pk])
    # The officer cannot decide the commune chair's award.
    line = proposal.lines.get()
    decide = {"what": "decide", f"state_{line.pk}": "approved", "submission": k2}
    assert client.post(detail, decide).status_code == 403
    client.force_login(leader)
    assert client.get(detail).status_code == 200
    assert client.post(detail, decide).status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.DECIDED
    pdf = client.get(reverse("reports:decision", args=[proposal.pk, "pdf"]))
    text = " ".join(t.text for t in text_lines(pdf.content))
    assert "QUYẾT ĐỊNH" in text and "Hoàng Văn Sơn" in text and "1/QĐ-UBND" in text
    assert "Giấy khen" in text
    docx = client.get(reverse("reports:decision", args=[proposal.pk, "docx"]))
    words = docx_text(docx.content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in words and "Hoàng Văn Sơn" in words
    # The head's register entry lists it.
    mandate = world.head_a1.mandates.get(role=Role.HEAD)
    register = client.get(reverse("people:head_edit", args=[world.area_a1.code, mandate.pk]))
    assert register.status_code == 200 and "1/QĐ-UBND" in register.content.decode()
    # Not public until the head consents.
    area_page = reverse("territory:unit", args=["khu", world.area_a1.code])
    client.logout()
    assert "1/QĐ-UBND" not in client.get(area_page).content.decode()
    client.force_login(world.head_a1)
    own = reverse("reports:own_commendations", args=[world.area_a1.code])
    assert client.get(own).status_code == 200
    assert client.post(own, {"line": line.pk, "public": "1", "submission": k3}).status_code == 302
    client.logout()
    public = client.get(area_page).content.decode()
    assert "1/QĐ-UBND" in public and "Hoàng Văn Sơn" in public


def test_access(world, evidence, leader, client):
    proposal = _propose(world)
    detail = reverse("reports:proposal", args=[proposal.pk])
    listing = reverse("reports:commendations", args=["xa", world.commune_a.code])
    propose = reverse("reports:propose", args=[world.commune_a.code])
    pdf = reverse("reports:decision", args=[proposal.pk, "pdf"])
    for person, expect in [
        (world.officer_a, 200),
        (leader, 200),
        (world.district_officer, 200),
        (world.province_officer, 200),
        (world.officer_b, 404),
        (world.head_b1, 404),
    ]:
        client.force_login(person)
        assert client.get(detail).status_code == expect, person
        assert client.get(listing).status_code == expect, person
    client.force_login(world.officer_b)
    assert client.get(propose).status_code == 404
    client.force_login(world.province_officer)
    assert client.get(propose).status_code == 403  # on the ground, cannot propose
    client.force_login(world.officer_a)
    assert client.get(pdf).status_code == 404  # not decided yet
    client.force_login(world.resident_a1)  # on the ground, not theirs to read: 403
    assert client.get(detail).status_code == 403
    assert (
        client.get(reverse("reports:own_commendations", args=[world.area_a1.code])).status_code
        == 403
    )
    # A head sees only their own lines; another's line id is missing.
    client.force_login(world.head_a1)
    own = reverse("reports:own_commendations", args=[world.area_a1.code])
    other = proposal.lines.exclude(person=world.head_a1).get()
    assert client.post(own, {"line": other.pk, "public": "1", "submission": "x"}).status_code == 404
    assert (
        client.get(reverse("reports:own_commendations", args=[world.area_a2.code])).status_code
        == 404
    )
    assert client.get(detail).status_code == 403  # the proposal itself: the commune's


def _counted_by_hand(proposals):
    """The lesson-5 figures as the indicator counted them in Python before the roll-up."""
    from caunoi.core.indicators import share

    lines = [line for p in proposals for line in p.lines.all()]
    decided = [p for p in proposals if p.decided_at is not None]
    approved = ProposalLine.State.APPROVED
    return {
        "proposals": len(proposals),
        "heads": len(lines),
        "commended": sum(1 for p in decided for x in p.lines.all() if x.state == approved),
        "proposed_in_time": share(sum(1 for p in proposals if not p.proposed_late), len(proposals)),
        "decided_in_time": share(sum(1 for p in decided if not p.decided_late), len(decided)),
    }


def test_the_lesson_5_roll_up_counts_as_before(world, evidence, leader):
    """`territory.rollup` over the proposals gives the figures counting them one by one gave: for
    the country, the province, the district and each commune, with a line per child that
    proposed (a late proposal, a late decision, an undecided one and a refused line among them)."""
    from caunoi.core.indicators import REGISTRY
    from caunoi.directives import services as directive_services
    from caunoi.directives.models import Assignment
    from caunoi.testing import send_directive

    due = timezone.localdate() + datetime.timedelta(days=30)
    task = send_directive(  # Hanh Cù's head does a task in time: the other commune proposes too
        world, actor=world.officer_b, commune=world.commune_b, areas=[world.area_b1], due=due
    )
    directive_services.assignment_complete(
        actor=world.head_b1, assignment=Assignment.objects.get(directive=task), note="Xong"
    )
    mine = _propose(world)
    lines = {x.area_id: x for x in mine.lines.all()}
    services.proposal_decide(
        actor=leader,
        proposal=mine,
        decisions={
            lines[world.area_a1.pk].pk: ("approved", ""),
            lines[world.area_a2.pk].pk: ("refused", "Chưa đủ minh chứng"),
        },
    )
    other = services.proposal_create(
        actor=world.officer_b,
        commune=world.commune_b,
        year=YEAR,
        award="district",
        lines=[{"area": world.area_b1.pk, "reason": "Tốt"}],
    )
    late = timezone.now() + datetime.timedelta(days=400)
    Proposal.objects.filter(pk=other.pk).update(submitted_at=late)  # proposed late, undecided
    Proposal.objects.filter(pk=mine.pk).update(decide_by=datetime.date(2000, 1, 1))  # late
    indicator = REGISTRY["reports.commendations"]
    for unit in (None, world.province, world.district, world.commune_a, world.commune_b):
        path = unit.path if unit is not None else ""
        everyone = list(
            Proposal.objects.filter(year=YEAR, commune__path__startswith=path)
            .select_related("commune")
            .prefetch_related("lines")
        )
        table = indicator.compute(unit, YEAR)
        assert table.total == _counted_by_hand(everyone), unit
        for line in table.lines:
            under = [p for p in everyone if p.commune.path.startswith(line.unit.path)]
            assert under and line.values == _counted_by_hand(under), line.unit
        if unit is not None and unit.is_commune:
            assert table.lines == []
    district = indicator.compute(world.district, YEAR)
    assert [line.unit for line in district.lines] == [world.commune_a, world.commune_b]
    assert indicator.compute(world.province, YEAR).total["decided_in_time"] == 0.0
    assert indicator.compute(world.commune_b, YEAR).total["proposed_in_time"] == 0.0
