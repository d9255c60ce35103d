"""The HTTP backends of SMS and Zalo against a local fake gateway: what is posted, and which
failures may be retried (a refusal for now, no connection) and which never (no URL, a refusal for
good, no answer in time: the message may have gone)."""

import json
import time
import unicodedata

import pytest
import requests

from caunoi import channels
from caunoi.channels import Message, SendError

from .gateway import FakeGateway

TEXT = "Mã xác nhận Cầu Nối: 123456. Mã có hiệu lực 5 phút. Đừng đưa mã cho ai."


@pytest.fixture
def http_settings(settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_TOKEN = "s3cret-token"
    settings.SMS_SENDER = "CAUNOI"
    settings.SMS_HTTP_TIMEOUT = 5
    return settings


def sms(text=TEXT, **kw):
    return channels.send(channels.SMS, Message(to="0912000001", text=text, **kw))


def test_sms_posts_json_with_bearer_token(http_settings):
    with FakeGateway() as gateway:
        http_settings.SMS_HTTP_URL = gateway.url
        receipt = sms()
    assert len(gateway.requests) == 1
    request = gateway.requests[0]
    assert request["path"] == "/send"
    assert request["headers"]["Authorization"] == "Bearer s3cret-token"
    assert request["headers"]["Content-Type"].startswith("application/json")
    body = json.loads(request["body"].decode("utf-8"))
    assert body == {"to": "0912000001", "text": TEXT, "sender": "CAUNOI"}
    assert unicodedata.is_normalized("NFC", body["text"])
    assert (receipt.channel, receipt.to, receipt.reference) == ("sms", "0912000001", "")


def test_sms_carries_the_reference_for_delivery_reports(http_settings):
    with FakeGateway() as gateway:
        http_settings.SMS_HTTP_URL = gateway.url
        receipt = sms(reference="d42")
    assert json.loads(gateway.requests[0]["body"])["reference"] == "d42"
    assert receipt.reference == "d42"


def test_a_500_may_be_retried(http_settings):
    with FakeGateway(status=500) as gateway:
        http_settings.SMS_HTTP_URL = gateway.url
        with pytest.raises(SendError, match="HTTP 500") as info:
            sms()
    assert len(gateway.requests) == 1
    assert info.value.retry is True


@pytest.mark.parametrize(
    ("status", "retry"), [(400, False), (401, False), (429, True), (503, True)]
)
def test_a_refusal_for_good_is_not_retried(http_settings, status, retry):
    with FakeGateway(status=status) as gateway:
        http_settings.SMS_HTTP_URL = gateway.url
        with pytest.raises(SendError, match=f"HTTP {status}") as info:
            sms()
    assert info.value.retry is retry


def test_no_answer_in_time_is_never_retried(http_settings):
    with FakeGateway(delay=1.5) as gateway:
        http_settings.SMS_HTTP_URL = gateway.url
        http_settings.SMS_HTTP_TIMEOUT = 0.3
        started = time.monotonic()
        with pytest.raises(SendError, match="did not answer") as info:
            sms()
        assert time.monotonic() - started < 1.4
    assert info.value.retry is False  # the gateway had it: it may have gone
    assert isinstance(info.value.__cause__, requests.Timeout)


def test_an_unreachable_gateway_may_be_retried(http_settings):
    with FakeGateway() as gateway:
        url = gateway.url
    http_settings.SMS_HTTP_URL = url  # the server is closed now
    with pytest.raises(SendError, match="Cannot reach") as info:
        sms()
    assert info.value.retry is True


def test_without_url_it_never_works(http_settings):
    http_settings.SMS_HTTP_URL = ""
    with pytest.raises(SendError, match="SMS_HTTP_URL is not set") as info:
        sms()
    assert info.value.retry is False


def test_zalo_posts_to_its_relay(settings):
    settings.ZALO_BACKEND = "http"
    settings.ZALO_HTTP_TOKEN = "z-token"
    with FakeGateway() as gateway:
        settings.ZALO_HTTP_URL = gateway.url
        channels.send(channels.ZALO, Message(to="0912000111", text="Thông báo họp", reference="d7"))
    request = gateway.requests[0]
    assert request["headers"]["Authorization"] == "Bearer z-token"
    # Zalo's relay reports nothing back: it is sent no reference and no sender.
    assert json.loads(request["body"]) == {"to": "0912000111", "text": "Thông báo họp"}
    with FakeGateway(status=503) as gateway:
        settings.ZALO_HTTP_URL = gateway.url
        with pytest.raises(SendError, match="503"):
            channels.send(channels.ZALO, Message(to="0912000111", text="x"))
