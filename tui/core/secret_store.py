"""Client secrets and X.509 private keys in the OS keyring (service ``regsecret``, user = profile).

Only a keyring the OS or a desktop vault encrypts is used (``keyring_backends`` keeps the
allow-list). Without one (no backend, ``null``, a file keyring, a ``PYTHON_KEYRING_BACKEND`` that
cannot be loaded) or with one that is locked, the app keeps secrets in memory for this session only
and says so once; the command line refuses. Never plaintext on disk, never a prompt on the terminal.
``keyring`` is imported on first use: its backend discovery is slow, so the app calls this from a
thread worker.
"""

from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import dataclass
from enum import Enum
from typing import Any

from tui.core import keyring_backends
from tui.core.errors import KeyringError
from tui.core.secret import Secret

SERVICE = "regsecret"
_PROBE_USER = "regsecret-probe"
# Windows Credential Manager: CRED_MAX_CREDENTIAL_BLOB_SIZE, and keyring stores UTF-16 there.
_SIZE_LIMITS = {"keyring.backends.Windows.WinVaultKeyring": (2560, "utf-16-le")}


@dataclass(frozen=True)
class KeyringStatus:
    """``usable``: secrets go to ``backend``. ``locked``: a trusted keyring is there but did not
    open, so it may hold secrets that cannot be seen now."""

    usable: bool
    backend: str
    message: str | None = None
    locked: bool = False


def short_notice(status: KeyringStatus) -> tuple[str, str]:
    """The title and line of the app's toast when the keyring cannot be used.

    The whole sentence (the reason, what it takes to keep secrets) runs to a dozen lines at 80
    columns and covered the screen; it is in help (f1), which the line points to.
    """
    title = "Keyring locked" if status.locked else "No usable keyring"
    return title, "Secrets are kept for this session only. f1 says why and what to do."


class Removal(Enum):
    """What deleting a profile's secret did, each checked, never assumed."""

    REMOVED = "removed"
    NOTHING_STORED = "nothing stored"
    NO_KEYRING = "no keyring"


def _inspect_backend() -> tuple[Any, KeyringStatus]:
    """The trusted backend (None if there is none) and whether it really stores secrets now."""
    chosen = os.environ.get("PYTHON_KEYRING_BACKEND", "")
    try:
        import keyring

        choice = keyring_backends.choose(keyring.get_keyring())
    except Exception as exc:  # a wrong PYTHON_KEYRING_BACKEND fails in many ways
        what = f"PYTHON_KEYRING_BACKEND is '{chosen}', which" if chosen else "The keyring"
        return None, KeyringStatus(
            False,
            chosen or "unknown",
            f"{what} cannot be loaded ({type(exc).__name__}). Unset it or name an installed "
            "backend.",
        )
    backend, label = choice.backend, choice.label
    if backend is None:
        return None, KeyringStatus(False, label, choice.refusal)
    shut = keyring_backends.held_shut(backend)
    if shut is None:
        try:
            # A locked or unreachable keyring only fails when used.
            backend.get_password(SERVICE, _PROBE_USER)
        except Exception as exc:
            shut = _shut_because(exc)
    if shut is not None:
        return backend, _locked_status(label, shut)
    return backend, KeyringStatus(True, label, None)


def _shut_because(exc: Exception) -> str:
    from keyring.errors import KeyringLocked

    return "is locked" if isinstance(exc, KeyringLocked) else f"did not open ({type(exc).__name__})"


def _locked_status(label: str, shut: str) -> KeyringStatus:
    return KeyringStatus(False, label, f"The keyring ({label}) {shut}.", locked=True)


class SecretStore:
    """One secret per profile name; safe to call from a thread worker."""

    def __init__(self, *, allow_session_fallback: bool = True) -> None:
        self._allow_fallback = allow_session_fallback
        self._lock = threading.RLock()
        self._status: KeyringStatus | None = None
        # The trusted backend, kept while it is locked too: it may hold secrets to delete.
        self._backend: Any = None
        self._session: dict[str, Secret] = {}
        self._notice_given = False

    # State

    def status(self) -> KeyringStatus:
        with self._lock:
            if self._status is None:
                self._backend, found = _inspect_backend()
                self._status = self._explained(found)
            return self._status

    def _explained(self, found: KeyringStatus) -> KeyringStatus:
        """The reason, what happens now, and what to do, in one message."""
        if found.usable:
            return found
        now = " Secrets are kept for this session only." if self._allow_fallback else ""
        todo = (
            keyring_backends.how_to_unlock(self._backend)
            if found.locked
            else keyring_backends.how_to_get_one()
        )
        return KeyringStatus(False, found.backend, f"{found.message}{now} {todo}", found.locked)

    @property
    def session_only(self) -> bool:
        """True when secrets are being kept in memory for this session."""
        return self._allow_fallback and not self.status().usable

    def notice(self) -> str | None:
        """The sentence about the session-only fallback, once; then None."""
        with self._lock:
            if not self.session_only or self._notice_given:
                return None
            self._notice_given = True
            return self.status().message

    def _usable_backend(self) -> Any:
        """The backend, None for session-only mode, or KeyringError when neither is allowed."""
        status = self.status()
        if status.usable:
            return self._backend
        if self._allow_fallback:
            return None
        raise KeyringError(status.message or "The OS keyring cannot be used.")

    def _fall_back(self, exc: Exception, action: str) -> None:
        """A keyring that passed the probe failed on use: go session-only, or explain."""
        from keyring.errors import InitError, KeyringLocked, NoKeyringError

        status = self.status()
        if isinstance(exc, NoKeyringError | InitError | KeyringLocked):
            found = _locked_status(status.backend, _shut_because(exc))
            if self._allow_fallback:
                self._status = self._explained(found)
                return
            raise KeyringError(self._explained(found).message or "") from None
        raise KeyringError(
            f"The keyring ({status.backend}) could not {action} ({type(exc).__name__})."
        ) from None

    # Operations

    def get(self, profile: str) -> Secret | None:
        with self._lock:
            backend = self._usable_backend()
            if backend is None:
                return self._session.get(profile)
            try:
                value = backend.get_password(SERVICE, profile)
            except Exception as exc:
                self._fall_back(exc, "read a secret")
                return self._session.get(profile)
            return Secret(value) if value is not None else self._session.get(profile)

    def set(self, profile: str, secret: Secret) -> None:
        if not isinstance(secret, Secret):
            raise TypeError("SecretStore.set takes a Secret")
        with self._lock:
            backend = self._usable_backend()
            if backend is None:
                self._session[profile] = secret
                return
            self._check_size(backend, secret)
            try:
                backend.set_password(SERVICE, profile, secret.reveal())
            except Exception as exc:
                self._fall_back(exc, "store the secret")
                self._session[profile] = secret
                return
            self._session.pop(profile, None)

    def delete(self, profile: str) -> Removal:
        """Remove the secret of ``profile``, and say what that did."""
        return self.take(profile)[0]

    def take(self, profile: str) -> tuple[Removal, Secret | None]:
        """Remove the secret of ``profile``; what that did, and the secret that was there.

        A trusted keyring is asked even while it is locked: it may hold the secret from an earlier
        session. If it does not open, KeyringError says how to remove the entry by hand, and
        nothing was removed (the session copy stays too). Each outcome is read back, because
        backends raise the same PasswordDeleteError for "not there" and "cancelled".
        """
        with self._lock:
            self.status()
            backend = self._backend
            if backend is None:
                return Removal.NO_KEYRING, self._session.pop(profile, None)
            shut = keyring_backends.held_shut(backend)
            value: str | None = None
            if shut is None:
                try:
                    value = backend.get_password(SERVICE, profile)
                    if value is not None:
                        with contextlib.suppress(Exception):
                            backend.delete_password(SERVICE, profile)
                        # Only a read tells whether it is gone (see the docstring).
                        if backend.get_password(SERVICE, profile) is not None:
                            shut = "did not remove it"
                except Exception as exc:
                    shut = _shut_because(exc)
            if shut is not None:
                raise KeyringError(self._not_removed(profile, shut))
            if value is None:
                return Removal.NOTHING_STORED, self._session.pop(profile, None)
            self._session.pop(profile, None)
            return Removal.REMOVED, Secret(value)

    def _not_removed(self, profile: str, shut: str) -> str:
        label = self.status().backend
        return (
            f"The keyring ({label}) {shut}, so the secret of “{profile}” may still be in it. "
            f"{keyring_backends.how_to_unlock(self._backend)} Or remove the entry by hand: "
            f"{keyring_backends.how_to_remove(self._backend, profile)}."
        )

    def rename(self, old: str, new: str) -> None:
        """Move the secret of ``old`` to ``new``; ``old`` is removed only once ``new`` holds it."""
        if old == new:
            return
        with self._lock:
            secret = self.get(old)
            if secret is None:
                return
            self.set(new, secret)
            self.delete(old)

    @staticmethod
    def _check_size(backend: object, secret: Secret) -> None:
        limit = _SIZE_LIMITS.get(keyring_backends.qualified(backend))
        if limit is None:
            return
        max_bytes, encoding = limit
        size = len(secret.reveal().encode(encoding))
        label = keyring_backends.TRUSTED.get(keyring_backends.qualified(backend))
        if size > max_bytes:
            raise KeyringError(
                f"This secret takes {size} bytes, more than the {max_bytes} bytes the keyring "
                f"({label}) can hold. X.509 private keys are often this large: use a service key "
                "with a client secret instead."
            )
