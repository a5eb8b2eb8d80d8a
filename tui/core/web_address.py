"""The one parser for the web addresses we are given (profile URLs from files, keys, environment).

``urllib.parse`` raises ValueError for ``https://[x`` and for a port of ``99999`` or ``x`` only when
the part is touched, and happily returns hosts with spaces, controls or non-ASCII letters that
httpx later refuses with a traceback. Here each of those becomes one :class:`ProfileError`
sentence, so one bad value in one source never hides every other profile.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit

from tui.core.errors import ProfileError
from tui.core.foreign_text import displayable
from tui.core.record import Record

# A DNS name (labels of letters, digits and hyphens) or an IPv4 address; IPv6 comes in brackets.
_HOST_NAME = re.compile(
    r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$"
)
# Compiled when first used (re caches it): most addresses are names.
_IPV6 = r"^[0-9A-Fa-f:.]+(?:%[A-Za-z0-9]+)?$"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class WebAddress(Record):
    """A checked ``http(s)://host[:port][/path]``; ``url`` has no trailing slash."""

    _fields = ("scheme", "host", "port", "path", "url")
    __slots__ = _fields
    scheme: str
    host: str  # lower case, without brackets
    port: int | None
    path: str
    url: str

    def __init__(self, scheme: str, host: str, port: int | None, path: str, url: str) -> None:
        self._init(scheme, host, port, path, url)


def _shown(text: str) -> str:
    # A URL may carry credentials (user:token@host): never repeat one that has an '@'.
    return "" if "@" in text else f" “{displayable(text, limit=80)}”"


def parse_web_address(text: str, what: str) -> WebAddress:
    """``text`` (``https://`` added when no scheme is given) checked, or ProfileError.

    ``what`` names the field in the sentence, e.g. ``"AI API URL"``.
    """
    text = text.strip()
    if not text:
        raise ProfileError(f"The {what} is empty. Copy it from the service key.")
    if any(ch.isspace() for ch in text):
        raise ProfileError(f"The {what} contains spaces. Copy it again from the service key.")
    if not text.isascii() or not text.isprintable():
        raise ProfileError(
            f"The {what} contains characters a web address cannot hold (control characters or "
            "letters outside ASCII). Copy it again from the service key."
        )
    if not _SCHEME.match(text):
        text = "https://" + text
    bad = ProfileError(
        f"The {what}{_shown(text)} is not a web address. It should look like https://host."
    )
    try:
        parts: SplitResult = urlsplit(text)
        port = parts.port
        host = parts.hostname or ""
    except ValueError:
        raise bad from None
    if parts.scheme not in ("http", "https") or not host:
        raise bad
    if "@" in parts.netloc:
        raise ProfileError(
            f"The {what} holds a user name or password before the host; remove everything up to "
            "and including the '@'."
        )
    if not (_HOST_NAME.match(host) or ("[" in parts.netloc and re.match(_IPV6, host))):
        raise bad
    if port == 0:
        raise bad
    return WebAddress(parts.scheme, host, port, parts.path, text.rstrip("/"))
