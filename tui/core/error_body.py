"""What an error answer of AI Core or its token service says: code, message and request id.

The fields are foreign text: parsed by the safe loader, dropped whole when they repeat a secret of
the request, and made displayable before any sentence, screen or ticket sees them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tui.core.errors import ForeignDataError
from tui.core.foreign_text import bound, displayable
from tui.core.record import Record
from tui.core.safe_load import load_json
from tui.core.secret import WITHHELD, Secret, withhold_secrets

# Server messages end up on screen and in tickets; a runaway HTML page must not.
MAX_MESSAGE = 300

Secrets = Sequence[str | Secret | None]


class ErrorBody(Record):
    """What could be read from an error response; every field may be missing."""

    _fields = ("code", "message", "request_id")
    __slots__ = _fields
    code: str | None
    message: str | None
    request_id: str | None

    def __init__(
        self, code: str | None = None, message: str | None = None, request_id: str | None = None
    ) -> None:
        self._init(code, message, request_id)


def _text(value: Any, secrets: Secrets) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    raw = value if isinstance(value, str) else str(value)
    # The whole text is searched, as it came and as it would be shown, before it is cut: a
    # password that ran across the cut would leave its first part on screen.
    whole = displayable(raw, limit=len(raw))
    if WITHHELD in (withhold_secrets(raw, *secrets), withhold_secrets(whole, *secrets)):
        return WITHHELD
    return bound(whole, MAX_MESSAGE) or None


def parse_error_body(raw: bytes | str, secrets: Secrets = ()) -> ErrorBody:
    """Read an error response leniently; a field that repeats one of ``secrets`` is withheld.

    Understands the AI Core error object (``requestId`` or ``requestID``, ``details`` as object or
    list), XSUAA's ``{"error": ..., "error_description": ...}``, a bare ``{"code", "message"}``
    and plain text. Never raises.
    """
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        data = load_json(text, "The error answer")
    except ForeignDataError:
        return ErrorBody(message=_text(text, secrets))
    if not isinstance(data, dict):
        return ErrorBody(message=_text(text, secrets))
    inner = data.get("error")
    if isinstance(inner, dict):
        data = inner
    elif isinstance(inner, str):
        # XSUAA: "error" is a code word, the sentence is in "error_description".
        return ErrorBody(
            code=_text(inner, secrets),
            message=_text(data.get("error_description"), secrets) or _text(inner, secrets),
        )
    request_id = data.get("requestId", data.get("requestID", data.get("request_id")))
    return ErrorBody(
        code=_text(data.get("code"), secrets),
        message=_text(data.get("message"), secrets),
        request_id=_text(request_id, secrets),
    )
