"""E-mail, where the community chose it: one message per household that gave an address; the
others are failed with the reason, so the head sees whom to reach another way."""

import datetime

from django.core import mail
from django.urls import reverse

from caunoi.outreach import services
from caunoi.outreach.models import Channel, Delivery
from caunoi.territory.models import Household
from caunoi.territory.services import household_update

from .factories import publish


def test_email_goes_to_households_with_an_address(outreach):
    household_update(actor=None, household=outreach.household_a1b, email="tu.tran@example.vn")
    services.channel_decision_record(
        actor=outreach.head_a1,
        area=outreach.area_a1,
        channel=Channel.EMAIL,
        decision="Biên bản họp khu dân cư ngày 12/03/2022",
        decided_on=datetime.date(2022, 3, 12),
    )
    notice = publish(outreach)
    rows = Delivery.objects.filter(notice=notice, channel=Channel.EMAIL)
    assert rows.count() == 3
    sent = rows.get(status=Delivery.Status.SENT)
    assert sent.household == outreach.household_a1b and sent.recipient == "tu.tran@example.vn"
    assert rows.filter(status=Delivery.Status.FAILED).exclude(reason="").count() == 2
    assert [m.to for m in mail.outbox] == [["tu.tran@example.vn"]]
    assert notice.title in mail.outbox[0].subject


def test_no_email_without_the_community_s_choice(outreach):
    household_update(actor=None, household=outreach.household_a1b, email="tu.tran@example.vn")
    notice = publish(outreach)
    assert not Delivery.objects.filter(notice=notice, channel=Channel.EMAIL).exists()
    assert mail.outbox == []


def test_the_household_form_takes_an_email_and_refuses_a_bad_one(outreach, client_for):
    client = client_for(outreach.head_a1)
    h = outreach.household_a1b
    url = reverse("territory:household_edit", args=[outreach.area_a1.code, h.code])
    data = {
        "representative_name": h.representative_name,
        "address": h.address,
        "representative_phone": h.representative_phone,
        "members": 2,
        "email": "not-an-address",
    }
    page = client.post(url, data)
    assert page.status_code == 200 and "e-mail address such as" in page.content.decode()
    assert Household.objects.get(pk=h.pk).email == ""
    data["email"] = " Tu.Tran@Example.VN "
    assert client.post(url, data).status_code == 302
    assert Household.objects.get(pk=h.pk).email == "tu.tran@example.vn"
