"""Zalo messages, pluggable like `caunoi.core.sms`, chosen by `settings.ZALO_BACKEND`.

* "console" (default): prints the message (development, demos).
* "file": appends one JSON line per message to `ZALO_FILE_PATH` (tests, staging).
* "http": POSTs `{"to", "text"}` as JSON with `Authorization: Bearer <ZALO_HTTP_TOKEN>` to
  `ZALO_HTTP_URL` (the relay to Zalo's notification service that the province runs); a non-2xx
  answer or a network error raises `ZaloError` (a timeout's cause is `requests.Timeout`).
* any dotted path to a class with a `send(*, to, text)` method.
"""

import json
import logging
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from caunoi.core.sms import post_json

logger = logging.getLogger(__name__)

MAX_TEXT = 2000


class ZaloError(Exception):
    """The message could not be handed to Zalo."""


class ConsoleBackend:
    def send(self, *, to: str, text: str) -> None:
        print(f"[Zalo to {to}] {text}", file=sys.stdout, flush=True)
        logger.info("Zalo to %s: %s", to, text)


class FileBackend:
    _lock = threading.Lock()

    def __init__(self, path: str | None = None):
        self.path = Path(path or settings.ZALO_FILE_PATH)

    def send(self, *, to: str, text: str) -> None:
        line = (
            json.dumps(
                {"at": timezone.now().isoformat(), "to": to, "text": text}, ensure_ascii=False
            )
            + "\n"
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock, self.path.open("a", encoding="utf-8") as f:
                f.write(line)
        except OSError as exc:
            raise ZaloError(f"Cannot write the Zalo file {self.path}: {exc}") from exc


class HttpBackend:
    def __init__(self, url: str | None = None, token: str | None = None, timeout=None):
        self.url = url if url is not None else settings.ZALO_HTTP_URL
        self.token = token if token is not None else settings.ZALO_HTTP_TOKEN
        self.timeout = timeout if timeout is not None else settings.ZALO_HTTP_TIMEOUT

    def send(self, *, to: str, text: str) -> None:
        if not self.url:
            raise ZaloError("ZALO_HTTP_URL is not set.")
        post_json(
            self.url,
            {"to": to, "text": text},
            token=self.token,
            timeout=self.timeout,
            error=ZaloError,
            gateway="Zalo",
        )


BACKENDS = {"console": ConsoleBackend, "file": FileBackend, "http": HttpBackend}


def get_backend():
    name = settings.ZALO_BACKEND or "console"
    cls = BACKENDS.get(name)
    if cls is None:
        try:
            cls = import_string(name)
        except ImportError as exc:
            raise ZaloError(f"Unknown ZALO_BACKEND {name!r}.") from exc
    return cls()


def send_zalo(*, to: str, text: str) -> None:
    if not to:
        raise ZaloError("No phone number to send to.")
    get_backend().send(to=to, text=text[:MAX_TEXT])
