"""A string wrapper that never shows its value by accident.

Textual's crash screen prints locals, logging prints arguments, f-strings call ``str``: all of
them see ``********``. The only way to the real value is the explicit :meth:`Secret.reveal`.
"""

from __future__ import annotations

# Not `from typing import TYPE_CHECKING`: importing typing costs `regsecret body` 3 ms.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

MASK = "********"


class Secret:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError("Secret holds text only")
        self._value = value

    def reveal(self) -> str:
        """The real value. Call it only where the value must leave the process."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK

    def __format__(self, spec: str) -> str:
        return format(MASK, spec)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __len__(self) -> int:
        return len(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        import hmac  # here, not at the top: `regsecret body` should not pay for OpenSSL

        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __reduce__(self) -> NoReturn:
        # Pickling would write the value somewhere we do not control.
        raise TypeError("Secret cannot be pickled")


def reveal(value: str | Secret | None) -> str:
    """The text of a value that may or may not be wrapped; ``None`` becomes ``""``."""
    if value is None:
        return ""
    return value.reveal() if isinstance(value, Secret) else value


WITHHELD = "the server's message was withheld because it contained the password"


def _spellings(secret: str) -> set[str]:
    import json  # here: `regsecret body` never needs it for this

    # As typed; JSON-escaped once (the body), also as Go escapes it (.dockerconfigjson), with or
    # without \u escapes for non-ASCII; each escaped again (inside .dockerconfigjson); and with
    # the white space collapsed, as error parsers tidy a message.
    go = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
    once = {json.dumps(secret, ensure_ascii=plain)[1:-1] for plain in (False, True)}
    once |= {form.translate(go) for form in once}
    twice = {json.dumps(form, ensure_ascii=plain)[1:-1] for form in once for plain in (False, True)}
    forms = {secret} | once | twice
    return {form for spelling in forms for form in (spelling, " ".join(spelling.split())) if form}


def withhold_secrets(text: str | None, *secrets: str | Secret | None) -> str | None:
    """Foreign text (a server's or registry's message) as it came, or :data:`WITHHELD` when it
    holds any of ``secrets``.

    Dropped, never masked in place: with the password ``required``, "authentication required"
    became "authentication ********", which tells anyone looking what the password is.
    """
    if not text:
        return text
    for secret in secrets:
        value = reveal(secret)
        if value and any(form in text for form in _spellings(value)):
            return WITHHELD
    return text
