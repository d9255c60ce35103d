"""E-mail as a notice channel, through Django's EMAIL_BACKEND (console by default, SMTP in
production). The same call shape as SMS and Zalo: send_email(to=, text=)."""

import smtplib

from django.conf import settings
from django.core.mail import send_mail


class EmailError(Exception):
    pass


def send_email(*, to: str, text: str) -> None:
    first_line = text.strip().splitlines()[0] if text.strip() else "Cầu Nối"
    subject = f"Cầu Nối: {first_line}"[:120]
    try:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        raise EmailError(f"e-mail to {to} failed: {exc}") from exc
