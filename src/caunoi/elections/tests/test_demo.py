"""The demo's elections in Đồng Xuân: recognised, failed then re-run, needing a re-election,
decided."""

from caunoi.demo import builder
from caunoi.elections import selectors
from caunoi.elections.models import Election, Status
from caunoi.people.models import TermState
from caunoi.territory.models import Level, Unit
from caunoi.testing import household_count_drift


def test_the_demo_has_elections_in_every_state(db):
    builder.build(households_per_area=5, log=lambda *a: None)
    dong_xuan = Unit.objects.get(level=Level.COMMUNE, short_name="Đồng Xuân")
    by_status = {}
    for e in Election.objects.filter(area__parent=dong_xuan):
        by_status.setdefault(e.status, []).append(e)
    recognised = by_status[Status.RECOGNISED][0]
    assert recognised.mandate.term_state == TermState.ELECTED
    assert recognised.mandate.start == recognised.recognised_on
    second = by_status[Status.ELECTED][0]
    assert second.round == 2 and second.previous.status == Status.FAILED
    first = second.previous
    total = first.meeting.households_total
    lead = max(c.votes for c in first.candidates.all())
    assert 2 * first.meeting.households_present > total and 2 * lead <= total
    needing = [e for e in by_status[Status.FAILED] if not hasattr(e, "next_round")]
    assert needing
    assert by_status[Status.DECIDED]
    rows = selectors.status_rows(dong_xuan)
    assert {r.election.status for r in rows if r.election} >= {
        Status.RECOGNISED,
        Status.ELECTED,
        Status.FAILED,
        Status.DECIDED,
    }
    assert not household_count_drift()
