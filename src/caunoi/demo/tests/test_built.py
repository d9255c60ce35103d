"""The demo as a newcomer meets it, built once for this module (small: four households per area,
the fewest the elections demo runs its elections with) inside a transaction rolled back at its end,
each test in a savepoint of it:
- every page each demo role can reach from its home page (following links, as a person tapping
  would) answers without a server error, the change logs of the commune, district and province
  included;
- Đồng Xuân's notices, and its meetings (last year's regular meetings with minutes, a fund founded
  by a meeting's decision, a failed quorum resolved by ballot, a meeting being prepared), and its
  elections (recognised, failed then re-run, needing a re-election, decided);
- carried through the 2025 reform (last: it changes the tree): today's Phú Thọ with 148 communes
  and no district, the 2022 picture intact as of 13/06/2022, the legal acts named, officers in
  their new units.

One build instead of one per test: the demo is the slowest thing the suite makes. The module's
tests stay on one xdist worker (`xdist_group`, `make test` runs `--dist loadgroup`)."""

import datetime
import random
import re
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from caunoi.core.models import AuditEntry
from caunoi.demo import builder, reform
from caunoi.elections import selectors as election_selectors
from caunoi.elections.models import Election
from caunoi.elections.models import Status as ElectionStatus
from caunoi.funds.models import Fund
from caunoi.meetings import ballots
from caunoi.meetings import selectors as meeting_selectors
from caunoi.meetings.models import Ballot, Meeting, Status
from caunoi.outreach.models import Acknowledgement, ChannelDecision, Notice
from caunoi.people.models import Mandate, Person, Role, TermState
from caunoi.people.selectors import _field
from caunoi.territory import selectors
from caunoi.territory.models import Level, Restructuring, Unit
from caunoi.testing import household_count_drift

pytestmark = [pytest.mark.xdist_group("demo"), pytest.mark.usefixtures("built", "db")]


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    """The demo's uploaded files (invoices, audio): one directory for the module, as its rows."""
    return str(tmp_path_factory.mktemp("demo-media"))


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, demo_media):
    """The demo, built once for the module's tests and rolled back after the last one."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            builder.build(households_per_area=4, log=lambda *a: None)  # elections need 4
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _the_demo_media(settings, demo_media):
    settings.MEDIA_ROOT = demo_media  # after the root conftest's own per-test directory


HREF = re.compile(r'href="([^"#][^"]*)"')
SAME_SHAPE = 1  # pages whose addresses differ only by numbers: the first few stand for the rest
PAGES_PER_ROLE = 120
SKIP = ("/dang-xuat", "/static/", "/media/", "/admin/")


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _crawl(client: Client, start: list[str]) -> dict[str, int]:
    """GET every page reachable from `start` by links (each shape of address once)."""
    seen: dict[str, int] = {}
    shapes: Counter[str] = Counter(_shape(url) for url in start)
    todo = deque(start)
    while todo and len(seen) < PAGES_PER_ROLE:
        url = todo.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if href.startswith(SKIP) or href in seen:
                continue
            shape = _shape(parts.path)
            if shapes[shape] >= SAME_SHAPE:
                continue
            shapes[shape] += 1
            todo.append(href)
    return seen


def test_every_page_of_the_demo_answers_for_every_role():
    # Every audited reference to a related object is its id (the change log names it by it).
    for entry in AuditEntry.objects.iterator():
        for values in (entry.before, entry.after):
            for name, value in (values or {}).items():
                field = _field(entry.object_type, name)
                if field is not None and field.many_to_one and value is not None:
                    assert isinstance(value, int), (entry.action, name, value)

    failures = []
    for _role, login in builder.DEMO_LOGINS:
        person = Person.objects.filter(username=login).first() or Person.objects.get(phone=login)
        client = Client()
        client.force_login(person)
        start = ["/"]
        for mandate in person.mandates.select_related("unit"):
            if mandate.unit is not None:
                start.append(f"/{mandate.unit.url_prefix}/{mandate.unit.code}/")
                if not mandate.unit.is_area:
                    start.append(f"/{mandate.unit.url_prefix}/{mandate.unit.code}/nhat-ky/")
        pages = _crawl(client, start)
        failures += [(login, u, s) for u, s in pages.items() if s >= 500]
        assert len(pages) > 10, login
    assert not failures


def test_the_demo_has_notices_in_dong_xuan():
    titles = set(Notice.objects.values_list("title", flat=True))
    assert "Họp khu dân cư 6 tháng đầu năm" in titles and len(titles) == 3
    assert Acknowledgement.objects.exists()
    assert not Notice.objects.filter(deliveries__status="queued").exists()


def test_the_demo_has_meetings_in_dong_xuan():
    dong_xuan = Unit.objects.get(level=Level.COMMUNE, short_name="Đồng Xuân")
    areas = Unit.objects.filter(parent=dong_xuan, level=Level.AREA).count()
    assert Meeting.objects.filter(status=Status.HELD, kind="regular").count() >= 2 * areas
    fund = Fund.objects.get(name="Quỹ vệ sinh môi trường")
    assert fund.decision.meeting_item.passed
    email = ChannelDecision.objects.get(channel="email")
    assert (
        email.meeting_item.passed
        and email.meeting_item.meeting == fund.decision.meeting_item.meeting
    )
    assert ChannelDecision.objects.filter(channel="sms", meeting_item__isnull=True).exists()
    ballot = Ballot.objects.get()
    assert ballot.meeting.status == Status.BALLOTED and not ballots.is_report_overdue(ballot)
    rows = meeting_selectors.meeting_readiness(unit=dong_xuan)
    # the regular meeting being prepared (the decided election's meeting is on the list too)
    (regular,) = [r for r in rows if r.meeting.kind == "regular"]
    assert not regular.ready


def test_the_demo_has_elections_in_every_state():
    dong_xuan = Unit.objects.get(level=Level.COMMUNE, short_name="Đồng Xuân")
    by_status: dict[str, list[Election]] = {}
    for e in Election.objects.filter(area__parent=dong_xuan):
        by_status.setdefault(e.status, []).append(e)
    recognised = by_status[ElectionStatus.RECOGNISED][0]
    assert recognised.mandate.term_state == TermState.ELECTED
    assert recognised.mandate.start == recognised.recognised_on
    second = by_status[ElectionStatus.ELECTED][0]
    assert second.round == 2 and second.previous.status == ElectionStatus.FAILED
    first = second.previous
    total = first.meeting.households_total
    lead = max(c.votes for c in first.candidates.all())
    assert 2 * first.meeting.households_present > total and 2 * lead <= total
    assert [e for e in by_status[ElectionStatus.FAILED] if not hasattr(e, "next_round")]
    assert by_status[ElectionStatus.DECIDED]
    rows = election_selectors.election_status_rows(dong_xuan)
    assert {r.election.status for r in rows if r.election} >= {
        ElectionStatus.RECOGNISED,
        ElectionStatus.ELECTED,
        ElectionStatus.FAILED,
        ElectionStatus.DECIDED,
    }
    assert not household_count_drift()


def _link(page: str, text: str) -> str:
    """The address of the structure table's link named `text`."""
    found = re.search(rf'<a class="cell" href="([^"]+)">{re.escape(text)}</a>', page)
    assert found, text
    return found.group(1).replace("&amp;", "&")


def test_dong_xuan_proposes_three_heads_and_the_province_decides_in_time():
    """Issue 16's done means, on the demo: the Đồng Xuân officer proposes three heads with their
    evidence for the province's certificate of merit, the province officer decides them in
    time, and the decision prints (PDF and Word), numbered, naming the three heads."""
    from caunoi.core.pdf import text_lines
    from caunoi.core.submissions import new_key
    from caunoi.reports import selectors as report_selectors
    from caunoi.reports import services as report_services
    from caunoi.reports.models import Proposal
    from caunoi.reports.tests.test_commendations import docx_text

    dong_xuan = Unit.objects.get(level=Level.COMMUNE, short_name="Đồng Xuân")
    today = datetime.date.today()
    year = next(  # the year whose proposals are still in time, with evidence for three heads
        y
        for y in (today.year - 1, today.year)
        if today <= report_services.propose_deadline(y)
        and sum(c.may for c in report_selectors.commendation_candidates(dong_xuan, year=y)) >= 3
    )
    three = [c for c in report_selectors.commendation_candidates(dong_xuan, year=year) if c.may]
    three = three[:3]
    officer = Client()
    officer.force_login(Person.objects.get(username="xa.dongxuan"))
    url = f"/xa/{dong_xuan.code}/khen-thuong/de-nghi/?nam={year}"
    page = officer.get(url).content.decode()
    for c in three:  # each head with their scorecard, the evidence behind the score
        assert c.head.full_name in page and f"/khu/{c.area.code}/the-diem/?nam={year}" in page
    body = {"award": "province", "submission": new_key()}
    for c in three:
        body[f"pick_{c.area.pk}"] = "on"
        body[f"reason_{c.area.pk}"] = f"Hoàn thành xuất sắc nhiệm vụ năm {year}"
    assert officer.post(url, body).status_code == 302
    proposal = Proposal.objects.get(commune=dong_xuan, year=year)
    assert proposal.lines.count() == 3 and not proposal.proposed_late
    assert all(line.scorecard["criteria"] for line in proposal.lines.all())

    province = Client()
    province.force_login(Person.objects.get(username="tinh.phutho"))
    detail = f"/khen-thuong/{proposal.pk}/"
    decide = {"what": "decide", "submission": new_key()}
    decide |= {f"state_{line.pk}": "approved" for line in proposal.lines.all()}
    assert officer.post(detail, decide).status_code == 403  # the commune does not decide it
    assert province.post(detail, decide).status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.DECIDED and proposal.number
    assert not proposal.decided_late and not proposal.proposed_late
    pdf = province.get(f"/khen-thuong/{proposal.pk}/quyet-dinh.pdf")
    text = " ".join(t.text for t in text_lines(pdf.content))
    words = docx_text(province.get(f"/khen-thuong/{proposal.pk}/quyet-dinh.docx").content)
    for printed in (text, words):
        assert "QUYẾT ĐỊNH" in printed and proposal.number in printed
        assert all(c.head.full_name in printed for c in three)
    assert "Bằng khen" in text and "Bằng khen" in words  # the province chair's


def test_the_provinces_2022_report_shows_the_articles_figures_down_to_khu_1():
    """Issue 16's done means, on the demo: the province's report for 2022 shows the article's
    structure (225 = 197 xã + 11 thị trấn + 17 phường, 2,328 areas) and drills down, by the
    structure table's links, through Thanh Ba and Đồng Xuân to Khu 1."""
    client = Client()
    client.force_login(Person.objects.get(username="tinh.phutho"))
    page = client.get("/tinh/25/bao-cao/?nam=2022").content.decode()
    assert "Báo cáo năm 2022" in page
    assert "225 đơn vị cấp xã: 197 xã · 11 thị trấn · 17 phường" in page
    assert re.search(r"<dt>Khu dân cư</dt><dd>2\.328</dd>", page)
    for name in ("Thanh Ba", "Đồng Xuân", "Khu 1"):
        address = _link(page, name)
        assert "nam=2022" in address
        answer = client.get(address)
        assert answer.status_code == 200, address
        page = answer.content.decode()
    assert "Khu 1" in re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert "Báo cáo năm 2022" in page


def test_the_demo_carries_phu_tho_2022_into_todays_phu_tho():
    reform.build(rng=random.Random(1), households_per_area=1, log=lambda *a: None)
    assert reform.reformed()
    p = Unit.objects.get(level=Level.PROVINCE, code="25")
    today = selectors.unit_figures(selectors.unit_descendant_counts(p))
    assert today["districts"] == 0 and today["communes"] == 148
    assert dict(today["commune_kinds"]) == {"Xã": 133, "Phường": 15}
    then = selectors.unit_figures(
        selectors.unit_descendant_counts(p, on=datetime.date(2022, 6, 13))
    )
    assert (then["districts"], then["communes"], then["areas"]) == (13, 225, 2328)
    # Vĩnh Phúc and Hòa Bình as in 2022 (136 and 151 communes), Vĩnh Phúc's 2024 arrangement
    # (121 on 30/06/2025), then merged into Phú Thọ by the Quốc hội's resolution
    vinh_phuc = Unit.objects.get(level=Level.PROVINCE, code="26")
    hoa_binh = Unit.objects.get(level=Level.PROVINCE, code="17")
    for unit, day, communes in [
        (vinh_phuc, datetime.date(2022, 6, 13), 136),
        (hoa_binh, datetime.date(2022, 6, 13), 151),
        (vinh_phuc, datetime.date(2025, 6, 30), 121),
    ]:
        seen = selectors.unit_figures(selectors.unit_descendant_counts(unit, on=day))
        assert seen["communes"] == communes, (unit.name, day)
    merge = Restructuring.objects.get(kind=Restructuring.Kind.MERGE, results__level=Level.PROVINCE)
    assert merge.decision_number == "202/2025/QH15"
    assert {u.code for u in merge.sources.all()} == {"17", "25", "26"}
    communes = Restructuring.objects.filter(
        kind=Restructuring.Kind.MERGE, results__level=Level.COMMUNE
    )
    assert {r.decision_number for r in communes} == {"1676/NQ-UBTVQH15"}
    # signed in today, the Đồng Xuân officer works in the commune Đồng Xuân became
    (now,) = Mandate.objects.active().filter(
        person__username="xa.dongxuan", role=Role.COMMUNE_OFFICER
    )
    assert now.unit.name == "Xã Thanh Ba" and now.unit.parent == p
    assert not Mandate.objects.active().filter(person__username="huyen.thanhba").exists()
    # the sign-ins printed for the demo: no district officer (that level ended on 01/07/2025)
    listed = builder.accounts()
    assert [a for a in listed if a.login == "huyen.thanhba"] == []
    (officer,) = [a for a in listed if a.login == "xa.dongxuan"]
    assert officer.name.endswith("Xã Thanh Ba")
