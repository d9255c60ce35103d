import json
import threading
import time
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from caunoi.core import sms
from caunoi.core.sms import SmsError, send_sms

TEXT = "Mã xác nhận Cầu Nối: 123456. Mã có hiệu lực 5 phút. Đừng đưa mã cho ai."


class FakeGateway:
    """A real HTTP server on 127.0.0.1 (random port) that records what it receives."""

    def __init__(self, status=200, delay=0.0):
        self.status = status
        self.delay = delay
        self.requests = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                gateway.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                if gateway.delay:
                    time.sleep(gateway.delay)
                payload = b'{"ok": true}' if gateway.status < 300 else b'{"error": "boom"}'
                try:
                    self.send_response(gateway.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def http_settings(settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_TOKEN = "s3cret-token"
    settings.SMS_SENDER = "CAUNOI"
    settings.SMS_HTTP_TIMEOUT = 5
    return settings


def test_http_backend_posts_json_with_bearer_token(http_settings):
    with FakeGateway() as gateway:
        http_settings.SMS_HTTP_URL = gateway.url
        send_sms(to="0912000001", text=TEXT)
    assert len(gateway.requests) == 1
    request = gateway.requests[0]
    assert request["path"] == "/send"
    assert request["headers"]["Authorization"] == "Bearer s3cret-token"
    assert request["headers"]["Content-Type"].startswith("application/json")
    body = json.loads(request["body"].decode("utf-8"))
    assert body == {"to": "0912000001", "text": TEXT, "sender": "CAUNOI"}
    assert unicodedata.is_normalized("NFC", body["text"])


def test_http_backend_500_raises_clear_error(http_settings):
    with FakeGateway(status=500) as gateway:
        http_settings.SMS_HTTP_URL = gateway.url
        with pytest.raises(SmsError, match="HTTP 500"):
            send_sms(to="0912000001", text=TEXT)
    assert len(gateway.requests) == 1


def test_http_backend_timeout_raises_clear_error(http_settings):
    with FakeGateway(delay=1.5) as gateway:
        http_settings.SMS_HTTP_URL = gateway.url
        http_settings.SMS_HTTP_TIMEOUT = 0.3
        started = time.monotonic()
        with pytest.raises(SmsError, match="did not answer"):
            send_sms(to="0912000001", text=TEXT)
        assert time.monotonic() - started < 1.4


def test_http_backend_unreachable_raises(http_settings):
    with FakeGateway() as gateway:
        url = gateway.url
    http_settings.SMS_HTTP_URL = url  # the server is closed now
    with pytest.raises(SmsError, match="Cannot reach"):
        send_sms(to="0912000001", text=TEXT)


def test_http_backend_without_url_raises(http_settings):
    http_settings.SMS_HTTP_URL = ""
    with pytest.raises(SmsError):
        send_sms(to="0912000001", text=TEXT)


def test_file_backend_appends_readable_json_lines(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "out" / "sms.jsonl")
    send_sms(to="0912000001", text=TEXT)
    send_sms(to="0912000002", text="Xin chào")
    raw = (tmp_path / "out" / "sms.jsonl").read_text(encoding="utf-8")
    assert "Mã xác nhận Cầu Nối: 123456" in raw  # readable, not \u-escaped
    lines = [json.loads(line) for line in raw.splitlines()]
    assert [(r["to"], r["text"]) for r in lines] == [
        ("0912000001", TEXT),
        ("0912000002", "Xin chào"),
    ]


def test_console_backend_prints_and_logs(settings, capsys, caplog):
    settings.SMS_BACKEND = "console"
    with caplog.at_level("INFO", logger="caunoi.core.sms"):
        send_sms(to="0912000001", text=TEXT)
    out = capsys.readouterr().out
    assert f"[SMS to 0912000001] {TEXT}" in out
    assert "0912000001" in caplog.text


class Recorder:
    sent = []

    def send(self, *, to, text):
        Recorder.sent.append((to, text))


def test_dotted_path_backend(settings):
    settings.SMS_BACKEND = "caunoi.core.tests.test_sms.Recorder"
    Recorder.sent.clear()
    send_sms(to="0912000001", text=TEXT)
    assert Recorder.sent == [("0912000001", TEXT)]


def test_unknown_backend_raises(settings):
    settings.SMS_BACKEND = "nowhere.Nothing"
    with pytest.raises(SmsError, match="Unknown SMS_BACKEND"):
        send_sms(to="0912000001", text=TEXT)


def test_long_text_is_cut(settings):
    settings.SMS_BACKEND = "caunoi.core.tests.test_sms.Recorder"
    Recorder.sent.clear()
    send_sms(to="0912000001", text="ạ" * 10_000)
    assert len(Recorder.sent[0][1]) == sms.MAX_TEXT
