"""Money in whole đồng: amounts are integers (VND has no minor unit in use), typed the Vietnamese
way ("1.250.000", "1250000", "1 250 000 đ") and shown as `1.250.000 ₫`.

`parse_vnd` refuses what is not a whole, positive, sane amount with a message a person understands.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils import numberformat
from django.utils.translation import gettext as _

# A community fund in one residential area never moves a billion đồng in one entry; anything above
# this is a typing error (an extra zero or two), not a contribution.
MAX_AMOUNT = 1_000_000_000

_SEPARATORS = re.compile(r"[.\s\u00a0\u202f]")
_CURRENCY = re.compile(r"(₫|đồng|đ|vnd|vnđ|d)$", re.IGNORECASE)


def parse_vnd(value, *, max_amount: int = MAX_AMOUNT) -> int:
    """The whole-đồng integer typed in `value`, or ValidationError (empty, zero, negative,
    fractional, not a number, absurdly large)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(_("Enter the amount in đồng."), code="required")
    if isinstance(value, bool):
        raise ValidationError(_("Enter the amount as a number of đồng."), code="invalid")
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float):
        if value != int(value):
            raise ValidationError(
                _("Enter a whole number of đồng (no decimals)."), code="fractional"
            )
        amount = int(value)
    else:
        text = _CURRENCY.sub("", str(value).strip()).strip()
        if "," in text:
            raise ValidationError(
                _("Enter a whole number of đồng (no decimals)."), code="fractional"
            )
        negative = text.startswith("-")
        text = _SEPARATORS.sub("", text.lstrip("-+"))
        if not text.isascii() or not text.isdigit():
            raise ValidationError(_("Enter the amount as a number of đồng."), code="invalid")
        if len(text) > 15:
            raise ValidationError(
                _("The amount is too large: at most %(max)s.") % {"max": format_vnd(max_amount)},
                code="too_large",
            )
        amount = -int(text) if negative else int(text)
    if amount <= 0:
        raise ValidationError(_("Enter an amount greater than 0."), code="not_positive")
    if amount > max_amount:
        raise ValidationError(
            _("The amount is too large: at most %(max)s.") % {"max": format_vnd(max_amount)},
            code="too_large",
        )
    return amount


def group(amount: int) -> str:
    """1250000 → "1.250.000" (negative numbers keep their sign)."""
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(int(amount)):,}".replace(",", ".")


def format_vnd(amount: int) -> str:
    """1250000 → "1.250.000 ₫"."""
    return f"{group(amount)}\u00a0₫"


def format_number(value, decimals: int | None = None) -> str:
    """Grouped with dots, decimal comma, rounded half up to `decimals` (Django's own formatter
    would cut the digits off: 61,896 → 61,8; Python's `round` and `f"{x:.1f}"` round half to even:
    6,25 → 6,2). The `num` and `pct` template filters and the official documents all use it."""
    if value is None or value == "":
        return ""
    if decimals is not None:
        value = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return numberformat.format(
        value, ",", decimal_pos=decimals, grouping=3, thousand_sep=".", force_grouping=True
    )


def format_percent(share, decimals: int = 1) -> str:
    """A share as a percentage without its sign, rounded half up: 0.0625 → "6,3" (the `pct`
    filter writes "6,3%", an official document "6,3 %")."""
    return format_number(float(share) * 100, decimals)
