"""SMS delivery reports: the HTTP gateway gets a reference with each message and reports back
whether it reached the phone (sent → delivered, or failed with the gateway's reason)."""

import json

from caunoi.channels.tests.gateway import FakeGateway
from caunoi.outreach.models import Channel, Delivery

from .factories import publish

URL = "/api/v1/outreach/sms-status"
AUTH = {"HTTP_AUTHORIZATION": "Bearer gw-secret"}


def _report(client, **body):
    return client.post(URL, body, content_type="application/json", **AUTH)


def test_gateway_reports_delivered_and_failed(outreach, settings, client):
    settings.SMS_INBOUND_TOKEN = "gw-secret"
    settings.SMS_BACKEND = "http"
    with FakeGateway() as gateway:
        settings.SMS_HTTP_URL = gateway.url
        notice = publish(outreach)
    sent = Delivery.objects.filter(notice=notice, channel=Channel.SMS, status=Delivery.Status.SENT)
    assert sent.count() == 2
    references = sorted(json.loads(r["body"])["reference"] for r in gateway.requests)
    assert references == sorted(f"d{d.pk}" for d in sent)
    first, second = sent.order_by("pk")

    assert (
        client.post(
            URL,
            {"reference": f"d{first.pk}", "status": "delivered"},
            content_type="application/json",
        ).status_code
        == 401
    )
    assert _report(client, reference=f"d{first.pk}", status="delivered").json() == {"updated": True}
    answer = _report(client, reference=f"d{second.pk}", status="failed", reason="Thuê bao tạm khóa")
    assert answer.json() == {"updated": True}
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Delivery.Status.DELIVERED
    assert second.status == Delivery.Status.FAILED and second.reason == "Thuê bao tạm khóa"

    # A repeated or late report, an unknown reference, a web delivery: nothing changes.
    assert _report(client, reference=f"d{first.pk}", status="failed").json() == {"updated": False}
    web = Delivery.objects.filter(notice=notice, channel=Channel.WEB).first()
    assert _report(client, reference=f"d{web.pk}", status="failed").json() == {"updated": False}
    assert _report(client, reference="d999999", status="delivered").json() == {"updated": False}
    assert _report(client, reference="x1", status="delivered").json() == {"updated": False}
    assert _report(client, reference=f"d{first.pk}", status="lost").status_code == 400
    first.refresh_from_db()
    assert first.status == Delivery.Status.DELIVERED
