"""Typed errors that a screen or the command line can turn into a sentence.

Every error carries ``explanation``: one or two sentences a person understands, saying what
happened and what to do next. No error text ever contains a secret: build messages from names,
hosts, statuses and the server's own message, never from credentials or request bodies.
"""

from __future__ import annotations

from tui.core.foreign_text import displayable
from tui.core.secret import WITHHELD

# Our own sentences are a few lines; a sentence quoting foreign text is cut well before a screen.
_MAX_SENTENCE = 4000


class RegsecretError(Exception):
    """Base of every error we raise on purpose.

    Sentences quote foreign text (a server's message, a name from a file, a path): the
    explanation passes the display boundary here, once, so no sentence can carry a control
    character or an escape sequence to a terminal, a toast or a log.
    """

    def __init__(self, explanation: str) -> None:
        explanation = displayable(explanation, limit=_MAX_SENTENCE, multiline=True)
        super().__init__(explanation)
        self.explanation = explanation

    def __str__(self) -> str:
        return self.explanation


class InputError(RegsecretError):
    """The user's input cannot be used as it is."""


class ApiError(RegsecretError):
    """AI Core (or its token service) answered with an error."""

    def __init__(
        self,
        explanation: str,
        *,
        status: int | None = None,
        code: str | None = None,
        message: str | None = None,
        request_id: str | None = None,
        beside_details: str | None = None,
    ) -> None:
        super().__init__(explanation)
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        # The sentence where the details (status, code, message, request id) are shown beside
        # it, as the app's error dialog does: it points at them instead of repeating them. The
        # command line shows only ``explanation``, which therefore quotes the request id.
        self.beside_details = (
            displayable(beside_details, limit=_MAX_SENTENCE, multiline=True)
            if beside_details is not None
            else self.explanation
        )

    def details(self) -> str:
        """Status, code, server message and request id on one line, for a support ticket."""
        parts = []
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code:
            parts.append(f"code {self.code}")
        if self.message:
            # The note that the message was dropped is ours, not a quotation.
            parts.append(self.message if self.message == WITHHELD else f"“{self.message}”")
        if self.request_id:
            parts.append(f"request id {self.request_id}")
        return ", ".join(parts)


class AuthenticationError(ApiError):
    """The token service refused the client id and secret, or the token was refused twice."""


class PermissionDenied(ApiError):
    """403: the credentials are valid but not allowed to do this."""


class AlreadyExists(ApiError):
    """A secret of that name exists: offer to update it instead."""


class NotFound(ApiError):
    """No secret of that name (or the URL is wrong)."""


class QuotaExceeded(ApiError):
    """The tenant holds the maximum number of docker registry secrets."""


class RateLimited(ApiError):
    """429 after all retries."""


class ServerError(ApiError):
    """5xx after all retries, or an answer we cannot read."""


class BadRequest(ApiError):
    """400 that is not one of the cases above."""


class NetworkError(RegsecretError):
    """The server was not reached or did not answer: DNS, refused, timeout, TLS, dropped.

    ``reason`` is one of ``"dns"``, ``"refused"``, ``"timeout"``, ``"tls"``, ``"dropped"`` or
    ``"other"``, so a screen can pick an icon or a hint without parsing the sentence.
    """

    def __init__(self, explanation: str, *, reason: str = "other") -> None:
        super().__init__(explanation)
        self.reason = reason


class InsecureUrlError(RegsecretError):
    """An ``http://`` URL for a host that is not on this machine."""


class ProfileError(RegsecretError):
    """A profile, profile file or service key is unusable."""


class ForeignDataError(RegsecretError):
    """A file, an answer or a value from outside cannot be read safely.

    Too large, nested too deeply, not UTF-8, not valid JSON or TOML, not a regular file.
    ``line`` and ``column`` say where, when known; the sentence never quotes the data (it may
    hold a secret).
    """

    def __init__(
        self, explanation: str, *, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(explanation)
        self.line = line
        self.column = column


class KeyringError(RegsecretError):
    """The OS keyring cannot store or read a secret."""


class ClipboardError(RegsecretError):
    """Nothing could be copied."""


def explain(error: BaseException, *, details_shown: bool = False) -> str:
    """One readable sentence for any failure: ours carry one; anything else gets a generic one.

    ``details_shown``: the sentence stands beside the error's details (see ``ApiError``), so
    it says "the request id below" rather than the id a second time.
    """
    if details_shown and isinstance(error, ApiError):
        return error.beside_details
    if isinstance(error, RegsecretError):
        return error.explanation
    # Unexpected: name the type only, since str() of a foreign exception might quote input.
    return (
        f"Something unexpected went wrong ({type(error).__name__}). Nothing was changed by the "
        "app after this point; try again, and if it repeats, report it with the steps you took."
    )
