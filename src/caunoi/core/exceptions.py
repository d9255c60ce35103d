from typing import Any

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """A refusal a user can understand: shown as a message, returned as {message, code} in APIs."""

    default_message: Any = _("This action cannot be done.")  # a str or a lazy one
    code = "error"
    status = 400

    def __init__(
        self, message=None, *, code: str | None = None, status: int | None = None, extra=None
    ):
        self.message = message or self.default_message
        if code:
            self.code = code
        if status:
            self.status = status
        self.extra = extra or {}
        super().__init__(str(self.message))
