"""Vietnamese phone numbers, stored as 0XXXXXXXXX (10 digits; 11 for some landlines)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_DIGITS = re.compile(r"\d+")


def normalize_phone(value: str) -> str:
    digits = "".join(_DIGITS.findall(value or ""))
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not re.fullmatch(r"0\d{9,10}", digits):
        raise ValidationError(
            _("Enter a Vietnamese phone number of 10 digits, for example 0912 345 678."),
            code="phone",
        )
    return digits


def mask_phone(phone: str) -> str:
    """0912 *** 678: enough for a person to recognise their own number."""
    return f"{phone[:4]} *** {phone[-3:]}" if phone else ""
