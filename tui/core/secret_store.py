"""Client secrets and X.509 private keys in the OS keyring (service ``regsecret``, user = profile).

When no usable keyring exists (the ``fail`` backend on headless Linux, the ``null`` backend that
stores nothing, a ``PYTHON_KEYRING_BACKEND`` that cannot be loaded, a keyring that errors on use),
secrets are kept in memory for this session only, and the user is told once how to get a keyring.
Never plaintext on disk. ``keyring`` is imported on first use, not at import time: its backend
discovery is slow, so the app calls this from a thread worker.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

from tui.core.errors import KeyringError
from tui.core.secret import Secret

SERVICE = "regsecret"
_PROBE_USER = "regsecret-probe"
# Windows Credential Manager: CRED_MAX_CREDENTIAL_BLOB_SIZE, and keyring stores UTF-16 there.
_SIZE_LIMITS = {"keyring.backends.Windows.WinVaultKeyring": (2560, "utf-16-le")}
_GET_A_KEYRING = (
    "To keep secrets between sessions, run a Secret Service such as gnome-keyring or KeePassXC, "
    "or install the keyrings.alt package."
)


@dataclass(frozen=True)
class KeyringStatus:
    usable: bool
    backend: str
    message: str | None = None


def _qualified(obj: object) -> str:
    cls = type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


def _inspect_backend() -> tuple[Any, KeyringStatus]:
    """The current keyring backend and whether it really stores secrets."""
    chosen = os.environ.get("PYTHON_KEYRING_BACKEND", "")
    try:
        import keyring
        from keyring.backends import chainer, fail, null

        backend = keyring.get_keyring()
    except Exception as exc:  # a wrong PYTHON_KEYRING_BACKEND fails in many ways
        what = f"PYTHON_KEYRING_BACKEND is '{chosen}', which" if chosen else "The keyring"
        return None, KeyringStatus(
            False,
            chosen or "unknown",
            f"{what} cannot be loaded ({type(exc).__name__}). Unset it or name an installed "
            "backend.",
        )
    name = str(getattr(backend, "name", _qualified(backend)))
    if isinstance(backend, fail.Keyring) or (
        isinstance(backend, chainer.ChainerBackend) and not backend.backends
    ):
        return backend, KeyringStatus(
            False,
            name,
            "No OS keyring is available.",
        )
    if isinstance(backend, null.Keyring):
        return backend, KeyringStatus(
            False,
            name,
            "The keyring is set to the null backend, which stores nothing.",
        )
    try:
        # A locked or unreachable keyring (no D-Bus session, say) only fails when used.
        backend.get_password(SERVICE, _PROBE_USER)
    except Exception as exc:
        return backend, KeyringStatus(
            False,
            name,
            f"The keyring ({name}) does not answer ({type(exc).__name__}); unlock it.",
        )
    return backend, KeyringStatus(True, name, None)


class SecretStore:
    """One secret per profile name; safe to call from a thread worker."""

    def __init__(self, *, allow_session_fallback: bool = True) -> None:
        self._allow_fallback = allow_session_fallback
        self._lock = threading.RLock()
        self._status: KeyringStatus | None = None
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
        """The reason, what happens now, and how to get a keyring, in one message."""
        if found.usable:
            return found
        now = " Secrets are kept for this session only." if self._allow_fallback else ""
        return KeyringStatus(False, found.backend, f"{found.message}{now} {_GET_A_KEYRING}")

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

        broken = isinstance(exc, NoKeyringError | InitError | KeyringLocked)
        name = self.status().backend
        reason = f"The keyring ({name}) could not {action} ({type(exc).__name__}); unlock it."
        if broken and self._allow_fallback:
            self._status = self._explained(KeyringStatus(False, name, reason))
            return
        raise KeyringError(f"{reason} {_GET_A_KEYRING}") from None

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

    def delete(self, profile: str) -> None:
        """Remove the secret of ``profile``; nothing stored is not an error.

        An unusable keyring cannot hold an entry we could reach, so there is nothing to remove.
        """
        with self._lock:
            self._session.pop(profile, None)
            if not self.status().usable:
                return
            backend = self._backend
            from keyring.errors import PasswordDeleteError

            try:
                backend.delete_password(SERVICE, profile)
            except PasswordDeleteError:
                return
            except Exception as exc:
                self._fall_back(exc, "delete the secret")

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
        limit = _SIZE_LIMITS.get(_qualified(backend))
        if limit is None:
            return
        max_bytes, encoding = limit
        size = len(secret.reveal().encode(encoding))
        if size > max_bytes:
            raise KeyringError(
                f"This secret takes {size} bytes, more than the {max_bytes} bytes the keyring "
                f"({getattr(backend, 'name', _qualified(backend))}) can hold. X.509 private keys "
                "are often this large: use a service key with a client secret instead."
            )
