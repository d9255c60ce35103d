"""One-time codes on paper: a survey's invitation, a meeting's secret ballot slip. A code is
twelve digits handed to one household; the server keeps only its keyed hash, so a stolen database
opens no ballot and no survey, and a code is looked up by its hash (typed with spaces or without:
only the digits count).

The key is `SURVEY_HASH_KEY` (the surveys were its first user), else one derived from
`SECRET_KEY` and never stored; it also keys `surveys.services.household_key`."""

import hashlib
import hmac

from django.conf import settings

CODE_DIGITS = 12


def hash_key() -> bytes:
    key = settings.SURVEY_HASH_KEY
    if not key:
        # Derived from SECRET_KEY, never stored: production should set its own SURVEY_HASH_KEY.
        key = hmac.new(settings.SECRET_KEY.encode(), b"caunoi.surveys", hashlib.sha256).hexdigest()
    return key.encode()


def code_hash(code: str) -> str:
    digits = "".join(ch for ch in str(code) if ch.isdigit())
    return hmac.new(hash_key(), f"code:{digits}".encode(), hashlib.sha256).hexdigest()


def format_code(code: str) -> str:
    """ "123456789012" → "1234 5678 9012", as it is printed and read aloud."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
