"""The commune's election of a head on a 360 px phone: decide the election (a late notice is
refused with its rule), list a candidate, publish the list, record the count on the day (a count
that cannot be is refused with its numbers), recognise the result; the head's mandate starts."""

import datetime

import pytest
from harness import audit, exact, sign_in, t
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_decide_candidates_count_recognise_on_a_phone(e2e_world, phone):
    from django.utils import timezone

    from caunoi.elections.models import Election
    from caunoi.meetings.models import Meeting
    from caunoi.people.models import Mandate, Role
    from caunoi.territory.services import household_create

    w = e2e_world
    for i in range(2, 11):
        household_create(
            actor=None, area=w.area_a1, code=f"08119-03-{i:03d}", members=2,
            representative_name=f"Đại diện hộ {i}",
        )  # fmt: skip
    sign_in(phone, "xa_a")
    phone.goto(f"/xa/{w.commune_a.code}/bau-cu/")
    audit(phone, "elections-status")
    card = phone.locator(f'li[data-area="{w.area_a1.code}"]')
    card.get_by_role("link", name=exact("Decide an election")).click()
    audit(phone, "elections-decide-form")
    phone.get_by_label(t("The head's term ends")).check()
    phone.get_by_label(t("Number of the commune's decision")).fill("125/QĐ-UBND")
    phone.get_by_label(t("Leader of the election team (from the Front work committee)")).fill(
        "Nguyễn Văn Tổ"
    )
    phone.get_by_label(t("Members of the election team")).fill("Trần Thị Một\nLê Văn Hai")
    day = timezone.localdate() + datetime.timedelta(days=21)
    late = (day - datetime.timedelta(days=5)).isoformat()
    notice = phone.get_by_label(t("Date of the public notice (board and loudspeaker)"))
    notice.fill(late)
    phone.get_by_role("button", name=exact("Decide the election")).click()
    expect(phone.get_by_role("alert")).to_be_visible()
    expect(phone.get_by_role("main")).to_contain_text("NĐ 59/2023 Điều 6")
    audit(phone, "elections-decide-late")
    assert not Election.objects.exists()
    notice.fill((day - datetime.timedelta(days=7)).isoformat())
    phone.get_by_role("button", name=exact("Decide the election")).click()
    expect(phone.get_by_role("status")).to_contain_text(
        t("Election decided. Now list the candidates of the Front work committee.")
    )
    audit(phone, "elections-decided")

    phone.get_by_role("link", name=exact("Add a candidate")).click()
    phone.get_by_label(t("Full name"), exact=True).fill("Vũ Thị Lan")
    phone.get_by_label(t("Phone number")).fill("0912 000 902")
    phone.get_by_label(t("Year of birth")).fill("1975")
    phone.get_by_label(t("On the Front work committee's list (agreed with the party cell)")).check()
    for key in (
        "Permanent residence registered and living regularly in the area",
        "In good health, enthusiastic and responsible",
        "Good political and moral qualities, trusted by residents",
        "Able and experienced in mobilising residents",
    ):
        phone.get_by_label(t(key)).check()
    audit(phone, "elections-candidate-form")
    phone.get_by_role("button", name=exact("Add the candidate")).click()
    expect(phone.get_by_role("main")).to_contain_text("Vũ Thị Lan")
    phone.get_by_role("link", name=exact("Publish the candidate list")).click()
    audit(phone, "elections-publish")
    phone.get_by_role("button", name=exact("Publish the list")).click()
    expect(phone.get_by_role("status")).to_contain_text(
        t("The candidate list is published on the area's page.")
    )

    # The election day comes.
    election = Election.objects.get()
    shift = election.election_day - timezone.localdate()
    Election.objects.filter(pk=election.pk).update(
        election_day=timezone.localdate(), decided_on=election.decided_on - shift,
        team_on=election.team_on - shift, notice_on=election.notice_on - shift,
        list_due_on=election.list_due_on - shift, published_on=election.published_on - shift,
    )  # fmt: skip
    Meeting.objects.filter(pk=election.meeting_id).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    phone.reload()
    phone.get_by_role("link", name=exact("Record the count")).click()
    audit(phone, "elections-count-form")
    phone.get_by_label(t("Households represented")).fill("8")
    phone.get_by_label(t("Secret ballot"), exact=True).check()
    phone.get_by_label(t("Counting board (secret ballot)")).fill("Ông A\nBà B\nÔng C")
    phone.get_by_label(t("Representatives in favour of the counting board")).fill("8")
    phone.get_by_label(t("Ballots issued")).fill("8")
    phone.get_by_label(t("Ballots returned")).fill("8")
    phone.get_by_label(t("Valid ballots")).fill("7")
    phone.get_by_label(t("Invalid ballots")).fill("2")
    phone.get_by_label(t("Votes for %(name)s") % {"name": "Vũ Thị Lan"}).fill("7")
    phone.get_by_role("button", name=exact("Record the count")).click()
    expect(phone.get_by_role("alert")).to_be_visible()
    audit(phone, "elections-count-refused")
    phone.get_by_label(t("Invalid ballots")).fill("1")
    phone.get_by_role("button", name=exact("Record the count")).click()
    expect(phone.locator('[data-elected="yes"]')).to_be_visible()
    audit(phone, "elections-counted")

    phone.get_by_role("link", name=exact("Recognise the result")).click()
    phone.get_by_label(t("Number of the recognition decision")).fill("140/QĐ-UBND")
    phone.get_by_label(t("Chair of the commune People's Committee")).fill("Nguyễn Văn Chủ")
    audit(phone, "elections-recognise-form")
    phone.get_by_role("button", name=exact("Recognise")).click()
    expect(phone.get_by_role("status")).to_contain_text(
        t("Recognised: the new head's mandate begins on the day of the decision.")
    )
    audit(phone, "elections-recognised")
    head = Mandate.objects.active().get(unit=w.area_a1, role=Role.HEAD)
    assert head.person.full_name == "Vũ Thị Lan" and head.start == timezone.localdate()

    phone.goto(f"/khu/{w.area_a1.code}/bau-cu/")
    expect(phone.get_by_role("main")).to_contain_text("Vũ Thị Lan")
    audit(phone, "elections-area-public")
