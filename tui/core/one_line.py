"""The one rule for a value that must be one line: a paste in the app, a password from a script.

Registries and AI Core take a password, a username or a host as one line. Text of several lines
(a wrong clipboard, a file with two tokens, ``printf 'a\\nb\\n'``) cut or joined silently fails
hours later as an image pull, so it is refused with a sentence. Two kinds of multi-line text lose
nothing on one line and are kept: a JSON key file where a password goes (registries read it as
JSON, and JSON's own line breaks are escaped inside its strings) and a PEM block where a field
takes PEM (kept with literal ``\\n``, the way service keys carry it). Blank lines around a single
line, such as the newline most copies and files end with, are dropped.

The app's fields (``tui/widgets/bounded_input.py``) and every command's credential source
(``tui/core/credential_sources.py``) call :func:`one_line`, so both say the same sentences.
The safe JSON loader is imported only for text of several lines.
"""

from __future__ import annotations

from tui.core.errors import InputError

# Far above any registry name, host, username or email; passwords get more (cloud tokens and
# base64 service-account keys run to a few kilobytes).
FIELD_LIMIT = 2048
SECRET_LIMIT = 16384

PASTE_HINT = "Check what is on the clipboard and paste one line."
PASSWORD_HINT = (
    "For a key file (Google's _json_key), give it whole as JSON, or use its base64 form "
    "(base64 -w0 key.json) with the username _json_key_base64."
)
JSON_KEY_NOTE = "A JSON key of several lines was kept whole, on one line (the same JSON)."


class MultipleLines(InputError):
    """The text has several lines and is neither a JSON key nor a PEM block where one fits."""


class TooLong(InputError):
    """The text is longer than any real value of the field."""


class OneLine:
    """The value to use, and a note for the user when it is not the text exactly as given."""

    __slots__ = ("note", "value")

    def __init__(self, value: str, note: str = "") -> None:
        self.value = value
        self.note = note

    def __repr__(self) -> str:
        # The value may be a password: never in a repr, a log or a crash screen.
        return f"OneLine(<{len(self.value)} characters>, note={self.note!r})"


def one_line(
    text: str,
    *,
    source: str = "The pasted text",
    rule: str = "this field takes one line",
    hint: str = PASTE_HINT,
    limit: int = FIELD_LIMIT,
    json_key: bool = False,
    pem: bool = False,
) -> OneLine:
    """The one-line value of ``text``, or MultipleLines / TooLong saying why it cannot be used.

    ``source`` names where the text came from ("The pasted text", "$REGISTRY_TOKEN"), ``rule``
    says what the field takes; neither sentence ever contains the text itself.
    """
    if len(text) > limit:
        raise TooLong(
            f"{source} is {len(text):,} characters long; at most {limit:,} fit, so it was not "
            "used. Check that it is the right text."
        )
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) <= 1:
        # Only the line breaks go: spaces inside the line are kept (the checks warn about them).
        return OneLine(lines[0] if lines else "")
    if pem and "-----BEGIN " in text:
        return OneLine("\\n".join(line.strip() for line in text.strip().splitlines()))
    if json_key:
        joined = _json_key(text)
        if joined is not None:
            return OneLine(joined, JSON_KEY_NOTE)
    raise MultipleLines(f"{source} has {len(lines)} lines, but {rule}, so it was not used. {hint}")


def password_value(text: str, source: str) -> OneLine:
    """The rule for a registry password or token, wherever it comes from."""
    return one_line(
        text,
        source=source,
        rule="a password or token is one line",
        hint=PASSWORD_HINT,
        limit=SECRET_LIMIT,
        json_key=True,
    )


def _json_key(text: str) -> str | None:
    # Only for text of several lines: a one-line password never pays for the safe loader.
    import json

    from tui.core.errors import ForeignDataError
    from tui.core.safe_load import load_json

    try:
        value = load_json(text, "The pasted key")
    except ForeignDataError:
        return None
    if not isinstance(value, dict):
        return None
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
