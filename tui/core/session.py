"""The one tenant the app is connected to: profile, its secret, a lazy client and the draft.

Screens come and go; this object stays on the App so that leaving a form and coming back, or an
error from the server, never loses what the user typed. It imports neither Textual nor httpx: the
client module is imported the first time a request is made, after the first screen is on.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tui.core.record import Record
from tui.core.secret import Secret

if TYPE_CHECKING:
    from tui.core.client import AICoreClient
    from tui.core.ledger import Ledger
    from tui.core.profile_actions import Profile
    from tui.core.request import SecretDraft
    from tui.core.rotate_draft import RotateDraft


def host_of(url: str) -> str:
    """The host (and port) of a URL, for sentences that name a tenant."""
    return urlsplit(url).netloc or url


class Tenant(Record):
    """The tenant a workflow works on, as its sentences name it."""

    _fields = ("label", "host", "key", "ledger_dir")
    __slots__ = _fields
    label: str  # 'profile “dev” at api.example.com'
    host: str  # 'api.example.com'
    # How the ledger names it ('dev@api.example.com', tui/core/ledger.py); "" keeps no ledger.
    key: str
    # Where its ledger is kept: None beside profiles.toml (the user's); the demo's tenants keep
    # theirs in the run's throw-away directory.
    ledger_dir: Path | None

    def __init__(
        self, label: str, host: str, key: str = "", ledger_dir: Path | None = None
    ) -> None:
        self._init(label, host, key, ledger_dir)

    def ledger(self) -> Ledger:
        """The ledger this tenant's history is written to and read from."""
        from tui.core.ledger import Ledger

        return Ledger(self.ledger_dir)


def tenant_label(profile: Profile) -> str:
    """'profile “dev” at api.ai.example.com': what a confirmation names."""
    if str(profile.source) == "demo":
        return f"profile “{profile.name}” (the bundled demo emulator)"
    return f"profile “{profile.name}” at {host_of(profile.api_url)}"


def tenant_of(profile: Profile) -> Tenant:
    """The tenant a profile points at, as sentences and the ledger name it."""
    from tui.core.ledger import tenant_key

    key = tenant_key(profile.name, profile.api_url)
    return Tenant(tenant_label(profile), host_of(profile.api_url), key, profile.ledger_dir)


class Session:
    """A plain class, not a dataclass: it is made before the first frame (tui/core/record.py)."""

    def __init__(self) -> None:
        self.profile: Profile | None = None
        self.profile_secret: Secret | None = None
        self.draft: SecretDraft | None = None
        # Whose form the draft was typed in: it is kept across tenants (nothing typed is lost),
        # and the next tenant's form says where it came from.
        self.draft_tenant: str | None = None
        # The registry chosen in that form's list (its id): the host alone does not say it
        # ("Other registry" chosen for a host that looks like GitHub's).
        self.draft_preset: str | None = None
        # Tuning seam (tests use it for short timeouts and quick retries): Connection fields such
        # as ``read_timeout`` to override, and keyword arguments for AICoreClient (``backoff``).
        self.connection_overrides: dict[str, float] = {}
        self.client_options: dict[str, Any] = {}
        self._client: AICoreClient | None = None
        # What this session registered, without passwords. AI Core never returns credentials, so
        # an update of one of these can start from its registry and username, not from nothing.
        self.logins: dict[str, SecretDraft] = {}
        # The names the tenant is known to hold: its list as last read (the secrets screen),
        # what this session registered since, less what it deleted. A registration of one of
        # them asks its one question as the update it is.
        self.existing: set[str] = set()
        # What each rotate form held when it was left unsent (never a password), by the secret
        # it was opened for: it opens with it again (tui/core/rotate_draft.py).
        self.rotate_drafts: dict[str, RotateDraft] = {}
        # What the import dialog held when it was closed without importing (path, profile
        # name): it opens with it again. No secret: the key file is read only on import.
        self.import_typed: tuple[str, str] = ("", "")

    def __repr__(self) -> str:
        return f"Session(profile={self.profile!r}, draft_tenant={self.draft_tenant!r})"

    @property
    def connected(self) -> bool:
        return self.profile is not None

    def tenant_label(self) -> str:
        """'profile “dev” at api.ai.example.com': what a confirmation names."""
        return "no tenant" if self.profile is None else tenant_label(self.profile)

    def tenant(self) -> Tenant:
        if self.profile is None:
            return Tenant(self.tenant_label(), "")
        return tenant_of(self.profile)

    def select(self, profile: Profile, secret: Secret | None) -> AICoreClient | None:
        """Switch tenant. Returns the previous client, which the caller must close (it is async)."""
        old = self._client
        self.profile = profile
        self.profile_secret = secret
        self._client = None
        self.logins = {}
        self.existing = set()
        return old

    def remember(self, draft: SecretDraft) -> None:
        """Keep name, registry, username and email of a registered secret (never the password)."""
        self.logins[draft.name] = draft.replace(password=Secret(""))
        self.existing.add(draft.name)

    def listed(self, names: list[str]) -> None:
        """The tenant's list, as just read: the names it holds."""
        self.existing = set(names)

    def gone(self, name: str) -> None:
        """``name`` is not in the tenant (deleted, or AI Core said it has none of that name)."""
        self.existing.discard(name)

    def typed_unsent(self, draft: SecretDraft, fresh: SecretDraft) -> bool:
        """Whether a register form holding ``draft`` holds something typed and not registered:
        more than a fresh form holds (``fresh``), than a registration of this session (still in
        its form), or than what one left for the next (its registry and username)."""
        bare = draft.replace(password=Secret(""))
        if bare == fresh and not draft.password:
            return False
        for login in self.logins.values():
            if bare == login or (bare == login.replace(name="") and not draft.password):
                return False
        return True

    def client(self) -> AICoreClient:
        """The client for the selected profile, created on first use."""
        if self.profile is None:
            raise RuntimeError("choose a profile first")
        if self._client is None:
            from tui.core.client import AICoreClient
            from tui.core.profile_actions import connection_for

            connection = connection_for(self.profile, self.profile_secret)
            if self.connection_overrides:
                from dataclasses import replace

                connection = replace(connection, **self.connection_overrides)  # type: ignore[arg-type]
            self._client = AICoreClient(connection, **self.client_options)
        return self._client

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()
