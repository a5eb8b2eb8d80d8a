"""What an error answer of AI Core or its token service says: code, message and request id.

The fields are foreign text: parsed by the safe loader and made displayable before any sentence,
screen or ticket sees them.
"""

from __future__ import annotations

from typing import Any

from tui.core.errors import ForeignDataError
from tui.core.foreign_text import displayable
from tui.core.record import Record
from tui.core.safe_load import load_json

# Server messages end up on screen and in tickets; a runaway HTML page must not.
_MAX_MESSAGE = 300


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


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return displayable(value, limit=_MAX_MESSAGE) or None


def parse_error_body(raw: bytes | str) -> ErrorBody:
    """Read an error response leniently.

    Understands the AI Core error object (``requestId`` or ``requestID``, ``details`` as object or
    list), XSUAA's ``{"error": ..., "error_description": ...}``, a bare ``{"code", "message"}``
    and plain text. Never raises.
    """
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        data = load_json(text, "The error answer")
    except ForeignDataError:
        return ErrorBody(message=_text(text))
    if not isinstance(data, dict):
        return ErrorBody(message=_text(text))
    inner = data.get("error")
    if isinstance(inner, dict):
        data = inner
    elif isinstance(inner, str):
        # XSUAA: "error" is a code word, the sentence is in "error_description".
        return ErrorBody(
            code=_text(inner),
            message=_text(data.get("error_description")) or _text(inner),
        )
    request_id = data.get("requestId", data.get("requestID", data.get("request_id")))
    return ErrorBody(
        code=_text(data.get("code")),
        message=_text(data.get("message")),
        request_id=_text(request_id),
    )
