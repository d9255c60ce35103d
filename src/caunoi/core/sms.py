"""Text messages: one function, `send_sms`, and a backend chosen by `settings.SMS_BACKEND`.

* "console" (default): prints the message on stdout (and logs it), for development and demos.
* "file": appends one JSON line per message to `SMS_FILE_PATH` (tests, staging).
* "http": POSTs `{"to", "text", "sender"}` as JSON with `Authorization: Bearer <SMS_HTTP_TOKEN>`
  to `SMS_HTTP_URL`; a non-2xx answer or a network error raises `SmsError`.
* any dotted path to a class with a `send(*, to, text)` method.
"""

import json
import logging
import sys
import threading
from pathlib import Path

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# The longest text we hand to a gateway (about 4 concatenated Unicode SMS).
MAX_TEXT = 280


class SmsError(Exception):
    """The message could not be handed to the gateway."""


class ConsoleBackend:
    def send(self, *, to: str, text: str) -> None:
        line = f"[SMS to {to}] {text}"
        print(line, file=sys.stdout, flush=True)
        logger.info("SMS to %s: %s", to, text)


class FileBackend:
    _lock = threading.Lock()

    def __init__(self, path: str | None = None):
        self.path = Path(path or settings.SMS_FILE_PATH)

    def send(self, *, to: str, text: str) -> None:
        record = {
            "at": timezone.now().isoformat(),
            "to": to,
            "text": text,
            "sender": settings.SMS_SENDER,
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock, self.path.open("a", encoding="utf-8") as f:
                f.write(line)
        except OSError as exc:
            raise SmsError(f"Cannot write the SMS file {self.path}: {exc}") from exc


class HttpBackend:
    def __init__(self, url: str | None = None, token: str | None = None, timeout=None):
        self.url = url if url is not None else settings.SMS_HTTP_URL
        self.token = token if token is not None else settings.SMS_HTTP_TOKEN
        self.timeout = timeout if timeout is not None else settings.SMS_HTTP_TIMEOUT

    def send(self, *, to: str, text: str, reference: str = "") -> None:
        if not self.url:
            raise SmsError("SMS_HTTP_URL is not set.")
        message = {"to": to, "text": text, "sender": settings.SMS_SENDER}
        if reference:  # the gateway echoes it in its delivery report (POST …/sms-status)
            message["reference"] = reference
        post_json(
            self.url,
            message,
            token=self.token,
            timeout=self.timeout,
            error=SmsError,
            gateway="the SMS gateway",
        )


def post_json(url: str, payload: dict, *, token: str, timeout, error: type, gateway: str) -> None:
    """POST `payload` as UTF-8 JSON to a message gateway (SMS, Zalo); any failure raises `error`
    with a plain message. A timeout stays the cause (`__cause__`): the message may have gone."""
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    name = gateway[:1].upper() + gateway[1:]
    try:
        response = requests.post(url, data=body, headers=headers, timeout=timeout)
    except requests.Timeout as exc:
        raise error(f"{name} did not answer within {timeout} s.") from exc
    except requests.RequestException as exc:
        raise error(f"Cannot reach {gateway}: {exc.__class__.__name__}") from exc
    if not 200 <= response.status_code < 300:
        raise error(
            f"{name} refused the message: HTTP {response.status_code} {response.text[:200]}"
        )


BACKENDS = {"console": ConsoleBackend, "file": FileBackend, "http": HttpBackend}


def get_backend():
    name = settings.SMS_BACKEND or "console"
    cls = BACKENDS.get(name)
    if cls is None:
        try:
            cls = import_string(name)
        except ImportError as exc:
            raise SmsError(f"Unknown SMS_BACKEND {name!r}.") from exc
    return cls()


def send_sms(*, to: str, text: str, reference: str = "") -> None:
    """Send `text` to the phone number `to`; raises `SmsError` when it cannot be handed over.
    `reference` (e.g. a delivery's id) goes to gateways that report delivery back."""
    if not to:
        raise SmsError("No phone number to send to.")
    text = text[:MAX_TEXT]
    backend = get_backend()
    if reference and isinstance(backend, HttpBackend):
        backend.send(to=to, text=text, reference=reference)
    else:
        backend.send(to=to, text=text)
