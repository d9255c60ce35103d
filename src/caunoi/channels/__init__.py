"""Messages to people: SMS, Zalo and e-mail, each sent by a backend behind one protocol.

    from caunoi import channels

    channels.send(channels.SMS, channels.Message(to="0912000111", text="…", reference="d42"))

`send(channel, message)` checks the recipient, cuts the text to the channel's longest, and hands the
message to `get_backend(channel)`; it returns a `Receipt` or raises `SendError` (its `retry` says
whether trying again later may work). The backend of a channel comes from its setting:

* `SMS_BACKEND`, `ZALO_BACKEND`: "console" (default: prints), "file" (JSON lines to
  `SMS_FILE_PATH` / `ZALO_FILE_PATH`), "http" (POSTs JSON to `…_HTTP_URL` with `Authorization:
  Bearer …_HTTP_TOKEN`; SMS `{"to", "text", "sender", "reference"}`, Zalo `{"to", "text"}`), or
  the dotted path of a class built with the channel's `Spec` whose `send(message)` returns a
  `Receipt`.
* e-mail always goes through Django's mail API; Django's `EMAIL_BACKEND` chooses console, file or
  SMTP.

The SMS gateway reports delivery of a message sent with a `reference` (`DeliveryReport`): the
outreach app receives those reports at `POST /api/v1/outreach/sms-status`.
"""

from collections.abc import Callable
from dataclasses import replace

from django.conf import settings
from django.utils.module_loading import import_string

from .backends import ConsoleBackend, FileBackend, HttpBackend, MailBackend
from .base import (
    Backend,
    Config,
    DeliveryReport,
    Message,
    Receipt,
    ReportStatus,
    SendError,
    Spec,
)

__all__ = [
    "EMAIL",
    "SMS",
    "SPECS",
    "ZALO",
    "Backend",
    "Config",
    "DeliveryReport",
    "Message",
    "Receipt",
    "ReportStatus",
    "SendError",
    "Spec",
    "get_backend",
    "send",
]

SMS = "sms"
ZALO = "zalo"
EMAIL = "email"


def _sms() -> Config:
    return Config(
        backend=settings.SMS_BACKEND,
        file_path=settings.SMS_FILE_PATH,
        http_url=settings.SMS_HTTP_URL,
        http_token=settings.SMS_HTTP_TOKEN,
        http_timeout=settings.SMS_HTTP_TIMEOUT,
        sender=settings.SMS_SENDER,
    )


def _zalo() -> Config:
    return Config(
        backend=settings.ZALO_BACKEND,
        file_path=settings.ZALO_FILE_PATH,
        http_url=settings.ZALO_HTTP_URL,
        http_token=settings.ZALO_HTTP_TOKEN,
        http_timeout=settings.ZALO_HTTP_TIMEOUT,
    )


def _email() -> Config:
    return Config(backend="mail")  # Django's EMAIL_BACKEND chooses console, file or SMTP


SPECS: dict[str, Spec] = {
    SMS: Spec(
        name=SMS,
        label="SMS",
        prefix="SMS",
        recipient="phone number",
        config=_sms,
        max_text=280,  # about 4 concatenated Unicode SMS
        reports=True,
    ),
    ZALO: Spec(
        name=ZALO,
        label="Zalo",
        prefix="ZALO",
        recipient="phone number",
        config=_zalo,
        max_text=2000,
    ),
    EMAIL: Spec(
        name=EMAIL,
        label="e-mail",
        prefix="EMAIL",
        recipient="e-mail address",
        config=_email,
    ),
}

BACKENDS: dict[str, Callable[[Spec], Backend]] = {
    "console": ConsoleBackend,
    "file": FileBackend,
    "http": HttpBackend,
    "mail": MailBackend,
}


def _spec(channel: str) -> Spec:
    try:
        return SPECS[channel]
    except KeyError:
        raise SendError(f"No such channel {channel!r}.", retry=False) from None


def get_backend(channel: str) -> Backend:
    """The backend its setting names for `channel` ("sms", "zalo", "email")."""
    spec = _spec(channel)
    name = spec.config().backend or "console"
    factory = BACKENDS.get(name)
    if factory is None:
        try:
            factory = import_string(name)
        except ImportError as exc:
            raise SendError(f"Unknown {spec.prefix}_BACKEND {name!r}.", retry=False) from exc
    return factory(spec)


def send(channel: str, message: Message) -> Receipt:
    """Hand `message` to the channel's backend; raises `SendError` when it was not handed over."""
    spec = _spec(channel)
    if not message.to:
        raise SendError(f"No {spec.recipient} to send to.", retry=False)
    if spec.max_text is not None and len(message.text) > spec.max_text:
        message = replace(message, text=message.text[: spec.max_text])
    return get_backend(channel).send(message)
