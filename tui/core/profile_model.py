"""The profile model shared by our store, the discovered sources and the command line.

Kept apart from the sources and the store so each of them can import it without a cycle; callers
import everything from :mod:`tui.core.profile_actions`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from tui.core.errors import ProfileError
from tui.core.foreign_text import displayable, first_unsafe
from tui.core.record import Record
from tui.core.secret import Secret
from tui.core.web_address import parse_web_address

AuthKind = Literal["secret", "x509"]
TOKEN_SUFFIX = "/oauth/token"
MAX_NAME_LENGTH = 64


class Source(StrEnum):
    """Where a profile came from; the value is the label shown next to it."""

    OURS = "regsecret"
    SDK = "AI Core SDK"
    ENV = "environment"
    VCAP = "VCAP_SERVICES"
    DEMO = "demo"


class Profile(Record):
    """A connection profile: where a tenant is, and how to log in to it.

    A Record, not a dataclass: it is made as the first frame is (tui/core/record.py says why).
    """

    _fields = (
        "name",
        "api_url",
        "token_url",
        "client_id",
        "auth",
        "resource_group",
        "source",
        "origin",
        "certificate",
        "inline_secret",
        "check_registry_login",
        "ledger_dir",
    )
    # A profile is the same profile whichever secret it carries and wherever its ledger is.
    _compared = tuple(f for f in _fields if f not in ("inline_secret", "ledger_dir"))
    __slots__ = _fields
    name: str
    api_url: str
    token_url: str
    client_id: str
    auth: AuthKind
    resource_group: str | None
    source: Source
    origin: str
    certificate: str | None
    # Only discovered profiles carry their secret: ours keep it in the keyring.
    inline_secret: Secret | None
    check_registry_login: bool
    # Where the ledger of this profile's tenant is kept; None: beside profiles.toml. Only the
    # demo's tenants set it (a throw-away directory of the run): they are never saved, and what
    # the demo does must never reach the user's own ledger.
    ledger_dir: Path | None

    def __init__(
        self,
        name: str,
        api_url: str,
        token_url: str,
        client_id: str,
        auth: AuthKind = "secret",
        resource_group: str | None = None,
        source: Source = Source.OURS,
        origin: str = "",
        certificate: str | None = None,
        inline_secret: Secret | None = None,
        check_registry_login: bool = True,
        ledger_dir: Path | None = None,
    ) -> None:
        self._init(
            name,
            api_url,
            token_url,
            client_id,
            auth,
            resource_group,
            source,
            origin,
            certificate,
            inline_secret,
            check_registry_login,
            ledger_dir,
        )

    @property
    def read_only(self) -> bool:
        return self.source is not Source.OURS


class SourceProblem(Record):
    """A source of profiles that could not be read, or one entry of it, and why."""

    _fields = ("source", "path", "line", "message")
    __slots__ = _fields
    source: Source
    path: str
    line: int | None
    message: str

    def __init__(self, source: Source, path: str, line: int | None, message: str) -> None:
        # Messages quote names and keys from files and the environment: kept as they are safe.
        self._init(source, displayable(path, limit=500), line, displayable(message, limit=2000))

    def __str__(self) -> str:
        return self.message


class LoadResult:
    """Every profile found, what could not be read, and the default's name."""

    __slots__ = ("default_name", "problems", "profiles")

    def __init__(
        self,
        profiles: list[Profile],
        problems: list[SourceProblem],
        default_name: str | None = None,
    ) -> None:
        self.profiles = profiles
        self.problems = problems
        # The profile AICORE_PROFILE (or the SDK's own default) points at, when it was found.
        self.default_name = default_name

    def __repr__(self) -> str:
        return f"LoadResult({self.profiles!r}, {self.problems!r}, {self.default_name!r})"

    def names(self) -> list[str]:
        return [p.name for p in self.profiles]

    def get(self, name: str) -> Profile | None:
        return next((p for p in self.profiles if p.name == name), None)


def _with_scheme(url: str, what: str) -> str:
    return parse_web_address(url, what).url


def normalise_api_url(url: str) -> str:
    """``https://host``: scheme added when missing, ``/v2`` and trailing slashes removed."""
    text = _with_scheme(url, "AI API URL")
    while text.lower().endswith("/v2"):
        text = text[:-3].rstrip("/")
    return text


def normalise_token_url(url: str) -> str:
    """The token endpoint: scheme added when missing, always ending in ``/oauth/token``."""
    text = _with_scheme(url, "token URL")
    if not text.lower().endswith(TOKEN_SUFFIX):
        text += TOKEN_SUFFIX
    return text


def fix_pem(text: str) -> str:
    """PEM text with literal ``\\n`` sequences (as service keys carry them) turned into newlines."""
    fixed = text.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\r\n", "\n").strip()
    return fixed + "\n" if fixed else fixed


def check_profile_name(name: str) -> str:
    """The name itself, or ProfileError saying why it cannot be used."""
    if not name or not name.strip():
        raise ProfileError("A profile needs a name, for example “dev” or “prod-eu”.")
    if name != name.strip():
        raise ProfileError("A profile name cannot start or end with a space.")
    if len(name) > MAX_NAME_LENGTH:
        raise ProfileError(f"A profile name can have at most {MAX_NAME_LENGTH} characters.")
    if first_unsafe(name) is not None:
        raise ProfileError(
            "A profile name cannot contain control characters such as tabs, or invisible ones."
        )
    return name
