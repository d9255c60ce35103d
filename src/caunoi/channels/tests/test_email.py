"""E-mail goes through Django's mail API: EMAIL_BACKEND decides where (tests: the locmem outbox);
an SMTP failure is a SendError, retried when the server refuses for now."""

import smtplib

import pytest
from django.core import mail

from caunoi import channels
from caunoi.channels import Message, SendError


def test_an_email_goes_through_django_s_mail(settings):
    settings.DEFAULT_FROM_EMAIL = "caunoi@example.vn"
    receipt = channels.send(
        channels.EMAIL, Message(to="tu.tran@example.vn", text="Họp khu dân cư\n\nTối thứ Bảy.")
    )
    [sent] = mail.outbox
    assert sent.to == ["tu.tran@example.vn"] and sent.from_email == "caunoi@example.vn"
    assert sent.subject == "Cầu Nối: Họp khu dân cư"
    assert sent.body == "Họp khu dân cư\n\nTối thứ Bảy."
    assert (receipt.channel, receipt.to) == ("email", "tu.tran@example.vn")


def test_a_subject_given_is_kept():
    channels.send(channels.EMAIL, Message(to="a@example.vn", text="…", subject="Thông báo"))
    assert mail.outbox[0].subject == "Thông báo"


def test_the_email_backend_is_django_s_whatever_sms_says(settings):
    settings.SMS_BACKEND = "http"
    assert isinstance(channels.get_backend(channels.EMAIL), channels.backends.MailBackend)


class Failing:
    """A Django mail backend (EMAIL_BACKEND) whose server answers `Failing.error`."""

    error: Exception = OSError()

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise Failing.error


@pytest.mark.parametrize(
    ("error", "retry"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.vn": (550, b"no such user")}), False),
        (smtplib.SMTPDataError(554, b"rejected"), False),
        (smtplib.SMTPDataError(451, b"try later"), True),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (ConnectionRefusedError(), True),
        (TimeoutError(), False),  # the server may have taken it
    ],
)
def test_smtp_failures(settings, error, retry):
    settings.EMAIL_BACKEND = f"{__name__}.Failing"
    Failing.error = error
    with pytest.raises(SendError, match="a@example.vn") as info:
        channels.send(channels.EMAIL, Message(to="a@example.vn", text="x"))
    assert info.value.retry is retry
