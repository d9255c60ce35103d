"""The gateway's writes in the API, retried: a gateway that sends the same Idempotency-Key again is
answered as the first time and nothing is recorded twice (`caunoi.core.api.once`)."""

import json

from caunoi.channels.tests.gateway import FakeGateway
from caunoi.outreach.models import Channel, Delivery

from .factories import publish

GATEWAY = {"HTTP_AUTHORIZATION": "Bearer gw-secret"}


def _post(client, url, body, key):
    return client.post(
        url,
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **GATEWAY,
    )


def test_a_retried_sms_reply_acknowledges_once(outreach, client, settings):
    settings.SMS_INBOUND_TOKEN = "gw-secret"
    notice = publish(outreach)
    url, reply = "/api/v1/outreach/sms-replies", {"from": "0912000112", "text": "DB"}
    first = _post(client, url, reply, "sms-reply-00000001")
    again = _post(client, url, reply, "sms-reply-00000001")
    assert first.json() == again.json() == {"acknowledged": True, "notice": notice.pk}
    assert notice.acknowledgements.count() == 1
    other = _post(client, url, {**reply, "text": "Đã biết"}, "sms-reply-00000001")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


def test_a_retried_delivery_report_answers_as_the_first(outreach, client, settings):
    settings.SMS_INBOUND_TOKEN = "gw-secret"
    settings.SMS_BACKEND = "http"
    with FakeGateway() as gateway:
        settings.SMS_HTTP_URL = gateway.url
        notice = publish(outreach)
    sent = Delivery.objects.filter(notice=notice, channel=Channel.SMS).order_by("pk").first()
    url, report = "/api/v1/outreach/sms-status", {"reference": f"d{sent.pk}", "status": "delivered"}
    first = _post(client, url, report, "sms-status-0000001")
    again = _post(client, url, report, "sms-status-0000001")
    assert first.json() == again.json() == {"updated": True}  # the first answer, replayed
    sent.refresh_from_db()
    assert sent.status == Delivery.Status.DELIVERED
    # a new key is a new report: this one changes nothing
    assert _post(client, url, report, "sms-status-0000002").json() == {"updated": False}
