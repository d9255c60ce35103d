"""The types every channel shares: a `Message` goes in, a `Receipt` comes out, a `SendError` says
why not. A `Backend` is anything with `send(message) -> Receipt`; a `Spec` describes a channel
(its longest text, what its gateway is sent, its settings as a `Config`)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from django.utils import timezone


@dataclass(frozen=True)
class Message:
    """One message to one recipient. `reference` (e.g. "d42", a delivery's id) goes to gateways
    that report delivery back; `subject` is for e-mail (derived from the text when empty)."""

    to: str
    text: str
    reference: str = ""
    subject: str = ""


@dataclass(frozen=True)
class Receipt:
    """The message was handed over: to the gateway, the file, the console or the mail server."""

    channel: str
    to: str
    reference: str = ""
    at: datetime.datetime = field(default_factory=timezone.now)


class SendError(Exception):
    """The message was not handed over.

    `retry` is True when trying again later may work (the gateway is down or refusing for now, the
    file cannot be written). It is False when it never will (no address, a backend not configured,
    a gateway that refuses the message for good), and when the gateway did not answer in time: it
    may have sent the message, so sending it again could deliver it twice."""

    def __init__(self, message: str, *, retry: bool):
        super().__init__(message)
        self.retry = retry


class Backend(Protocol):
    def send(self, message: Message) -> Receipt: ...


@dataclass(frozen=True)
class Config:
    """A channel's settings as they are now (read at each send: tests and staging change them)."""

    backend: str  # "console", "file", "http", "mail" or a dotted path
    file_path: str = ""
    http_url: str = ""
    http_token: str = ""
    http_timeout: float | None = None
    sender: str = ""  # goes with each message as "sender" when set


@dataclass(frozen=True)
class Spec:
    """A channel: `name` ("sms"), `label` for logs and errors, `prefix` of its settings' names
    (`<prefix>_BACKEND`, `<prefix>_HTTP_URL`, … in messages) and `config`, which reads them."""

    name: str
    label: str
    prefix: str
    recipient: str  # what `Message.to` is, for "No … to send to."
    config: Callable[[], Config]
    max_text: int | None = None
    reports: bool = False  # the gateway is given `reference` and reports delivery back

    def payload(self, message: Message) -> dict[str, str]:
        """What the file and HTTP backends write: `{"to", "text"}`, plus "sender" and "reference"
        where the channel has them."""
        body = {"to": message.to, "text": message.text}
        sender = self.config().sender
        if sender:
            body["sender"] = sender
        if self.reports and message.reference:
            body["reference"] = message.reference
        return body


# The statuses of a gateway's delivery report (`{"reference", "status", "reason"}`).
ReportStatus = Literal["delivered", "failed"]


@dataclass(frozen=True)
class DeliveryReport:
    """What a gateway says became of the message it was given with `reference`."""

    reference: str
    delivered: bool
    reason: str = ""
