"""Issue 12, item 4: before publishing, each channel counts the households it can really reach
(SMS and Zalo: those with a phone; e-mail: with an address; Cầu Nối: with an account), and the
page names those no message reaches: the board, the loudspeaker or a visit."""

import pytest
from django.urls import reverse

from caunoi.outreach import selectors
from caunoi.outreach.models import Channel, Delivery

from .factories import draft

pytestmark = pytest.mark.django_db


def test_the_preview_counts_what_each_channel_reaches(outreach):
    # Khu 3: three households, one without a phone; the resident of the first has an account.
    notice = draft(outreach)
    reach = selectors.notice_reach_preview(list(notice.targets.all()))
    assert reach.households == 3
    by_channel = {row.channel: row for row in reach.rows}
    assert (by_channel[Channel.SMS].reached, by_channel[Channel.SMS].missing) == (2, 1)
    assert (by_channel[Channel.ZALO].reached, by_channel[Channel.ZALO].missing) == (2, 1)
    assert (by_channel[Channel.WEB].reached, by_channel[Channel.WEB].missing) == (1, 2)
    assert reach.unreached == 1  # Lý Thị Lan: no phone, no account


def test_what_the_preview_promised_is_what_publishing_queues(outreach, client_for):
    notice = draft(outreach)
    reach = selectors.notice_reach_preview(list(notice.targets.all()))
    sms = next(r for r in reach.rows if r.channel == Channel.SMS)
    head = client_for(outreach.head_a1)
    page = head.get(reverse("outreach:confirm", args=[notice.pk])).content.decode()
    assert "2 of 3 households" in page and "1 without a phone number" in page
    assert "1 household will get no message" in page
    head.post(reverse("outreach:confirm", args=[notice.pk]), {"submission": "p" * 20})
    queued = Delivery.objects.filter(notice=notice, channel=Channel.SMS).exclude(
        status=Delivery.Status.FAILED
    )
    assert queued.count() == sms.reached


def test_the_preview_names_the_households_no_message_reaches(outreach, client_for):
    notice = draft(outreach)
    reach = selectors.notice_reach_preview(list(notice.targets.all()))
    assert [h.representative_name for h in reach.unreached_named] == ["Lý Thị Lan"]
    page = client_for(outreach.head_a1).get(reverse("outreach:confirm", args=[notice.pk]))
    html = page.content.decode()
    assert "Lý Thị Lan · Số 3, Khu 3" in html
    assert "Trần Văn Tú" not in html  # SMS reaches him


def test_the_preview_names_at_most_a_few(outreach, client_for, monkeypatch):
    from caunoi.testing import add_household

    for k in range(4, 7):
        add_household(outreach.area_a1, k, address=f"Số {k}", members=1)
    monkeypatch.setattr(selectors, "UNREACHED_NAMED", 2)
    notice = draft(outreach)
    reach = selectors.notice_reach_preview(list(notice.targets.all()))
    assert reach.unreached == 4 and len(reach.unreached_named) == 2
    html = client_for(outreach.head_a1).get(reverse("outreach:confirm", args=[notice.pk]))
    assert "The first 2 are named here" in html.content.decode()
