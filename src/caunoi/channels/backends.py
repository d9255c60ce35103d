"""The backends: "console" prints, "file" appends JSON lines, "http" POSTs JSON to a gateway, and
"mail" hands e-mail to Django's mail API (whose own EMAIL_BACKEND prints, writes files or speaks
SMTP). Each is built with its channel's `Spec` and sends one `Message`."""

import json
import logging
import smtplib
import sys
import threading
from pathlib import Path

import requests
from django.conf import settings
from django.core.mail import send_mail

from .base import Message, Receipt, SendError, Spec

logger = logging.getLogger(__name__)


class ConsoleBackend:
    """Prints each message on stdout and logs it: development and demos."""

    def __init__(self, spec: Spec):
        self.spec = spec

    def send(self, message: Message) -> Receipt:
        print(f"[{self.spec.label} to {message.to}] {message.text}", file=sys.stdout, flush=True)
        logger.info("%s to %s: %s", self.spec.label, message.to, message.text)
        return Receipt(self.spec.name, message.to, message.reference)


class FileBackend:
    """Appends one JSON line per message (`"at"` and the channel's payload) to `<prefix>_FILE_PATH`:
    tests and staging."""

    _lock = threading.Lock()

    def __init__(self, spec: Spec, path: str | None = None):
        self.spec = spec
        self.path = Path(path or spec.config().file_path)

    def send(self, message: Message) -> Receipt:
        receipt = Receipt(self.spec.name, message.to, message.reference)
        record = {"at": receipt.at.isoformat(), **self.spec.payload(message)}
        line = json.dumps(record, ensure_ascii=False) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock, self.path.open("a", encoding="utf-8") as f:
                f.write(line)
        except OSError as exc:
            raise SendError(
                f"Cannot write the {self.spec.label} file {self.path}: {exc}", retry=True
            ) from exc
        return receipt


class HttpBackend:
    """POSTs the channel's payload as UTF-8 JSON to `<prefix>_HTTP_URL`, with `Authorization: Bearer
    <prefix>_HTTP_TOKEN`, waiting at most `<prefix>_HTTP_TIMEOUT` seconds."""

    def __init__(
        self,
        spec: Spec,
        url: str | None = None,
        token: str | None = None,
        timeout: float | None = None,
    ):
        config = spec.config()
        self.spec = spec
        self.url = url if url is not None else config.http_url
        self.token = token if token is not None else config.http_token
        self.timeout = timeout if timeout is not None else config.http_timeout

    def send(self, message: Message) -> Receipt:
        if not self.url:
            raise SendError(f"{self.spec.prefix}_HTTP_URL is not set.", retry=False)
        post_json(
            self.url,
            self.spec.payload(message),
            token=self.token,
            timeout=self.timeout,
            gateway=f"the {self.spec.label} gateway",
        )
        return Receipt(self.spec.name, message.to, message.reference)


# Refusals worth another try later; any other 4xx (a bad number, a bad token) never will work.
_TRY_AGAIN = {408, 425, 429}


def post_json(url: str, payload: dict, *, token: str, timeout: float | None, gateway: str) -> None:
    """POST `payload` as UTF-8 JSON; any failure raises `SendError` with a plain message. A gateway
    that took the request but did not answer in time may have sent the message: not to be retried
    (the `requests.Timeout` stays the cause)."""
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    name = gateway[:1].upper() + gateway[1:]
    try:
        response = requests.post(url, data=body, headers=headers, timeout=timeout)
    except requests.ConnectTimeout as exc:  # never connected: nothing was sent
        raise SendError(
            f"Cannot reach {gateway}: no connection within {timeout} s.", retry=True
        ) from exc
    except requests.Timeout as exc:
        raise SendError(f"{name} did not answer within {timeout} s.", retry=False) from exc
    except requests.RequestException as exc:
        raise SendError(f"Cannot reach {gateway}: {exc.__class__.__name__}", retry=True) from exc
    status = response.status_code
    if not 200 <= status < 300:
        raise SendError(
            f"{name} refused the message: HTTP {status} {response.text[:200]}",
            retry=status >= 500 or status in _TRY_AGAIN,
        )


class MailBackend:
    """E-mail through Django's mail API: `EMAIL_BACKEND` decides where it goes (console by default,
    `filebased` with EMAIL_FILE_PATH, SMTP in production), from DEFAULT_FROM_EMAIL."""

    def __init__(self, spec: Spec):
        self.spec = spec

    def send(self, message: Message) -> Receipt:
        text = message.text.strip()
        subject = message.subject or f"Cầu Nối: {text.splitlines()[0] if text else 'Cầu Nối'}"
        try:
            send_mail(subject[:120], message.text, settings.DEFAULT_FROM_EMAIL, [message.to])
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendError(f"e-mail to {message.to} refused: {exc}", retry=False) from exc
        except smtplib.SMTPResponseException as exc:  # 4xx: try later; 5xx: never
            raise SendError(
                f"e-mail to {message.to} failed: {exc}", retry=exc.smtp_code < 500
            ) from exc
        except TimeoutError as exc:  # the server may have taken it
            raise SendError(f"e-mail to {message.to}: no answer in time", retry=False) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"e-mail to {message.to} failed: {exc}", retry=True) from exc
        return Receipt(self.spec.name, message.to, message.reference)
