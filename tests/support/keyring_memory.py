"""An in-memory keyring for tests, and the ``memory_keyring`` fixture that installs it.

``keyring`` registers every backend class it sees; ``priority`` raises here so that auto-detection
never picks this one up: it is used only where a test installs it with ``keyring.set_keyring``.
regsecret uses only the OS-grade backends of its allow-list; ``trusted`` adds a test keyring to it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TypeVar

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import KeyringLocked, PasswordDeleteError

from tui.core import keyring_backends

_Backend = TypeVar("_Backend", bound=type[KeyringBackend])
_Keyring = TypeVar("_Keyring", bound=KeyringBackend)


def trusted(cls: _Backend) -> _Backend:
    """Let regsecret keep secrets in this test keyring, as it would in an OS keyring."""
    keyring_backends.TRUSTED[f"{cls.__module__}.{cls.__qualname__}"] = "memory keyring of the tests"
    return cls


@trusted
class MemoryKeyring(KeyringBackend):
    """Stores passwords in a dict; ``entries`` maps (service, username) to the password."""

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("MemoryKeyring is installed explicitly by tests, never detected")

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves __init__ unannotated
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise PasswordDeleteError("no such password") from None


def install_keyring(backend: KeyringBackend) -> KeyringBackend | None:
    """Install ``backend``; returns the previous one (possibly None: not yet detected)."""
    previous = keyring.core._keyring_backend
    keyring.set_keyring(backend)
    return previous


def restore_keyring(previous: KeyringBackend | None) -> None:
    # set_keyring refuses None, and None is what "not detected yet" looks like. keyring.core
    # declares the variable as a bare `= None`, hence its inferred type None.
    keyring.core._keyring_backend = previous  # type: ignore[assignment]


@contextlib.contextmanager
def installed(backend: _Keyring) -> Iterator[_Keyring]:
    """``backend`` is keyring's backend inside the block, the previous one again after it."""
    previous = install_keyring(backend)
    try:
        yield backend
    finally:
        restore_keyring(previous)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = install_keyring(backend)
    try:
        yield backend
    finally:
        restore_keyring(previous)


@trusted
class LockableKeyring(MemoryKeyring):
    """A trusted keyring that can be locked, as gnome-keyring's collection can: every call then
    raises KeyringLocked, the way keyring's Secret Service backend does after a failed unlock."""

    def __init__(self) -> None:
        super().__init__()
        self.locked = False

    def _check(self) -> None:
        if self.locked:
            raise KeyringLocked("Failed to unlock the collection!")

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        super().delete_password(service, username)
