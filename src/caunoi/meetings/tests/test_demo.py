"""The demo's meetings in Đồng Xuân: last year's regular meetings with minutes, a fund founded by
a meeting's decision, a failed quorum resolved by ballot, a meeting being prepared."""

from caunoi.demo import builder
from caunoi.funds.models import Fund
from caunoi.meetings import ballots, selectors
from caunoi.meetings.models import Ballot, Meeting, Status
from caunoi.territory.models import Level, Unit


def test_the_demo_has_meetings_in_dong_xuan(db):
    builder.build(households_per_area=5, log=lambda *a: None)
    dong_xuan = Unit.objects.get(level=Level.COMMUNE, short_name="Đồng Xuân")
    areas = Unit.objects.filter(parent=dong_xuan, level=Level.AREA).count()
    assert Meeting.objects.filter(status=Status.HELD, kind="regular").count() >= 2 * areas
    fund = Fund.objects.get(name="Quỹ vệ sinh môi trường")
    assert fund.decision.meeting_item.passed
    from caunoi.outreach.models import ChannelDecision

    email = ChannelDecision.objects.get(channel="email")
    assert (
        email.meeting_item.passed
        and email.meeting_item.meeting == fund.decision.meeting_item.meeting
    )
    assert ChannelDecision.objects.filter(channel="sms", meeting_item__isnull=True).exists()
    ballot = Ballot.objects.get()
    assert ballot.meeting.status == Status.BALLOTED and not ballots.is_report_overdue(ballot)
    rows = selectors.readiness(unit=dong_xuan)
    assert len(rows) == 1 and not rows[0].ready
